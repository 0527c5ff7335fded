"""Exports: every CSV and XLSX goes through core/exports.py, and a formula put into every
text field of every export comes out as text a spreadsheet will not run."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django_scopes import scope
from openpyxl import load_workbook

from bryggan.core.exports import FORMULA_STARTS, safe_cell, write_xlsx
from bryggan.core.models import AccessLogEntry, User
from bryggan.core.roles import Role
from bryggan.programme.models import HoursEntry

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "bryggan"
FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1"]


def test_only_the_export_writer_writes_spreadsheets():
    writers = re.compile(r"csv\.writer\(|csv\.DictWriter\(|Workbook\(|text/csv|spreadsheetml")
    found = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if writers.search(path.read_text()) and path.name != "exports.py"
    ]
    assert found == []


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_text_cell_that_could_run_is_escaped_and_numbers_stay_numbers(formula):
    assert safe_cell(formula) == "'" + formula
    assert safe_cell("Anna") == "Anna"
    assert safe_cell(-3) == -3 and safe_cell(None) == ""


def _cells_of_csv(response) -> list[str]:
    text = response.getvalue().decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


def _cells_of_xlsx(response) -> list[object]:
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    return [cell for row in sheet.iter_rows(values_only=True) for cell in row]


def _runnable(cells) -> list[str]:
    return [c for c in cells if isinstance(c, str) and c.startswith(FORMULA_STARTS)]


def _poison(rworld, formula: str) -> None:
    """Put the formula into every text field the exports write."""
    home = rworld.home
    approved = home.rec["hours_approved"]
    person = approved.participant.person
    person.first_name = person.last_name = person.email = formula
    person.save()
    HoursEntry.objects.filter(pk=approved.pk).update(activity=formula)
    User.objects.filter(pk=approved.approved_by_id).update(full_name=formula)
    AccessLogEntry.objects.create(
        municipality=home.municipality,
        user=home.user(Role.COORDINATOR),
        subject_type=formula,
        subject_id=formula[:60],
        person_id=person.pk,
        purpose=formula,
        path=formula,
    )
    User.objects.filter(pk=home.user(Role.COORDINATOR).pk).update(email=f"x{formula}@example.se")


@pytest.mark.parametrize("formula", FORMULAS)
def test_every_export_writes_a_formula_as_text(rworld, formula):
    _poison(rworld, formula)
    home = rworld.home
    month = home.rec["hours_approved"].day.strftime("%Y-%m")
    coordinator, dpo = home.client(Role.COORDINATOR), home.client(Role.DPO)
    exports = {
        "hours CSV": _cells_of_csv(
            coordinator.get("/programmet/timmar/export/", {"month": month, "format": "csv"})
        ),
        "hours XLSX": _cells_of_xlsx(
            coordinator.get("/programmet/timmar/export/", {"month": month, "format": "xlsx"})
        ),
        "access log CSV": _cells_of_csv(dpo.get("/dataskydd/atkomstlogg/export.csv")),
    }
    for name, cells in exports.items():
        # (XLSX stores a carriage return in its own way; what matters is the apostrophe.)
        body = formula.lstrip("\t\r")
        holding = [c for c in cells if isinstance(c, str) and body in c]
        assert holding, (name, "the formula is in the export")
        assert any(c.startswith("'") for c in holding), (name, "the formula was escaped")
        assert _runnable(cells) == [], name


def test_the_csv_comes_in_pieces_as_the_rows_come():
    """The writer never holds the whole file: each piece is about CHUNK long, and the rows
    are read only as the pieces are taken."""
    from bryggan.core.exports import CHUNK, csv_lines

    read = []

    def rows():
        for n in range(20_000):
            read.append(n)
            yield [f"Namn {n}", n, "=1+1"]

    pieces = csv_lines(["namn", "n", "x"], rows())
    first = next(pieces)
    assert len(read) < 20_000  # not everything was read for the first piece
    rest = list(pieces)
    assert len(rest) > 5 and all(len(p) < CHUNK + 200 for p in [first, *rest])
    text = first + "".join(rest)
    assert text.startswith("\ufeffnamn;n;x") and text.count("\n") == 20_001
    assert "Namn 19999;19999;'=1+1" in text


def test_the_exports_stream(rworld):
    home = rworld.home
    month = home.rec["hours_approved"].day.strftime("%Y-%m")
    coordinator, dpo = home.client(Role.COORDINATOR), home.client(Role.DPO)
    for response in (
        coordinator.get("/programmet/timmar/export/", {"month": month, "format": "csv"}),
        coordinator.get("/programmet/timmar/export/", {"month": month, "format": "xlsx"}),
        dpo.get("/dataskydd/atkomstlogg/export.csv"),
    ):
        assert response.status_code == 200 and response.streaming
        assert response["Content-Disposition"].startswith("attachment;")
        # The server reads the file after the request's tenant scope has closed: here, as
        # there, with no scope at all (the tests otherwise run with scopes disabled).
        with scope():
            body = b"".join(response.streaming_content)
        assert len(body) > 100


def test_the_xlsx_writer_keeps_every_kind_of_value_as_a_spreadsheet_reads_it():
    header = ["text", "formula", "spaces", "int", "float", "decimal", "yes", "day", "moment"]
    row = [
        'Åsa <&> "Ö"',
        "=1+1",
        "  two spaces",
        3,
        2.5,
        Decimal("4.25"),
        True,
        date(2026, 11, 3),
        datetime(2026, 11, 3, 14, 30),
        None,
        "",
        "bell\x07 and \x00 gone",
        float("nan"),
        "x" * 40_000,
        Decimal("NaN"),
    ]
    out = io.BytesIO()
    write_xlsx(out, sheet="Nov/2026: [x]*? and a name longer than 31", header=header, rows=[row])
    assert zipfile.ZipFile(io.BytesIO(out.getvalue())).testzip() is None
    book = load_workbook(io.BytesIO(out.getvalue()))
    assert book.sheetnames == ["Nov-2026- -x--- and a name long"]
    read_header, read_row = book.active.iter_rows(values_only=True)
    assert list(read_header[: len(header)]) == header
    assert list(read_row) == [
        'Åsa <&> "Ö"',
        "'=1+1",
        "  two spaces",
        3,
        2.5,
        4.25,
        True,
        datetime(2026, 11, 3),
        datetime(2026, 11, 3, 14, 30),
        None,
        None,
        "bell and  gone",
        "nan",
        "x" * 40_000,
        "NaN",
    ]
    assert book.active["H2"].number_format == "yyyy-mm-dd"


def test_a_large_xlsx_streams_its_rows_in_pieces():
    def rows():
        for n in range(30_000):
            yield ["Andersson", f"Anna {n}", n, 7.5]

    out = io.BytesIO()
    write_xlsx(out, sheet="big", header=["a", "b", "c", "d"], rows=rows())
    sheet = load_workbook(io.BytesIO(out.getvalue()), read_only=True).active
    last = list(sheet.iter_rows(values_only=True))[-1]
    assert last == ("Andersson", "Anna 29999", 29999, 7.5)
