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
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from openpyxl import Workbook

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
    """An XLSX written row by row (openpyxl's write-only mode keeps the sheet on disk) into a
    temporary file that is streamed and then deleted: memory stays flat."""
    book = Workbook(write_only=True)
    page = book.create_sheet(title=sheet[:31])
    page.append([safe_cell(h) for h in header])
    for row in rows:
        page.append([safe_cell(c) for c in row])
    content = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it (and so deletes it)
    book.save(content)
    content.seek(0)
    return FileResponse(content, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
