"""The specialists through the API: roles and areas, questions and answers, knowledge notes,
and legal and practice updates with their acknowledgement. The same selectors and services
as the pages."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from bryggan.core.api_schema import Id, Input, IsoDate, text
from bryggan.core.errors import InvalidInputError
from bryggan.core.http import ActorRequest
from bryggan.core.roles import TENANTLESS_ROLES, Role
from bryggan.specialists import selectors, services
from bryggan.specialists.forms import AskForm, UpdateForm

router = Router(tags=["specialists"])


class SpecialistsTopicOut(Schema):
    id: int
    name: str


class SpecialistsHolderOut(Schema):
    staff_id: int
    name: str
    since: date


class SpecialistsSpecialistRoleOut(Schema):
    id: int
    title: str
    serves: str
    department_id: int | None
    unit_id: int | None
    topics: list[SpecialistsTopicOut]
    holders: list[SpecialistsHolderOut]


class SpecialistsConsultationOut(Schema):
    id: int
    topic_id: int
    unit_id: int
    question: str
    status: str
    answer: str
    helped: bool | None
    created_at: datetime
    answered_at: datetime | None


class SpecialistsConsultationsOut(Schema):
    mine: list[SpecialistsConsultationOut]
    queue: list[SpecialistsConsultationOut]


class SpecialistsNoteOut(Schema):
    id: int
    topic_id: int
    title: str
    body: str
    version: int


class SpecialistsUpdateOut(Schema):
    id: int
    title: str
    summary: str
    links: list[str]
    read_by: date
    everyone: bool
    unit_ids: list[int]
    roles: list[str]
    published_at: datetime
    concerns_me: bool
    acknowledged: bool


class SpecialistsAskIn(Input):
    topic_id: Id
    unit_id: Id
    question: text(4000, required=True)  # type: ignore[valid-type]


class SpecialistsAnswerIn(Input):
    answer: text(8000, required=True)  # type: ignore[valid-type]


class SpecialistsUpdateIn(Input):
    title: text(200, required=True)  # type: ignore[valid-type]
    summary: text(8000, required=True)  # type: ignore[valid-type]
    links: list[text(500)] = Field(default_factory=list)  # type: ignore[valid-type]
    read_by: IsoDate
    everyone: bool = False
    unit_ids: list[Id] = Field(default_factory=list)
    roles: list[str] = Field(
        default_factory=list,
        description="Role codes: " + ", ".join(r.value for r in Role if r not in TENANTLESS_ROLES),
    )


def _consultation(c) -> dict:
    return {
        "id": c.pk,
        "topic_id": c.topic_id,
        "unit_id": c.unit_id,
        "question": c.question,
        "status": c.status,
        "answer": c.answer,
        "helped": c.helped,
        "created_at": c.created_at,
        "answered_at": c.answered_at,
    }


def _update(u, concerned: bool, done: bool) -> dict:
    return {
        "id": u.pk,
        "title": u.title,
        "summary": u.summary,
        "links": u.link_list,
        "read_by": u.read_by,
        "everyone": u.everyone,
        "unit_ids": sorted(x.pk for x in u.units.all()),
        "roles": u.roles,
        "published_at": u.published_at,
        "concerns_me": concerned,
        "acknowledged": done,
    }


@router.get(
    "/topics",
    response=list[SpecialistsTopicOut],
    operation_id="specialists_topics",
    summary="The areas specialists serve",
)
def topics(request: ActorRequest):
    return [{"id": t.pk, "name": t.name} for t in selectors.topics_for(actor=request.actor)]


@router.get(
    "/roles",
    response=list[SpecialistsSpecialistRoleOut],
    operation_id="specialists_roles",
    summary="The specialist roles, their areas, whom they serve and who holds them now",
)
def roles(request: ActorRequest):
    return [
        {
            "id": r.pk,
            "title": r.title,
            "serves": r.serves,
            "department_id": r.department_id,
            "unit_id": r.unit_id,
            "topics": [{"id": t.pk, "name": t.name} for t in r.topics.all()],
            "holders": [
                {"staff_id": h.staff_id, "name": str(h.staff), "since": h.since}
                for h in r.current  # type: ignore[attr-defined]
            ],
        }
        for r in selectors.roles_for(actor=request.actor, today=timezone.localdate())
    ]


@router.get(
    "/consultations",
    response=SpecialistsConsultationsOut,
    operation_id="specialists_consultations",
    summary="Your questions, and the questions waiting for you as a specialist",
)
def consultations(request: ActorRequest):
    actor = request.actor
    return {
        "mine": [_consultation(c) for c in selectors.my_consultations(actor=actor)],
        "queue": [
            _consultation(c) for c in selectors.queue_for(actor=actor, today=timezone.localdate())
        ],
    }


@router.post(
    "/consultations",
    response={201: SpecialistsConsultationOut},
    operation_id="specialists_ask",
    summary="Ask the specialists of an area (no client may be identifiable)",
)
def ask(request: ActorRequest, payload: SpecialistsAskIn):
    form = AskForm(
        {"topic": payload.topic_id, "unit": payload.unit_id, "question": payload.question},
        actor=request.actor,
    )
    data = InvalidInputError.data_of(form)
    asked = services.consultation_ask(actor=request.actor, today=timezone.localdate(), **data)
    return Status(201, _consultation(asked))


@router.post(
    "/consultations/{id:consultation_id}/answer",
    response=SpecialistsConsultationOut,
    operation_id="specialists_answer",
    summary="Answer a question you serve as a specialist",
)
def answer(request: ActorRequest, consultation_id: int, payload: SpecialistsAnswerIn):
    found = selectors.consultation_by_id(
        actor=request.actor, pk=consultation_id, today=timezone.localdate()
    )
    answered = services.consultation_answer(
        actor=request.actor, consultation=found, answer=payload.answer
    )
    return _consultation(answered)


@router.get(
    "/notes",
    response=list[SpecialistsNoteOut],
    operation_id="specialists_notes",
    summary="Knowledge notes, searched by title and text",
)
def notes(request: ActorRequest, q: str = ""):
    return [
        {"id": n.pk, "topic_id": n.topic_id, "title": n.title, "body": n.body, "version": n.version}
        for n in selectors.notes_for(actor=request.actor, search=q)[:200]
    ]


@router.get(
    "/updates",
    response=list[SpecialistsUpdateOut],
    operation_id="specialists_updates",
    summary="Legal and practice updates, with whether they concern you and you have read them",
)
def updates(request: ActorRequest, q: str = ""):
    return [
        _update(u, concerned, done)
        for u, concerned, done in selectors.updates_for(actor=request.actor, search=q)
    ]


@router.post(
    "/updates",
    response={201: SpecialistsUpdateOut},
    operation_id="specialists_publish",
    summary="Publish an update to the units and roles it concerns (or everyone)",
)
def publish(request: ActorRequest, payload: SpecialistsUpdateIn):
    form = UpdateForm(
        {
            "title": payload.title,
            "summary": payload.summary,
            "links": "\n".join(payload.links),
            "read_by": payload.read_by.isoformat(),
            "everyone": payload.everyone,
            "units": payload.unit_ids,
            "roles": payload.roles,
        },
        actor=request.actor,
    )
    data = InvalidInputError.data_of(form)
    published = services.update_publish(
        actor=request.actor,
        today=timezone.localdate(),
        title=data["title"],
        summary=data["summary"],
        links=data["links"],
        read_by=data["read_by"],
        everyone=data["everyone"],
        units=list(data["units"]),
        roles=list(data["roles"]),
    )
    return Status(201, _update(published, selectors.concerned(published, request.actor), False))


@router.post(
    "/updates/{id:update_id}/acknowledge",
    response=SpecialistsUpdateOut,
    operation_id="specialists_acknowledge",
    summary="Confirm you have read an update that concerns you",
)
def acknowledge(request: ActorRequest, update_id: int):
    found = selectors.update_by_id(actor=request.actor, pk=update_id)
    services.update_acknowledge(actor=request.actor, update=found)
    return _update(found, True, True)
