"""The hours rules at their boundaries: exactly at the limit, a week that spans two months,
months and weeks that have not ended, partial months at the start of a period."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from bryggan.core.models import Person
from bryggan.organisation.models import Term
from bryggan.programme.hours import find_breaches, hour_sums, rules_for
from bryggan.programme.models import (
    EmploymentPeriod,
    HoursEntry,
    HoursRules,
    Participant,
    Placement,
)

pytestmark = pytest.mark.django_db


def _participant(world, stage: str) -> Participant:
    m = world.home.municipality
    person = Person.objects.create(municipality=m, first_name="Rut", last_name="Regel")
    return Participant.objects.create(
        municipality=m, person=person, stage=stage, stage_since=date(2026, 1, 1)
    )


def _practicum(world, participant, year: int, *, ends_on: date) -> Placement:
    """A practicum placement in a term of its own from Monday 24 August 2026 (ISO week 35)."""
    term = Term.objects.create(
        municipality_id=participant.municipality_id,
        kind="HT",
        year=year,
        starts_on=date(2026, 8, 24),
        ends_on=ends_on,
    )
    return Placement.objects.create(
        municipality_id=participant.municipality_id,
        person=participant.person,
        unit=world.home.objects["unit"],
        supervisor=world.home.objects["staff"],
        term=term,
        step="practicum",
    )


def _log(participant, kind: str, *days_and_hours):
    for day, hours in days_and_hours:
        HoursEntry.objects.create(
            municipality_id=participant.municipality_id,
            participant=participant,
            day=day,
            hours=Decimal(hours),
            activity="x",
            kind=kind,
        )


def _breaches(participant, today, placements=(), rules=None):
    return find_breaches(
        participant.pk,
        rules=rules or rules_for(participant.municipality_id),
        sums=hour_sums(HoursEntry.objects.filter(participant=participant), date(2025, 1, 1)),
        placements=list(placements),
        employments=list(EmploymentPeriod.objects.filter(participant=participant)),
        today=today,
        since=date(2025, 1, 1),
    )


def test_a_week_spanning_two_months_counts_whole_for_step_two(world):
    p = _participant(world, "student_employee")
    EmploymentPeriod.objects.create(
        municipality_id=p.municipality_id,
        participant=p,
        kind="student_employee",
        unit=world.home.objects["unit"],
        starts_on=date(2026, 11, 1),
        ends_on=date(2027, 1, 31),
    )
    # Mon 30 Nov + Tue 1 Dec are ISO week 2026-W49: 17 h > 16.
    _log(p, "student_employee", (date(2026, 11, 30), "8"), (date(2026, 12, 1), "9"))
    # Week 48: exactly 16 h is allowed.
    _log(p, "student_employee", (date(2026, 11, 23), "8"), (date(2026, 11, 27), "8"))
    found = _breaches(p, today=date(2026, 12, 2))
    assert [(b.rule, b.period, b.hours) for b in found] == [
        ("student_week", "2026-W49", Decimal("17"))
    ]
    assert "Vecka 2026-W49: 17 timmar; steg 2 tillåter högst 16 timmar" in found[0].message


def test_aspirants_months_are_judged_when_ended_and_by_the_day_of_each_entry(world):
    p = _participant(world, "aspirant")
    EmploymentPeriod.objects.create(
        municipality_id=p.municipality_id,
        participant=p,
        kind="aspirant",
        unit=world.home.objects["unit"],
        starts_on=date(2026, 9, 15),
        ends_on=date(2027, 6, 30),
    )
    _log(
        p,
        "aspirant",
        (date(2026, 10, 5), "10"),  # October: exactly 10, fine
        (date(2026, 11, 30), "6"),
        (date(2026, 12, 1), "6"),
    )  # November 6; December open
    found = _breaches(p, today=date(2026, 12, 2))
    # September started mid-month (not judged); December has not ended.
    assert [(b.rule, b.period, b.hours) for b in found] == [
        ("aspirant_month", "2026-11", Decimal("6"))
    ]
    assert found[0].message == ("2026-11: 6 timmar; aspiranter arbetar minst 10 timmar i månaden.")
    # On the last day of November the month has not ended yet.
    assert _breaches(p, today=date(2026, 11, 30)) == []


def test_practicum_weeks_near_the_expected_hours(world):
    p = _participant(world, "practicum")
    placement = _practicum(world, p, 2031, ends_on=date(2026, 9, 13))
    # W35: 28 h = 32 - 4, fine; W36: 27 h, too few; W37: nothing logged.
    week35 = [(date(2026, 8, 24 + i), "7") for i in range(4)]
    week36 = [
        (date(2026, 8, 31), "7"),
        (date(2026, 9, 1), "7"),
        (date(2026, 9, 2), "7"),
        (date(2026, 9, 3), "6"),
    ]
    _log(p, "practicum", *week35, *week36)
    found = _breaches(p, today=date(2026, 9, 20), placements=[placement])
    assert [(b.period, b.hours) for b in found] == [
        ("2026-W36", Decimal("27")),
        ("2026-W37", Decimal("0")),
    ]
    # A week not yet ended is not judged.
    assert [b.period for b in _breaches(p, today=date(2026, 9, 13), placements=[placement])] == [
        "2026-W36"
    ]


def test_only_weeks_someone_acts_on_are_flagged_and_approved_weeks_never_again(world):
    p = _participant(world, "practicum")
    placement = _practicum(world, p, 2032, ends_on=date(2026, 9, 20))
    full_time = [(date(2026, 8, 24 + i), "8") for i in range(5)]  # W35: 40 h, ordinary
    long_days = [(date(2026, 8, 31) + timedelta(i), "7.5") for i in range(5)]  # W36: 37.5 h
    over = [(date(2026, 9, 7 + i), "9") for i in range(5)]  # W37: 45 h, above 40
    short = [(date(2026, 9, 14), "8"), (date(2026, 9, 15), "8")]  # W38: 16 h, far below
    _log(p, "practicum", *full_time, *long_days, *over, *short)
    found = _breaches(p, today=date(2026, 9, 28), placements=[placement])
    assert [(b.rule, b.period) for b in found] == [
        ("practicum_week_over", "2026-W37"),
        ("practicum_week", "2026-W38"),
    ]
    assert found[0].message == (
        "Vecka 2026-W37: 45 timmar; VFU:n tillåter högst 40 timmar i veckan."
    )
    # The supervisor approves week 37 as it stands: it is not flagged again. Week 38 has one
    # entry left waiting, so it still is.
    HoursEntry.objects.filter(
        participant=p, day__range=(date(2026, 9, 7), date(2026, 9, 15))
    ).exclude(day=date(2026, 9, 15)).update(status="approved")
    found = _breaches(p, today=date(2026, 9, 28), placements=[placement])
    assert [b.period for b in found] == ["2026-W38"]


def test_many_breaches_of_one_rule_read_as_one_line():
    from bryggan.programme.hours import Breach, grouped

    weeks = [
        Breach("practicum_week", f"2026-W{w}", Decimal(h), Decimal(32))
        for w, h in ((40, "10"), (41, "0"), (42, "12.5"))
    ]
    month = Breach("aspirant_month", "2026-10", Decimal(4), Decimal(10))
    assert grouped([*weeks, month]) == [
        "3 veckor långt under VFU:ns 32 timmar: 2026-W40 (10), 2026-W41 (0), 2026-W42 (12,5).",
        "2026-10: 4 timmar; aspiranter arbetar minst 10 timmar i månaden.",
    ]
    assert grouped([]) == []


def test_a_municipality_sets_its_own_limits(world):
    p = _participant(world, "student_employee")
    EmploymentPeriod.objects.create(
        municipality_id=p.municipality_id,
        participant=p,
        kind="student_employee",
        unit=world.home.objects["unit"],
        starts_on=date(2026, 11, 1),
        ends_on=date(2027, 1, 31),
    )
    _log(p, "student_employee", (date(2026, 11, 23), "12"))
    assert _breaches(p, today=date(2026, 12, 2)) == []
    HoursRules.objects.create(
        municipality_id=p.municipality_id, student_employee_weekly_maximum=Decimal("10")
    )
    assert [b.period for b in _breaches(p, today=date(2026, 12, 2))] == ["2026-W48"]
