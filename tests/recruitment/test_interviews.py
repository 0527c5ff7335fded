"""Interview slots, booking from the private link, calendar invites and reminders.

The invites are read back with the icalendar library: a stable UID per interview, SEQUENCE
raised on every change, METHOD:REQUEST or METHOD:CANCEL, times in Europe/Stockholm with its
VTIMEZONE (RFC 5545/5546).
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_scopes import scope
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from bryggan.core.roles import Role
from bryggan.recruitment import interviews, links
from bryggan.recruitment.models import Interview, InterviewSlot
from bryggan.recruitment.tasks import send_interview_reminder

pytestmark = pytest.mark.django_db


def _invites(mailoutbox, to: str) -> list[Calendar]:
    found = []
    for mail in mailoutbox:
        if to in mail.to:
            for _name, content, _mimetype in mail.attachments:
                found.append(Calendar.from_ical(content))
    return found


def _event(cal: Calendar):
    return next(c for c in cal.walk("VEVENT"))


def _fresh(world):
    rec = world.home.rec
    rec["interview"].delete()
    return rec["application"], rec["slot"], rec["free_slot"]


def test_coordinator_publishes_a_slot_and_bad_slots_are_refused(rworld):
    client = rworld.home.client(Role.COORDINATOR)
    posting = rworld.home.rec["posting"]
    staff = rworld.home.objects["staff"]
    url = f"/rekrytering/annons/{posting.pk}/tider/"
    count = InterviewSlot.objects.count()
    ok = client.post(
        url,
        {
            "starts_at": "2027-01-12T09:00",
            "ends_at": "2027-01-12T10:00",
            "location": "Rum 3",
            "interviewers": [staff.pk],
        },
    )
    assert ok.status_code == 302
    assert InterviewSlot.objects.count() == count + 1
    for bad, message in (
        (
            {
                "starts_at": "2027-01-12T09:00",
                "ends_at": "2027-01-12T08:00",
                "location": "Rum",
                "interviewers": [staff.pk],
            },
            "Intervjun måste sluta efter att den börjar",
        ),
        (
            {
                "starts_at": "2027-01-12T09:00",
                "ends_at": "2027-01-12T10:00",
                "interviewers": [staff.pk],
            },
            "Ange en plats eller en videolänk",
        ),
        (
            {
                "starts_at": "2027-01-12T09:00",
                "ends_at": "2027-01-12T10:00",
                "location": "Rum",
                "interviewers": [rworld.foreign.objects["staff"].pk],
            },
            "Välj ett giltigt alternativ",
        ),
        (
            {
                "starts_at": "igår",
                "ends_at": "",
                "video_link": "not a url",
                "location": "",
                "interviewers": [],
            },
            "Fyll i en giltig URL",
        ),
    ):
        response = client.post(url, bad)
        assert response.status_code == 400
        assert message in response.content.decode(), message
    assert InterviewSlot.objects.count() == count + 1


def test_book_move_cancel_produce_invites_calendars_understand(
    rworld, mailoutbox, django_capture_on_commit_callbacks
):
    application, slot, free_slot = _fresh(rworld)
    token = links.make_token(application)
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(f"/ansokan/{token}/boka/", {"slot": slot.pk})
    assert response.status_code == 302
    interview = Interview.objects.get(application=application, status="booked")
    first = _invites(mailoutbox, application.person.email)
    assert len(first) == 1
    cal = first[0]
    event = _event(cal)
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == interview.uid
    assert int(event["SEQUENCE"]) == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event.decoded("DTSTART") == slot.starts_at.replace(microsecond=0)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    attendees = {str(a) for a in event.get("ATTENDEE")}
    assert f"mailto:{application.person.email}" in attendees
    # The interviewer got the same invite, and now sees the application.
    staff = rworld.home.objects["staff"]
    interviewer_email = staff.email or staff.user.email
    assert _invites(mailoutbox, interviewer_email)
    assert application.shared_with.filter(pk=staff.pk).exists()

    # The same .ics from the private page.
    ics = Client().get(f"/ansokan/{token}/intervju.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert str(_event(Calendar.from_ical(ics.content))["UID"]) == interview.uid

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"/ansokan/{token}/boka/", {"slot": free_slot.pk})
    moved = _event(_invites(mailoutbox, application.person.email)[0])
    assert str(moved["UID"]) == interview.uid
    assert int(moved["SEQUENCE"]) == 1
    assert moved.decoded("DTSTART") == free_slot.starts_at.replace(microsecond=0)

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"/ansokan/{token}/avboka/")
    cancel = _invites(mailoutbox, application.person.email)[0]
    assert str(cancel["METHOD"]) == "CANCEL"
    assert str(_event(cancel)["UID"]) == interview.uid
    assert int(_event(cancel)["SEQUENCE"]) == 2
    assert str(_event(cancel)["STATUS"]) == "CANCELLED"


def test_booking_bad_input(rworld):
    application, slot, _free = _fresh(rworld)
    token = links.make_token(application)
    foreign_slot = rworld.foreign.rec["free_slot"]
    for value in ("", "abc", str(foreign_slot.pk), "99999999"):
        response = Client().post(f"/ansokan/{token}/boka/", {"slot": value})
        assert response.status_code == 400
        assert "Välj en av de visade tiderna" in response.content.decode()
    application.stage = "screening"
    application.save()
    response = Client().post(f"/ansokan/{token}/boka/", {"slot": slot.pk})
    assert response.status_code == 400
    assert "när du har blivit inbjuden" in response.content.decode()
    assert not Interview.objects.filter(application=application).exists()


def test_a_booked_slot_cannot_be_booked_again(rworld):
    rec = rworld.home.rec
    from bryggan.recruitment.models import Stage
    from tests.recruitment.test_board import _applications

    other = _applications(rworld, 1, stage=Stage.INTERVIEW)[0]
    token = links.make_token(other)
    response = Client().post(f"/ansokan/{token}/boka/", {"slot": rec["slot"].pk})
    assert response.status_code == 400
    assert (
        "Någon annan har just bokat" in response.content.decode()
        or "Välj en av de visade tiderna" in response.content.decode()
    )
    assert not Interview.objects.filter(application=other).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent sessions")
def test_two_applicants_booking_one_slot_at_once_one_wins(rworld):
    from bryggan.recruitment.models import Stage
    from tests.recruitment.test_board import _applications

    slot = rworld.home.rec["free_slot"]
    applicants = _applications(rworld, 2, stage=Stage.INTERVIEW)
    barrier = threading.Barrier(2)
    results = []

    def book(application):
        from django.db import connections

        try:
            barrier.wait()
            with scope(municipality=application.municipality_id):
                interviews.interview_book(application=application, slot_id=slot.pk)
            results.append("ok")
        except Exception as error:
            results.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(a,)) for a in applicants]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["InvalidInputError", "ok"]
    assert Interview.objects.filter(slot=slot, status="booked").count() == 1


def test_a_reminder_is_queued_for_the_day_before_and_sent_once(
    rworld, mailoutbox, django_capture_on_commit_callbacks
):
    application, slot, _free = _fresh(rworld)
    with django_capture_on_commit_callbacks(execute=True):
        interview = interviews.interview_book(application=application, slot_id=slot.pk)
    queued = DBTaskResult.objects.get(task_path__endswith="send_interview_reminder")
    assert abs(queued.run_after - (slot.starts_at - timedelta(days=1))) < timedelta(seconds=1)
    assert queued.args_kwargs["args"] == [interview.pk, 0]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_interview_reminder.call(interview.pk, 0) is True
    assert len(mailoutbox) == 1 and "Påminnelse" in mailoutbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        assert send_interview_reminder.call(interview.pk, 0) is False  # already reminded
        assert send_interview_reminder.call(interview.pk, 7) is False  # an older version
    assert len(mailoutbox) == 1


def test_the_day_before_is_stockholm_time_and_past_slots_are_not_offered(rworld):
    application, slot, free_slot = _fresh(rworld)
    free_slot.starts_at = timezone.now() - timedelta(hours=1)
    free_slot.ends_at = timezone.now()
    free_slot.save()
    offered = list(interviews.free_slots(application))
    assert offered == [slot]
