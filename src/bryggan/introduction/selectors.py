"""Reads of the broad introduction, through the one gate (core/gate.py): tenant scope, the
permission question, and the access log for the new hires' schedules (the staff register's
personal data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet

from bryggan.core.gate import log_list, one_or_404, tenant_scoped
from bryggan.core.permissions import Actor, Perm, PermissionDeniedError
from bryggan.introduction.models import (
    Absence,
    Block,
    Cohort,
    CohortMember,
    IntroductionProgramme,
    ScheduleChange,
    UnitPlaces,
)
from bryggan.organisation.models import StaffMember, Unit


@tenant_scoped
def programmes_for(*, actor: Actor) -> QuerySet[IntroductionProgramme]:
    actor.require(Perm.INTRODUCTION_MANAGE)
    return IntroductionProgramme.objects.prefetch_related(
        Prefetch("areas", queryset=_areas()), Prefetch("cohorts", queryset=Cohort.objects.all())
    ).order_by("name")


def _areas():
    from bryggan.introduction.models import Area

    return Area.objects.select_related("department").order_by("position", "pk")


@tenant_scoped
def programme_by_id(*, actor: Actor, pk: object) -> IntroductionProgramme:
    actor.require(Perm.INTRODUCTION_MANAGE)
    return one_or_404(
        IntroductionProgramme.objects.prefetch_related(Prefetch("areas", queryset=_areas())), pk
    )


@tenant_scoped
def places_of(*, actor: Actor, programme: IntroductionProgramme) -> list[UnitPlaces]:
    actor.require(Perm.INTRODUCTION_MANAGE)
    return list(
        UnitPlaces.objects.filter(programme=programme)
        .select_related("unit__department", "trainer")
        .order_by("unit__department__name", "unit__name", "pk")
    )


@tenant_scoped
def cohorts_of(*, actor: Actor, programme: IntroductionProgramme) -> list[Cohort]:
    actor.require(Perm.INTRODUCTION_MANAGE)
    return list(
        Cohort.objects.filter(programme=programme)
        .select_related("programme")
        .order_by("starts_on", "name")
    )


@tenant_scoped
def cohort_by_id(*, actor: Actor, pk: object) -> Cohort:
    actor.require(Perm.INTRODUCTION_MANAGE)
    return one_or_404(Cohort.objects.select_related("programme"), pk)


@tenant_scoped
def area_choices(*, actor: Actor, programme: IntroductionProgramme):
    actor.require(Perm.INTRODUCTION_MANAGE)
    return _areas().filter(programme=programme)


@dataclass
class MemberRow:
    member: CohortMember
    blocks: list[Block]
    changes: list[ScheduleChange] = field(default_factory=list)

    def cells(self, weeks: int) -> list[Block | None]:
        """The block of each week (None for a week without one)."""
        out: list[Block | None] = [None] * weeks
        for block in self.blocks:
            for week in range(block.start_week, min(block.end_week, weeks)):
                out[week] = block
        return out


@tenant_scoped
def schedule_of(*, actor: Actor, cohort: Cohort, purpose: str) -> list[MemberRow]:
    """The cohort's new hires with their blocks, in a fixed number of queries; the read is
    logged (names of new hires and their supervisors)."""
    actor.require(Perm.INTRODUCTION_MANAGE)
    log_list(actor=actor, model=CohortMember, purpose=purpose)
    members = (
        CohortMember.objects.filter(cohort=cohort)
        .select_related("staff__unit", "final_area__department", "avoid_unit", "wished_unit")
        .select_related("placed_unit")
        .prefetch_related(
            Prefetch(
                "blocks",
                queryset=Block.objects.select_related(
                    "area__department", "unit", "supervisor"
                ).order_by("start_week"),
            ),
            Prefetch("changes", queryset=ScheduleChange.objects.order_by("-created_at")),
        )
    )
    return [MemberRow(m, list(m.blocks.all()), list(m.changes.all())[:3]) for m in members]


@tenant_scoped
def absences_of(*, actor: Actor, cohort: Cohort) -> list[Absence]:
    actor.require(Perm.INTRODUCTION_MANAGE)
    return list(Absence.objects.filter(cohort=cohort).select_related("staff__unit"))


@tenant_scoped
def hire_candidates(*, actor: Actor, cohort: Cohort) -> list[StaffMember]:
    """Staff employed who could join the cohort by hand: not yet in it."""
    actor.require(Perm.INTRODUCTION_MANAGE)
    taken = CohortMember.objects.filter(cohort=cohort).values("staff_id")
    return list(
        StaffMember.objects.filter(employed_until__isnull=True)
        .exclude(pk__in=taken)
        .select_related("unit")
        .order_by("-employed_from", "last_name")[:300]
    )


@tenant_scoped
def absence_candidates(*, actor: Actor, cohort: Cohort) -> list[StaffMember]:
    """Those whose absence changes the places: the programme's trainers and the supervisors
    of the units of its areas."""
    actor.require(Perm.INTRODUCTION_MANAGE)
    departments = cohort.programme.areas.values("department_id")
    trainers = UnitPlaces.objects.filter(programme=cohort.programme, trainer__isnull=False)
    return list(
        (
            StaffMember.objects.filter(
                employed_until__isnull=True,
                is_trained_supervisor=True,
                unit__department_id__in=departments,
            )
            | StaffMember.objects.filter(pk__in=trainers.values("trainer_id"))
        )
        .select_related("unit")
        .distinct()
        .order_by("unit__name", "last_name", "first_name")
    )


@dataclass
class UnitWeek:
    monday: date
    blocks: list[Block]


@tenant_scoped
def unit_weeks(*, actor: Actor, unit_pk: object, start: date, weeks: int) -> tuple[Unit, list]:
    """Whom a unit receives week by week from ``start`` (a Monday), and who supervises them:
    for the coordinator, HR, and the unit's own managers, supervisors and trainers."""
    if not actor.has(Perm.INTRODUCTION_VIEW):
        raise PermissionDeniedError(Perm.INTRODUCTION_VIEW)
    unit = one_or_404(Unit.objects.select_related("department"), unit_pk)
    if not actor.has(Perm.INTRODUCTION_MANAGE) and not _works_at(actor, unit):
        raise PermissionDeniedError(Perm.INTRODUCTION_VIEW)
    log_list(actor=actor, model=CohortMember, purpose=f"introduction unit {unit.pk}")
    end = start + timedelta(weeks=weeks)
    blocks = list(
        Block.objects.filter(unit=unit, starts_on__lt=end, ends_on__gte=start)
        .select_related("member__staff", "member__cohort", "supervisor", "area__department")
        .order_by("starts_on", "member__staff__last_name")
    )
    days = [start + timedelta(weeks=w) for w in range(weeks)]
    return unit, [UnitWeek(d, [b for b in blocks if b.starts_on <= d <= b.ends_on]) for d in days]


def _own_units(actor: Actor) -> tuple[set[int], set[int]]:
    """The units and departments the actor's grants are scoped to, and the unit they work at
    as staff (one query)."""
    units = {g.unit_id for g in actor.grants if g.unit_id is not None}
    departments = {g.department_id for g in actor.grants if g.department_id is not None}
    if actor.user is not None:
        units |= set(StaffMember.objects.filter(user=actor.user).values_list("unit_id", flat=True))
    return units, departments


def _works_at(actor: Actor, unit: Unit) -> bool:
    units, departments = _own_units(actor)
    return unit.pk in units or unit.department_id in departments


@tenant_scoped
def units_visible(*, actor: Actor) -> list[Unit]:
    """The units whose introduction weeks the actor may see."""
    if not actor.has(Perm.INTRODUCTION_VIEW):
        raise PermissionDeniedError(Perm.INTRODUCTION_VIEW)
    units = Unit.objects.select_related("department").order_by("department__name", "name")
    if actor.has(Perm.INTRODUCTION_MANAGE):
        return list(units)
    own, departments = _own_units(actor)
    return [u for u in units if u.pk in own or u.department_id in departments]


@tenant_scoped
def own_schedule(*, actor: Actor) -> list[tuple[Cohort, list[Block], CohortMember]]:
    """The signed-in person's own introduction (as a new hire), newest cohort first."""
    if actor.user is None:
        return []
    members = list(
        CohortMember.objects.filter(staff__user=actor.user)
        .select_related("cohort__programme")
        .prefetch_related(
            Prefetch(
                "blocks",
                queryset=Block.objects.select_related(
                    "unit", "supervisor", "area__department"
                ).order_by("start_week"),
            )
        )
        .order_by("-cohort__starts_on")
    )
    from django.urls import reverse

    from bryggan.introduction.calendar import token_for

    found: list[tuple[Cohort, list[Block], CohortMember]] = []
    if not members:  # most people are not new hires: nothing more to read
        return found
    units = list(Unit.objects.select_related("department").order_by("department__name", "name"))
    for member in members:
        member.unit_choices = units  # type: ignore[attr-defined]  # where to work afterwards
        token = token_for(municipality_id=member.municipality_id, staff_id=member.staff_id)
        url = reverse("introduction:feed", args=[token])
        member.feed_url = url  # type: ignore[attr-defined]
        found.append((member.cohort, list(member.blocks.all()), member))
    return found


@tenant_scoped
def own_membership(*, actor: Actor, pk: object) -> CohortMember:
    """One of the signed-in new hire's own places in a cohort (404 for anyone else's)."""
    if actor.user is None:
        raise PermissionDeniedError(Perm.INTRODUCTION_VIEW)
    return one_or_404(CohortMember.objects.filter(staff__user=actor.user), pk)


@tenant_scoped
def feed_blocks(*, actor: Actor, staff_pk: int | None = None, unit_pk: int | None = None):
    """The blocks of a calendar feed: one person's, or one unit's (the feed's signed link
    is the permission: it was made for someone who could see them)."""
    blocks = Block.objects.select_related(
        "member__staff", "member__cohort", "unit", "supervisor", "area__department"
    )
    if staff_pk is not None:
        blocks = blocks.filter(member__staff_id=staff_pk)
    else:
        blocks = blocks.filter(unit_id=unit_pk or 0)
    return list(blocks.order_by("starts_on", "pk")[:2000])


@tenant_scoped
def member_of(*, actor: Actor, cohort: Cohort, pk: object) -> CohortMember:
    actor.require(Perm.INTRODUCTION_MANAGE)
    return one_or_404(CohortMember.objects.filter(cohort=cohort).select_related("cohort"), pk)


@tenant_scoped
def absence_of(*, actor: Actor, cohort: Cohort, pk: object) -> Absence:
    actor.require(Perm.INTRODUCTION_MANAGE)
    return one_or_404(Absence.objects.filter(cohort=cohort), pk)


def feed_reader(municipality_id: int) -> Actor | None:
    """Who reads a calendar feed: no one signed in, in the municipality its token names."""
    from bryggan.core.models import Municipality

    municipality = Municipality.objects.filter(pk=municipality_id).first()
    return Actor(user=None, municipality=municipality) if municipality else None
