"""The broad introduction's services: planning through the capacity owner, re-planning that
keeps the past and tells the new hires, and every kind of bad input refused with a clear
message and nothing written."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from django.core import mail
from django_scopes import scopes_disabled

from bryggan.core.errors import InvalidInputError
from bryggan.introduction import services
from bryggan.introduction.models import (
    Absence,
    Block,
    Cohort,
    CohortMember,
    IntroductionProgramme,
    ScheduleChange,
    UnitPlaces,
)
from bryggan.organisation.capacity import CapacityError, take_place, weekly_free_places
from tests import factories as f
from tests.introduction_data import START, build_introduction

pytestmark = pytest.mark.django_db


@pytest.fixture
def intro(world):
    return build_introduction(world.home)


def _blocks(cohort):
    with scopes_disabled():
        return list(Block.objects.filter(member__cohort=cohort).order_by("member_id", "start_week"))


def _snapshot(cohort) -> tuple:
    with scopes_disabled():
        return (
            sorted(
                Block.objects.filter(member__cohort=cohort).values_list(
                    "pk", "supervisor_id", "start_week"
                )
            ),
            Absence.objects.filter(cohort=cohort).count(),
            CohortMember.objects.filter(cohort=cohort).count(),
            ScheduleChange.objects.count(),
            Cohort.objects.get(pk=cohort.pk).plan_status,
        )


def test_plan_covers_every_area_once_within_capacity(intro):
    cohort = intro["cohort"]
    outcome = services.plan(actor=intro["actor"], cohort=cohort, today=START)
    assert outcome.status == "optimal"
    assert outcome.shortages == []
    blocks = _blocks(cohort)
    assert len(blocks) == 6 * 3
    by_member: dict[int, list[Block]] = {}
    for block in blocks:
        by_member.setdefault(block.member_id, []).append(block)
    for member_blocks in by_member.values():
        assert len({b.area_id for b in member_blocks}) == 3
        # back to back from week 0 to the last, no gap
        weeks = sorted((b.start_week, b.end_week) for b in member_blocks)
        assert weeks[0][0] == 0 and weeks[-1][1] == 6
        assert all(a[1] == b[0] for a, b in itertools.pairwise(weeks))
        for b in member_blocks:
            assert b.supervisor.unit_id == b.unit_id
            assert b.starts_on == START + timedelta(weeks=b.start_week)
    # no supervisor over capacity (2) in any week, no unit over its places (2)
    for week in range(6):
        monday = START + timedelta(weeks=week)
        in_week = [b for b in blocks if b.starts_on <= monday <= b.ends_on]
        for key in ("supervisor_id", "unit_id"):
            counts: dict[int, int] = {}
            for b in in_week:
                counts[getattr(b, key)] = counts.get(getattr(b, key), 0) + 1
            assert max(counts.values()) <= 2
    cohort.refresh_from_db()
    assert cohort.plan_status == "optimal" and cohort.planned_at is not None


def test_hires_use_the_same_supervisor_places_as_students(intro, world):
    """One owner of capacity: a supervisor full with new hires takes no student, and the
    places left for a second cohort are what the first did not use."""
    services.plan(actor=intro["actor"], cohort=intro["cohort"], today=START)
    blocks = _blocks(intro["cohort"])
    sup = blocks[0].supervisor
    mondays = [START + timedelta(weeks=w) for w in range(6)]
    with scopes_disabled():
        used = [
            sum(1 for b in blocks if b.supervisor_id == sup.pk and b.starts_on <= m <= b.ends_on)
            for m in mondays
        ]
        free = weekly_free_places(supervisor_ids=[sup.pk], mondays=mondays)[sup.pk]
        assert free == [2 - n for n in used]
        # The planned cohort itself is left out when it is planned again.
        again = weekly_free_places(
            supervisor_ids=[sup.pk], mondays=mondays, exclude=intro["cohort"]
        )
        assert again[sup.pk] == [2] * 6
    term = world.home.objects["term"]
    from django.db import transaction

    if max(used) == 2:
        with transaction.atomic(), pytest.raises(CapacityError):
            take_place(supervisor=sup, term=term)
    else:
        with transaction.atomic():
            assert take_place(supervisor=sup, term=term).used == max(used) + 1


def test_capacity_too_small_is_explained_not_solved(world):
    intro = build_introduction(world.home, hires=14)
    cohort = intro["cohort"]
    before = _snapshot(cohort)
    outcome = services.plan(actor=intro["actor"], cohort=cohort, today=START)
    assert outcome.status == "infeasible"
    assert outcome.seconds < 1.0
    assert outcome.shortages
    first = outcome.shortages[0]
    # 14 hires, 3 areas × 2 units × 2 places: 12 places a week
    assert first["kind"] == "week" and first["missing"] == 2
    assert first["weeks"] == [1, 2, 3, 4, 5, 6]
    assert _blocks(cohort) == []
    cohort.refresh_from_db()
    assert cohort.plan_status == "infeasible" and cohort.shortages == outcome.shortages
    assert before[:4] == _snapshot(cohort)[:4]


def test_a_supervisor_shortage_names_who_and_which_weeks(intro):
    """The totals fit, but the first area's supervisors are all away in weeks 2–4: a
    two-week block there can then only start in week 5, where four places meet six hires.
    The answer names the supervisors or units short and the weeks."""
    cohort = intro["cohort"]
    area_units = {u.pk for u in intro["units"][:2]}
    for sup in [s for s in intro["supervisors"] if s.unit_id in area_units]:
        services.absence_add(
            actor=intro["actor"],
            cohort=cohort,
            staff=sup,
            starts_on=START + timedelta(weeks=1),
            ends_on=START + timedelta(weeks=3, days=4),
        )
    outcome = services.plan(actor=intro["actor"], cohort=cohort, today=START)
    assert outcome.status == "infeasible"
    assert outcome.shortages
    names = {str(u) for u in intro["units"][:2]} | {
        str(s) for s in intro["supervisors"] if s.unit_id in area_units
    }
    for shortage in outcome.shortages:
        assert shortage["kind"] in ("unit", "supervisor")
        assert shortage["what"] in names
        assert set(shortage["weeks"]) & {2, 3, 4}
        assert shortage["missing"] >= 1
    assert _blocks(cohort) == []


def test_replan_keeps_the_past_and_tells_who_changed(intro, django_capture_on_commit_callbacks):
    actor, cohort = intro["actor"], intro["cohort"]
    services.plan(actor=actor, cohort=cohort, today=START)
    before = {(b.member_id, b.area_id): b for b in _blocks(cohort)}
    today = START + timedelta(weeks=2, days=2)  # week 3 under way
    # The supervisor of a block running now falls ill for the rest of the cohort.
    running = next(b for b in before.values() if b.start_week <= 2 < b.end_week)
    services.absence_add(
        actor=actor,
        cohort=cohort,
        staff=running.supervisor,
        starts_on=today,
        ends_on=cohort.ends_on,
        note="Sjukskriven",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.plan(actor=actor, cohort=cohort, today=today, reason="Handledare sjuk")
    assert outcome.status in ("optimal", "feasible")
    after = {(b.member_id, b.area_id): b for b in _blocks(cohort)}
    for key, old in before.items():
        new = after[key]
        if old.start_week < 2:  # begun before this week: where and when stay
            assert (new.unit_id, new.start_week) == (old.unit_id, old.start_week)
        if old.end_week <= 2:  # wholly past: even the supervisor stays
            assert new.supervisor_id == old.supervisor_id
        if new.end_week > 2:
            assert new.supervisor_id != running.supervisor_id
    replaced = after[(running.member_id, running.area_id)]
    assert replaced.supervisor_id != running.supervisor_id
    assert outcome.told >= 1
    with scopes_disabled():
        change = ScheduleChange.objects.get(member_id=running.member_id)
    assert any(str(replaced.supervisor) in line for line in change.lines)
    assert change.reason == "Handledare sjuk"
    told = [m for m in mail.outbox if running.member.staff.email in m.to]
    assert len(told) == 1 and str(replaced.supervisor) in told[0].body


def test_a_replan_that_would_change_past_weeks_is_refused(intro):
    actor, cohort = intro["actor"], intro["cohort"]
    services.plan(actor=actor, cohort=cohort, today=START)
    before = _snapshot(cohort)
    with pytest.raises(InvalidInputError) as refused:
        services.plan(actor=actor, cohort=cohort, today=START + timedelta(weeks=3), from_date=START)
    assert "already begun" in str(refused.value.errors) or "redan" in str(refused.value.errors)
    assert _snapshot(cohort) == before


def test_a_leaver_frees_their_places_and_the_rest_is_replanned(intro):
    actor, cohort = intro["actor"], intro["cohort"]
    services.plan(actor=actor, cohort=cohort, today=START)
    leaver = intro["members"][0]
    left_on = START + timedelta(weeks=1, days=2)
    services.member_leave(actor=actor, member=leaver, on=left_on)
    with scopes_disabled():
        remaining = list(Block.objects.filter(member=leaver))
    assert remaining and all(b.starts_on <= left_on and b.ends_on <= left_on for b in remaining)
    outcome = services.plan(actor=actor, cohort=cohort, today=left_on)
    assert outcome.status in ("optimal", "feasible")
    with scopes_disabled():
        assert Block.objects.filter(member=leaver).count() == len(remaining)
    with pytest.raises(InvalidInputError):
        services.member_leave(actor=actor, member=leaver, on=left_on)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"weeks": 16, "block_weeks": 5}, "block_weeks"),  # 3 × 5 ≠ 16
        ({"weeks": 16, "lengths": [6, 6, 6]}, "areas"),
        ({"weeks": 16, "lengths": [8, 8]}, "areas"),
        ({"weeks": 0}, "weeks"),
        ({"weeks": 2}, "departments"),  # three areas in two weeks
        ({"name": "  "}, "name"),
    ],
)
def test_a_malformed_programme_is_refused(intro, kwargs, field):
    departments = [a.department for a in intro["programme"].areas.all()]
    arguments = {"name": "Ny", "departments": departments, **kwargs}
    with scopes_disabled():
        before = IntroductionProgramme.objects.count()
    with pytest.raises(InvalidInputError) as refused:
        services.programme_create(actor=intro["actor"], **arguments)
    assert field in refused.value.errors
    with scopes_disabled():
        assert IntroductionProgramme.objects.count() == before


def test_sixteen_weeks_three_areas_default_to_six_five_five(world):
    intro = build_introduction(world.home, hires=0, weeks=6)
    departments = [a.department for a in intro["programme"].areas.all()]
    created = services.programme_create(
        actor=intro["actor"], name="Sexton veckor", departments=departments
    )
    assert [a.weeks for a in created.areas.all()] == [6, 5, 5]


def test_bad_capacity_and_cohort_input(intro, world):
    actor, programme = intro["actor"], intro["programme"]
    unit = intro["units"][0]
    with scopes_disabled():
        before = list(UnitPlaces.objects.values_list("pk", "places"))
    with pytest.raises(InvalidInputError) as refused:
        services.places_set(actor=actor, programme=programme, unit=unit, places=-1)
    assert refused.value.errors["places"]
    outside = world.home.objects["unit"]  # a unit of no area of the programme
    with pytest.raises(InvalidInputError):
        services.places_set(actor=actor, programme=programme, unit=outside, places=1)
    with scopes_disabled():
        assert list(UnitPlaces.objects.values_list("pk", "places")) == before
    with pytest.raises(InvalidInputError) as refused:
        services.cohort_create(
            actor=actor, programme=programme, name="Tisdag", starts_on=date(2026, 9, 8)
        )
    assert "starts_on" in refused.value.errors


def test_a_hire_twice_or_in_two_overlapping_cohorts_is_refused(intro):
    actor, cohort = intro["actor"], intro["cohort"]
    member = intro["members"][0]
    with pytest.raises(InvalidInputError) as refused:
        services.member_add(actor=actor, cohort=cohort, staff=member.staff)
    assert "redan" in str(refused.value.errors) or "already" in str(refused.value.errors)
    overlapping = services.cohort_create(
        actor=actor,
        programme=intro["programme"],
        name="Överlappande",
        starts_on=START + timedelta(weeks=3),
    )
    with pytest.raises(InvalidInputError) as refused:
        services.member_add(actor=actor, cohort=overlapping, staff=member.staff)
    assert str(cohort) in str(refused.value.errors)
    later = services.cohort_create(
        actor=actor,
        programme=intro["programme"],
        name="Senare",
        starts_on=START + timedelta(weeks=6),
    )
    assert services.member_add(actor=actor, cohort=later, staff=member.staff).pk
    with scopes_disabled():
        assert CohortMember.objects.filter(cohort=overlapping).count() == 0


def test_an_absence_outside_the_cohort_is_refused(intro):
    actor, cohort = intro["actor"], intro["cohort"]
    sup = intro["supervisors"][0]
    for starts_on, ends_on in (
        (START - timedelta(days=7), START + timedelta(days=3)),
        (cohort.ends_on, cohort.ends_on + timedelta(days=1)),
        (START + timedelta(days=10), START + timedelta(days=3)),  # ends before it starts
    ):
        with pytest.raises(InvalidInputError):
            services.absence_add(
                actor=actor, cohort=cohort, staff=sup, starts_on=starts_on, ends_on=ends_on
            )
    with scopes_disabled():
        assert Absence.objects.count() == 0


def test_members_from_accepted_offers_avoid_their_student_unit(intro, world):
    """An accepted offer makes a staff member; adding from offers brings them in, with the
    unit where they were a student to avoid."""
    from bryggan.programme.models import Offer, OfferStatus, Participant, Placement

    with scopes_disabled():
        person = f.PersonFactory(municipality=world.home.municipality)
        participant = Participant.objects.create(
            municipality=world.home.municipality,
            person=person,
            stage="aspirant",
            stage_since=START - timedelta(days=90),
        )
        student_unit = intro["units"][3]
        Placement.objects.create(
            municipality=world.home.municipality,
            person=person,
            unit=student_unit,
            supervisor=intro["supervisors"][6],
            term=world.home.objects["term"],
            step="practicum",
        )
        staff = f.StaffMemberFactory(unit=intro["units"][0], is_trained_supervisor=False)
        Offer.objects.create(
            municipality=world.home.municipality,
            participant=participant,
            unit=intro["units"][0],
            starts_on=START,
            reply_by=START - timedelta(days=20),
            status=OfferStatus.ACCEPTED,
            staff_member=staff,
        )
    added = services.members_from_offers(actor=intro["actor"], cohort=intro["cohort"])
    assert added == 1
    with scopes_disabled():
        member = CohortMember.objects.get(staff=staff)
    assert member.avoid_unit_id == student_unit.pk
    assert services.members_from_offers(actor=intro["actor"], cohort=intro["cohort"]) == 0
