"""Years of history for a municipality, written in bulk: rounds and applications, interviews,
step-1 placements, step 2, offers and hires, leavers, staff hired outside the programme,
broad-introduction cohorts, and each unit's sick leave and caseload month by month.

The demo gives its two municipalities a few years of it (so every chart tells a story); the
insights benchmark gives 290 municipalities a million applications over ten years. Rows are
made as the services would leave them, but in bulk: the history is in the past, so there is
no capacity to reserve and no one to e-mail."""

from __future__ import annotations

import dataclasses
import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django_scopes import scopes_disabled

from bryggan.core.models import Municipality, Person
from bryggan.insights.models import UnitMonth
from bryggan.introduction.models import Cohort, CohortMember, IntroductionProgramme
from bryggan.organisation.models import (
    Department,
    DepartmentKind,
    StaffMember,
    SupervisorCapacity,
    Term,
    TermKind,
    Unit,
    University,
)
from bryggan.programme.models import (
    Offer,
    OfferStatus,
    Participant,
    Placement,
)
from bryggan.programme.models import Stage as Step
from bryggan.recruitment.models import (
    Application,
    ApplicationWish,
    Posting,
    PostingKind,
    PostingStatus,
    Round,
    Source,
    Stage,
    StageChange,
)

FIRST = ["Anna", "Erik", "Sara", "Johan", "Maria", "Ali", "Elin", "Omar", "Lina", "Karl"]
LAST = ["Andersson", "Nilsson", "Karlsson", "Hassan", "Berg", "Lind", "Holm", "Ek", "Sjö"]
UNIVERSITIES = ["Stockholms universitet", "Linköpings universitet", "Södertörns högskola"]
LEFT_REASONS = [
    "Valde en annan arbetsgivare",
    "Flyttade från orten",
    "Avbröt studierna",
    "Fick inte ihop det med studierna",
]
SOURCES = [
    (Source.CAREERS_PAGE, 0.5),
    (Source.EVENT, 0.25),
    (Source.UNIVERSITY_LIST, 0.2),
    (Source.OTHER, 0.05),
]


@dataclass
class Rates:
    interviewed: float = 0.45
    step1: float = 0.45  # of those interviewed
    step2: float = 0.6  # of step 1
    offered: float = 0.65  # of step 2
    accepted: float = 0.85  # of offered
    months_programme: float = 60.0  # mean months a programme hire stays
    months_other: float = 26.0  # mean months another hire stays
    introduced_bonus: float = 1.5  # the broad introduction lengthens a stay by this factor


@dataclass
class _Run:
    """What every part of one municipality's history is written with."""

    municipality: Municipality
    rng: random.Random
    rates: Rates
    units: list
    supervisors: dict
    universities: list
    today: date
    written: dict
    cohort_programme: IntroductionProgramme | None
    room: dict = dataclasses.field(default_factory=dict)

    def supervise(self, unit: Unit, term: Term) -> tuple[Unit, StaffMember] | None:
        """A supervisor for a student at ``unit`` in ``term``: at that unit if one has room,
        else at another unit; ``None`` when the term is full. A term someone planned
        (supervisors' capacities are set) is filled only up to those capacities, counting the
        placements already there; a term of the past without capacities has no limit."""
        if term.pk not in self.room:
            planned = {
                c.supervisor_id: c.capacity for c in SupervisorCapacity.unscoped.filter(term=term)
            }
            if planned:
                for row in (
                    Placement.unscoped.filter(term=term)
                    .values("supervisor_id")
                    .annotate(n=Count("pk"))
                ):
                    if row["supervisor_id"] in planned:
                        planned[row["supervisor_id"]] -= row["n"]
            self.room[term.pk] = planned or None
        room = self.room[term.pk]
        if room is None:
            return unit, self.rng.choice(self.supervisors[unit.pk])
        for candidate in [unit, *self.rng.sample(self.units, len(self.units))]:
            free = [s for s in self.supervisors[candidate.pk] if room.get(s.pk, 0) > 0]
            if free:
                chosen = self.rng.choice(free)
                room[chosen.pk] -= 1
                return candidate, chosen
        return None


@contextmanager
def _given_times():
    """Let the history carry its own creation times (bulk-written rows would otherwise all
    be created now)."""
    field = Application._meta.get_field("created_at")
    field.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        field.auto_now_add = True  # type: ignore[attr-defined]


def _organisation(municipality: Municipality, rng: random.Random):
    units = list(Unit.unscoped.filter(municipality=municipality).order_by("pk"))
    if not units:
        for name, kind in (
            ("Barn och unga", DepartmentKind.CHILDREN_AND_YOUNG),
            ("Vuxen", DepartmentKind.ADULTS),
            ("Arbete och försörjning", DepartmentKind.WORK_AND_SUPPORT),
        ):
            department = Department.unscoped.create(municipality=municipality, name=name, kind=kind)
            for k in range(3):
                units.append(
                    Unit.unscoped.create(
                        municipality=municipality,
                        department=department,
                        name=f"{name} {k + 1}",
                    )
                )
    supervisors: dict[int, list[StaffMember]] = {}
    for staff in StaffMember.unscoped.filter(municipality=municipality, is_trained_supervisor=True):
        supervisors.setdefault(staff.unit_id, []).append(staff)
    missing = [u for u in units if u.pk not in supervisors]
    made = StaffMember.unscoped.bulk_create(
        StaffMember(
            municipality=municipality,
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            title="Socialsekreterare",
            unit=unit,
            employee_number=f"S{unit.pk}-{k}",
            employed_from=date(2012, 1, 1),
            is_trained_supervisor=True,
            supervisor_trained_on=date(2013, 5, 1),
        )
        for unit in missing
        for k in range(2)
    )
    for staff in made:
        supervisors.setdefault(staff.unit_id, []).append(staff)
    universities = list(University.unscoped.filter(municipality=municipality))
    if not universities:
        universities = University.unscoped.bulk_create(
            University(municipality=municipality, name=name) for name in UNIVERSITIES
        )
    return units, supervisors, universities


def _term(municipality: Municipality, kind: str, year: int) -> Term:
    starts, ends = (
        (date(year, 1, 16), date(year, 6, 4))
        if kind == TermKind.SPRING
        else (date(year, 8, 28), date(year + 1, 1, 14))
    )
    term, _made = Term.unscoped.get_or_create(
        municipality=municipality,
        kind=kind,
        year=year,
        defaults={"starts_on": starts, "ends_on": ends},
    )
    return term


def _months_stayed(rng: random.Random, mean: float) -> float:
    return rng.expovariate(1 / mean)


def generate(
    municipality: Municipality,
    *,
    years: list[int],
    applications_per_year: int,
    today: date,
    seed: int = 1,
    rates: Rates | None = None,
    outside_hires_per_year: int = 6,
    unit_months: int = 36,
    introduction: bool = False,
) -> dict[str, int]:
    """Write ``years`` of history for ``municipality``; returns what was written."""
    rates = rates or Rates()
    rng = random.Random(seed)  # noqa: S311 - synthetic history, not a secret
    written = dict.fromkeys(
        ("applications", "placements", "hires", "leavers", "outside", "unit_months"), 0
    )
    with scopes_disabled(), transaction.atomic(), _given_times():
        units, supervisors, universities = _organisation(municipality, rng)
        cohort_programme = None
        if introduction:
            cohort_programme, _made = IntroductionProgramme.unscoped.get_or_create(
                municipality=municipality, defaults={"name": "Bred introduktion"}
            )
        run = _Run(
            municipality,
            rng,
            rates,
            units,
            supervisors,
            universities,
            today,
            written,
            cohort_programme,
        )
        for year in years:
            _year(run, year, applications_per_year)
            _outside(run, year, outside_hires_per_year)
        written["unit_months"] = _unit_months(run, unit_months)
    return written


def _year(run: _Run, year: int, count: int) -> None:
    municipality, rng, rates, units = run.municipality, run.rng, run.rates, run.units
    universities, written = run.universities, run.written
    autumn = _term(municipality, TermKind.AUTUMN, year)
    spring_next = _term(municipality, TermKind.SPRING, year + 1)
    round_, _made = Round.unscoped.get_or_create(
        municipality=municipality,
        name=f"Traineeomgång {year}",
        defaults={"closes_on": date(year, 4, 15), "term": autumn},
    )
    postings = []
    for kind, title in (
        (PostingKind.PRACTICUM, "VFU-plats steg 1"),
        (PostingKind.STUDENT_EMPLOYEE, "Studentmedarbetare steg 2"),
        (PostingKind.ASPIRANT, "Aspirant"),
    ):
        posting = Posting.unscoped.filter(
            round=round_, kind=kind
        ).first() or Posting.unscoped.create(
            municipality=municipality,
            round=round_,
            kind=kind,
            title=f"{title} {year}",
            description="Historik.",
            starts_on=autumn.starts_on,
            ends_on=spring_next.ends_on,
            last_application_date=date(year, 4, 15),
            status=PostingStatus.CLOSED,
            places=10,
        )
        postings.append(posting)
    people = Person.unscoped.bulk_create(
        Person(
            municipality=municipality,
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            email=f"historik{year}-{n}-{municipality.pk}@example.invalid",
        )
        for n in range(count)
    )
    sources = [s for s, _w in SOURCES]
    weights = [w for _s, w in SOURCES]
    applications = []
    for person in people:
        applied = datetime(year, rng.randint(2, 4), rng.randint(1, 28), 10, tzinfo=UTC)
        applications.append(
            Application(
                municipality=municipality,
                posting=rng.choice(postings[:2]),
                person=person,
                university=rng.choice(universities),
                current_term=5,
                expected_graduation=f"VT {year + 1}",
                source=rng.choices(sources, weights)[0],
                consent_version="1",
                consented_at=applied,
                created_at=applied,
                stage=Stage.RECEIVED,
            )
        )
    applications = Application.unscoped.bulk_create(applications, batch_size=2000)
    written["applications"] += len(applications)
    wishes, changes, step1 = [], [], []
    for application in applications:
        unit = rng.choice(units)
        wishes.append(
            ApplicationWish(municipality=municipality, application=application, unit=unit, rank=1)
        )
        when = application.created_at + timedelta(days=14)
        if rng.random() < rates.interviewed:
            changes.append(
                StageChange(
                    municipality=municipality,
                    application=application,
                    from_stage=Stage.SCREENING,
                    to_stage=Stage.INTERVIEW,
                    at=when,
                )
            )
            if rng.random() < rates.step1:
                application.stage = Stage.OFFERED
                step1.append((application, unit))
                continue
            application.stage = Stage.REJECTED
            changes.append(
                StageChange(
                    municipality=municipality,
                    application=application,
                    from_stage=Stage.INTERVIEW,
                    to_stage=Stage.REJECTED,
                    at=when + timedelta(days=10),
                )
            )
        else:
            withdrawn = rng.random() < 0.15
            application.stage = Stage.WITHDRAWN if withdrawn else Stage.REJECTED
            changes.append(
                StageChange(
                    municipality=municipality,
                    application=application,
                    from_stage=Stage.SCREENING,
                    to_stage=application.stage,
                    at=when,
                )
            )
    ApplicationWish.unscoped.bulk_create(wishes, batch_size=2000)
    StageChange.unscoped.bulk_create(changes, batch_size=2000)
    Application.unscoped.bulk_update(
        [a for a in applications if a.stage != Stage.RECEIVED], ["stage"], batch_size=2000
    )
    _programme(run, year, step1, autumn, spring_next)


def _programme(run: _Run, year: int, step1: list, autumn: Term, spring_next: Term) -> None:
    municipality, rng, rates, units = run.municipality, run.rng, run.rates, run.units
    today, written = run.today, run.written
    cohort_programme = run.cohort_programme
    placements, participants, went_on = [], [], []
    for application, wished in step1:
        place = run.supervise(wished, autumn)
        if place is None:
            continue  # the term's supervisors were full: the offer was never taken up
        unit, supervisor = place
        placements.append(
            Placement(
                municipality=municipality,
                person_id=application.person_id,
                unit=unit,
                supervisor=supervisor,
                term=autumn,
                step=Step.PRACTICUM,
                ended_at=datetime.combine(autumn.ends_on, datetime.min.time(), tzinfo=UTC),
            )
        )
        goes_on = rng.random() < rates.step2 and spring_next.starts_on <= today
        step2 = run.supervise(rng.choice(units), spring_next) if goes_on else None
        goes_on = step2 is not None
        stage = Step.STUDENT_EMPLOYEE if goes_on else Step.LEFT
        participants.append(
            Participant(
                municipality=municipality,
                person_id=application.person_id,
                stage=stage,
                university_id=application.university_id,
                stage_since=spring_next.starts_on if goes_on else autumn.ends_on,
                left_reason="" if goes_on else rng.choice(LEFT_REASONS),
            )
        )
        if step2 is not None:
            step2_unit, step2_supervisor = step2
            placements.append(
                Placement(
                    municipality=municipality,
                    person_id=application.person_id,
                    unit=step2_unit,
                    supervisor=step2_supervisor,
                    term=spring_next,
                    step=rng.choice((Step.STUDENT_EMPLOYEE, Step.STUDENT_EMPLOYEE, Step.ASPIRANT)),
                )
            )
            went_on.append((participants[-1], step2_unit))
    Placement.unscoped.bulk_create(placements, batch_size=2000)
    written["placements"] += len(placements)
    participants = Participant.unscoped.bulk_create(participants, batch_size=2000)
    hired_on = date(year + 1, 8, 15)
    offers, hires = [], []
    for participant, unit in went_on:
        if rng.random() >= rates.offered or hired_on > today + timedelta(days=60):
            continue
        accepted = rng.random() < rates.accepted and hired_on <= today
        introduced = cohort_programme is not None and rng.random() < 0.6
        staff = None
        if accepted:
            stay = _months_stayed(
                rng, rates.months_programme * (rates.introduced_bonus if introduced else 1)
            )
            until = hired_on + timedelta(days=int(stay * 30.4))
            staff = StaffMember(
                municipality=municipality,
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                title="Socialsekreterare",
                unit=unit,
                employee_number=f"P{year}-{participant.pk}",
                employed_from=hired_on,
                employed_until=until if until <= today else None,
            )
            hires.append((staff, introduced))
            participant.stage = Step.EMPLOYED if staff.employed_until is None else Step.LEFT
            if staff.employed_until is not None:
                participant.left_reason = "Slutade efter anställning"
        offers.append(
            Offer(
                municipality=municipality,
                participant=participant,
                unit=unit,
                starts_on=hired_on,
                reply_by=hired_on - timedelta(days=60),
                status=OfferStatus.ACCEPTED if accepted else OfferStatus.DECLINED,
                answered_at=datetime.combine(
                    hired_on - timedelta(days=70), datetime.min.time(), tzinfo=UTC
                ),
                staff_member=staff,
            )
        )
    StaffMember.unscoped.bulk_create([s for s, _i in hires], batch_size=2000)
    for offer in offers:
        offer.staff_member_id = offer.staff_member.pk if offer.staff_member else None
    Offer.unscoped.bulk_create(offers, batch_size=2000)
    Participant.unscoped.bulk_update(
        [o.participant for o in offers], ["stage", "left_reason"], batch_size=2000
    )
    written["hires"] += len(hires)
    written["leavers"] += sum(1 for s, _i in hires if s.employed_until)
    newcomers = [s for s, i in hires if i]
    if newcomers and cohort_programme is not None:
        cohort, _made = Cohort.unscoped.get_or_create(
            municipality=municipality,
            programme=cohort_programme,
            name=f"Introduktionskull HT {year + 1}",
            defaults={"starts_on": hired_on - timedelta(days=hired_on.weekday())},
        )
        CohortMember.unscoped.bulk_create(
            CohortMember(municipality=municipality, cohort=cohort, staff=staff)
            for staff in newcomers
        )


def _outside(run: _Run, year: int, count: int) -> None:
    municipality, rng, rates, units = run.municipality, run.rng, run.rates, run.units
    today, written = run.today, run.written
    # The HR system's numbers: unique however many times history is added.
    batch = StaffMember.unscoped.filter(municipality=municipality).count()
    made = []
    for n in range(count):
        start = date(year, rng.randint(1, 12), 1)
        if start > today:
            continue
        until = start + timedelta(days=int(_months_stayed(rng, rates.months_other) * 30.4))
        made.append(
            StaffMember(
                municipality=municipality,
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                title="Socialsekreterare",
                unit=rng.choice(units),
                employee_number=f"H{year}-{batch}-{n}",
                employed_from=start,
                employed_until=until if until <= today else None,
            )
        )
    StaffMember.unscoped.bulk_create(made, batch_size=2000)
    written["outside"] += len(made)
    written["leavers"] += sum(1 for s in made if s.employed_until)


def _unit_months(run: _Run, months: int) -> int:
    municipality, units, rng, today = run.municipality, run.units, run.rng, run.today
    first = date(today.year, today.month, 1)
    existing = set(
        UnitMonth.unscoped.filter(municipality=municipality).values_list("unit_id", "month")
    )
    rows = []
    for unit in units:
        level = rng.uniform(4.5, 9.0)
        workers = Decimal(rng.randint(6, 14))
        for back in range(1, months + 1):
            month = _months_back(first, back)
            if (unit.pk, month) in existing:
                continue
            winter = 1.5 if month.month in (1, 2, 3, 12) else 0.0
            trend = -0.03 * (months - back)  # slowly better: the story the demo tells
            sick = max(0.5, level + winter + trend + rng.gauss(0, 0.8))
            rows.append(
                UnitMonth(
                    municipality=municipality,
                    unit=unit,
                    month=month,
                    sick_leave_percent=Decimal(f"{min(sick, 40):.1f}"),
                    open_cases=max(0, int(float(workers) * rng.uniform(22, 38))),
                    case_workers=workers,
                )
            )
    UnitMonth.unscoped.bulk_create(rows, batch_size=2000)
    return len(rows)


def _months_back(first: date, back: int) -> date:
    index = first.year * 12 + first.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)
