"""Recruitment through the API: the same selectors and services as the pages.

Staff endpoints act within the caller's municipality and role; the public list of open
postings needs no account (it is what the careers page shows).
"""

from datetime import date, datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scope
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from bryggan.core import personal_data
from bryggan.core.api_schema import Id, Input, IsoDateTime, one_of
from bryggan.core.errors import InvalidInputError
from bryggan.core.http import ActorRequest
from bryggan.core.pagination import Pages
from bryggan.recruitment import interviews, selectors, services
from bryggan.recruitment.forms import SlotForm
from bryggan.recruitment.models import Posting, PostingKind, Stage

router = Router(tags=["recruitment"])
public_router = Router(tags=["public"])


class RoundOut(Schema):
    id: int
    name: str
    term_id: int | None
    closes_on: date
    posting_count: int


class PostingOut(Schema):
    id: int
    round_id: int
    kind: str
    title: str
    description: str
    unit_ids: list[int]
    places: int
    starts_on: date
    ends_on: date
    last_application_date: date
    status: str
    export_to_job_board: bool
    application_count: int | None = None

    @staticmethod
    def resolve_unit_ids(obj: Posting) -> list[int]:
        return [u.pk for u in obj.units.all()]


class WishOut(Schema):
    rank: int
    unit_id: int
    unit: str


class ApplicationRow(Schema):
    id: int
    posting_id: int
    person_id: int
    first_name: str = Field(..., alias="person.first_name")
    last_name: str = Field(..., alias="person.last_name")
    email: str
    stage: str
    source: str
    current_term: int
    expected_graduation: str
    university_id: int | None
    created_at: datetime
    wishes: list[WishOut]

    @staticmethod
    def resolve_email(obj, context) -> str:
        return personal_data.contact(context["request"].actor, obj.person, obj.person.email)

    @staticmethod
    def resolve_wishes(obj) -> list[dict]:
        return [
            {"rank": w.rank, "unit_id": w.unit_id, "unit": w.unit.name} for w in obj.wishes.all()
        ]


class DocumentOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    download_url: str

    @staticmethod
    def resolve_download_url(obj) -> str:
        return reverse("recruitment:document", kwargs={"pk": obj.pk})


class StageChangeOut(Schema):
    from_stage: str
    to_stage: str
    at: datetime
    actor_id: int | None
    email_sent: bool


class AssessmentOut(Schema):
    interviewer_id: int
    scores: dict[str, int]
    total: int
    comment: str


class ApplicationOut(ApplicationRow):
    phone: str
    programme: str

    @staticmethod
    def resolve_phone(obj, context) -> str:
        return personal_data.contact(context["request"].actor, obj.person, obj.phone)

    interests: str
    event_id: int | None
    documents: list[DocumentOut]
    stage_changes: list[StageChangeOut]
    assessments: list[AssessmentOut]


class BoardFilters(Schema):
    stage: str = Field("", description="Only applications in this stage")
    q: str = Field("", max_length=100, description="Search name, e-mail or interests")
    unit: str = Field("", description="Only applicants who wished this unit (id)")


class StageIn(Input):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"stage": "interview", "send_email": False}]}
    )

    stage: one_of(list(Stage.values))  # type: ignore[valid-type]
    send_email: bool = False


class BulkIn(Input):
    action: one_of(["move", "reject", "invite"])  # type: ignore[valid-type]
    stage: one_of(["", *Stage.values]) = ""  # type: ignore[valid-type]
    applications: list[Id] = Field(..., min_length=1, max_length=2000)


class RejectionOut(Schema):
    id: int
    applications: int
    emails_leave_at: datetime
    undone_at: datetime | None


class BulkOut(Schema):
    moved: int
    rejection: RejectionOut | None = Field(
        None,
        description=(
            "For a rejection: its e-mails leave at emails_leave_at; until then "
            "POST …/rejections/{id}/undo takes it back."
        ),
    )


def _rejection(batch) -> dict:
    return {
        "id": batch.pk,
        "applications": len(batch.previous),
        "emails_leave_at": batch.send_after,
        "undone_at": batch.undone_at,
    }


class SlotOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    location: str
    video_link: str
    interviewer_ids: list[int]
    booked_application_ids: list[int]

    @staticmethod
    def resolve_interviewer_ids(obj) -> list[int]:
        return [s.pk for s in obj.interviewers.all()]

    @staticmethod
    def resolve_booked_application_ids(obj) -> list[int]:
        return [i.application_id for i in getattr(obj, "booked", [])]


class SlotIn(Input):
    starts_at: IsoDateTime
    ends_at: IsoDateTime
    location: str = Field("", max_length=200)
    video_link: str = Field("", max_length=200)
    interviewers: list[Id] = Field(default_factory=list, max_length=20)


class MatchingInput(Schema):
    posting_id: int
    student_preferences: dict[int, list[int]] = Field(
        ..., description="Application id → the unit ids it ranked, first wish first"
    )
    unit_rankings: dict[int, list[int]] = Field(
        ..., description="Unit id → application ids, best assessed first"
    )


class EventOut(Schema):
    id: int
    title: str
    university_name: str
    place: str
    starts_at: datetime
    host: str = Field(..., alias="municipality.name")
    registration_count: int
    own_application_count: int


def _posting(request: ActorRequest, posting_id: int) -> Posting:
    return selectors.posting_by_id(actor=request.actor, pk=posting_id)


@router.get(
    "/rounds",
    response=list[RoundOut],
    operation_id="recruitment_rounds",
    summary="List recruitment rounds",
)
@paginate(Pages)
def rounds(request: ActorRequest):
    return selectors.rounds_for(actor=request.actor).order_by("-closes_on", "name")


@router.get(
    "/postings",
    response=list[PostingOut],
    operation_id="recruitment_postings",
    summary="List postings",
)
@paginate(Pages)
def postings(request: ActorRequest, round: int | None = None):
    queryset = selectors.postings_for(actor=request.actor).prefetch_related("units")
    if round is not None:
        queryset = queryset.filter(round_id=round)
    return queryset.order_by("-last_application_date", "title")


@router.get(
    "/postings/{id:posting_id}",
    response=PostingOut,
    operation_id="recruitment_posting",
    summary="Read one posting",
)
def posting(request: ActorRequest, posting_id: int):
    return _posting(request, posting_id)


@router.post(
    "/postings/{id:posting_id}/publish",
    response=PostingOut,
    operation_id="recruitment_posting_publish",
    summary="Publish a posting",
)
def posting_publish(request: ActorRequest, posting_id: int):
    return services.posting_publish(actor=request.actor, posting=_posting(request, posting_id))


@router.post(
    "/postings/{id:posting_id}/close",
    response=PostingOut,
    operation_id="recruitment_posting_close",
    summary="Close a posting",
)
def posting_close(request: ActorRequest, posting_id: int):
    return services.posting_close(actor=request.actor, posting=_posting(request, posting_id))


@router.get(
    "/postings/{id:posting_id}/applications",
    response=list[ApplicationRow],
    operation_id="recruitment_board",
    summary="A posting's applications (the board)",
)
@paginate(Pages)
def board(request: ActorRequest, posting_id: int, filters: Query[BoardFilters]):
    posting = _posting(request, posting_id)
    return selectors.board(
        actor=request.actor,
        posting=posting,
        purpose="api board",
        stage=filters.stage,
        search=filters.q,
        unit=filters.unit,
    )


@router.post(
    "/postings/{id:posting_id}/applications/bulk",
    response=BulkOut,
    operation_id="recruitment_bulk",
    summary="Move, reject (the e-mails after a delay, with undo) or invite many applications",
)
def bulk(request: ActorRequest, posting_id: int, payload: BulkIn):
    posting = _posting(request, posting_id)
    if payload.action not in ("move", "reject", "invite"):
        raise InvalidInputError({"action": [_("Unknown action.")]})
    if payload.action == "move" and payload.stage not in Stage.values:
        raise InvalidInputError({"stage": [_("Choose the stage to move to.")]})
    wanted = set(payload.applications)
    found = list(
        selectors.board(actor=request.actor, posting=posting, purpose=None).filter(pk__in=wanted)
    )
    if len(found) != len(wanted):
        raise InvalidInputError(
            {"applications": [_("One of the chosen applications is not on this board.")]}
        )
    if payload.action == "reject":
        batch = services.rejections_start(actor=request.actor, applications=found)
        return {"moved": len(batch.previous), "rejection": _rejection(batch)}
    moved = services.applications_bulk(
        actor=request.actor, applications=found, action=payload.action, stage=payload.stage
    )
    return {"moved": moved, "rejection": None}


@router.post(
    "/postings/{id:posting_id}/rejections/{id:rejection_id}/undo",
    response=RejectionOut,
    operation_id="recruitment_rejection_undo",
    summary="Take back a bulk rejection before its e-mails leave",
)
def rejection_undo(request: ActorRequest, posting_id: int, rejection_id: int):
    posting = _posting(request, posting_id)
    batch = selectors.rejection_by_id(actor=request.actor, posting=posting, pk=rejection_id)
    services.rejections_undo(actor=request.actor, batch=batch)
    return _rejection(batch)


@router.get(
    "/postings/{id:posting_id}/matching-input",
    response=MatchingInput,
    operation_id="recruitment_matching_input",
    summary="Students' ranked units and units' ranked applicants, for matching",
)
def matching_input(request: ActorRequest, posting_id: int):
    posting = _posting(request, posting_id)
    return {
        "posting_id": posting.pk,
        "student_preferences": selectors.matching_input(actor=request.actor, posting=posting),
        "unit_rankings": selectors.unit_rankings(posting=posting),
    }


@router.get(
    "/postings/{id:posting_id}/slots",
    response=list[SlotOut],
    operation_id="recruitment_slots",
    summary="A posting's interview times",
)
def slots(request: ActorRequest, posting_id: int):
    posting = _posting(request, posting_id)
    return list(selectors.slots_for(actor=request.actor, posting=posting))


@router.post(
    "/postings/{id:posting_id}/slots",
    response={201: SlotOut},
    operation_id="recruitment_slot_create",
    summary="Publish an interview time",
)
def slot_create(request: ActorRequest, posting_id: int, payload: SlotIn):
    posting = _posting(request, posting_id)
    data = payload.dict()
    data["starts_at"] = data["starts_at"].isoformat()
    data["ends_at"] = data["ends_at"].isoformat()
    form = SlotForm(data=data, actor=request.actor)
    slot = interviews.slot_create(actor=request.actor, posting=posting, form=form)
    return Status(201, selectors.slots_for(actor=request.actor, posting=posting).get(pk=slot.pk))


@router.get(
    "/applications/{id:application_id}",
    response=ApplicationOut,
    operation_id="recruitment_application",
    summary="Read one application",
)
def application(request: ActorRequest, application_id: int):
    return selectors.application_by_id(
        actor=request.actor, pk=application_id, purpose="api application"
    )


@router.post(
    "/applications/{id:application_id}/stage",
    response=ApplicationOut,
    operation_id="recruitment_application_move",
    summary="Move an application to another stage",
)
def application_move(request: ActorRequest, application_id: int, payload: StageIn):
    found = selectors.application_by_id(actor=request.actor, pk=application_id, purpose=None)
    services.application_move(
        actor=request.actor, application=found, stage=payload.stage, send_email=payload.send_email
    )
    return selectors.application_by_id(
        actor=request.actor, pk=application_id, purpose="api application move"
    )


@router.get(
    "/events",
    response=list[EventOut],
    operation_id="recruitment_events",
    summary="Information events we host or take part in",
)
@paginate(Pages)
def events(request: ActorRequest):
    return selectors.events_for(actor=request.actor).order_by("-starts_at")


class PublicPostingOut(Schema):
    id: int
    kind: str
    employment_type: str
    paid: bool
    title: str
    description: str
    units: list[str]
    places: int
    starts_on: date
    ends_on: date
    last_application_date: date
    url: str
    apply_url: str

    @staticmethod
    def resolve_units(obj: Posting) -> list[str]:
        return [u.name for u in obj.units.all()]

    @staticmethod
    def resolve_employment_type(obj: Posting) -> str:
        return PostingKind(obj.kind).employment_type

    @staticmethod
    def resolve_paid(obj: Posting) -> bool:
        return obj.is_paid

    @staticmethod
    def resolve_url(obj: Posting) -> str:
        return reverse(
            "recruitment-public:posting", kwargs={"slug": obj.municipality.slug, "pk": obj.pk}
        )

    @staticmethod
    def resolve_apply_url(obj: Posting) -> str:
        return reverse(
            "recruitment-public:apply", kwargs={"slug": obj.municipality.slug, "pk": obj.pk}
        )


@public_router.get(
    "/{slug}/postings",
    response=list[PublicPostingOut],
    auth=None,
    operation_id="public_open_postings",
    summary="A municipality's open postings (no account needed)",
)
def public_postings(request, slug: str):
    municipality = selectors.municipality_by_slug(slug)
    with scope(municipality=municipality.pk):
        return list(selectors.open_postings(municipality))
