"""The three steps through the API: participants, moves between steps, summer jobs and
offers of employment. The same selectors and services as the pages."""

from datetime import date, datetime

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import ConfigDict

from bryggan.core.api_schema import Id, Input, IsoDate, one_of, text
from bryggan.core.errors import InvalidInputError
from bryggan.core.http import ActorRequest
from bryggan.core.pagination import Pages
from bryggan.core.permissions import Perm
from bryggan.programme import selectors, services, services_hours
from bryggan.programme.forms import PlaceByHandForm, StepRefsForm
from bryggan.programme.hours import breaches_for
from bryggan.programme.models import (
    PLACEABLE,
    SALARY_RANGE,
    EmploymentType,
    Participant,
    Stage,
)

router = Router(tags=["programme"])


class PlacementOut(Schema):
    id: int
    step: str
    unit_id: int
    unit: str
    supervisor_id: int
    supervisor: str
    term: str


class EmploymentOut(Schema):
    id: int
    kind: str
    unit_id: int
    mentor_id: int | None
    starts_on: date
    ends_on: date


class OfferOut(Schema):
    id: int
    participant_id: int
    title: str
    unit_id: int
    starts_on: date
    reply_by: date
    status: str
    staff_member_id: int | None
    employment_type: str
    monthly_salary: int | None
    contact_id: int | None
    issued_at: datetime
    answered_at: datetime | None


class ParticipantOut(Schema):
    id: int
    person_id: int
    first_name: str
    last_name: str
    stage: str
    stage_since: date
    unit_id: int | None
    until: date | None
    needs_action: list[str]


class ParticipantDetail(ParticipantOut):
    left_reason: str
    placements: list[PlacementOut]
    employments: list[EmploymentOut]
    offers: list[OfferOut]


class MoveIn(Input):
    stage: one_of([s.value for s in (Stage.STUDENT_EMPLOYEE, Stage.ASPIRANT, Stage.LEFT)])  # type: ignore[valid-type]
    unit_id: Id | None = None
    mentor_id: Id | None = None
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = None
    reason: text(300) = ""  # type: ignore[valid-type]


class OfferIn(Input):
    unit_id: Id
    starts_on: IsoDate
    reply_by: IsoDate
    title: text(120, required=True) = "Socialsekreterare"  # type: ignore[valid-type]
    direct_hire: bool = False
    employment_type: one_of(list(EmploymentType.values)) = EmploymentType.PERMANENT.value  # type: ignore[valid-type]
    monthly_salary: int = Field(..., ge=SALARY_RANGE[0], le=SALARY_RANGE[1])
    contact_id: Id = Field(..., description="The staff member the student can ask")


class AnswerIn(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"accept": True}]})

    accept: bool


def _row(row: selectors.OverviewRow) -> dict:
    p = row.participant
    return {
        "id": p.pk,
        "person_id": p.person_id,
        "first_name": p.person.first_name,
        "last_name": p.person.last_name,
        "stage": p.stage,
        "stage_since": p.stage_since,
        "unit_id": row.unit.pk if row.unit else None,
        "until": row.until,
        "needs_action": [str(action) for action in row.actions],
    }


def _detail(participant: Participant) -> dict:
    return {
        **_row(selectors.overview_row(participant, timezone.localdate())),
        "left_reason": participant.left_reason,
        "placements": [_placement(p) for p in selectors.active_placements(participant)],
        "employments": list(participant.employments.all()),
        "offers": list(participant.offers.all()),
    }


def _placement(p) -> dict:
    return {
        "id": p.pk,
        "step": p.step,
        "unit_id": p.unit_id,
        "unit": p.unit.name,
        "supervisor_id": p.supervisor_id,
        "supervisor": str(p.supervisor),
        "term": str(p.term),
    }


def _log_hours(request: ActorRequest, participant: Participant, payload: "HoursIn"):
    return Status(
        201,
        services_hours.hours_log(
            actor=request.actor,
            participant=participant,
            day=payload.day,
            hours=payload.hours,
            activity=payload.activity,
        ),
    )


def _refs(
    request: ActorRequest,
    unit_id: int | None,
    mentor_id: int | None = None,
    contact_id: int | None = None,
) -> dict:
    """The unit, mentor and contact ids of a body, resolved inside the tenant (400 when not
    found)."""
    form = StepRefsForm(
        {"unit_id": unit_id, "mentor_id": mentor_id, "contact_id": contact_id},
        actor=request.actor,
    )
    return InvalidInputError.data_of(form)


@router.get(
    "/participants",
    response=list[ParticipantOut],
    operation_id="programme_participants",
    summary="Everyone in the programme, with what needs action",
)
@paginate(Pages)
def participants(
    request: ActorRequest, stage: str = "", unit: int | None = None, needs_action: bool = False
):
    found = selectors.overview(
        actor=request.actor,
        purpose="api participants",
        stage=stage,
        unit=unit,
        action_only=needs_action,
    )
    return found.rows.map(_row)


@router.get(
    "/participants/{id:participant_id}",
    response=ParticipantDetail,
    operation_id="programme_participant",
    summary="One participant's path",
)
def participant(request: ActorRequest, participant_id: int):
    found = selectors.participant_by_id(
        actor=request.actor, pk=participant_id, purpose="api participant"
    )
    return _detail(found)


@router.post(
    "/participants/{id:participant_id}/move",
    response=ParticipantDetail,
    operation_id="programme_move",
    summary="Move to step 2, an aspirant post, or out of the programme",
)
def move(request: ActorRequest, participant_id: int, payload: MoveIn):
    found = selectors.participant_by_id(actor=request.actor, pk=participant_id, purpose=None)
    refs = _refs(request, payload.unit_id, payload.mentor_id)
    services.step_move(
        actor=request.actor,
        participant=found,
        stage=payload.stage,
        unit=refs["unit_id"],
        mentor=refs["mentor_id"],
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        reason=payload.reason,
    )
    return _detail(
        selectors.participant_by_id(actor=request.actor, pk=participant_id, purpose="api move")
    )


@router.post(
    "/participants/{id:participant_id}/offers",
    response={201: OfferOut},
    operation_id="programme_offer_issue",
    summary="Offer employment",
)
def offer_issue(request: ActorRequest, participant_id: int, payload: OfferIn):
    found = selectors.participant_by_id(actor=request.actor, pk=participant_id, purpose=None)
    refs = _refs(request, payload.unit_id, contact_id=payload.contact_id)
    offer = services.offer_issue(
        actor=request.actor,
        participant=found,
        unit=refs["unit_id"],
        starts_on=payload.starts_on,
        reply_by=payload.reply_by,
        title=payload.title,
        direct_hire=payload.direct_hire,
        employment_type=payload.employment_type,
        monthly_salary=payload.monthly_salary,
        contact=refs["contact_id"],
    )
    return Status(201, offer)


@router.post(
    "/offers/{id:offer_id}/answer",
    response=OfferOut,
    operation_id="programme_offer_answer",
    summary="Accept or decline an offer (the student's own, or recorded by the coordinator)",
)
def offer_answer(request: ActorRequest, offer_id: int, payload: AnswerIn):
    own = request.actor.has(Perm.PROGRAMME_OWN) and not request.actor.has(Perm.PROGRAMME_MANAGE)
    found = selectors.offer_by_id(actor=request.actor, pk=offer_id, own=own)
    return services.offer_answer(actor=request.actor, offer=found, accept=payload.accept)


@router.get(
    "/me",
    response=ParticipantDetail | None,
    operation_id="programme_me",
    summary="The signed-in student's own placement, employment and offers",
)
def me(request: ActorRequest):
    own = selectors.participant_of(actor=request.actor)
    if own is None:
        raise Http404
    return _detail(own)


class HoursIn(Input):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"day": "2026-11-30", "hours": 7.5, "activity": "Hembesök med handledare"}]
        }
    )

    day: IsoDate
    hours: float = Field(..., gt=0, le=24, description="Hours that day, e.g. 7.5")
    activity: text(200, required=True)  # type: ignore[valid-type]


class HoursOut(Schema):
    id: int
    participant_id: int
    day: date
    hours: float
    activity: str
    kind: str
    status: str
    approved_by_id: int | None
    approved_at: datetime | None


class BreachOut(Schema):
    rule: str
    period: str
    hours: float
    limit: float
    message: str


class HoursList(Schema):
    entries: list[HoursOut]
    breaches: list[BreachOut]


class ApproveIn(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"entries": [1, 2]}]})

    entries: list[Id] = Field(..., min_length=1, max_length=2000)


class CountOut(Schema):
    count: int


def _hours(participant: Participant) -> dict:
    breaches = breaches_for([participant], today=timezone.localdate()).get(participant.pk, [])
    return {
        "entries": selectors.hours_of(participant),
        "breaches": [
            {
                "rule": b.rule,
                "period": b.period,
                "hours": b.hours,
                "limit": b.limit,
                "message": b.message,
            }
            for b in breaches
        ],
    }


@router.get(
    "/participants/{id:participant_id}/hours",
    response=HoursList,
    operation_id="programme_hours",
    summary="A participant's hours (two months) and breaches of the rules (a year)",
)
def hours(request: ActorRequest, participant_id: int):
    found = selectors.participant_by_id(actor=request.actor, pk=participant_id, purpose="api hours")
    return _hours(found)


@router.post(
    "/participants/{id:participant_id}/hours",
    response={201: HoursOut},
    operation_id="programme_hours_log",
    summary="Log a day's hours for a participant",
)
def hours_log(request: ActorRequest, participant_id: int, payload: HoursIn):
    found = selectors.participant_by_id(actor=request.actor, pk=participant_id, purpose=None)
    return _log_hours(request, found, payload)


@router.post(
    "/me/hours",
    response={201: HoursOut},
    operation_id="programme_my_hours_log",
    summary="The signed-in student logs a day's hours",
)
def my_hours_log(request: ActorRequest, payload: HoursIn):
    own = selectors.participant_of(actor=request.actor)
    if own is None:
        raise Http404
    return _log_hours(request, own, payload)


@router.post(
    "/hours/approve",
    response=CountOut,
    operation_id="programme_hours_approve",
    summary="Approve submitted hours (supervisor, mentor or coordinator)",
)
def hours_approve(request: ActorRequest, payload: ApproveIn):
    return {"count": services_hours.hours_approve(actor=request.actor, entry_ids=payload.entries)}


class ReturnIn(Input):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"entries": [3], "reason": "Timmarna gäller fel dag."}]}
    )

    entries: list[Id] = Field(..., min_length=1, max_length=2000)
    reason: text(services_hours.RETURN_REASON_MAX, required=True)  # type: ignore[valid-type]


@router.post(
    "/hours/return",
    response=CountOut,
    operation_id="programme_hours_return",
    summary="Send submitted hours back to the student with a reason (they correct and log "
    "the day again)",
)
def hours_return(request: ActorRequest, payload: ReturnIn):
    count = services_hours.hours_return(
        actor=request.actor, entry_ids=payload.entries, reason=payload.reason
    )
    return {"count": count}


@router.post(
    "/hours/import",
    response={201: CountOut},
    operation_id="programme_hours_import",
    summary="Import hours from a time system: a CSV file with the columns email, "
    "date, hours, activity; one bad row rejects the file, with a report per row",
)
def hours_import(request: ActorRequest, file: UploadedFile = File(...)):  # noqa: B008
    if file.size and file.size > 5 * 1024 * 1024:
        raise InvalidInputError({"file": [_("The file is larger than 5 MB.")]})
    try:
        text = file.read().decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInputError({"file": [_("Save the file as UTF-8 text (CSV).")]}) from None
    return Status(201, {"count": services_hours.hours_import(actor=request.actor, text=text)})


class PlacementRow(PlacementOut):
    participant_id: int | None
    person_id: int
    first_name: str
    last_name: str


@router.get(
    "/placements",
    response=list[PlacementRow],
    operation_id="programme_placements",
    summary="Current placements with unit, supervisor and term (filter by term, unit)",
)
@paginate(Pages)
def placements(request: ActorRequest, term: int | None = None, unit: int | None = None):
    rows = selectors.current_placements(
        actor=request.actor, purpose="api placements", term=term, unit=unit
    )
    return [
        {
            **_placement(p),
            "participant_id": getattr(p.person, "participant_id", None),
            "person_id": p.person_id,
            "first_name": p.person.first_name,
            "last_name": p.person.last_name,
        }
        for p in rows
    ]


class PlacementIn(Input):
    person_id: Id
    unit_id: Id
    supervisor_id: Id
    term_id: Id
    step: one_of([stage.value for stage in PLACEABLE])  # type: ignore[valid-type]


@router.post(
    "/placements",
    response={201: PlacementOut},
    operation_id="programme_place_by_hand",
    summary="Place a person with a supervisor for a term by hand (within the supervisor's "
    "capacity; 400 when it is full)",
)
def place_by_hand(request: ActorRequest, payload: PlacementIn):
    actor = request.actor
    actor.require(Perm.PROGRAMME_MANAGE)
    data = InvalidInputError.data_of(PlaceByHandForm(payload.dict(), actor=actor))
    placement = services.placement_create(
        actor=actor,
        person=data["person_id"],
        unit=data["unit_id"],
        supervisor=data["supervisor_id"],
        term=data["term_id"],
        step=data["step"],
    )
    return Status(201, _placement(placement))
