"""The overview at any size: the state kept on each participant (programme/state.py: unit,
until, breaches, needs action) is what the rules say, follows every write in its own
transaction and the daily job, and the overview filters, counts and paginates on it."""

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
from bryggan.programme.hours import RECENT_DAYS, breaches_for
from bryggan.programme.models import EmploymentPeriod, HoursEntry, Participant, Stage
from bryggan.programme.state import refresh
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_kept_state_is_what_the_rules_say_in_the_demo():
    """The overview shows what is kept on each participant; recomputing every rule from the
    records (as ``state.refresh`` does) must give exactly that, in words too."""
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
            records = selectors.participants_queryset(today).filter(
                pk__in=[r.participant.pk for r in rows]
            )
            fresh = {r.participant.pk: r for r in selectors.action_rows(list(records), today)}
            breaches = breaches_for(list(records), today=today, days=RECENT_DAYS)
            for row in rows:
                kept, again = row.participant, fresh[row.participant.pk]
                assert kept.breach_count == len(breaches[kept.pk]) == again.breach_count
                assert row.unit == again.unit and row.until == again.until
                assert row.supervisor_or_mentor == again.supervisor_or_mentor
                assert row.actions == again.actions
                assert [str(a) for a in row.actions] == [str(a) for a in again.actions]
                assert kept.needs_action == bool(row.actions)
                assert kept.state_checked_on == today
        assert len(rows) == everyone.rows.count() > 20
        assert acting == from_database, municipality.slug
        assert 0 < len(acting) < len(rows)
        assert everyone.action_count == flagged.rows.count() == len(acting)
        assert any(r.participant.breach_count for r in rows)
        assert any(r.participant.current_unit_id for r in rows)
        assert any(r.supervisor_or_mentor for r in rows)


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


def _kept(participant: Participant) -> Participant:
    with scopes_disabled():
        return Participant.objects.get(pk=participant.pk)


def _count(participant: Participant) -> int:
    return _kept(participant).breach_count


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


def test_the_daily_job_puts_the_state_right(rworld):
    """Offers run out and weeks close without a write: the daily job refreshes everyone."""
    home = rworld.home
    participant = _student_employee(home)
    refresh([participant.pk])
    right = _kept(participant)
    Participant.objects.filter(pk=participant.pk).update(
        breach_count=3, current_unit=None, current_until=None, needs_action=False
    )
    call_command("programme_daily", stdout=open("/dev/null", "w"))  # noqa: SIM115
    kept = _kept(participant)
    assert (kept.breach_count, kept.current_unit_id, kept.current_until, kept.needs_action) == (
        0,
        home.objects["unit"].pk,
        right.current_until,
        True,  # no summer job yet
    )
    assert kept.state_checked_on == timezone.localdate()
    assert refresh([participant.pk]) == 0  # nothing new


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


def test_moves_summer_jobs_offers_and_sessions_keep_the_state(rworld):
    """After each write the kept state is already what a recount gives (refresh changes
    nothing), and the overview's unit filter follows the move at once."""
    from bryggan.programme import services, services_plan

    home = rworld.home
    coordinator = actor_for(home.user(Role.COORDINATOR))
    calm = _student_employee(home)
    today = timezone.localdate()
    other = f.UnitFactory(department=home.objects["unit"].department, name="Försörjningsstöd")
    with scope(municipality=home.municipality):
        assert refresh([calm.pk]) == 1  # built straight into the database: not yet kept
        assert _kept(calm).needs_action  # no summer job yet
        services.summer_job_add(
            actor=coordinator,
            participant=calm,
            unit=other,
            starts_on=today + timedelta(days=180),
            ends_on=today + timedelta(days=230),
        )
        assert refresh([calm.pk]) == 0 and not _kept(calm).needs_action
        services.step_move(
            actor=coordinator,
            participant=calm,
            stage=Stage.ASPIRANT,
            unit=other,
            mentor=home.objects["staff"],
            starts_on=today,
            ends_on=today + timedelta(days=40),
        )
        kept = _kept(calm)
        assert (kept.current_unit_id, kept.current_until) == (other.pk, today + timedelta(40))
        assert kept.needs_action  # the employment ends within 60 days: offer employment?
        assert refresh([calm.pk]) == 0
        page = home.client(Role.COORDINATOR).get("/programmet/", {"unit": other.pk})
        assert str(calm) in page.content.decode()
        offer = services.offer_issue(
            actor=coordinator,
            participant=_kept(calm),
            unit=other,
            starts_on=today + timedelta(days=50),
            reply_by=today + timedelta(days=7),
            monthly_salary=35_000,
            contact=home.objects["staff"],
        )
        assert refresh([calm.pk]) == 0
        services_plan.session_add(
            actor=actor_for(home.user(Role.SUPERVISOR)),
            participant=_kept(calm),
            kind="mentor",
            held_on=today,
            topics="Första veckan",
        )
        assert refresh([calm.pk]) == 0
        services.offer_answer(actor=coordinator, offer=offer, accept=False)
        assert refresh([calm.pk]) == 0 and _kept(calm).needs_action


@pytest.mark.parametrize("action_only", [False, True])
def test_every_page_of_the_overview_is_the_whole_ordering_sliced(action_only):
    """A page reads only the steps and units it falls in; page after page must still be the
    one ordering of everyone (step, unit, last name, first name), with nobody twice or
    missing, in the overview and its API alike."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    municipality = Municipality.objects.get(slug="sodertalje")
    actor = actor_for(User.objects.get(email="coordinator@sodertalje.demo"))
    with scope(municipality=municipality):
        found = selectors.overview(actor=actor, purpose="test", action_only=action_only)
        whole = list(found.rows._participants.values_list("pk", flat=True))  # one ORDER BY
        assert len(whole) == found.rows.count() > 10
        for size in (1, 7, 50):
            pages = [
                [row.participant.pk for row in found.rows[at : at + size]]
                for at in range(0, len(whole) + size, size)
            ]
            assert [pk for page in pages for pk in page] == whole
        assert [r.participant.pk for r in found.rows[3:3]] == []
        assert found.rows[len(whole) - 1].participant.pk == whole[-1]
        one_step = selectors.overview(actor=actor, purpose="test", stage="practicum")
        expected = list(one_step.rows._participants.values_list("pk", flat=True))
        assert [r.participant.pk for r in one_step.rows[0:1000]] == expected
