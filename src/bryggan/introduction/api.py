"""The broad introduction through the API: programmes with their areas and unit places,
cohorts with their new hires, absences and schedules, and planning. The same selectors and
services as the pages."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from bryggan.core.api_schema import Id, Input, IsoDate, text
from bryggan.core.errors import InvalidInputError
from bryggan.core.http import ActorRequest
from bryggan.introduction import selectors, services
from bryggan.introduction.forms import RefsForm
from bryggan.introduction.models import Cohort, IntroductionProgramme

router = Router(tags=["introduction"])


class IntroAreaOut(Schema):
    id: int
    department_id: int
    department: str
    weeks: int


class IntroPlacesOut(Schema):
    unit_id: int
    unit: str
    trainer_id: int | None
    places: int


class IntroCohortOut(Schema):
    id: int
    name: str
    starts_on: date
    ends_on: date
    plan_status: str
    plan_gap: float
    plan_seconds: float
    shortages: list[dict]


class IntroProgrammeOut(Schema):
    id: int
    name: str
    weeks: int
    areas: list[IntroAreaOut]


class IntroProgrammeDetail(IntroProgrammeOut):
    places: list[IntroPlacesOut]
    cohorts: list[IntroCohortOut]


class IntroBlockOut(Schema):
    area_id: int
    area: str
    unit_id: int
    unit: str
    supervisor_id: int
    supervisor: str
    first_week: int
    last_week: int
    starts_on: date
    ends_on: date


class IntroMemberOut(Schema):
    id: int
    staff_id: int
    name: str
    final_area_id: int | None
    avoid_unit_id: int | None
    left_on: date | None
    blocks: list[IntroBlockOut]


class IntroAbsenceOut(Schema):
    id: int
    staff_id: int
    starts_on: date
    ends_on: date
    note: str


class IntroCohortDetail(IntroCohortOut):
    programme_id: int
    members: list[IntroMemberOut]
    absences: list[IntroAbsenceOut]


class IntroProgrammeIn(Input):
    name: text(120, required=True)  # type: ignore[valid-type]
    weeks: int = Field(16, ge=1, le=52)
    department_ids: list[Id] | None = Field(
        None, description="The areas, in order; none: the three areas of the default model"
    )
    block_weeks: int | None = Field(None, description="One block length for every area")
    lengths: list[int] | None = Field(None, description="Each area's block length, in order")


class IntroPlacesIn(Input):
    unit_id: Id
    trainer_id: Id | None = None
    places: int = Field(..., ge=0, le=50, description="New hires a week; 0 removes the row")


class IntroCohortIn(Input):
    name: text(120, required=True)  # type: ignore[valid-type]
    starts_on: IsoDate


class IntroMemberIn(Input):
    staff_id: Id
    final_area_id: Id | None = None
    avoid_unit_id: Id | None = None


class IntroAbsenceIn(Input):
    staff_id: Id
    starts_on: IsoDate
    ends_on: IsoDate
    note: text(200) = ""  # type: ignore[valid-type]


class IntroPlanIn(Input):
    from_date: IsoDate | None = Field(
        None, description="Re-plan from this day's week on (never a week already begun)"
    )


def _refs(request: ActorRequest, **ids) -> dict:
    data = {key: value for key, value in ids.items() if value is not None}
    form = RefsForm(data, actor=request.actor)
    return InvalidInputError.data_of(form)


def _cohort(cohort: Cohort) -> dict:
    return {
        "id": cohort.pk,
        "name": cohort.name,
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "plan_status": cohort.plan_status,
        "plan_gap": cohort.plan_gap,
        "plan_seconds": cohort.plan_seconds,
        "shortages": cohort.shortages,
    }


def _programme(request: ActorRequest, programme: IntroductionProgramme) -> dict:
    actor = request.actor
    return {
        "id": programme.pk,
        "name": programme.name,
        "weeks": programme.weeks,
        "areas": [
            {
                "id": a.pk,
                "department_id": a.department_id,
                "department": a.department.name,
                "weeks": a.weeks,
            }
            for a in programme.areas.all()
        ],
        "places": [
            {
                "unit_id": p.unit_id,
                "unit": p.unit.name,
                "trainer_id": p.trainer_id,
                "places": p.places,
            }
            for p in selectors.places_of(actor=actor, programme=programme)
        ],
        "cohorts": [_cohort(c) for c in selectors.cohorts_of(actor=actor, programme=programme)],
    }


def _cohort_detail(request: ActorRequest, cohort: Cohort) -> dict:
    actor = request.actor
    rows = selectors.schedule_of(
        actor=actor, cohort=cohort, purpose=f"api introduction cohort {cohort.pk}"
    )
    return {
        **_cohort(cohort),
        "programme_id": cohort.programme_id,
        "members": [
            {
                "id": row.member.pk,
                "staff_id": row.member.staff_id,
                "name": str(row.member.staff),
                "final_area_id": row.member.final_area_id,
                "avoid_unit_id": row.member.avoid_unit_id,
                "left_on": row.member.left_on,
                "blocks": [
                    {
                        "area_id": b.area_id,
                        "area": b.area.department.name,
                        "unit_id": b.unit_id,
                        "unit": b.unit.name,
                        "supervisor_id": b.supervisor_id,
                        "supervisor": str(b.supervisor),
                        "first_week": b.start_week + 1,
                        "last_week": b.end_week,
                        "starts_on": b.starts_on,
                        "ends_on": b.ends_on,
                    }
                    for b in row.blocks
                ],
            }
            for row in rows
        ],
        "absences": [
            {
                "id": a.pk,
                "staff_id": a.staff_id,
                "starts_on": a.starts_on,
                "ends_on": a.ends_on,
                "note": a.note,
            }
            for a in selectors.absences_of(actor=actor, cohort=cohort)
        ],
    }


@router.get(
    "/programmes",
    response=list[IntroProgrammeOut],
    operation_id="introduction_programmes",
    summary="The broad-introduction programmes and their areas",
)
def programmes(request: ActorRequest):
    return [
        {
            "id": p.pk,
            "name": p.name,
            "weeks": p.weeks,
            "areas": [
                {
                    "id": a.pk,
                    "department_id": a.department_id,
                    "department": a.department.name,
                    "weeks": a.weeks,
                }
                for a in p.areas.all()
            ],
        }
        for p in selectors.programmes_for(actor=request.actor)
    ]


@router.post(
    "/programmes",
    response={201: IntroProgrammeDetail},
    operation_id="introduction_programme_create",
    summary="Create a programme: its weeks and the areas every new hire rotates through",
)
def programme_create(request: ActorRequest, payload: IntroProgrammeIn):
    departments = None
    if payload.department_ids:
        departments = list(_refs(request, department_ids=payload.department_ids)["department_ids"])
        order = {pk: i for i, pk in enumerate(payload.department_ids)}
        departments.sort(key=lambda d: order[d.pk])
        if len(departments) != len(payload.department_ids):
            raise InvalidInputError({"department_ids": [_("An area is listed twice.")]})
    created = services.programme_create(
        actor=request.actor,
        name=payload.name,
        weeks=payload.weeks,
        departments=departments,
        block_weeks=payload.block_weeks,
        lengths=payload.lengths,
    )
    found = selectors.programme_by_id(actor=request.actor, pk=created.pk)
    return Status(201, _programme(request, found))


@router.get(
    "/programmes/{id:introduction_programme_id}",
    response=IntroProgrammeDetail,
    operation_id="introduction_programme",
    summary="One programme: areas, unit places and cohorts",
)
def programme(request: ActorRequest, introduction_programme_id: int):
    return _programme(
        request, selectors.programme_by_id(actor=request.actor, pk=introduction_programme_id)
    )


@router.put(
    "/programmes/{id:introduction_programme_id}/places",
    response=IntroProgrammeDetail,
    operation_id="introduction_places_set",
    summary="Set how many new hires a unit (or one of its trainers) takes each week",
)
def places_set(request: ActorRequest, introduction_programme_id: int, payload: IntroPlacesIn):
    found = selectors.programme_by_id(actor=request.actor, pk=introduction_programme_id)
    refs = _refs(request, unit_id=payload.unit_id, trainer_id=payload.trainer_id)
    services.places_set(
        actor=request.actor,
        programme=found,
        unit=refs["unit_id"],
        trainer=refs.get("trainer_id"),
        places=payload.places,
    )
    return _programme(request, found)


@router.post(
    "/programmes/{id:introduction_programme_id}/cohorts",
    response={201: IntroCohortDetail},
    operation_id="introduction_cohort_create",
    summary="Create a cohort starting on a Monday",
)
def cohort_create(request: ActorRequest, introduction_programme_id: int, payload: IntroCohortIn):
    found = selectors.programme_by_id(actor=request.actor, pk=introduction_programme_id)
    cohort = services.cohort_create(
        actor=request.actor, programme=found, name=payload.name, starts_on=payload.starts_on
    )
    return Status(201, _cohort_detail(request, cohort))


@router.get(
    "/cohorts/{id:cohort_id}",
    response=IntroCohortDetail,
    operation_id="introduction_cohort",
    summary="A cohort: its new hires with their schedules, and absences",
)
def cohort(request: ActorRequest, cohort_id: int):
    return _cohort_detail(request, selectors.cohort_by_id(actor=request.actor, pk=cohort_id))


@router.post(
    "/cohorts/{id:cohort_id}/members",
    response={201: IntroCohortDetail},
    operation_id="introduction_member_add",
    summary="Add a new hire (a staff member) to a cohort",
)
def member_add(request: ActorRequest, cohort_id: int, payload: IntroMemberIn):
    found = selectors.cohort_by_id(actor=request.actor, pk=cohort_id)
    refs = _refs(
        request,
        staff_id=payload.staff_id,
        final_area_id=payload.final_area_id,
        avoid_unit_id=payload.avoid_unit_id,
    )
    services.member_add(
        actor=request.actor,
        cohort=found,
        staff=refs["staff_id"],
        final_area=refs.get("final_area_id"),
        avoid_unit=refs.get("avoid_unit_id"),
    )
    return Status(201, _cohort_detail(request, found))


@router.post(
    "/cohorts/{id:cohort_id}/absences",
    response={201: IntroCohortDetail},
    operation_id="introduction_absence_add",
    summary="Record a trainer's or supervisor's absence within the cohort's weeks",
)
def absence_add(request: ActorRequest, cohort_id: int, payload: IntroAbsenceIn):
    found = selectors.cohort_by_id(actor=request.actor, pk=cohort_id)
    refs = _refs(request, staff_id=payload.staff_id)
    services.absence_add(
        actor=request.actor,
        cohort=found,
        staff=refs["staff_id"],
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        note=payload.note,
    )
    return Status(201, _cohort_detail(request, found))


@router.post(
    "/cohorts/{id:cohort_id}/plan",
    response=IntroCohortDetail,
    operation_id="introduction_plan",
    summary="Plan the schedule, or re-plan the weeks not yet begun (the answer says what is short)",
)
def plan(request: ActorRequest, cohort_id: int, payload: IntroPlanIn):
    found = selectors.cohort_by_id(actor=request.actor, pk=cohort_id)
    services.plan(
        actor=request.actor,
        cohort=found,
        today=timezone.localdate(),
        from_date=payload.from_date,
        reason="API",
    )
    return _cohort_detail(request, found)
