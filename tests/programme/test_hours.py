"""Hours: the student logs a day, the mentor approves, the coordinator exports a month for
payroll and sets the rules; a time system imports a CSV, all or nothing."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from bryggan.core.roles import Role
from bryggan.programme.models import HoursEntry, HoursReminder, HoursRules, Participant
from bryggan.programme.tasks import send_hours_reminder

pytestmark = pytest.mark.django_db


def _d(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_the_student_logs_hours_and_a_reminder_is_queued(
    rworld, django_capture_on_commit_callbacks
):
    client = rworld.home.client(Role.STUDENT)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/programmet/mitt/timmar/", {"day": _d(-3), "hours": "7,5", "activity": "Hembesök"}
        )
    assert response.status_code == 302
    entry = HoursEntry.objects.get(participant=rworld.home.rec["participant"], day=_d(-3))
    assert (entry.hours, entry.kind, entry.status) == (7.5, "aspirant", "submitted")
    assert DBTaskResult.objects.filter(task_path__endswith="send_hours_reminder").exists()
    page = client.get("/programmet/mitt/").content.decode()
    assert "Hembesök" in page and "Väntar på attest" in page
    assert "Den här månaden:</strong>" in page and "timmar av minst 10" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"day": "-400", "hours": "2", "activity": "x"}, "ligger utanför din placering"),
        ({"day": "+1", "hours": "2", "activity": "x"}, "dagar som har varit"),
        ({"day": "-2", "hours": "0", "activity": "x"}, "mer än 0 och högst 24"),
        ({"day": "-2", "hours": "-3", "activity": "x"}, "mer än 0 och högst 24"),
        ({"day": "-2", "hours": "25", "activity": "x"}, "mer än 0 och högst 24"),
        ({"day": "-2", "hours": "sju", "activity": "x"}, "Skriv timmarna som ett tal"),
        ({"day": "-2", "hours": "1,255", "activity": "x"}, "högst två decimaler"),
        ({"day": "-2", "hours": "NaN", "activity": "x"}, "Skriv timmarna som ett tal"),
        ({"day": "-1", "hours": "2", "activity": "x"}, "redan registrerade"),  # a double entry
        ({"day": "-2", "hours": "2", "activity": ""}, "Detta fält måste fyllas i"),
        ({"day": "31/12/2026", "hours": "2", "activity": "x"}, "Fyll i ett giltigt datum"),
    ],
)
def test_bad_hours_are_refused_and_nothing_is_written(rworld, data, message):
    data = {k: _d(int(v)) if k == "day" and v[:1] in "+-" else v for k, v in data.items()}
    before = HoursEntry.objects.count()
    response = rworld.home.client(Role.STUDENT).post("/programmet/mitt/timmar/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert HoursEntry.objects.count() == before


def test_the_mentor_approves_and_others_cannot(rworld):
    home = rworld.home
    entry = home.rec["hours_submitted"]
    mentor = home.client(Role.SUPERVISOR)  # linked to the staff member who mentors Alva
    page = mentor.get("/programmet/attestera/").content.decode()
    assert "Dokumentation" in page
    # each line names the student and the day, and its box is labelled by them
    person = entry.participant.person
    assert f'<td id="e-{entry.pk}-who">{person.first_name} {person.last_name}</td>' in page
    assert f'<td id="e-{entry.pk}-day">{entry.day.isoformat()}</td>' in page
    assert f'aria-labelledby="e-{entry.pk}-who e-{entry.pk}-day"' in page
    assert (
        "Dokumentation"
        not in home.client(Role.MENTOR).get("/programmet/attestera/").content.decode()
    )
    refused = home.client(Role.MENTOR).post(
        "/programmet/attestera/", {"entries": [entry.pk]}, follow=True
    )
    assert "inte dina att attestera" in refused.content.decode()
    assert (
        home.client(Role.STUDENT)
        .post("/programmet/attestera/", {"entries": [entry.pk]})
        .status_code
        == 403
    )
    mentor.post("/programmet/attestera/", {"entries": [entry.pk]})
    entry.refresh_from_db()
    assert entry.status == "approved" and entry.approved_by == home.user(Role.SUPERVISOR)
    again = mentor.post("/programmet/attestera/", {"entries": [entry.pk]}, follow=True)
    assert "redan attesterade" in again.content.decode()


def test_nobody_approves_their_own_hours(rworld):
    home = rworld.home
    entry = home.rec["hours_submitted"]
    Participant.objects.filter(pk=home.rec["participant"].pk).update(
        user=home.user(Role.COORDINATOR)
    )
    response = home.client(Role.COORDINATOR).post(
        "/programmet/attestera/", {"entries": [entry.pk]}, follow=True
    )
    assert "Du kan inte attestera dina egna timmar" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "submitted"


def test_a_month_exports_for_payroll_as_csv_and_xlsx(rworld):
    home = rworld.home
    approved = home.rec["hours_approved"]
    month = approved.day.strftime("%Y-%m")
    client = home.client(Role.COORDINATOR)
    csv = client.get("/programmet/timmar/export/", {"month": month, "format": "csv"})
    assert csv.status_code == 200 and csv["Content-Disposition"].endswith('.csv"')
    text = csv.getvalue().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("last_name;first_name;email;kind;date;hours")
    assert f"{approved.day.isoformat()};4,00;Hembesök" in text
    assert "Dokumentation" not in text  # not approved yet
    xlsx = client.get("/programmet/timmar/export/", {"month": month, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][4:7] == (approved.day.isoformat(), 4.0, "Hembesök")
    for bad in (
        {"month": "2026-13", "format": "csv"},
        {"month": "nov", "format": "csv"},
        {"month": month, "format": "pdf"},
    ):
        assert client.get("/programmet/timmar/export/", bad).status_code == 400
    assert (
        home.client(Role.SUPERVISOR).get("/programmet/timmar/export/", {"month": month}).status_code
        == 403
    )


def test_the_export_is_safe_from_spreadsheet_formulas(rworld):
    approved = rworld.home.rec["hours_approved"]
    HoursEntry.objects.filter(pk=approved.pk).update(activity='=HYPERLINK("http://x")')
    text = (
        rworld.home.client(Role.COORDINATOR)
        .get(
            "/programmet/timmar/export/", {"month": approved.day.strftime("%Y-%m"), "format": "csv"}
        )
        .getvalue()
        .decode("utf-8-sig")
    )
    assert ";\"'=HYPERLINK" in text  # quoted, so the spreadsheet shows it as text


def _upload(text: str):
    return {"file": SimpleUploadedFile("timmar.csv", text.encode(), content_type="text/csv")}


def test_a_time_system_imports_hours_all_or_nothing(rworld):
    home = rworld.home
    email = home.rec["participant"].person.email
    client = home.client(Role.COORDINATOR)
    good = f"email;date;hours;activity\n{email};{_d(-5)};3,5;Utredning\n{email};{_d(-6)};2;Möte\n"
    response = client.post("/api/programme/hours/import", _upload(good))
    assert response.status_code == 201 and response.json() == {"count": 2}
    before = HoursEntry.objects.count()
    bad = (
        "email,date,hours,activity\n"
        f"{email},{_d(-8)},2,ok\n"
        f"{email},31/12/2026,2,wrong date\n"
        f"nobody@example.se,{_d(-9)},2,unknown\n"
        f"{email},{_d(-5)},2,already logged\n"
        f"{email},{_d(-10)},30,too many\n"
        f"{email},{_d(-10)}\n"
    )
    response = client.post("/api/programme/hours/import", _upload(bad))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"rad 3", "rad 4", "rad 5", "rad 6", "rad 7"}
    assert errors["rad 3"] == ["Skriv datumet som ÅÅÅÅ-MM-DD."]
    assert HoursEntry.objects.count() == before  # not even the good row
    wrong_columns = client.post(
        "/api/programme/hours/import", _upload(f"epost,datum,timmar\n{email},{_d(-8)},2\n")
    )
    assert wrong_columns.status_code == 400
    assert "email, date, hours, activity" in str(wrong_columns.json())
    not_utf8 = client.post(
        "/api/programme/hours/import", {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00a")}
    )
    assert not_utf8.status_code == 400


def test_breaches_remind_the_participant_once(rworld, mailoutbox):
    home = rworld.home
    alva = home.rec["participant"]
    # Alva's aspirant period began 100 days ago: at least two whole months have ended with
    # only a few hours.
    assert send_hours_reminder.call(alva.pk) >= 2
    assert len(mailoutbox) == 1 and "aspiranter arbetar minst 10 timmar" in mailoutbox[0].body
    assert send_hours_reminder.call(alva.pk) == 0
    assert len(mailoutbox) == 1
    assert HoursReminder.objects.filter(participant=alva).count() >= 2
    overview = home.client(Role.COORDINATOR).get("/programmet/").content.decode()
    assert "avvikelser från timreglerna" in overview


def test_the_coordinator_sets_the_rules_and_bad_values_are_refused(rworld):
    client = rworld.home.client(Role.COORDINATOR)
    good = {
        "aspirant_monthly_minimum": "12",
        "student_employee_weekly_maximum": "15",
        "practicum_weekly_expected": "30",
        "practicum_weekly_tolerance": "3",
        "practicum_weekly_maximum": "40",
        "supervision_every_days": "14",
        "mentor_meeting_every_days": "30",
    }
    assert client.post("/programmet/timregler/", good).status_code == 302
    assert (
        HoursRules.objects.get(municipality=rworld.home.municipality).aspirant_monthly_minimum == 12
    )
    bad = client.post("/programmet/timregler/", good | {"practicum_weekly_tolerance": "-1"})
    assert bad.status_code == 400 and "Mellan 0 och 168 timmar" in bad.content.decode()
    bad = client.post("/programmet/timregler/", good | {"aspirant_monthly_minimum": "tio"})
    assert bad.status_code == 400
    bad = client.post("/programmet/timregler/", good | {"practicum_weekly_maximum": "20"})
    assert bad.status_code == 400 and "Minst de förväntade timmarna" in bad.content.decode()


def test_hours_through_the_api(rworld):
    home = rworld.home
    alva = home.rec["participant"]
    student = home.client(Role.STUDENT)
    created = student.post(
        "/api/programme/me/hours",
        {"day": _d(-4), "hours": 6, "activity": "Journal"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["kind"] == "aspirant"
    bad = student.post(
        "/api/programme/me/hours",
        {"day": _d(-4), "hours": 6, "activity": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "redan registrerade" in str(bad.json()["errors"])
    listed = home.client(Role.COORDINATOR).get(f"/api/programme/participants/{alva.pk}/hours")
    assert {e["activity"] for e in listed.json()["entries"]} >= {"Journal", "Dokumentation"}
    assert listed.json()["breaches"]
    approved = home.client(Role.SUPERVISOR).post(
        "/api/programme/hours/approve",
        {"entries": [created.json()["id"]]},
        content_type="application/json",
    )
    assert approved.json() == {"count": 1}
    missing = home.client(Role.SUPERVISOR).post(
        "/api/programme/hours/approve", {"entries": [999999]}, content_type="application/json"
    )
    assert missing.status_code == 404


def test_a_refusal_to_approve_never_tells_about_someone_elses_hours(rworld):
    """Permission before state: neither a student nor a mentor of someone else learns the
    date of hours that are not theirs, already approved or not."""
    home = rworld.home
    approved = home.rec["hours_approved"]
    body = json.dumps({"entries": [approved.pk]})
    student = home.client(Role.STUDENT).post(
        "/api/programme/hours/approve", body, content_type="application/json"
    )
    assert student.status_code == 403
    assert approved.day.isoformat() not in student.content.decode()
    other_mentor = home.client(Role.MENTOR).post(
        "/api/programme/hours/approve", body, content_type="application/json"
    )
    assert other_mentor.status_code == 400
    text = other_mentor.content.decode()
    assert approved.day.isoformat() not in text and "redan" not in text


def test_nothing_is_approved_that_the_approver_did_not_choose(rworld):
    """No day is ticked beforehand; "approve all shown" approves the days the page showed."""
    home = rworld.home
    entry = home.rec["hours_submitted"]
    mentor = home.client(Role.SUPERVISOR)
    page = mentor.get("/programmet/attestera/").content.decode()
    assert f'value="{entry.pk}"' in page and " checked" not in page
    nothing = mentor.post("/programmet/attestera/", {"shown": [entry.pk]}, follow=True)
    assert "Välj vilka timmar som ska attesteras" in nothing.content.decode()
    entry.refresh_from_db()
    assert entry.status == "submitted"
    mentor.post("/programmet/attestera/", {"shown": [entry.pk], "all": "yes"})
    entry.refresh_from_db()
    assert entry.status == "approved"


def test_the_approval_page_counts_no_further_than_it_needs(rworld, monkeypatch):
    """The longest-waiting come first; beyond the counted days the page says "more than"."""
    from bryggan.core.pagination import CappedPaginator
    from bryggan.programme import views_hours

    home = rworld.home
    another = home.rec["hours_submitted"]
    another.pk, another.day = None, another.day - timedelta(days=20)
    another.save()
    waiting = HoursEntry.objects.filter(status="submitted", municipality=home.municipality)
    waiting = waiting.count()
    assert waiting >= 2
    client = home.client(Role.COORDINATOR)
    page = client.get("/programmet/attestera/").content.decode()
    assert "dagars timmar väntar" not in page
    monkeypatch.setattr(views_hours, "APPROVAL_COUNTED", 1)
    monkeypatch.setattr(views_hours, "APPROVAL_PAGE", 1)
    page = client.get("/programmet/attestera/").content.decode()
    assert "Mer än 1 dagars timmar väntar" in page
    assert page.count('name="shown"') == 1
    mine = HoursEntry.objects.filter(status="submitted", municipality=home.municipality)
    paginator = CappedPaginator(mine.order_by("day"), 1, cap=waiting + 5)
    assert (paginator.count, paginator.more, paginator.num_pages) == (waiting, False, waiting)
    capped = CappedPaginator(mine.order_by("day"), 1, cap=1)
    assert (capped.count, capped.more) == (1, True)
