"""Files from the HR and case systems: read (CSV or XLSX), checked row by row against the
municipality's units and staff, and turned into the rows that will be written. Nothing
here writes: services.py previews and commits, all or nothing.

Two kinds, each with its columns (the downloadable template has them):

- staff: employee_number, first_name, last_name, email, unit, title, employed_from,
  employed_until — the staff register, with leavers (an end date) and hires outside the
  programme;
- unit_months: unit, month, sick_leave_percent, open_cases, case_workers.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from bryggan.core.personal_data import personnummer_errors
from bryggan.insights.models import ImportKind

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# An XLSX of 20,000 rows unpacks to a few MB; far more is a "ZIP bomb" that would fill memory
# before the first row is read.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024

COLUMNS: dict[str, tuple[str, ...]] = {
    ImportKind.STAFF: (
        "employee_number",
        "first_name",
        "last_name",
        "email",
        "unit",
        "title",
        "employed_from",
        "employed_until",
    ),
    ImportKind.UNIT_MONTHS: ("unit", "month", "sick_leave_percent", "open_cases", "case_workers"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    ImportKind.STAFF: (
        "employee_number",
        "first_name",
        "last_name",
        "unit",
        "title",
        "employed_from",
    ),
    ImportKind.UNIT_MONTHS: COLUMNS[ImportKind.UNIT_MONTHS],
}
EMPLOYEE_NUMBER = re.compile(r"^[A-Za-z0-9-]{1,20}$")
MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-01)?$")


class FileError(Exception):
    """The file as a whole cannot be read; ``message`` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_rows(name: str, data: bytes) -> list[dict[str, object]]:
    """The file's rows as dicts by lower-case column name (XLSX by its content, else CSV
    with ; or ,). ``FileError`` for a file that is neither, is empty or is too large."""
    if len(data) > MAX_BYTES:
        raise FileError(_("The file is larger than 5 MB."))
    if not data.strip():
        raise FileError(_("The file is empty."))
    if data[:4] == b"PK\x03\x04":
        matrix = _xlsx(data)
    elif b"\x00" in data[:4096]:
        raise FileError(_("The file is neither a CSV file nor an Excel file (.xlsx)."))
    else:
        matrix = _csv(data)
    if not matrix:
        raise FileError(_("The file is empty."))
    header = [str(cell or "").strip().lower() for cell in matrix[0]]
    rows = []
    for cells in matrix[1:]:
        if not any(str(c).strip() for c in cells if c is not None):
            continue
        rows.append({header[i]: cells[i] for i in range(min(len(header), len(cells)))})
    if len(rows) > MAX_ROWS:
        raise FileError(_("At most %(n)s rows in one file.") % {"n": MAX_ROWS})
    return [{"_header": header}, *rows]


def _xlsx(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except zipfile.BadZipFile as error:
        raise FileError(_("The file is neither a CSV file nor an Excel file (.xlsx).")) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileError(
            _("The Excel file unpacks to far more than an HR export. Save it again as CSV.")
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileError(_("The file is neither a CSV file nor an Excel file (.xlsx).")) from error
    sheet = book.worksheets[0]
    matrix = [
        list(row)
        for _n, row in zip(range(MAX_ROWS + 2), sheet.iter_rows(values_only=True), strict=False)
    ]
    book.close()
    return matrix


def _csv(data: bytes) -> list[list[object]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise FileError(_("The file is neither a CSV file nor an Excel file (.xlsx)."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    if first.count(delimiter) == 0:
        raise FileError(_("The file is neither a CSV file nor an Excel file (.xlsx)."))
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    try:
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else _bad()
    except ValueError:
        return _bad()


def _bad():
    raise ValueError


def _month(value: object) -> date:
    if isinstance(value, datetime | date):
        return date(value.year, value.month, 1)
    found = MONTH.match(_text(value))
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise ValueError
    return date(int(found.group(1)), int(found.group(2)), 1)


def _number(value: object, low: Decimal, high: Decimal, places: int) -> Decimal:
    text = _text(value).replace(",", ".").replace("\u00a0", "").replace(" ", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError from None
    if not number.is_finite() or not low <= number <= high:
        raise ValueError
    if places == 0 and number != number.to_integral_value():
        raise ValueError
    return round(number, places)


def check(
    kind: str, rows: list[dict[str, object]], *, units: dict[str, int], today: date
) -> tuple[list[dict], dict[str, list[str]]]:
    """The rows to write (JSON-able) and the errors per row ("row 3": […]); the file's
    first row is its header (row 1). Units are found by name, case-insensitive."""
    header = rows[0]["_header"]
    assert isinstance(header, list)
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:
        return [], {
            "file": [
                _("Columns missing: %(missing)s. The first row must be: %(columns)s.")
                % {"missing": ", ".join(missing), "columns": ", ".join(COLUMNS[kind])}
            ]
        }
    checker: Callable = _staff_row if kind == ImportKind.STAFF else _month_row
    clean, errors, seen = [], {}, set()
    for number, row in enumerate(rows[1:], start=2):
        problems: list[str] = []
        result, key = checker(row, units, today, problems)
        if key is not None and key in seen:
            problems.append(_("The same %(what)s twice in the file.") % {"what": key[0]})
        if problems:
            errors[_("row %(n)s") % {"n": number}] = problems
            continue
        seen.add(key)
        clean.append(result)
    if not clean and not errors:
        errors["file"] = [_("The file has no rows.")]
    return clean, errors


def _unit(row, units, problems) -> int | None:
    name = _text(row.get("unit"))
    unit = units.get(name.lower())
    if unit is None:
        problems.append(
            _("No unit named “%(name)s”.") % {"name": name[:80]}
            if name
            else _("The unit is missing.")
        )
    return unit


def _staff_row(row, units, today, problems):
    number = _text(row.get("employee_number"))
    if not EMPLOYEE_NUMBER.match(number):
        problems.append(_("The employee number must be 1–20 letters, digits or dashes."))
    first, last = _text(row.get("first_name")), _text(row.get("last_name"))
    title = _text(row.get("title"))
    for value, label, limit in (
        (first, _("first name"), 100),
        (last, _("last name"), 100),
        (title, _("title"), 120),
    ):
        if not value:
            problems.append(_("The %(field)s is missing.") % {"field": label})
        elif len(value) > limit:
            problems.append(_("The %(field)s is too long.") % {"field": label})
    if personnummer_errors(name=f"{first} {last} {title}"):
        problems.append(_("A personnummer does not belong in a name or title."))
    email = _text(row.get("email"))
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("“%(email)s” is not an e-mail address.") % {"email": email[:80]})
    unit = _unit(row, units, problems)
    start = end = None
    try:
        start = _date(row.get("employed_from"))
    except ValueError:
        problems.append(_("Employed from must be a date as YYYY-MM-DD."))
    if _text(row.get("employed_until")):
        try:
            end = _date(row.get("employed_until"))
        except ValueError:
            problems.append(_("Employed until must be a date as YYYY-MM-DD, or empty."))
    for day in (start, end):
        if day is not None and not date(1950, 1, 1) <= day <= date(today.year + 2, 12, 31):
            problems.append(_("%(day)s is out of range.") % {"day": day.isoformat()})
    if start and end and end < start:
        problems.append(_("The end of employment cannot be before its start."))
    result = {
        "employee_number": number,
        "first_name": first,
        "last_name": last,
        "email": email.lower(),
        "unit": unit,
        "title": title,
        "employed_from": start.isoformat() if start else None,
        "employed_until": end.isoformat() if end else None,
    }
    return result, (_("employee number"), number) if number else None


def _month_row(row, units, today, problems):
    unit = _unit(row, units, problems)
    month = None
    try:
        month = _month(row.get("month"))
        if not date(2000, 1, 1) <= month <= today:
            problems.append(_("The month %(month)s is out of range.") % {"month": f"{month:%Y-%m}"})
    except ValueError:
        problems.append(_("The month must be given as YYYY-MM."))
    values = {}
    for column, low, high, places, message in (
        ("sick_leave_percent", 0, 100, 1, _("Sick leave must be a percentage from 0 to 100.")),
        ("open_cases", 0, 100_000, 0, _("Open cases must be a whole number from 0 to 100,000.")),
        ("case_workers", 0, 10_000, 1, _("Case workers must be a number from 0 to 10,000.")),
    ):
        try:
            number = _number(row.get(column), Decimal(low), Decimal(high), places)
            values[column] = str(number)
        except ValueError:
            problems.append(message)
    result = {"unit": unit, "month": month.isoformat() if month else None, **values}
    key = (_("unit and month"), unit, month) if unit and month else None
    return result, key
