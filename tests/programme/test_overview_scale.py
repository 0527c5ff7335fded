"""The overview at any size: who needs action is decided by the database (``needs_action_q``)
and by the rows (``needs_action``) alike, the breach count kept on each participant follows
every write in its own transaction, and the overview filters, counts and paginates in the
database."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from bryggan.core.errors import InvalidInputError
from bryggan.core.models import Municipality, Person, User
from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from bryggan.programme import selectors, services_hours
from bryggan.programme.hours import RECENT_DAYS, breaches_for, refresh_breach_state
from bryggan.programme.models import EmploymentPeriod, HoursEntry, Participant, Stage

pytestmark = pytest.mark.django_db


def test_the_database_and_the_rows_agree_on_who_needs_action_in_the_demo():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    today = timezone.localdate()
    for municipality in Municipality.objects.all():
        actor = actor_for(User.objects.get(email=f"coordinator@{municipality.slug}.demo"))
        with scope(municipality=municipality):
            everyone = selectors.overview(actor=actor, purpose="test")
            rows = list(everyone.rows)
            acting = {r.participant.pk for r in rows if r.actions}
            flagged = selectors.overview(actor=actor, purpose="test", action_only=True)
            from_database = {r.participant.pk for r in flagged.rows}
            # The stored counts are those the rules give today.
            fresh = breaches_for([r.participant for r in rows], today=today, days=RECENT_DAYS)
            for row in rows:
                assert row.participant.breach_count == len(fresh[row.participant.pk])
        assert len(rows) == everyone.rows.count() > 20
        assert acting == from_database, municipality.slug
        assert 0 < len(acting) < len(rows)
        assert everyone.action_count == flagged.rows.count() == len(acting)
        assert any(r.participant.breach_count for r in rows)


def _student_employee(home) -> Participant:
    today = timezone.localdate()
    person = Person.objects.create(
        municipality=home.municipality, first_name="Sara", last_name="Steg", email="s@e.se"
    )
    participant = Participant.objects.create(
        municipality=home.municipality,
        person=person,
        stage=Stage.STUDENT_EMPLOYEE,
        stage_since=today - timedelta(days=30),
    )
    EmploymentPeriod.objects.create(
        municipality=home.municipality,
        participant=participant,
        kind=Stage.STUDENT_EMPLOYEE,
        unit=home.objects["unit"],
        mentor=home.objects["staff"],
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=200),
    )
    return participant


def _count(participant: Participant) -> int:
    with scopes_disabled():
        return Participant.objects.get(pk=participant.pk).breach_count


def test_the_breach_count_follows_each_write_in_its_transaction(rworld):
    home = rworld.home
    participant = _student_employee(home)
    coordinator = actor_for(home.user(Role.COORDINATOR))
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday() + 7)  # last week, Monday
    with scope(municipality=home.municipality):
        services_hours.hours_log(
            actor=coordinator, participant=participant, day=monday, hours="9", activity="a"
        )
        assert _count(participant) == 0
        services_hours.hours_log(
            actor=coordinator,
            participant=participant,
            day=monday + timedelta(days=1),
            hours="9",
            activity="b",
        )
        assert _count(participant) == 1  # 18 hours: above step 2's 16
        flagged = selectors.overview(actor=coordinator, purpose="test", action_only=True)
        assert participant.pk in {r.participant.pk for r in flagged.rows}
        # The rules change: 20 hours allowed, so the week is no longer a breach.
        services_hours.rules_save(
            actor=coordinator, values={"student_employee_weekly_maximum": Decimal(20)}
        )
        assert _count(participant) == 0
        services_hours.rules_save(
            actor=coordinator, values={"student_employee_weekly_maximum": Decimal(16)}
        )
        assert _count(participant) == 1
        # The mentor's approval is their decision on the week: it is not flagged again.
        ids = list(HoursEntry.objects.filter(participant=participant).values_list("pk", flat=True))
        services_hours.hours_approve(actor=coordinator, entry_ids=ids)
        assert _count(participant) == 0


def test_a_failed_write_leaves_the_count_as_it_was(rworld):
    home = rworld.home
    participant = _student_employee(home)
    coordinator = actor_for(home.user(Role.COORDINATOR))
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday() + 7)
    with scope(municipality=home.municipality):
        services_hours.hours_log(
            actor=coordinator, participant=participant, day=monday, hours="17", activity="a"
        )
        assert _count(participant) == 1
        good = f"s@e.se,{monday + timedelta(days=1)},5,x"
        text = f"email,date,hours,activity\n{good}\ns@e.se,bad,5,x\n"
        with pytest.raises(InvalidInputError) as refused:
            services_hours.hours_import(actor=coordinator, text=text)
        assert list(refused.value.errors) == ["rad 3"]
        assert _count(participant) == 1
        assert HoursEntry.objects.filter(participant=participant).count() == 1


def test_the_daily_job_recounts_as_weeks_end(rworld):
    """A week without a write becomes a breach when it ends: the daily job recounts."""
    home = rworld.home
    participant = _student_employee(home)
    Participant.objects.filter(pk=participant.pk).update(breach_count=3)
    call_command("programme_daily", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _count(participant) == 0
    with scopes_disabled():
        assert Participant.objects.get(pk=participant.pk).breaches_checked_on == (
            timezone.localdate()
        )
    assert refresh_breach_state([participant.pk]) == 0  # nothing new


def test_the_overview_filters_to_those_who_need_action_and_pages(rworld):
    home = rworld.home
    client = home.client(Role.COORDINATOR)
    alva = home.rec["participant"]  # an aspirant without a summer job: needs action
    calm = _student_employee(home)
    EmploymentPeriod.objects.create(
        municipality=home.municipality,
        participant=calm,
        kind="summer_job",
        unit=home.objects["unit"],
        starts_on=timezone.localdate() + timedelta(days=100),
        ends_on=timezone.localdate() + timedelta(days=150),
    )
    every = client.get("/programmet/").content.decode()
    assert str(alva) in every and str(calm) in every
    acting = client.get("/programmet/", {"action": "1"}).content.decode()
    assert str(alva) in acting and str(calm) not in acting
    assert 'id="f-action" name="action" value="1" checked' in acting
    # A value that is not "1" is no filter, never an error.
    assert client.get("/programmet/", {"action": "yes'--"}).status_code == 200
    api = client.get("/api/programme/participants", {"needs_action": "true"}).json()
    assert {p["id"] for p in api["items"]} == {alva.pk}
    assert api["count"] == 1
    bad = client.get("/api/programme/participants", {"needs_action": "maybe"})
    assert bad.status_code == 422 and bad.json()["detail"]
    for page in ("0", "-1", "x", "99999"):
        assert client.get("/programmet/", {"page": page}).status_code == 200
