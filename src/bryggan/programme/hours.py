"""The hours rules: the one place that decides which engagement a day belongs to and what
counts as a breach.

- Aspirants work at least ``aspirant_monthly_minimum`` hours (default 10) each calendar month
  beside their studies (Norrköping's aspirant posts); a month is judged once it has ended,
  and only months wholly inside the aspirant period.
- Student employees work at most ``student_employee_weekly_maximum`` hours (default 16) per
  ISO week, so step 2 does not hurt full-time studies; judged as soon as it is passed.
- Practicum students work about ``practicum_weekly_expected`` hours (default 32) each ISO
  week of the term, judged once the week has ended: a week far below it (more than
  ``practicum_weekly_tolerance`` under) or above ``practicum_weekly_maximum`` (default 40,
  full-time study) is a breach; 37–40 hours is an ordinary week.
- A week whose every entry the supervisor has approved is not flagged again: the approval
  is their decision on that week, and repeating it only drowns what still needs action.

A week that spans two months counts whole towards the weekly rule, and each day towards its
own month for the monthly rule. Sums come from the database (``hour_sums``).

Each participant's count of breaches in the recent window (``RECENT_DAYS``) is kept on the
participant by programme/state.py, with what else the overview sorts and filters on.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import CharField, F, IntegerField
from django.db.models.functions import Cast, Round
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bryggan.programme.models import (
    EmploymentPeriod,
    HoursEntry,
    HoursRules,
    HoursStatus,
    Participant,
    Placement,
    Stage,
)


@dataclass(frozen=True)
class Breach:
    rule: str  # aspirant_month | student_week | practicum_week | practicum_week_over
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
        if self.rule == "practicum_week_over":
            return (
                _(
                    "Week %(period)s: %(hours)s hours; the practicum allows at most %(limit)s "
                    "hours a week."
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


GROUPED = {
    "aspirant_month": lambda n: ngettext(
        "%(n)s month below the aspirants' %(limit)s hours:",
        "%(n)s months below the aspirants' %(limit)s hours:",
        n,
    ),
    "student_week": lambda n: ngettext(
        "%(n)s week above step 2's %(limit)s hours:",
        "%(n)s weeks above step 2's %(limit)s hours:",
        n,
    ),
    "practicum_week": lambda n: ngettext(
        "%(n)s week far below the practicum's %(limit)s hours:",
        "%(n)s weeks far below the practicum's %(limit)s hours:",
        n,
    ),
    "practicum_week_over": lambda n: ngettext(
        "%(n)s week above the practicum's %(limit)s hours:",
        "%(n)s weeks above the practicum's %(limit)s hours:",
        n,
    ),
}


def grouped(breaches: list[Breach]) -> list[str]:
    """One line per rule broken, not one per week: a single breach as its message, several
    as how many and which (with the hours), so a page does not open with a wall of them."""
    by_rule: dict[str, list[Breach]] = defaultdict(list)
    for breach in breaches:
        by_rule[breach.rule].append(breach)
    lines = []
    for rule, found in by_rule.items():
        if len(found) == 1:
            lines.append(found[0].message)
            continue
        head = GROUPED[rule](len(found)) % {"n": len(found), "limit": _fmt(found[0].limit)}
        periods = ", ".join(f"{b.period} ({_fmt(b.hours)})" for b in found)
        lines.append(f"{head} {periods}.")
    return lines


def _fmt(value: Decimal | int) -> str:
    return f"{Decimal(str(value)).normalize():f}".replace(".", ",")


def rules_for(municipality_id: int) -> HoursRules:
    """The municipality's rules, or the defaults when it has not set its own. (Named by its
    municipality, not by a scope: tasks ask it for each participant's municipality.)"""
    found = HoursRules.unscoped.filter(municipality_id=municipality_id).first()
    if found is None:
        found = HoursRules(municipality_id=municipality_id)
        for name in (
            "aspirant_monthly_minimum",
            "student_employee_weekly_maximum",
            "practicum_weekly_expected",
            "practicum_weekly_tolerance",
            "practicum_weekly_maximum",
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
    # (participant, kind, (ISO year, week)) of the weeks with an entry not yet approved
    open_weeks: set = field(default_factory=set)

    def approved(self, participant_id: int, kind: str, week: tuple[int, int]) -> bool:
        """Every entry of the week approved (a week without entries is not)."""
        return week in self.weeks.get((participant_id, kind), {}) and (
            (participant_id, kind, week) not in self.open_weeks
        )


def hour_sums(entries, since: date, *, stream: bool = True) -> HourSums:
    """Weekly sums per participant and kind, and monthly aspirant sums, from one query.

    The days are read as plain tuples and summed here: grouping by ISO week in SQL needs a
    per-row function call on SQLite, which is far slower than this loop. ``stream``: read
    them a chunk at a time (many participants; on PostgreSQL a server-side cursor, which
    costs round trips of its own), else at once (one participant's year).
    """
    cents: dict = defaultdict(lambda: defaultdict(int))
    month_cents: dict = defaultdict(lambda: defaultdict(int))
    open_weeks: set = set()
    # Whole hundredths and ISO date text: no per-row Decimal or date conversion by the ORM.
    rows = (
        entries.filter(day__gte=since)
        .annotate(
            on=Cast("day", CharField()),
            cents=Cast(Round(F("hours") * 100), IntegerField()),
        )
        .values_list("participant_id", "kind", "on", "cents", "status")
    )
    for participant_id, kind, on, hundredths, status in (
        rows.iterator(chunk_size=5000) if stream else rows
    ):
        if kind == Stage.ASPIRANT:
            month_cents[participant_id][(int(on[:4]), int(on[5:7]))] += hundredths
        elif kind in (Stage.STUDENT_EMPLOYEE, Stage.PRACTICUM):
            iso = date.fromisoformat(on[:10]).isocalendar()
            cents[(participant_id, kind)][(iso[0], iso[1])] += hundredths
            if status != HoursStatus.APPROVED:
                open_weeks.add((participant_id, kind, (iso[0], iso[1])))
    hundred = Decimal(100)
    return HourSums(
        weeks={k: {w: Decimal(v) / hundred for w, v in per.items()} for k, per in cents.items()},
        months={
            k: {m: Decimal(v) / hundred for m, v in per.items()} for k, per in month_cents.items()
        },
        open_weeks=open_weeks,
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
        if sums.approved(participant_id, Stage.STUDENT_EMPLOYEE, (year, week)):
            continue
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
            if sums.approved(participant_id, Stage.PRACTICUM, (year, week)):
                continue
            total = practicum.get((year, week), Decimal(0))
            period = f"{year}-W{week:02d}"
            if total < rules.practicum_weekly_expected - rules.practicum_weekly_tolerance:
                breaches.append(
                    Breach("practicum_week", period, total, rules.practicum_weekly_expected)
                )
            elif total > rules.practicum_weekly_maximum:
                breaches.append(
                    Breach("practicum_week_over", period, total, rules.practicum_weekly_maximum)
                )
    return breaches


RECENT_DAYS = 92  # what needs action now: breaches of the last three months
FEW = 10  # participants whose year of hours is read at once rather than streamed


def breaches_for(
    participants: list[Participant], *, today: date, days: int = 365
) -> dict[int, list[Breach]]:
    """Every participant's breaches over the past ``days`` (a year by default). Give it
    participants from ``selectors._participants`` (placements and employments prefetched)."""
    if not participants:
        return {}
    since = today - timedelta(days=days)
    rules = {pk: rules_for(pk) for pk in {p.municipality_id for p in participants}}
    sums = hour_sums(
        HoursEntry.unscoped.filter(participant__in=[p.pk for p in participants]),
        since,
        stream=len(participants) > FEW,
    )
    return {
        p.pk: find_breaches(
            p.pk,
            rules=rules[p.municipality_id],
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
