"""Files from the HR system: a template to fill in, a preview, per-row errors and an atomic
commit (one bad row rejects the file and nothing is written), through the page and the
API alike."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from openpyxl import Workbook, load_workbook

from bryggan.core.roles import Role
from bryggan.insights.models import PendingImport, UnitMonth
from bryggan.organisation.models import StaffMember

pytestmark = pytest.mark.django_db

STAFF = "employee_number;first_name;last_name;email;unit;title;employed_from;employed_until\n"
MONTHS = "unit;month;sick_leave_percent;open_cases;case_workers\n"


def _upload(client, kind: str, text: str | bytes, name: str = "hr.csv"):
    data = text.encode() if isinstance(text, str) else text
    upload = io.BytesIO(data)
    upload.name = name
    return client.post("/insikter/import/", {"kind": kind, "file": upload})


def _rows():
    with scopes_disabled():
        return (StaffMember.objects.count(), UnitMonth.objects.count())


def test_a_staff_file_is_previewed_then_written_with_leavers(world):
    client = world.home.client(Role.COORDINATOR)
    unit = world.home.objects["unit"].name
    text = (
        STAFF
        + f"A100;Lena;Ek;lena.ek@example.org;{unit};Socialsekreterare;2024-02-01;\n"
        + f"A101;Omar;Ali;;{unit.upper()};Socialsekreterare;2021-09-01;2025-06-30\n"
    )
    before = _rows()
    response = _upload(client, "staff", text)
    assert response.status_code == 302
    assert _rows() == before  # nothing is written before the confirmation
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "2 rader är klara att sparas" in html and "Lena" in html and unit in html
    done = client.post(response["Location"])
    assert done.status_code == 302
    with scopes_disabled():
        leaver = StaffMember.objects.get(employee_number="A101")
        assert str(leaver.employed_until) == "2025-06-30"
        assert StaffMember.objects.get(employee_number="A100").email == "lena.ek@example.org"
        assert PendingImport.objects.get().rows == []
    # The same numbers again update the same people: the HR system's export every month.
    again = _upload(client, "staff", text.replace("2024-02-01;", "2024-02-01;2026-01-31"))
    client.post(again["Location"])
    with scopes_disabled():
        assert StaffMember.objects.filter(employee_number__in=["A100", "A101"]).count() == 2
        assert str(StaffMember.objects.get(employee_number="A100").employed_until) == ("2026-01-31")
    assert client.post(response["Location"]).status_code == 404  # confirmed already


def test_an_xlsx_file_of_unit_months_is_written(world):
    client = world.home.client(Role.COORDINATOR)
    book = Workbook()
    sheet = book.active
    sheet.append(["unit", "month", "sick_leave_percent", "open_cases", "case_workers"])
    sheet.append([world.home.objects["unit"].name, "2025-11", 6.4, 140, 5])
    sheet.append([world.home.objects["unit"].name, "2025-12", "7,1", 150, "5,5"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = _upload(client, "unit_months", buffer.getvalue(), "hr.xlsx")
    assert response.status_code == 302
    client.post(response["Location"])
    with scopes_disabled():
        months = list(UnitMonth.objects.order_by("month"))
    assert [str(m.sick_leave_percent) for m in months] == ["6.4", "7.1"]
    assert [m.open_cases for m in months] == [140, 150]


BAD_FILES = [
    ("staff", "first_name;last_name\nLena;Ek\n", "Kolumner saknas"),
    (
        "staff",
        STAFF + "A1;Lena;Ek;;Ingen sådan enhet;Socialsekreterare;2024-02-01;\n",
        "Ingen enhet heter",
    ),
    ("staff", STAFF + "A1;Lena;Ek;;{unit};Socialsekreterare;1/2/2024;\n", "ÅÅÅÅ-MM-DD"),
    (
        "staff",
        STAFF
        + "A1;Lena;Ek;;{unit};Socialsekreterare;2024-02-01;\n"
        + "A1;Lena;Eklund;;{unit};Socialsekreterare;2024-02-01;\n",
        "Samma anställningsnummer två gånger",
    ),
    (
        "staff",
        STAFF + "A1;Lena;Ek;;{unit};Socialsekreterare;2024-02-01;2023-01-01\n",
        "innan den börjar",
    ),
    ("unit_months", MONTHS + "{unit};2025-13;5;10;2\n", "ÅÅÅÅ-MM"),
    ("unit_months", MONTHS + "{unit};2025-01;140;10;2\n", "från 0 till 100"),
    ("unit_months", MONTHS + "{unit};2025-01;5;-3;2\n", "heltal"),
    ("unit_months", MONTHS + "{unit};2025-01;5;2.5;2\n", "heltal"),
    (
        "unit_months",
        MONTHS + "{unit};2025-01;5;10;2\n{unit};2025-01;6;11;2\n",
        "Samma enhet och månad två gånger",
    ),
    ("unit_months", b"\x00\x01\x02binary garbage", "varken en CSV-fil eller en Excel-fil"),
    ("unit_months", b"PK\x03\x04not really a zip", "varken en CSV-fil eller en Excel-fil"),
    ("unit_months", "", "är tom"),
    ("unit_months", MONTHS, "Filen har inga rader"),
]


@pytest.mark.parametrize(("kind", "text", "message"), BAD_FILES)
def test_a_bad_file_is_refused_whole_with_the_row_named(world, kind, text, message):
    client = world.home.client(Role.COORDINATOR)
    unit = world.home.objects["unit"].name
    if isinstance(text, str):
        # One good row first: the bad one must still stop the whole file.
        good = (
            f"G1;Gun;Bra;;{unit};Socialsekreterare;2020-01-01;\n"
            if kind == "staff"
            else f"{unit};2024-05;4;10;2\n"
        )
        lines = text.format(unit=unit).split("\n", 1)
        text = lines[0] + "\n" + (good + lines[1] if len(lines) > 1 and lines[1] else "")
        if message in ("Kolumner saknas", "Filen har inga rader", "är tom"):
            text = text.replace(good, "") if message != "är tom" else ""
    before = _rows()
    response = _upload(client, kind, text)
    assert response.status_code == 400, message
    html = response.content.decode()
    assert message in html, html[html.find("import-errors") : html.find("import-errors") + 600]
    assert _rows() == before
    with scopes_disabled():
        assert not PendingImport.objects.exists()


def _bomb() -> bytes:
    """A valid XLSX whose one sheet unpacks to 60 MB of nothing (a few dozen kB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/worksheets/sheet1.xml", b" " * (60 * 1024 * 1024))
    return buffer.getvalue()


def test_an_xlsx_that_unpacks_to_far_more_than_an_export_is_refused_unread(world):
    client = world.home.client(Role.COORDINATOR)
    before = _rows()
    data = _bomb()
    assert len(data) < 1024 * 1024
    response = _upload(client, "unit_months", data, name="bomb.xlsx")
    assert response.status_code == 400
    assert "packas upp till långt mer än en HR-export" in response.content.decode()
    bomb = io.BytesIO(data)
    bomb.name = "bomb.xlsx"
    api = client.post("/api/insights/imports/unit_months?dry_run=true", {"file": bomb})
    assert api.status_code == 400, api.content
    assert "HR-export" in str(api.json())
    assert _rows() == before


def test_the_templates_download_with_the_columns(world):
    client = world.home.client(Role.COORDINATOR)
    csv = client.get("/insikter/import/mall/staff.csv")
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert text.strip().split(";") == STAFF.strip().split(";")
    xlsx = client.get("/insikter/import/mall/unit_months.xlsx")
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert [c.value for c in book.active[1]] == MONTHS.strip().split(";")
    assert client.get("/insikter/import/mall/other.csv").status_code == 404


def test_the_api_imports_all_or_nothing_with_a_dry_run(world):
    client = world.home.client(Role.COORDINATOR)
    unit = world.home.objects["unit"].name
    good = (MONTHS + f"{unit};2025-01;5,0;100;4\n{unit};2025-02;6;110;4\n").encode()
    dry = client.post(
        "/api/insights/imports/unit_months?dry_run=true",
        {"file": io.BytesIO(good)},
    )
    assert dry.status_code == 200, dry.content
    assert dry.json() == {"rows": 2, "created": 0, "updated": 0, "written": False}
    assert _rows()[1] == 0
    done = client.post("/api/insights/imports/unit_months", {"file": io.BytesIO(good)})
    assert done.status_code == 201
    assert done.json()["created"] == 2
    bad = (MONTHS + f"{unit};2025-03;5;100;4\n{unit};2025-04;500;100;4\n").encode()
    refused = client.post("/api/insights/imports/unit_months", {"file": io.BytesIO(bad)})
    assert refused.status_code == 400
    body = refused.json()
    assert "rad 3" in str(body)
    assert _rows()[1] == 2
    assert client.post("/api/insights/imports/other", {"file": io.BytesIO(good)}).status_code == 400


def test_only_those_who_manage_insights_import(world):
    for role in (Role.SUPERVISOR, Role.STUDENT, Role.UNIT_MANAGER):
        client = world.home.client(role)
        assert client.get("/insikter/import/").status_code == 403
        response = _upload(client, "unit_months", MONTHS)
        assert response.status_code == 403
    assert timezone.localdate()
