"""The introduction plan: a unit's tasks, a supervisor signing off a student's level, and the
legal rule that a student is never independent in a task that requires a social-work degree
(HSLF-FS 2017:79)."""

from __future__ import annotations

import pytest

from bryggan.core.roles import Role
from bryggan.programme.models import TaskItem, TaskSignOff
from bryggan.programme.taskplan import STANDARD_PLAN

pytestmark = pytest.mark.django_db


def test_the_coordinator_starts_a_unit_from_the_standard_plan_and_adds_a_task(rworld):
    home = rworld.home
    unit = home.objects["unit"]
    TaskItem.objects.filter(unit=unit).delete()
    client = home.client(Role.COORDINATOR)
    assert (
        client.post(f"/programmet/enhet/{unit.pk}/plan/", {"action": "standard"}).status_code == 302
    )
    assert TaskItem.objects.filter(unit=unit).count() == len(STANDARD_PLAN)
    assert TaskItem.objects.get(unit=unit, title__startswith="Bedöma om utredning").requires_degree
    again = client.post(f"/programmet/enhet/{unit.pk}/plan/", {"action": "standard"}, follow=True)
    assert "Enheten har redan en plan" in again.content.decode()
    client.post(f"/programmet/enhet/{unit.pk}/plan/", {"title": "Samtal med vårdnadshavare"})
    assert TaskItem.objects.filter(unit=unit, title="Samtal med vårdnadshavare").exists()
    empty = client.post(f"/programmet/enhet/{unit.pk}/plan/", {"title": "  "}, follow=True)
    assert "Ange uppgiften eller kompetensen" in empty.content.decode()
    page = client.get(f"/programmet/enhet/{unit.pk}/plan/").content.decode()
    assert "HSLF-FS 2017:79" in page


def test_the_mentor_signs_off_and_a_degree_task_is_never_independent(rworld):
    home = rworld.home
    alva, visit, investigation = (
        home.rec["participant"],
        home.rec["task_visit"],
        home.rec["task_investigation"],
    )
    mentor = home.client(Role.SUPERVISOR)  # the staff member who mentors Alva
    assert "Alva" in mentor.get("/programmet/mina-studenter/").content.decode()
    path = f"/programmet/deltagare/{alva.pk}/plan/"
    assert mentor.get(path).status_code == 200
    mentor.post(path, {"item": visit.pk, "level": "independent"})
    refused = mentor.post(path, {"item": investigation.pk, "level": "independent"}, follow=True)
    body = refused.content.decode()
    assert "kräver socionomexamen (HSLF-FS 2017:79)" in body
    assert not TaskSignOff.objects.filter(item=investigation).exists()
    mentor.post(path, {"item": investigation.pk, "level": "supervised"})
    levels = dict(TaskSignOff.objects.filter(participant=alva).values_list("item_id", "level"))
    assert levels == {visit.pk: "independent", investigation.pk: "supervised"}
    mine = home.client(Role.STUDENT).get("/programmet/mitt/").content.decode()
    assert "Gjort under handledning" in mine and "Självständigt" in mine


@pytest.mark.parametrize(
    "data",
    [
        {"item": "FOREIGN", "level": "observed"},
        {"item": "x", "level": "observed"},
        {"item": "VISIT", "level": "expert"},
        {"item": "OTHER_UNIT", "level": "observed"},
    ],
)
def test_bad_sign_offs_are_refused(rworld, data):
    from tests import factories as f

    home = rworld.home
    other = TaskItem.objects.create(
        municipality=home.municipality,
        title="Annan enhet",
        position=1,
        unit=f.UnitFactory(department=home.objects["department"], name="Annan"),
    )
    values = {
        "FOREIGN": rworld.foreign.rec["task_visit"].pk,
        "VISIT": home.rec["task_visit"].pk,
        "OTHER_UNIT": other.pk,
    }
    data = {k: values.get(v, v) for k, v in data.items()}
    before = TaskSignOff.objects.count()
    response = home.client(Role.SUPERVISOR).post(
        f"/programmet/deltagare/{home.rec['participant'].pk}/plan/", data, follow=True
    )
    assert 'class="message error"' in response.content.decode()
    assert TaskSignOff.objects.count() == before


def test_only_the_students_supervisors_and_the_coordinator_sign(rworld):
    home = rworld.home
    path = f"/programmet/deltagare/{home.rec['participant'].pk}/plan/"
    assert home.client(Role.MENTOR).get(path).status_code == 404  # mentors someone else
    assert home.client(Role.STUDENT).get(path).status_code == 403
    assert home.client(Role.COORDINATOR).get(path).status_code == 200
    assert home.client(Role.STUDENT).get("/programmet/mina-studenter/").status_code == 403


def test_the_supervisor_records_sessions_and_overdue_ones_need_action(rworld):
    from datetime import timedelta

    from django.utils import timezone

    from bryggan.programme.models import SupervisionSession

    home = rworld.home
    alva = home.rec["participant"]
    overview = home.client(Role.COORDINATOR).get("/programmet/").content.decode()
    assert "Ett mentorsmöte är försenat: det senaste var aldrig" in overview
    mentor = home.client(Role.SUPERVISOR)
    path = f"/programmet/deltagare/{alva.pk}/plan/"
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    for bad, message in (
        ({"kind": "mentor", "held_on": day, "topics": " "}, "Ange ämnena"),
        ({"kind": "coffee", "held_on": day, "topics": "x"}, "Välj handledning eller mentorsmöte"),
        ({"kind": "mentor", "held_on": "igår", "topics": "x"}, "ÅÅÅÅ-MM-DD"),
        ({"kind": "mentor", "held_on": "2999-01-01", "topics": "x"}, "som har ägt rum"),
    ):
        body = mentor.post(path, {"action": "session", **bad}, follow=True).content.decode()
        assert message in body, bad
    assert not SupervisionSession.objects.exists()
    mentor.post(
        path,
        {
            "action": "session",
            "kind": "mentor",
            "held_on": day,
            "topics": "Första månaden",
            "notes": "Trivs, vill pröva utredning.",
        },
    )
    session = SupervisionSession.objects.get(participant=alva)
    assert session.staff == home.objects["staff"]
    assert (
        "Trivs, vill pröva utredning."
        in home.client(Role.STUDENT).get("/programmet/mitt/").content.decode()
    )
    assert (
        "Trivs, vill pröva utredning."
        in home.client(Role.COORDINATOR).get(f"/programmet/deltagare/{alva.pk}/").content.decode()
    )
    overview = home.client(Role.COORDINATOR).get("/programmet/").content.decode()
    assert "mentorsmöte är försenat" not in overview
    # Someone who does not mentor her can neither read the notes nor record a session.
    other = home.client(Role.MENTOR)
    assert other.get(path).status_code == 404
    assert (
        other.post(
            path, {"action": "session", "kind": "mentor", "held_on": day, "topics": "x"}
        ).status_code
        == 404
    )
    assert SupervisionSession.objects.count() == 1


def test_overdue_sessions_remind_the_mentor_once_a_week(rworld, mailoutbox):
    from django.core.management import call_command

    from bryggan.programme.tasks import send_session_reminder

    home = rworld.home
    staff = home.objects["staff"]
    staff.email = "mentor@example.se"
    staff.save()
    alva = home.rec["participant"]
    assert send_session_reminder.call(alva.pk) is True
    assert mailoutbox[0].to == ["mentor@example.se"]
    assert "mentorsmöte är försenat" in mailoutbox[0].body
    assert send_session_reminder.call(alva.pk) is False
    call_command("programme_daily", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_theses_are_registered_and_listed_and_bad_input_refused(rworld):
    from bryggan.programme.models import Thesis

    home = rworld.home
    alva = home.rec["participant"]
    client = home.client(Role.COORDINATOR)
    path = f"/programmet/deltagare/{alva.pk}/uppsats/"
    bad = client.post(
        path,
        {
            "thesis-title": "",
            "thesis-university_supervisor": "x",
            "thesis-unit_contact": rworld.foreign.objects["staff"].pk,
            "thesis-status": "ongoing",
        },
    )
    assert bad.status_code == 400 and "Välj ett giltigt alternativ" in bad.content.decode()
    assert not Thesis.objects.exists()
    good = {
        "thesis-title": "Barns delaktighet i utredningar",
        "thesis-university_supervisor": "Docent Eva Ek",
        "thesis-unit_contact": home.objects["staff"].pk,
        "thesis-status": "ongoing",
    }
    assert client.post(path, good).status_code == 302
    assert client.post(path, good | {"thesis-status": "submitted"}).status_code == 302
    assert Thesis.objects.get().status == "submitted"  # updated, not duplicated
    listing = client.get("/programmet/uppsatser/").content.decode()
    assert "Barns delaktighet i utredningar" in listing and "Docent Eva Ek" in listing
    assert home.client(Role.SUPERVISOR).get("/programmet/uppsatser/").status_code == 403
