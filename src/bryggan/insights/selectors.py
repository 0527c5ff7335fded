"""Reads of the insights, through the one gate (core/gate.py): tenant scope and the
permission question. Every figure is counted by the database (grouped, filtered, one query
per table), so a page costs the same whatever the number of applications behind it; none
of them names a person, so nothing here is written to the access log — the national view
reads only the nightly counts per municipality, with small groups suppressed
(``stats.suppress_chain``)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from bryggan.core.gate import one_or_404, tenant_scoped
from bryggan.core.models import Municipality
from bryggan.core.permissions import Actor, Perm, require_tenant
from bryggan.insights import stats
from bryggan.insights.models import (
    Answer,
    HiringNeed,
    MunicipalityProfile,
    MunicipalityYear,
    PendingImport,
    QuestionKind,
    Survey,
    UnitMonth,
)
from bryggan.insights.tables import Table, share
from bryggan.introduction.models import CohortMember
from bryggan.organisation.models import (
    Department,
    StaffMember,
    SupervisorCapacity,
    Term,
    Unit,
    University,
)
from bryggan.privacy.models import RemovedApplication
from bryggan.programme.models import Offer, OfferStatus, Participant, Placement
from bryggan.programme.models import Stage as Step
from bryggan.recruitment.models import (
    Application,
    ApplicationWish,
    Interview,
    Round,
    Source,
    Stage,
    StageChange,
)

STEP2 = (Step.STUDENT_EMPLOYEE, Step.ASPIRANT)
YEARS_SHOWN = 10

# ---------------------------------------------------------------- the funnel


@dataclass(frozen=True)
class Period:
    """Which applications the funnel follows: one round, one year, or all since the
    start."""

    round_id: int | None = None
    year: int | None = None

    def filter(self) -> Q:
        if self.round_id is not None:
            return Q(posting__round_id=self.round_id)
        if self.year is not None:
            return Q(created_at__year=self.year)
        return Q()

    def removed(self) -> Q:
        """The same period of the applications the retention purge has removed (their
        anonymous counts are kept: privacy.RemovedApplication)."""
        if self.round_id is not None:
            return Q(round_id=self.round_id)
        if self.year is not None:
            return Q(applied_month__year=self.year)
        return Q()


STAGES = (
    ("applications", gettext_lazy("Applied")),
    ("interviewed", gettext_lazy("Interviewed")),
    ("step1", gettext_lazy("Step 1 practicum")),
    ("step2", gettext_lazy("Step 2 or aspirant")),
    ("offered", gettext_lazy("Offered employment")),
    ("hired", gettext_lazy("Hired")),
)


def _flags(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Each application with how far its applicant went: stages of the application itself,
    then the applicant's steps in the programme (a person's, whichever posting led there)."""
    person = OuterRef("person")
    return queryset.annotate(
        was_interviewed=Exists(
            StageChange.objects.filter(application=OuterRef("pk"), to_stage=Stage.INTERVIEW)
        )
        | Exists(Interview.objects.filter(application=OuterRef("pk"))),
        was_step1=Exists(Placement.objects.filter(person=person, step=Step.PRACTICUM)),
        was_step2=Exists(Placement.objects.filter(person=person, step__in=STEP2)),
        was_offered=Exists(Offer.objects.filter(participant__person=person)),
        was_hired=Exists(
            Offer.objects.filter(participant__person=person, status=OfferStatus.ACCEPTED)
        ),
    )


def _counts(**group) -> dict:
    """The aggregates of one funnel row: people, not applications (one person applying to
    two postings is one applicant)."""
    return {
        "applications": Count("person", distinct=True),
        "interviewed": Count("person", distinct=True, filter=Q(was_interviewed=True)),
        "step1": Count("person", distinct=True, filter=Q(was_step1=True)),
        "step2": Count("person", distinct=True, filter=Q(was_step2=True)),
        "offered": Count("person", distinct=True, filter=Q(was_offered=True)),
        "hired": Count("person", distinct=True, filter=Q(was_hired=True)),
        **group,
    }


STAGE_KEYS = tuple(key for key, _label in STAGES)


@dataclass(frozen=True)
class Funnel:
    period: Period
    stages: list[tuple[str, int]]  # (label, people)
    tables: list[Table]
    days_to_hire: float | None
    median_rates: dict[str, float | None] = field(default_factory=dict)

    def count(self, key: str) -> int:
        return dict(zip(STAGE_KEYS, (n for _label, n in self.stages), strict=True))[key]


def _conversion_rows(counts: dict, medians: dict[str, float | None]) -> list[tuple]:
    rows = []
    for (key, label), (prev, _prev_label) in zip(STAGES[1:], STAGES, strict=False):
        rows.append(
            (
                str(label),
                counts[key],
                share(counts[key], counts[prev]),
                share(counts[key], counts["applications"]),
                share(medians.get(key), 1),
            )
        )
    return [(str(STAGES[0][1]), counts["applications"], None, None, None), *rows]


def _breakdown(
    base: QuerySet[Application], key: str, title, label, names=None, removed=None
) -> Table:
    """The funnel by one key; ``removed`` adds the purged applications' (applied,
    interviewed) per key, counted one applicant each."""
    extra = dict(removed or {})
    rows = []
    for row in base.values(key).annotate(**_counts()).order_by("-applications", key):
        name = row[key]
        applied, interviewed = extra.pop(name, (0, 0))
        if names is not None:
            name = names.get(name, name)
        rows.append(
            (
                name or _("Not given"),
                row["applications"] + applied,
                row["interviewed"] + interviewed,
                row["step1"],
                row["step2"],
                row["hired"],
                share(row["hired"], row["applications"]),
            )
        )
    for name, (applied, interviewed) in extra.items():
        shown = names.get(name, name) if names is not None else name
        rows.append((shown or _("Not given"), applied, interviewed, 0, 0, 0, share(0, applied)))
    return Table(
        key=f"by-{label}",
        title=title,
        header=(
            label_of(label),
            _("Applied"),
            _("Interviewed"),
            _("Step 1"),
            _("Step 2 / aspirant"),
            _("Hired"),
            _("Hired of applied"),
        ),
        rows=rows,
    )


def label_of(key: str) -> str:
    return {
        "university": _("University"),
        "department": _("Department (first wish)"),
        "source": _("Source"),
    }[key]


@tenant_scoped
def funnel_for(*, actor: Actor, period: Period) -> Funnel:
    actor.require(Perm.INSIGHTS_VIEW)
    base = _flags(Application.objects.filter(period.filter()))
    # Grouped by the municipality (one group) rather than aggregated: PostgreSQL then runs
    # the subqueries as it does for the breakdowns, thirty times faster than Django's
    # wrapped aggregate of annotations.
    totals = base.values("municipality").annotate(**_counts()).order_by()
    counts = dict.fromkeys(STAGE_KEYS, 0) | next(iter(totals), {})
    removed = RemovedApplication.objects.filter(period.removed())
    gone = removed.aggregate(n=Count("pk"), interviewed=Count("pk", filter=Q(interviewed=True)))
    counts["applications"] += gone["n"]
    counts["interviewed"] += gone["interviewed"]

    def removed_by(key: str) -> dict:
        return {
            row[key]: (row["n"], row["i"])
            for row in removed.values(key).annotate(
                n=Count("pk"), i=Count("pk", filter=Q(interviewed=True))
            )
        }

    universities = dict(University.objects.values_list("pk", "name"))
    by_university: dict[str | None, tuple[int, int]] = {}
    for pk, pair in removed_by("university_id").items():
        name = universities.get(pk)
        before = by_university.get(name, (0, 0))
        by_university[name] = (before[0] + pair[0], before[1] + pair[1])
    medians = national_medians()
    first_wish = ApplicationWish.objects.filter(application=OuterRef("pk"), rank=1)
    with_department = base.annotate(department=first_wish.values("unit__department__name")[:1])
    tables = [
        Table(
            key="funnel",
            title=_("From application to hire"),
            header=(
                _("Stage"),
                _("People"),
                _("Of the stage before"),
                _("Of those who applied"),
                _("National median"),
            ),
            rows=_conversion_rows(counts, medians),
            note=_(
                "People, not applications: whoever applied to several postings counts once. "
                "Applications removed under the retention rules count by their anonymous "
                "counts, one applicant each. The national median is the middle "
                "municipality's share."
            ),
        ),
        _breakdown(
            base, "university__name", _("By university"), "university", removed=by_university
        ),
        _breakdown(with_department, "department", _("By department"), "department"),
        _breakdown(
            base,
            "source",
            _("By source"),
            "source",
            names=dict(Source.choices),
            removed=removed_by("source"),
        ),
        _dropouts(period),
    ]
    return Funnel(
        period=period,
        stages=[(str(label), int(counts[key])) for key, label in STAGES],  # type: ignore[call-overload]
        tables=tables,
        days_to_hire=_days_to_hire(period),
        median_rates=medians,
    )


def _dropouts(period: Period) -> Table:
    """Where people left: applications turned down or withdrawn, by the stage they had
    reached, and participants who left the programme, by their reason."""
    stage_names = dict(Stage.choices)
    ended = (
        StageChange.objects.filter(
            to_stage__in=(Stage.REJECTED, Stage.WITHDRAWN),
            application__in=Application.objects.filter(period.filter()),
        )
        .values("to_stage", "from_stage")
        .annotate(n=Count("application", distinct=True))
        .order_by("-n")
    )
    rows: list[tuple] = [
        (
            _("%(outcome)s after “%(stage)s”")
            % {
                "outcome": stage_names[row["to_stage"]],
                "stage": stage_names.get(row["from_stage"], "–"),
            },
            row["n"],
        )
        for row in ended
    ]
    people = Application.objects.filter(period.filter()).values("person")
    left = (
        Participant.objects.filter(stage=Step.LEFT, person__in=people)
        .exclude(offers__status=OfferStatus.ACCEPTED)  # hired, then left the job: not a drop-out
        .values("left_reason")
        .annotate(n=Count("pk"))
        .order_by("-n")[:10]
    )
    rows += [
        (_("Left the programme: %(reason)s") % {"reason": row["left_reason"] or "–"}, row["n"])
        for row in left
    ]
    return Table(
        key="dropouts",
        title=_("Drop-out and its reasons"),
        header=(_("Reason"), _("People")),
        rows=rows,
    )


def _days_to_hire(period: Period) -> float | None:
    """The median days from a hire's first application to their accepted offer."""
    hires = (
        Offer.objects.filter(
            status=OfferStatus.ACCEPTED,
            answered_at__isnull=False,
            participant__person__applications__in=Application.objects.filter(period.filter()),
        )
        .values("participant__person")
        .annotate(applied=Min("participant__person__applications__created_at"))
        .values_list("applied", "answered_at")
    )
    days = [(answered - applied).days for applied, answered in hires if answered >= applied]
    return float(statistics.median(days)) if days else None


@tenant_scoped
def periods_for(*, actor: Actor) -> tuple[list[int], list[Round]]:
    """The years with applications and the rounds, newest first, to choose among."""
    actor.require(Perm.INSIGHTS_VIEW)
    years = list(
        Application.objects.annotate(y=ExtractYear("created_at"))
        .values_list("y", flat=True)
        .order_by("-y")
        .distinct()
    )
    return years, list(Round.objects.order_by("-closes_on")[:40])


# ---------------------------------------------------------------- retention


@dataclass(frozen=True)
class Retention:
    groups: list[tuple[str, stats.Survival | None]]
    table: Table


def _spans(queryset: QuerySet[StaffMember], today: date) -> tuple[list[float], list[bool]]:
    durations, left = [], []
    for start, until in queryset.values_list("employed_from", "employed_until"):
        ended = until is not None and until <= today
        end = until if until is not None and ended else today
        if end < start:
            continue  # starts in the future: not yet someone to follow
        durations.append(float((end - start).days))
        left.append(ended)
    return durations, left


@tenant_scoped
def retention_for(*, actor: Actor, today: date) -> Retention:
    """Of those hired through the programme, how many are still employed after 6, 12 and 24
    months (Kaplan–Meier: recent hires count for as long as they have been followed),
    beside staff hired outside the programme in the same years, and with and without the
    broad introduction."""
    actor.require(Perm.INSIGHTS_VIEW)
    programme = StaffMember.objects.filter(offer__status=OfferStatus.ACCEPTED)
    first = programme.aggregate(first=Min("employed_from"))["first"]
    others = StaffMember.objects.filter(offer__isnull=True)
    if first is not None:
        others = others.filter(employed_from__gte=first)
    introduced = Exists(CohortMember.objects.filter(staff=OuterRef("pk")))
    everyone = programme | others
    groups = [
        (_("Hired through the programme"), programme),
        (_("Hired outside the programme"), others),
        (_("With the broad introduction"), everyone.filter(introduced)),
        (_("Without the broad introduction"), everyone.exclude(introduced)),
    ]
    curves = [(label, stats.survival(*_spans(qs, today))) for label, qs in groups]
    rows = []
    for label, curve in curves:
        row: list = [label, curve.people if curve else 0, curve.leavers if curve else 0]
        for month in (6, 12, 24):
            point = curve.at.get(month) if curve else None
            row.append(share(point[0], 1) if point else None)
            row.append(f"{point[1] * 100:.0f}–{point[2] * 100:.0f} %" if point else None)
        rows.append(tuple(row))
    table = Table(
        key="retention",
        title=_("Still employed after 6, 12 and 24 months"),
        header=(
            _("Group"),
            _("People"),
            _("Have left"),
            _("6 months"),
            _("95 % interval"),
            _("12 months"),
            _("95 % interval"),
            _("24 months"),
            _("95 % interval"),
        ),
        rows=rows,
        note=_(
            "Kaplan–Meier estimates: those still employed count for as long as they have "
            "been followed. A dash: nobody in the group followed that long."
        ),
    )
    return Retention(groups=curves, table=table)


# ---------------------------------------------------------------- workforce health


def _headcount_at(day: date) -> Q:
    return Q(staff__employed_from__lte=day) & (
        Q(staff__employed_until__isnull=True) | Q(staff__employed_until__gte=day)
    )


@tenant_scoped
def workforce_for(*, actor: Actor, year: int) -> list[Table]:
    """Turnover (leavers over the average headcount), sick leave and caseload per
    department over the years and per unit in ``year``; each table one grouped query."""
    actor.require(Perm.INSIGHTS_VIEW)
    years = list(range(year - YEARS_SHOWN + 1, year + 1))
    per_year: dict = {}
    for y in years:
        start, end = date(y, 1, 1), date(y, 12, 31)
        per_year[f"s{y}"] = Count("staff", filter=_headcount_at(start), distinct=True)
        per_year[f"e{y}"] = Count("staff", filter=_headcount_at(end), distinct=True)
        per_year[f"l{y}"] = Count("staff", filter=Q(staff__employed_until__year=y), distinct=True)
    by_department = Unit.objects.values("department__name").annotate(**per_year)
    turnover_rows = []
    for row in by_department.order_by("department__name"):
        for y in years:
            average = (row[f"s{y}"] + row[f"e{y}"]) / 2
            if average or row[f"l{y}"]:
                turnover_rows.append(
                    (
                        row["department__name"],
                        y,
                        average,
                        row[f"l{y}"],
                        share(row[f"l{y}"], average),
                    )
                )
    months = (
        UnitMonth.objects.filter(month__year__in=years)
        .values("unit__department__name", "month__year")
        .annotate(
            sick=Avg("sick_leave_percent"), cases=Sum("open_cases"), workers=Sum("case_workers")
        )
        .order_by("unit__department__name", "month__year")
    )
    health_rows = [
        (
            row["unit__department__name"],
            row["month__year"],
            float(row["sick"]),
            _per_worker(row["cases"], row["workers"]),
        )
        for row in months
    ]
    start, end = date(year, 1, 1), date(year, 12, 31)
    units = (
        Unit.objects.annotate(
            s=Count("staff", filter=_headcount_at(start), distinct=True),
            e=Count("staff", filter=_headcount_at(end), distinct=True),
            leavers=Count("staff", filter=Q(staff__employed_until__year=year), distinct=True),
        )
        .values("pk", "name", "department__name", "s", "e", "leavers")
        .order_by("department__name", "name")
    )
    figures = {
        row["unit"]: row
        for row in UnitMonth.objects.filter(month__year=year)
        .values("unit")
        .annotate(
            sick=Avg("sick_leave_percent"), cases=Sum("open_cases"), workers=Sum("case_workers")
        )
    }
    unit_rows = []
    for row in units:
        average = (row["s"] + row["e"]) / 2
        health: dict[str, Any] = dict(figures.get(row["pk"], {}))
        unit_rows.append(
            (
                row["department__name"],
                row["name"],
                average,
                row["leavers"],
                share(row["leavers"], average),
                float(health["sick"]) if health else None,
                _per_worker(health.get("cases"), health.get("workers")),
            )
        )
    return [
        Table(
            key="turnover",
            title=_("Turnover per department and year"),
            header=(
                _("Department"),
                _("Year"),
                _("Average headcount"),
                _("Leavers"),
                _("Turnover"),
            ),
            rows=turnover_rows,
            note=_(
                "Turnover: leavers of the year over the mean of the headcount on 1 January "
                "and 31 December."
            ),
        ),
        Table(
            key="health",
            title=_("Sick leave and caseload per department and year"),
            header=(_("Department"), _("Year"), _("Sick leave (%)"), _("Cases per case worker")),
            rows=health_rows,
            note=_("From the monthly figures imported from the HR and case systems."),
        ),
        Table(
            key="units",
            title=_("Units in %(year)s") % {"year": year},
            header=(
                _("Department"),
                _("Unit"),
                _("Average headcount"),
                _("Leavers"),
                _("Turnover"),
                _("Sick leave (%)"),
                _("Cases per case worker"),
            ),
            rows=unit_rows,
        ),
    ]


def _per_worker(cases, workers) -> float | None:
    if cases is None or not workers:
        return None
    return float(Decimal(cases) / Decimal(workers))


@tenant_scoped
def sick_leave_months(*, actor: Actor, year: int) -> list[tuple[date, float]]:
    """The municipality's sick leave month by month over the years shown (for the chart)."""
    actor.require(Perm.INSIGHTS_VIEW)
    return [
        (row["month"], float(row["sick"]))
        for row in UnitMonth.objects.filter(
            month__year__gt=year - YEARS_SHOWN, month__year__lte=year
        )
        .values("month")
        .annotate(sick=Avg("sick_leave_percent"))
        .order_by("month")
    ]


@tenant_scoped
def supervisor_load_for(*, actor: Actor) -> list[Table]:
    """Students per supervisor per term, and the share of trained supervisors in use."""
    actor.require(Perm.INSIGHTS_VIEW)
    per_term = (
        Placement.objects.values("term_id", "term__kind", "term__year", "term__starts_on")
        .annotate(
            students=Count("person", distinct=True),
            supervisors=Count("supervisor", distinct=True),
            trained=Count(
                "supervisor", distinct=True, filter=Q(supervisor__is_trained_supervisor=True)
            ),
        )
        .order_by("-term__starts_on")[: YEARS_SHOWN * 2]
    )
    trained_total = StaffMember.objects.filter(
        is_trained_supervisor=True, employed_until__isnull=True
    ).count()
    terms = [
        (
            f"{row['term__kind']} {row['term__year']}",
            row["students"],
            row["supervisors"],
            float(row["students"] / row["supervisors"]) if row["supervisors"] else None,
            share(row["trained"], trained_total),
        )
        for row in per_term
    ]
    latest = Term.objects.filter(placements__isnull=False).order_by("-starts_on").first()
    unit_rows = []
    if latest is not None:
        units = (
            Unit.objects.annotate(
                students=Count("placements", filter=Q(placements__term=latest), distinct=True),
                supervisors=Count(
                    "placements__supervisor", filter=Q(placements__term=latest), distinct=True
                ),
                trained=Count(
                    "staff",
                    filter=Q(staff__is_trained_supervisor=True, staff__employed_until__isnull=True),
                    distinct=True,
                ),
            )
            .values("name", "department__name", "students", "supervisors", "trained")
            .order_by("department__name", "name")
        )
        unit_rows = [
            (
                row["department__name"],
                row["name"],
                row["students"],
                row["supervisors"],
                row["trained"],
                float(row["students"] / row["supervisors"]) if row["supervisors"] else None,
                share(row["supervisors"], row["trained"]),
            )
            for row in units
        ]
    return [
        Table(
            key="load-terms",
            title=_("Supervisor load per term"),
            header=(
                _("Term"),
                _("Students"),
                _("Supervisors"),
                _("Students per supervisor"),
                _("Trained supervisors in use"),
            ),
            rows=terms,
        ),
        Table(
            key="load-units",
            title=_("Supervisor load per unit, %(term)s") % {"term": latest or "–"},
            header=(
                _("Department"),
                _("Unit"),
                _("Students"),
                _("Supervisors"),
                _("Trained supervisors"),
                _("Students per supervisor"),
                _("Trained in use"),
            ),
            rows=unit_rows,
        ),
    ]


# ---------------------------------------------------------------- forecast


@dataclass(frozen=True)
class History:
    step1_to_step2: stats.Conversion
    step2_to_hire: stats.Conversion
    places_per_supervisor: float


def _settled(today: date) -> Q:
    """A placement whose outcome is known: its term ended over a year ago."""
    return Q(term__ends_on__lt=today - timedelta(days=365))


def _conversion(placements: QuerySet[Placement], went_on: Exists, today: date):
    """People placed who went on, of those who went on or whose outcome is known."""
    known = placements.annotate(went=went_on).filter(Q(went=True) | _settled(today))
    return stats.Conversion(
        tried=known.values("person").distinct().count(),
        went_on=known.filter(went=True).values("person").distinct().count(),
    )


@tenant_scoped
def history_for(*, actor: Actor, department: Department | None, today: date) -> History:
    """The municipality's own conversions (of one department's placements, or all): of the
    step-1 students whose outcome is known (or who already went on), how many went on to
    step 2 or an aspirant post; of those in step 2, how many were hired."""
    actor.require(Perm.INSIGHTS_VIEW)
    placements = Placement.objects.all()
    if department is not None:
        placements = placements.filter(unit__department=department)
    went_on = Exists(Placement.objects.filter(person=OuterRef("person"), step__in=STEP2))
    hired = Exists(
        Offer.objects.filter(participant__person=OuterRef("person"), status=OfferStatus.ACCEPTED)
    )
    step1 = _conversion(placements.filter(step=Step.PRACTICUM), went_on, today)
    step2 = _conversion(placements.filter(step__in=STEP2), hired, today)
    per = SupervisorCapacity.objects.aggregate(mean=Avg("capacity"))["mean"] or 1
    return History(
        step1_to_step2=step1,
        step2_to_hire=step2,
        places_per_supervisor=float(per),
    )


@tenant_scoped
def needs_for(*, actor: Actor, year: int) -> list[HiringNeed]:
    actor.require(Perm.INSIGHTS_VIEW)
    return list(HiringNeed.objects.filter(year=year).select_related("department"))


@tenant_scoped
def departments_for(*, actor: Actor) -> list[Department]:
    actor.require(Perm.INSIGHTS_VIEW)
    return list(Department.objects.order_by("name"))


@tenant_scoped
def department_by_id(*, actor: Actor, pk: object) -> Department:
    actor.require(Perm.INSIGHTS_VIEW)
    return one_or_404(Department.objects.all(), pk)


# ---------------------------------------------------------------- imports and surveys


@tenant_scoped
def pending_import_by_id(*, actor: Actor, pk: object) -> PendingImport:
    actor.require(Perm.INSIGHTS_MANAGE)
    return one_or_404(
        PendingImport.objects.filter(created_by=actor.user, committed_at__isnull=True), pk
    )


@tenant_scoped
def surveys_for(*, actor: Actor) -> list[Survey]:
    actor.require(Perm.INSIGHTS_MANAGE)
    return list(Survey.objects.annotate(answered=Count("responses")).order_by("-created_at"))


@tenant_scoped
def survey_by_id(*, actor: Actor, pk: object) -> Survey:
    actor.require(Perm.INSIGHTS_MANAGE)
    return one_or_404(
        Survey.objects.annotate(answered=Count("responses")).prefetch_related("questions"), pk
    )


@dataclass(frozen=True)
class QuestionResult:
    text: str
    kind: str
    answered: int
    mean: float | None
    spread: list[int]  # how many answered 1, 2, 3, 4, 5
    texts: list[str]


class TooFewAnswersError(Exception):
    """Fewer than five have answered: showing the answers could point at someone."""


@tenant_scoped
def survey_results(*, actor: Actor, survey: Survey) -> list[QuestionResult]:
    """The answers, question by question, once at least five have answered (else
    ``TooFewAnswersError``). Free texts are sorted by their text, not by when they came."""
    actor.require(Perm.INSIGHTS_MANAGE)
    if survey.responses.count() < stats.SMALL:
        raise TooFewAnswersError
    scores = {
        (row["question"], row["score"]): row["n"]
        for row in Answer.objects.filter(question__survey=survey, score__isnull=False)
        .values("question", "score")
        .annotate(n=Count("pk"))
    }
    texts: dict[int, list[str]] = {}
    for question_id, text in (
        Answer.objects.filter(question__survey=survey, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .order_by("text")
        .values_list("question", "text")
    ):
        texts.setdefault(question_id, []).append(text)
    results = []
    for question in survey.questions.all():
        spread = [scores.get((question.pk, score), 0) for score in range(1, 6)]
        answered = (
            sum(spread) if question.kind == QuestionKind.LIKERT else len(texts.get(question.pk, []))
        )
        mean = (
            sum(score * n for score, n in zip(range(1, 6), spread, strict=True)) / sum(spread)
            if sum(spread)
            else None
        )
        results.append(
            QuestionResult(
                text=question.text,
                kind=question.kind,
                answered=answered,
                mean=mean,
                spread=spread,
                texts=texts.get(question.pk, []),
            )
        )
    return results


# ---------------------------------------------------------------- across municipalities


def national_medians() -> dict[str, float | None]:
    """The national median of each funnel share (of those who applied), of retention at 12
    months and of turnover, over the municipalities whose figures may be shown (nightly
    counts, no person): what each coordinator sees beside their own."""
    medians = _national(None).medians
    found: dict[str, float | None] = dict(zip(STAGE_KEYS[1:], medians[:5], strict=True))
    found["retained_12m"], found["turnover"] = medians[5], medians[6]
    return found


@dataclass(frozen=True)
class NationalRow:
    name: str
    counts: list[int | None]
    rates: list[float | None]
    retained_12m: float | None
    turnover: float | None
    profile: MunicipalityProfile | None


@dataclass(frozen=True)
class National:
    year: int | None
    years: list[int]
    rows: list[NationalRow]
    medians: list[float | None]
    refreshed_at: object


def national_for(*, actor: Actor, year: int | None) -> National:
    """Per municipality: the funnel, retention at 12 months and turnover of ``year`` (all
    years when None), with every group under five people and every figure that would give
    one back by subtraction suppressed. Reads only the nightly counts (unscoped on purpose:
    they name no person), so it costs the same for 290 municipalities as for two."""
    actor.require(Perm.AGGREGATES_VIEW)
    return _national(year)


def _national(year: int | None) -> National:
    with scopes_disabled():
        figures = MunicipalityYear.objects.all()
        if year is not None:
            figures = figures.filter(year=year)
        sums = {
            row["municipality"]: row
            for row in figures.values("municipality").annotate(
                **{key: Sum(key) for key in STAGE_KEYS},
                followed=Sum("hires_followed"),
                retained=Sum("retained_12m"),
                headcount=Sum("headcount"),
                leavers=Sum("leavers"),
                refreshed=Max("refreshed_at"),
            )
        }
        years = sorted(
            MunicipalityYear.objects.values_list("year", flat=True).distinct(), reverse=True
        )
        names = dict(Municipality.objects.values_list("pk", "name"))
        profiles = {p.municipality_id: p for p in MunicipalityProfile.objects.all()}
    rows = []
    for municipality_id, name in sorted(names.items(), key=lambda item: item[1]):
        row = sums.get(municipality_id)
        counts: list[int | None] = (
            stats.suppress_chain([row[k] for k in STAGE_KEYS]) if row else [None] * 6
        )
        rates = [stats.rate(c, counts[0]) for c in counts[1:]]
        retained = None
        turnover = None
        if row:
            followed, kept = stats.suppress_chain([row["followed"], row["retained"]])
            retained = stats.rate(kept, followed)
            leavers = None if stats.hidden(row["leavers"]) else row["leavers"]
            headcount = float(row["headcount"] or 0)
            turnover = stats.rate(leavers, headcount) if headcount >= stats.SMALL else None
        rows.append(
            NationalRow(
                name=name,
                counts=counts,
                rates=rates,
                retained_12m=retained,
                turnover=turnover,
                profile=profiles.get(municipality_id),
            )
        )
    medians = [stats.median([r.rates[i] for r in rows]) for i in range(5)]
    medians += [
        stats.median([r.retained_12m for r in rows]),
        stats.median([r.turnover for r in rows]),
    ]
    refreshed = max((r["refreshed"] for r in sums.values() if r["refreshed"]), default=None)
    return National(year=year, years=years, rows=rows, medians=medians, refreshed_at=refreshed)


@tenant_scoped
def own_yearly(*, actor: Actor) -> list[MunicipalityYear]:
    """The municipality's own nightly figures (what the nation sees of it, unsuppressed for
    its own coordinator)."""
    actor.require(Perm.INSIGHTS_VIEW)
    with scopes_disabled():
        return list(
            MunicipalityYear.objects.filter(municipality_id=require_tenant(actor).pk).order_by(
                "year"
            )
        )


@tenant_scoped
def unit_names(*, actor: Actor) -> dict[int, str]:
    actor.require(Perm.INSIGHTS_MANAGE)
    return dict(Unit.objects.values_list("pk", "name"))


def questions_of(invitation) -> list:
    """The questions behind a survey link (the link is the key: its municipality's scope)."""
    from django_scopes import scope

    with scope(municipality=invitation.municipality_id):
        return list(invitation.survey.questions.all())
