"""Every CSV and XLSX file Bryggan hands out is written here, and nowhere else.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) as a formula: an applicant named ``=HYPERLINK(…)`` would otherwise become a
live link in the coordinator's Excel (CSV injection, OWASP). Text cells that start so get a
leading apostrophe, which spreadsheets show as text; numbers and dates stay numbers.
tests/core/test_exports.py puts a formula into every text field of every export.
"""

from __future__ import annotations

import csv
import io
import math
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO

from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | float | Decimal | date | datetime | None


def safe_cell(value: Cell) -> Cell:
    """The value as a spreadsheet may show it: text that could run as a formula is escaped."""
    if value.__class__ is str:  # the common case first: exports write hundreds of thousands
        return "'" + value if value[:1] in _FORMULA_FIRST else value  # type: ignore[index,operator]
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal | date | datetime):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


_FORMULA_FIRST = frozenset(FORMULA_STARTS)


def _attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


CHUNK = 64 * 1024  # characters of CSV handed to the server at a time


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """The file in pieces of about ``CHUNK``, as the rows come: never the whole file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    buffer.write("\ufeff")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> StreamingHttpResponse:
    """A CSV as Swedish Excel opens it: semicolons, UTF-8 with a byte-order mark. Streamed:
    give it rows from the database's iterator and memory stays flat whatever their number."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, filename)  # type: ignore[return-value]


def xlsx_response(
    *, filename: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> FileResponse:
    """An XLSX written row by row into a temporary file that is streamed and then deleted:
    memory stays flat."""
    content = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it (and so deletes it)
    write_xlsx(content, sheet=sheet, header=header, rows=rows)
    content.seek(0)
    return FileResponse(content, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


# The workbook is the smallest an Office Open XML (ECMA-376) spreadsheet can be: one sheet of
# inline strings and numbers, and a style for dates and one for dates with a time. Written
# here rather than with openpyxl, which takes 5 s for a month of hours at 5,000 participants
# (45,000 rows; XlsxWriter 3.5 s): this takes under a second. The tests read every export
# back with openpyxl.
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PARTS = {
    "[Content_Types].xml": (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'{_XML}<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
        f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'{_XML}<Relationships xmlns="{_RELS}">'
        f'<Relationship Id="rId1" Type="{_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_DOC}/styles" Target="styles.xml"/></Relationships>'
    ),
    "xl/styles.xml": (
        f'{_XML}<styleSheet xmlns="{_MAIN}"><numFmts count="2">'
        '<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
        '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="3">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        "</cellStyles></styleSheet>"
    ),
}
_DATE_STYLE, _DATETIME_STYLE = 1, 2
_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug built in)
# Characters XML 1.0 cannot hold (a spreadsheet cell can't either): left out.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _column(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    return _NOT_XML.sub("", value).translate(_ESCAPES)


def _cell(ref: str, value: Cell) -> str:
    value = safe_cell(value)
    if value.__class__ is str:
        if not value:
            return ""
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'  # type: ignore[arg-type]
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int) or (isinstance(value, float | Decimal) and math.isfinite(value)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=None) - _EPOCH
        serial = moment.days + moment.seconds / 86400 + moment.microseconds / 86400e6
        return f'<c r="{ref}" s="{_DATETIME_STYLE}"><v>{serial!r}</v></c>'
    if isinstance(value, date):
        serial = (value - _EPOCH.date()).days
        return f'<c r="{ref}" s="{_DATE_STYLE}"><v>{serial}</v></c>'
    return _cell(ref, str(value))  # a float that is not a number: as text


def write_xlsx(
    out: IO[bytes], *, sheet: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> None:
    """One sheet, the header first, into ``out``; the rows are written as they come."""
    name = _SHEET_NAME_FORBIDDEN.sub("-", _NOT_XML.sub("", sheet)).strip("'")[:31] or "Sheet1"
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for part, xml in _PARTS.items():
            book.writestr(part, xml)
        book.writestr(
            "xl/workbook.xml",
            f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>'
            f'<sheet name="{_text(name)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet_xml:
            sheet_xml.write(f'{_XML}<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
            columns: list[str] = []
            pending: list[str] = []
            for number, row in enumerate(_with_header(header, rows), start=1):
                while len(columns) < len(row):
                    columns.append(_column(len(columns)))
                cells = "".join(
                    _cell(f"{column}{number}", value)
                    for column, value in zip(columns, row, strict=False)
                )
                pending.append(f'<row r="{number}">{cells}</row>')
                if len(pending) == 1000:
                    sheet_xml.write("".join(pending).encode("utf-8"))
                    pending.clear()
            pending.append("</sheetData></worksheet>")
            sheet_xml.write("".join(pending).encode("utf-8"))


def _with_header(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[Sequence[Cell]]:
    yield header
    yield from rows
