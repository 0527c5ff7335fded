"""Sending hours back: the approver sends chosen days back with a reason, the student reads it
(on their page and their home page) and corrects the day by logging it again, and it comes
back for approval. The same approvers as approving, permission before state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bryggan.core.roles import Role
from bryggan.programme.models import HoursEntry, HoursStatus

pytestmark = pytest.mark.django_db


def _two_days(world) -> tuple[HoursEntry, HoursEntry]:
    rec = world.home.rec
    first = rec["hours_submitted"]
    second = HoursEntry.objects.create(
        municipality=world.home.municipality,
        participant=rec["participant"],
        day=timezone.localdate() - timedelta(days=2),
        hours=8,
        activity="Utredning",
        kind="aspirant",
    )
    return first, second


def test_the_supervisor_sends_a_day_back_and_the_student_corrects_it(rworld):
    first, second = _two_days(rworld)
    supervisor = rworld.home.client(Role.SUPERVISOR)
    response = supervisor.post(
        "/programmet/attestera/",
        {"entries": [second.pk], "action": "return", "reason": "Du var ledig den dagen."},
        follow=True,
    )
    assert "1 dagar med timmar skickades tillbaka" in response.content.decode()
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.status, second.return_reason) == (
        HoursStatus.RETURNED,
        "Du var ledig den dagen.",
    )
    assert first.status == HoursStatus.SUBMITTED  # only what was chosen

    student = rworld.home.client(Role.STUDENT)
    page = student.get("/programmet/mitt/").content.decode()
    assert "skickades tillbaka" in page and "Du var ledig den dagen." in page
    home = student.get("/").content.decode()
    assert "1 dag med timmar skickades tillbaka: rätta den" in home

    corrected = student.post(
        "/programmet/mitt/timmar/",
        {"day": second.day.isoformat(), "hours": "2", "activity": "Halvdag, utredning"},
    )
    assert corrected.status_code == 302
    second.refresh_from_db()
    assert (second.status, second.hours, second.return_reason) == (
        HoursStatus.SUBMITTED,
        2,
        "",
    )
    assert HoursEntry.objects.filter(participant=second.participant, day=second.day).count() == 1
    approved = supervisor.post("/programmet/attestera/", {"entries": [second.pk]}, follow=True)
    assert "1 dagars timmar attesterade" in approved.content.decode()


@pytest.mark.parametrize(
    "reason, message",
    [
        ("", "Skriv varför"),
        ("  ", "Skriv varför"),
        ("x" * 301, "Högst 300 tecken"),
        ("Klienten 19121212-1212 var med", "Ta bort personnumret"),
    ],
)
def test_a_day_is_not_sent_back_without_a_reason(rworld, reason, message):
    _first, second = _two_days(rworld)
    response = rworld.home.client(Role.SUPERVISOR).post(
        "/programmet/attestera/",
        {"entries": [second.pk], "action": "return", "reason": reason},
        follow=True,
    )
    assert message in response.content.decode()
    second.refresh_from_db()
    assert second.status == HoursStatus.SUBMITTED and not second.return_reason


def test_a_day_sent_back_is_not_approved_until_corrected(rworld):
    _first, second = _two_days(rworld)
    supervisor = rworld.home.client(Role.SUPERVISOR)
    supervisor.post(
        "/programmet/attestera/",
        {"entries": [second.pk], "action": "return", "reason": "Fel dag"},
    )
    response = supervisor.post("/programmet/attestera/", {"entries": [second.pk]}, follow=True)
    assert "skickade tillbaka till studenten" in response.content.decode()
    second.refresh_from_db()
    assert second.status == HoursStatus.RETURNED


@pytest.mark.parametrize("role", [Role.STUDENT, Role.UNIT_MANAGER, Role.UNIVERSITY_CONTACT])
def test_only_approvers_send_hours_back(rworld, role):
    _first, second = _two_days(rworld)
    response = rworld.home.client(role).post(
        "/programmet/attestera/",
        {"entries": [second.pk], "action": "return", "reason": "Nej"},
    )
    assert response.status_code in (302, 403, 404)
    second.refresh_from_db()
    assert second.status == HoursStatus.SUBMITTED


def test_sending_back_through_the_api(rworld):
    first, second = _two_days(rworld)
    client = rworld.home.client(Role.SUPERVISOR)
    url = "/api/programme/hours/return"
    sent = client.post(
        url, {"entries": [second.pk], "reason": "Fel dag"}, content_type="application/json"
    )
    assert sent.status_code == 200 and sent.json() == {"count": 1}
    empty = client.post(url, {"entries": [first.pk], "reason": ""}, content_type="application/json")
    assert empty.status_code == 422 and "reason" in empty.json()["errors"]
    foreign = rworld.foreign.rec["hours_submitted"]
    missing = client.post(
        url, {"entries": [foreign.pk], "reason": "Fel"}, content_type="application/json"
    )
    assert missing.status_code == 404
    first.refresh_from_db()
    foreign.refresh_from_db()
    assert first.status == foreign.status == HoursStatus.SUBMITTED
