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
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | float | Decimal | date | datetime | None


def safe_cell(value: Cell) -> Cell:
    """The value as a spreadsheet may show it: text that could run as a formula is escaped."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal | date | datetime):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> HttpResponse:
    """A CSV as Swedish Excel opens it: semicolons, UTF-8 with a byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(c) for c in row] for row in rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


def xlsx_response(
    *, filename: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> HttpResponse:
    book = Workbook(write_only=True)
    page = book.create_sheet(title=sheet[:31])
    page.append([safe_cell(h) for h in header])
    for row in rows:
        page.append([safe_cell(c) for c in row])
    content = io.BytesIO()
    book.save(content)
    return _attachment(HttpResponse(content.getvalue(), content_type=XLSX_TYPE), filename)
