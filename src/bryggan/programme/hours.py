"""The hours rules: the one place that decides which engagement a day belongs to and what
counts as a breach.

- Aspirants work at least ``aspirant_monthly_minimum`` hours (default 10) each calendar month
  beside their studies (Norrköping's aspirant posts); a month is judged once it has ended,
  and only months wholly inside the aspirant period.
- Student employees work at most ``student_employee_weekly_maximum`` hours (default 16) per
  ISO week, so step 2 does not hurt full-time studies; judged as soon as it is passed.
- Practicum students work near ``practicum_weekly_expected`` hours (default 32, ± tolerance)
  each ISO week of the term, judged once the week has ended.

A week that spans two months counts whole towards the weekly rule, and each day towards its
own month for the monthly rule. Sums come from the database (``hour_sums``), so the
coordinator's overview judges a thousand participants in a few queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import CharField, F, IntegerField
from django.db.models.functions import Cast, Round
from django.utils.translation import gettext as _

from bryggan.programme.models import (
    EmploymentPeriod,
    HoursEntry,
    HoursRules,
    Participant,
    Placement,
    Stage,
)


@dataclass(frozen=True)
class Breach:
    rule: str  # aspirant_month | student_week | practicum_week
    period: str  # "2026-11" or "2026-W49"
    hours: Decimal
    limit: Decimal

    @property
    def message(self) -> str:
        figures = {"period": self.period, "hours": _fmt(self.hours), "limit": _fmt(self.limit)}
        if self.rule == "aspirant_month":
            return (
                _("%(period)s: %(hours)s hours; aspirants work at least %(limit)s hours a month.")
                % figures
            )
        if self.rule == "student_week":
            return (
                _(
                    "Week %(period)s: %(hours)s hours; step 2 allows at most %(limit)s hours a "
                    "week beside full-time studies."
                )
                % figures
            )
        return (
            _(
                "Week %(period)s: %(hours)s hours; the practicum expects about %(limit)s "
                "hours a week."
            )
            % figures
        )


def _fmt(value: Decimal | int) -> str:
    return f"{Decimal(str(value)).normalize():f}".replace(".", ",")


def rules_for(municipality_id: int) -> HoursRules:
    """The municipality's rules, or the defaults when it has not set its own. (Named by its
    municipality, not by a scope: tasks ask it for each participant's municipality.)"""
    found = HoursRules.objects.filter(municipality_id=municipality_id).first()
    if found is None:
        found = HoursRules(municipality_id=municipality_id)
        for name in (
            "aspirant_monthly_minimum",
            "student_employee_weekly_maximum",
            "practicum_weekly_expected",
            "practicum_weekly_tolerance",
        ):
            setattr(found, name, Decimal(str(getattr(found, name))))
    return found


def kind_on(
    day: date, placements: list[Placement], employments: list[EmploymentPeriod]
) -> str | None:
    """Which engagement a day belongs to: an employment period covering it, else a practicum
    placement whose term covers it; None when the day is outside all of them."""
    for employment in employments:
        if employment.starts_on <= day <= employment.ends_on:
            return employment.kind
    for placement in placements:
        if placement.step == Stage.PRACTICUM and placement.term.starts_on <= day <= (
            placement.term.ends_on
        ):
            return Stage.PRACTICUM
    return None


@dataclass
class HourSums:
    weeks: dict[tuple[int, str], dict[tuple[int, int], Decimal]]  # (participant, kind) → week
    months: dict[int, dict[tuple[int, int], Decimal]]  # participant → (year, month) → aspirant h


def hour_sums(entries, since: date) -> HourSums:
    """Weekly sums per participant and kind, and monthly aspirant sums, from one query.

    The days are read as plain tuples and summed here: grouping by ISO week in SQL needs a
    per-row function call on SQLite, which is far slower than this loop.
    """
    cents: dict = defaultdict(lambda: defaultdict(int))
    month_cents: dict = defaultdict(lambda: defaultdict(int))
    # Whole hundredths and ISO date text: no per-row Decimal or date conversion by the ORM.
    rows = (
        entries.filter(day__gte=since)
        .annotate(
            on=Cast("day", CharField()),
            cents=Cast(Round(F("hours") * 100), IntegerField()),
        )
        .values_list("participant_id", "kind", "on", "cents")
    )
    for participant_id, kind, on, hundredths in rows.iterator(chunk_size=5000):
        if kind == Stage.ASPIRANT:
            month_cents[participant_id][(int(on[:4]), int(on[5:7]))] += hundredths
        elif kind in (Stage.STUDENT_EMPLOYEE, Stage.PRACTICUM):
            iso = date.fromisoformat(on[:10]).isocalendar()
            cents[(participant_id, kind)][(iso[0], iso[1])] += hundredths
    hundred = Decimal(100)
    return HourSums(
        weeks={k: {w: Decimal(v) / hundred for w, v in per.items()} for k, per in cents.items()},
        months={
            k: {m: Decimal(v) / hundred for m, v in per.items()} for k, per in month_cents.items()
        },
    )


def _months_inside(start: date, end: date, today: date):
    """(year, month) of each calendar month wholly inside [start, end] that has ended."""
    year, month = start.year, start.month
    if start.day != 1:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    while True:
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        last = following - timedelta(days=1)
        if last > end or last >= today:
            return
        yield year, month
        year, month = following.year, following.month


def _weeks_inside(start: date, end: date, today: date):
    """(ISO year, week) of each Monday–Sunday week wholly inside [start, end] that has ended."""
    monday = start + timedelta(days=(7 - start.weekday()) % 7)
    while monday + timedelta(days=6) <= end and monday + timedelta(days=6) < today:
        iso = monday.isocalendar()
        yield iso[0], iso[1]
        monday += timedelta(days=7)


def find_breaches(
    participant_id: int,
    *,
    rules: HoursRules,
    sums: HourSums,
    placements: list[Placement],
    employments: list[EmploymentPeriod],
    today: date,
    since: date,
) -> list[Breach]:
    breaches: list[Breach] = []
    for (year, week), total in sorted(
        sums.weeks.get((participant_id, Stage.STUDENT_EMPLOYEE), {}).items()
    ):
        if total > rules.student_employee_weekly_maximum:
            breaches.append(
                Breach(
                    "student_week",
                    f"{year}-W{week:02d}",
                    total,
                    rules.student_employee_weekly_maximum,
                )
            )
    months = sums.months.get(participant_id, {})
    for employment in employments:
        if employment.kind != Stage.ASPIRANT:
            continue
        for year, month in _months_inside(
            max(employment.starts_on, since), employment.ends_on, today
        ):
            total = months.get((year, month), Decimal(0))
            if total < rules.aspirant_monthly_minimum:
                breaches.append(
                    Breach(
                        "aspirant_month",
                        f"{year}-{month:02d}",
                        total,
                        rules.aspirant_monthly_minimum,
                    )
                )
    practicum = sums.weeks.get((participant_id, Stage.PRACTICUM), {})
    for placement in placements:
        if placement.step != Stage.PRACTICUM:
            continue
        for year, week in _weeks_inside(
            max(placement.term.starts_on, since), placement.term.ends_on, today
        ):
            total = practicum.get((year, week), Decimal(0))
            if abs(total - rules.practicum_weekly_expected) > rules.practicum_weekly_tolerance:
                breaches.append(
                    Breach(
                        "practicum_week",
                        f"{year}-W{week:02d}",
                        total,
                        rules.practicum_weekly_expected,
                    )
                )
    return breaches


def breaches_for(
    participants: list[Participant], *, today: date, days: int = 365
) -> dict[int, list[Breach]]:
    """Every participant's breaches over the past ``days`` (a year by default). Give it
    participants from ``selectors._participants`` (placements and employments prefetched)."""
    if not participants:
        return {}
    since = today - timedelta(days=days)
    municipality_id = participants[0].municipality_id
    rules = rules_for(municipality_id)
    sums = hour_sums(
        HoursEntry.objects.filter(participant__in=[p.pk for p in participants]),
        since,
    )
    return {
        p.pk: find_breaches(
            p.pk,
            rules=rules,
            sums=sums,
            placements=list(p.person.active_placements),  # type: ignore[attr-defined]
            employments=list(p.employments.all()),
            today=today,
            since=since,
        )
        for p in participants
    }


@dataclass(frozen=True)
class Balance:
    label: str
    hours: Decimal
    limit: Decimal
    kind: str  # "minimum" | "maximum" | "expected"


def balance_for(participant: Participant, today: date) -> list[Balance]:
    """The student's hours so far this week and this month against the rules that apply to
    their step (shown on their own page)."""
    rules = rules_for(participant.municipality_id)
    monday = today - timedelta(days=today.weekday())
    entries = HoursEntry.objects.filter(
        participant=participant, day__gte=min(monday, today.replace(day=1)), day__lte=today
    )
    week = sum((e.hours for e in entries if e.day >= monday), Decimal(0))
    month = sum((e.hours for e in entries if e.day.month == today.month), Decimal(0))
    if participant.stage == Stage.ASPIRANT:
        return [Balance(_("This month"), month, rules.aspirant_monthly_minimum, "minimum")]
    if participant.stage == Stage.STUDENT_EMPLOYEE:
        return [Balance(_("This week"), week, rules.student_employee_weekly_maximum, "maximum")]
    if participant.stage == Stage.PRACTICUM:
        return [Balance(_("This week"), week, rules.practicum_weekly_expected, "expected")]
    return []
