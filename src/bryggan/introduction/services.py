"""Writes of the broad introduction: programmes, unit places, cohorts, new hires, absences,
and the schedule (planned with the CP-SAT planner, re-planned keeping the past).

Each takes the acting user, asks permission first, validates, and writes in one
transaction; a refusal writes nothing. Supervisors' places come from the one owner of
capacity (organisation/capacity.py), locked before the schedule is saved.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bryggan.core.errors import InvalidInputError
from bryggan.core.gate import tenant_scoped
from bryggan.core.permissions import Actor, Perm, PermissionDeniedError, require_tenant
from bryggan.introduction import planner
from bryggan.introduction.models import (
    Absence,
    Area,
    Block,
    Cohort,
    CohortMember,
    IntroductionProgramme,
    PlanStatus,
    ScheduleChange,
    UnitPlaces,
)
from bryggan.organisation.capacity import lock_supervisors, weekly_free_places
from bryggan.organisation.models import Department, DepartmentKind, StaffMember, Unit

# The Östra Göteborg model: financial assistance, adults (and disability), children and
# young people — mapped to the municipality's departments of these kinds, in this order.
DEFAULT_AREAS = (
    DepartmentKind.WORK_AND_SUPPORT,
    DepartmentKind.ADULTS,
    DepartmentKind.CHILDREN_AND_YOUNG,
)
PLAN_SECONDS = 10.0


def _tenant(actor: Actor) -> int:
    return require_tenant(actor).pk


def _invalid(field: str, message: str) -> InvalidInputError:
    return InvalidInputError({field: [message]})


def equal_blocks(weeks: int, areas: int) -> list[int]:
    """Block lengths as equal as they can be (16 weeks, 3 areas: 6, 5, 5)."""
    return [weeks // areas + (1 if i < weeks % areas else 0) for i in range(areas)]


def _block_weeks(weeks: int, departments: list, block_weeks: int | None, lengths) -> list[int]:
    if lengths is not None:
        if len(lengths) != len(departments):
            raise _invalid("areas", _("Give one block length for each area."))
        if any(n < 1 for n in lengths) or sum(lengths) != weeks:
            raise _invalid(
                "areas",
                _("The blocks (%(sum)s weeks) must fill the programme's %(weeks)s weeks.")
                % {"sum": sum(lengths), "weeks": weeks},
            )
        return list(lengths)
    if block_weeks is not None:
        if block_weeks < 1 or block_weeks * len(departments) != weeks:
            raise _invalid(
                "block_weeks",
                _(
                    "Blocks of %(block)s weeks in %(areas)s areas do not fill %(weeks)s weeks; "
                    "give each area its own length."
                )
                % {"block": block_weeks, "areas": len(departments), "weeks": weeks},
            )
        return [block_weeks] * len(departments)
    return equal_blocks(weeks, len(departments))


@tenant_scoped
def programme_create(
    *,
    actor: Actor,
    name: str,
    weeks: int = 16,
    departments: list[Department] | None = None,
    block_weeks: int | None = None,
    lengths: list[int] | None = None,
) -> IntroductionProgramme:
    """A programme with its areas: the departments given, or by default one of each of the
    three areas' kinds; block lengths equal unless given."""
    actor.require(Perm.INTRODUCTION_MANAGE)
    name = name.strip()
    if not name:
        raise _invalid("name", _("Name the programme."))
    if not 1 <= weeks <= 52:
        raise _invalid("weeks", _("A programme lasts 1 to 52 weeks."))
    if departments is None:
        departments = []
        for kind in DEFAULT_AREAS:
            found = Department.objects.filter(kind=kind).order_by("name").first()
            if found is not None:
                departments.append(found)
    if not departments:
        raise _invalid("departments", _("Choose the areas every new hire rotates through."))
    if len({d.pk for d in departments}) != len(departments):
        raise _invalid("departments", _("An area is listed twice."))
    if len(departments) > weeks:
        raise _invalid("departments", _("More areas than weeks."))
    lengths = _block_weeks(weeks, departments, block_weeks, lengths)
    with transaction.atomic():
        if IntroductionProgramme.objects.filter(name=name).exists():
            raise _invalid("name", _("There is already a programme with this name."))
        programme = IntroductionProgramme.objects.create(
            municipality_id=_tenant(actor), name=name[:120], weeks=weeks
        )
        Area.objects.bulk_create(
            Area(
                municipality_id=_tenant(actor),
                programme=programme,
                department=department,
                weeks=length,
                position=i,
            )
            for i, (department, length) in enumerate(zip(departments, lengths, strict=True))
        )
    return programme


@tenant_scoped
def places_set(
    *,
    actor: Actor,
    programme: IntroductionProgramme,
    unit: Unit,
    places: int,
    trainer: StaffMember | None = None,
) -> UnitPlaces | None:
    """How many new hires a unit takes each week (from a trainer, or the unit itself); 0
    removes the row."""
    actor.require(Perm.INTRODUCTION_MANAGE)
    if places < 0:
        raise _invalid("places", _("Places cannot be negative."))
    if places > 50:
        raise _invalid("places", _("At most 50 new hires a week per row."))
    if not programme.areas.filter(department_id=unit.department_id).exists():
        raise _invalid("unit", _("The unit is not in one of the programme's areas."))
    if trainer is not None and trainer.unit_id != unit.pk:
        raise _invalid("trainer", _("The trainer works at another unit."))
    with transaction.atomic():
        row = (
            UnitPlaces.objects.select_for_update()
            .filter(programme=programme, unit=unit, trainer=trainer)
            .first()
        )
        if places == 0:
            if row is not None:
                row.delete()
            return None
        if row is None:
            row = UnitPlaces(
                municipality_id=_tenant(actor),
                programme=programme,
                unit=unit,
                trainer=trainer,
            )
        row.places = places
        row.save()
    return row


@tenant_scoped
def cohort_create(
    *, actor: Actor, programme: IntroductionProgramme, name: str, starts_on: date
) -> Cohort:
    actor.require(Perm.INTRODUCTION_MANAGE)
    name = name.strip()
    if not name:
        raise _invalid("name", _("Name the cohort."))
    if starts_on.weekday() != 0:
        raise _invalid("starts_on", _("A cohort starts on a Monday."))
    with transaction.atomic():
        if Cohort.objects.filter(name=name).exists():
            raise _invalid("name", _("There is already a cohort with this name."))
        return Cohort.objects.create(
            municipality_id=_tenant(actor),
            programme=programme,
            name=name[:120],
            starts_on=starts_on,
        )


def _overlapping(cohort: Cohort, staff: StaffMember) -> CohortMember | None:
    """The new hire's place in another cohort whose weeks overlap this one's."""
    for member in CohortMember.objects.filter(staff=staff, left_on__isnull=True).select_related(
        "cohort__programme"
    ):
        other = member.cohort
        if (
            other.pk != cohort.pk
            and other.starts_on <= cohort.ends_on
            and (cohort.starts_on <= other.ends_on)
        ):
            return member
    return None


def _student_unit(staff: StaffMember) -> Unit | None:
    """Where the new hire was a student (their accepted offer's path), to avoid it."""
    offer = getattr(staff, "offer", None)
    if offer is None:
        return None
    placement = offer.participant.person.placements.order_by("-created_at").first()
    return placement.unit if placement is not None else None


@tenant_scoped
def member_add(
    *,
    actor: Actor,
    cohort: Cohort,
    staff: StaffMember,
    final_area: Area | None = None,
    avoid_unit: Unit | None = None,
) -> CohortMember:
    actor.require(Perm.INTRODUCTION_MANAGE)
    if final_area is not None and final_area.programme_id != cohort.programme_id:
        raise _invalid("final_area", _("The area is not one of the programme's."))
    with transaction.atomic():
        StaffMember.objects.select_for_update().filter(pk=staff.pk).first()
        if CohortMember.objects.filter(cohort=cohort, staff=staff).exists():
            raise _invalid("staff", _("%(name)s is already in this cohort.") % {"name": staff})
        other = _overlapping(cohort, staff)
        if other is not None:
            raise _invalid(
                "staff",
                _("%(name)s is already in the cohort %(cohort)s, whose weeks overlap these.")
                % {"name": staff, "cohort": other.cohort},
            )
        try:
            with transaction.atomic():
                return CohortMember.objects.create(
                    municipality_id=_tenant(actor),
                    cohort=cohort,
                    staff=staff,
                    final_area=final_area,
                    avoid_unit=avoid_unit or _student_unit(staff),
                )
        except IntegrityError:
            raise _invalid(
                "staff", _("%(name)s is already in this cohort.") % {"name": staff}
            ) from None


@tenant_scoped
def members_from_offers(*, actor: Actor, cohort: Cohort) -> int:
    """Add the new hires whose accepted offers start within four weeks of the cohort's start
    and who are in no overlapping cohort; the unit where they were a student is avoided."""
    actor.require(Perm.INTRODUCTION_MANAGE)
    window = (cohort.starts_on - timedelta(weeks=4), cohort.starts_on + timedelta(weeks=4))
    candidates = (
        StaffMember.objects.filter(
            offer__status="accepted",
            offer__starts_on__range=window,
            employed_until__isnull=True,
        )
        .exclude(introductions__cohort=cohort)
        .order_by("pk")
    )
    added = 0
    for staff in candidates:
        try:
            member_add(actor=actor, cohort=cohort, staff=staff)
        except InvalidInputError:
            continue  # in an overlapping cohort already: left where they are
        added += 1
    return added


@tenant_scoped
def member_update(
    *,
    actor: Actor,
    member: CohortMember,
    final_area: Area | None,
    avoid_unit: Unit | None,
    wished_unit: Unit | None = None,
    placed_unit: Unit | None = None,
    placed_on: date | None = None,
) -> CohortMember:
    """A new hire's wishes for the rotation, and where they want to work and were placed
    after it."""
    actor.require(Perm.INTRODUCTION_MANAGE)
    if final_area is not None and final_area.programme_id != member.cohort.programme_id:
        raise _invalid("final_area", _("The area is not one of the programme's."))
    if placed_unit is not None and placed_on is None:
        placed_on = timezone.localdate()
    member.final_area = final_area
    member.avoid_unit = avoid_unit
    member.wished_unit = wished_unit
    member.placed_unit = placed_unit
    member.placed_on = placed_on if placed_unit is not None else None
    member.save()
    return member


@tenant_scoped
def wish_state(*, actor: Actor, member: CohortMember, unit: Unit | None) -> CohortMember:
    """The new hire says where they want to work after the introduction (their own
    record only; the coordinator then records the placement)."""
    if actor.user is None or member.staff.user_id != actor.user.pk:
        raise PermissionDeniedError(Perm.INTRODUCTION_VIEW)
    member.wished_unit = unit
    member.save(update_fields=["wished_unit"])
    return member


@tenant_scoped
def member_leave(*, actor: Actor, member: CohortMember, on: date) -> CohortMember:
    """The new hire left the introduction on ``on``: their blocks after it are removed (the
    one under way ends there), freeing the places for a re-plan."""
    actor.require(Perm.INTRODUCTION_MANAGE)
    cohort = member.cohort
    if member.left_on is not None:
        raise _invalid("left_on", _("%(name)s has already left.") % {"name": member})
    if not cohort.starts_on <= on <= cohort.ends_on:
        raise _invalid("left_on", _("Give a day within the cohort's weeks."))
    with transaction.atomic():
        member.left_on = on
        member.save(update_fields=["left_on"])
        member.blocks.filter(starts_on__gt=on).delete()
        member.blocks.filter(ends_on__gt=on).update(ends_on=on)
    return member


@tenant_scoped
def absence_add(
    *,
    actor: Actor,
    cohort: Cohort,
    staff: StaffMember,
    starts_on: date,
    ends_on: date,
    note: str = "",
) -> Absence:
    actor.require(Perm.INTRODUCTION_MANAGE)
    if ends_on < starts_on:
        raise _invalid("ends_on", _("The absence ends before it starts."))
    if starts_on < cohort.starts_on or ends_on > cohort.ends_on:
        raise _invalid(
            "starts_on",
            _("An absence must fall within the cohort's weeks, %(start)s to %(end)s.")
            % {"start": cohort.starts_on.isoformat(), "end": cohort.ends_on.isoformat()},
        )
    return Absence.objects.create(
        municipality_id=_tenant(actor),
        cohort=cohort,
        staff=staff,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note.strip()[:200],
    )


@tenant_scoped
def absence_delete(*, actor: Actor, absence: Absence) -> None:
    actor.require(Perm.INTRODUCTION_MANAGE)
    absence.delete()


# --- planning ------------------------------------------------------------------------------


@dataclass
class Outcome:
    status: str
    gap: float
    seconds: float
    told: int  # new hires told of a change
    shortages: list[dict]


def _absent_weeks(cohort: Cohort, absences: list[Absence], staff_id: int) -> set[int]:
    weeks: set[int] = set()
    for absence in absences:
        if absence.staff_id != staff_id:
            continue
        first = max(cohort.week_of(absence.starts_on), 0)
        last = min(cohort.week_of(absence.ends_on), cohort.weeks - 1)
        weeks.update(range(first, last + 1))
    return weeks


@dataclass
class _Built:
    problem: planner.Problem
    members: dict[str, CohortMember]
    areas: dict[str, Area]
    units: dict[str, Unit]
    supervisors: dict[str, StaffMember]
    kept: list[Block]  # blocks that stay as they are (the past)


def _build(cohort: Cohort, from_week: int) -> _Built:
    """The planner's problem from the database: the cohort's areas and units with their
    places, the supervisors' free places from the capacity owner, absences, wishes, and the
    blocks before ``from_week`` fixed."""
    weeks = cohort.weeks
    areas = {f"a{a.pk}": a for a in cohort.programme.areas.select_related("department")}
    rows = list(
        UnitPlaces.objects.filter(programme=cohort.programme).select_related("unit", "trainer")
    )
    absences = list(Absence.objects.filter(cohort=cohort))
    members = {
        f"h{m.pk}": m
        for m in CohortMember.objects.filter(cohort=cohort, left_on__isnull=True).select_related(
            "staff"
        )
    }
    open_weeks = range(from_week, weeks)
    everyone = len(members)
    area_of_department = {a.department_id: key for key, a in areas.items()}
    unit_places: dict[int, list[int]] = {}
    units: dict[str, Unit] = {}
    for row in rows:
        if row.unit.department_id not in area_of_department:
            continue
        units[f"u{row.unit_id}"] = row.unit
        week_places = unit_places.setdefault(row.unit_id, [0] * weeks)
        gone = _absent_weeks(cohort, absences, row.trainer_id) if row.trainer_id else set()
        for w in range(weeks):
            if w not in gone:
                week_places[w] += row.places
    sups = list(
        StaffMember.objects.filter(
            unit_id__in=[u.pk for u in units.values()],
            is_trained_supervisor=True,
            employed_until__isnull=True,
        ).order_by("pk")
    )
    mondays = [cohort.monday(w) for w in range(weeks)]
    free = weekly_free_places(supervisor_ids=[s.pk for s in sups], mondays=mondays, exclude=cohort)

    # The past is fixed, so its weeks hold whatever was planned: no limit there.
    def limited(week_places: list[int]) -> tuple[int, ...]:
        return tuple(week_places[w] if w in open_weeks else everyone for w in range(weeks))

    supervisors = {f"s{s.pk}": s for s in sups}
    plan_sups = []
    for key, staff in supervisors.items():
        gone = _absent_weeks(cohort, absences, staff.pk)
        places = [0 if w in gone else free[staff.pk][w] for w in range(weeks)]
        plan_sups.append(planner.Supervisor(key, f"u{staff.unit_id}", limited(places)))
    existing = list(
        Block.objects.filter(member__cohort=cohort, member__left_on__isnull=True).select_related(
            "member"
        )
    )
    fixed, previous, kept = [], {}, []
    for block in existing:
        hire = f"h{block.member_id}"
        area = f"a{block.area_id}"
        if block.start_week < from_week:
            kept.append(block)
            sup = f"s{block.supervisor_id}"
            absent = _absent_weeks(cohort, absences, block.supervisor_id)
            keep_sup = sup in supervisors and not absent & set(range(from_week, block.end_week))
            fixed.append(
                planner.Fixed(
                    hire, area, f"u{block.unit_id}", block.start_week, sup if keep_sup else None
                )
            )
        previous[hire, area] = f"s{block.supervisor_id}"
    problem = planner.Problem(
        weeks=weeks,
        areas=[planner.Area(key, a.weeks) for key, a in areas.items()],
        units=[
            planner.Unit(key, area_of_department[u.department_id], limited(unit_places[u.pk]))
            for key, u in units.items()
        ],
        supervisors=plan_sups,
        hires=[
            planner.Hire(
                key,
                final_area=f"a{m.final_area_id}" if m.final_area_id else None,
                avoid_unit=f"u{m.avoid_unit_id}" if m.avoid_unit_id else None,
            )
            for key, m in members.items()
        ],
        fixed=[f for f in fixed if f.unit in units],
        previous=previous,
        time_limit=PLAN_SECONDS,
    )
    return _Built(problem, members, areas, units, supervisors, kept)


def _shortage_rows(cohort: Cohort, built: _Built, found: list[planner.Shortage]) -> list[dict]:
    names = {
        **{k: str(a) for k, a in built.areas.items()},
        **{k: str(u) for k, u in built.units.items()},
        **{k: str(s) for k, s in built.supervisors.items()},
    }
    return [
        {
            "kind": s.kind,
            "what": names.get(s.what, s.what),
            "weeks": [w + 1 for w in s.weeks],
            "from": cohort.monday(min(s.weeks)).isoformat() if s.weeks else "",
            "missing": s.missing,
        }
        for s in found
    ]


@tenant_scoped
def plan(
    *, actor: Actor, cohort: Cohort, today: date, from_date: date | None = None, reason: str = ""
) -> Outcome:
    """Plan the cohort's schedule, or re-plan it from this week on keeping the past: blocks
    already begun stay where they are (their supervisor too, unless away). The schedule is
    written only when one fits; otherwise the answer says what is short, nothing changes."""
    actor.require(Perm.INTRODUCTION_MANAGE)
    has_plan = Block.objects.filter(member__cohort=cohort).exists()
    this_week = max(cohort.week_of(today), 0) if has_plan else 0
    from_week = this_week
    if from_date is not None:
        asked = max(cohort.week_of(from_date), 0)
        if has_plan and asked < this_week:
            raise _invalid(
                "from_date",
                _("Weeks already begun cannot be planned again; re-plan from %(day)s on.")
                % {"day": cohort.monday(this_week).isoformat()},
            )
        from_week = asked if has_plan else 0
    if from_week >= cohort.weeks:
        raise _invalid("from_date", _("The cohort's weeks are over; nothing is left to plan."))
    if not CohortMember.objects.filter(cohort=cohort, left_on__isnull=True).exists():
        raise _invalid("members", _("Add the new hires before planning."))
    built = _build(cohort, from_week)
    if not built.problem.units:
        raise _invalid("places", _("No unit of the programme's areas has places for new hires."))
    started = time.perf_counter()
    try:
        result = planner.solve(built.problem)
    except planner.PlanError as error:
        raise _invalid("__all__", str(error)) from None
    seconds = time.perf_counter() - started
    shortages = _shortage_rows(cohort, built, result.shortages)
    if not result.blocks:
        Cohort.objects.filter(pk=cohort.pk).update(
            plan_status=result.status or PlanStatus.INFEASIBLE,
            shortages=shortages,
            plan_seconds=seconds,
            planned_at=timezone.now(),
        )
        cohort.refresh_from_db()
        return Outcome(result.status, 0.0, seconds, 0, shortages)
    told = _save(actor, cohort, built, result, from_week, reason)
    Cohort.objects.filter(pk=cohort.pk).update(
        plan_status=result.status,
        plan_gap=result.gap,
        plan_seconds=seconds,
        planned_at=timezone.now(),
        shortages=[],
    )
    cohort.refresh_from_db()
    return Outcome(result.status, result.gap, seconds, told, [])


def _save(actor: Actor, cohort: Cohort, built: _Built, result: planner.Plan, from_week, reason):
    mondays = [cohort.monday(w) for w in range(cohort.weeks)]
    with transaction.atomic():
        sup_ids = sorted({int(b.supervisor[1:]) for b in result.blocks})
        lock_supervisors(sup_ids)
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
        free = weekly_free_places(supervisor_ids=sup_ids, mondays=mondays, exclude=cohort)
        load: dict[tuple[int, int], int] = {}
        for b in result.blocks:
            for w in range(max(b.start, from_week), b.end):
                key = (int(b.supervisor[1:]), w)
                load[key] = load.get(key, 0) + 1
        for (sup, w), n in load.items():
            if n > free[sup][w]:
                raise _invalid(
                    "__all__",
                    _("Supervisors' places changed while planning; plan again."),
                )
        before = list(Block.objects.filter(member__in=list(built.members.values())))
        old = [_as_planned(b) for b in before]
        Block.objects.filter(pk__in=[b.pk for b in before]).delete()
        Block.objects.bulk_create(
            Block(
                municipality_id=_tenant(actor),
                member=built.members[b.hire],
                area=built.areas[b.area],
                unit=built.units[b.unit],
                supervisor=built.supervisors[b.supervisor],
                start_week=b.start,
                end_week=b.end,
                starts_on=mondays[b.start],
                ends_on=mondays[b.end - 1] + timedelta(days=6),
            )
            for b in result.blocks
        )
        told = planner.changes(old, result.blocks) if old else {}
        names = {
            **{k: str(a) for k, a in built.areas.items()},
            **{k: str(u) for k, u in built.units.items()},
            **{k: str(s) for k, s in built.supervisors.items()},
        }
        rows = []
        for hire, _lines in told.items():
            lines = _describe(cohort, old, result.blocks, hire, names)
            if lines:
                rows.append((built.members[hire], lines))
        ScheduleChange.objects.bulk_create(
            ScheduleChange(
                municipality_id=_tenant(actor),
                member=member,
                lines=lines,
                reason=reason[:200],
            )
            for member, lines in rows
        )
        transaction.on_commit(lambda: _tell(cohort, rows))
    return len(rows)


def _as_planned(block: Block) -> planner.Block:
    return planner.Block(
        f"h{block.member_id}",
        f"a{block.area_id}",
        f"u{block.unit_id}",
        f"s{block.supervisor_id}",
        block.start_week,
        block.end_week,
    )


def _describe(cohort, old, new, hire, names) -> list[str]:
    """What changed for one new hire, in words they can read (dates, names)."""
    before = {b.area: b for b in old if b.hire == hire}
    after = {b.area: b for b in new if b.hire == hire}
    lines = []
    for area, b in after.items():
        a = before.get(area)
        if a is None:
            continue
        period = _("%(start)s to %(end)s") % {
            "start": date_format(cohort.monday(b.start), "SHORT_DATE_FORMAT"),
            "end": date_format(cohort.monday(b.end - 1) + timedelta(days=6), "SHORT_DATE_FORMAT"),
        }
        if (a.unit, a.start) != (b.unit, b.start):
            lines.append(
                _("%(area)s: now at %(unit)s, %(period)s (was %(old)s)")
                % {
                    "area": names[area],
                    "unit": names[b.unit],
                    "period": period,
                    "old": names[a.unit],
                }
            )
        if a.supervisor != b.supervisor:
            lines.append(
                _("%(area)s: your supervisor is now %(new)s (was %(old)s)")
                % {"area": names[area], "new": names[b.supervisor], "old": names[a.supervisor]}
            )
    return lines


def _tell(cohort: Cohort, rows: list[tuple[CohortMember, list[str]]]) -> None:
    for member, lines in rows:
        if not member.staff.email:
            continue
        EmailMessage(
            subject=_("Your introduction schedule has changed"),
            body=_("Your schedule in %(cohort)s has changed:\n\n%(lines)s\n")
            % {"cohort": cohort, "lines": "\n".join(f"- {line}" for line in lines)},
            to=[member.staff.email],
        ).send(fail_silently=True)


def weekly_use(
    supervisor_ids, mondays: list[date], exclude: object = None
) -> dict[tuple[int, date], int]:
    """New hires each supervisor has each of these weeks (the capacity owner asks; the
    cohort being planned is left out)."""
    if not mondays:
        return {}
    blocks = Block.unscoped.filter(
        supervisor_id__in=list(supervisor_ids),
        starts_on__lte=mondays[-1],
        ends_on__gte=mondays[0],
    )
    if isinstance(exclude, Cohort):
        blocks = blocks.exclude(member__cohort_id=exclude.pk)
    used: dict[tuple[int, date], int] = {}
    for sup, start, end in blocks.values_list("supervisor_id", "starts_on", "ends_on"):
        for monday in mondays:
            if start <= monday <= end:
                used[sup, monday] = used.get((sup, monday), 0) + 1
    return used
