"""Matching through the API: start a run, read its proposal, change a placement by hand,
publish it, and download the instance and result. The same selectors and services as the
coordinator's pages; another municipality's postings and runs answer 404."""

from datetime import datetime

from django.http import Http404
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from bryggan.core.api_schema import Id, Input, one_of, text
from bryggan.core.http import ActorRequest
from bryggan.core.permissions import Perm
from bryggan.matching import selectors, services
from bryggan.matching.models import MatchingRun
from bryggan.recruitment.selectors import posting_by_id

router = Router(tags=["matching"])


class RunIn(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"optimal": "student", "seed": 7}]})

    optimal: one_of(["student", "unit"]) = "student"  # type: ignore[valid-type]
    seed: int = Field(0, ge=0, le=2_147_483_647)


class PublishIn(Input):
    model_config = ConfigDict(json_schema_extra={"examples": [{"include_application_ids": []}]})

    include_application_ids: list[Id] = Field(
        default_factory=list,
        max_length=10_000,
        description=(
            "Applicants placed in the proposal whose assessment is not done, to place anyway; "
            "the others of them keep their stage."
        ),
    )


class RunOut(Schema):
    id: int
    posting_id: int
    number: int
    optimal: str
    seed: int
    status: str
    stable: bool | None
    error: str
    created_at: datetime
    finished_at: datetime | None
    published_at: datetime | None


class StudentOut(Schema):
    application_id: int
    name: str
    unit_id: int | None
    unit: str | None
    supervisor_id: int | None
    supervisor: str | None
    wish_rank: int | None
    why_not_better: list[str]
    changed_by_hand: str | None


class WishCount(Schema):
    outcome: str
    students: int


class RunDetail(RunOut):
    placed: int
    students: list[StudentOut]
    wish_counts: list[WishCount]


class OverrideIn(Input):
    application_id: Id
    unit_id: Id | None = None
    supervisor_id: Id | None = None
    reason: text(500) = ""  # type: ignore[valid-type]


class PublishOut(Schema):
    run: RunOut
    placements: int


def _posting(request: ActorRequest, posting_id: int):
    request.actor.require(Perm.MATCHING_MANAGE)
    return posting_by_id(actor=request.actor, pk=posting_id)


def _detail(request: ActorRequest, run: MatchingRun) -> dict:
    shown = selectors.proposal_for(
        actor=request.actor, run=run, purpose="api matching run", with_result_only=True
    )
    students = [
        {
            "application_id": line.application.pk,
            "name": str(line.application.person),
            "unit_id": line.unit.pk if line.unit else None,
            "unit": line.unit.name if line.unit else None,
            "supervisor_id": line.supervisor.pk if line.supervisor else None,
            "supervisor": str(line.supervisor) if line.supervisor else None,
            "wish_rank": line.wish_rank,
            "why_not_better": line.reasons,
            "changed_by_hand": line.override.reason if line.override else None,
        }
        for line in (shown.students if shown else [])
    ]
    return {
        **RunOut.from_orm(run).dict(),
        "placed": shown.placed if shown else 0,
        "students": students,
        "wish_counts": [
            {"outcome": label, "students": n} for label, n in (shown.wish_counts if shown else [])
        ],
    }


@router.get(
    "/postings/{id:posting_id}/runs",
    response=list[RunOut],
    operation_id="matching_runs",
    summary="A posting's matching runs, newest first",
)
def runs(request: ActorRequest, posting_id: int):
    return list(selectors.runs_for(actor=request.actor, posting=_posting(request, posting_id)))


@router.post(
    "/postings/{id:posting_id}/runs",
    response={201: RunDetail},
    operation_id="matching_run_start",
    summary="Run the matching on the posting's inputs as they stand",
)
def run_start(request: ActorRequest, posting_id: int, payload: RunIn):
    started = services.run_start(
        actor=request.actor,
        posting=_posting(request, posting_id),
        optimal=payload.optimal,
        seed=payload.seed,
    )
    return Status(201, _detail(request, started))


@router.get(
    "/runs/{id:run_id}",
    response=RunDetail,
    operation_id="matching_run",
    summary="A run's proposal: each student's unit, supervisor and why not better",
)
def run(request: ActorRequest, run_id: int):
    return _detail(request, selectors.run_by_id(actor=request.actor, pk=run_id))


@router.post(
    "/runs/{id:run_id}/overrides",
    response={201: RunDetail},
    operation_id="matching_override",
    summary="Change one student's placement by hand (a reason is required)",
)
def override(request: ActorRequest, run_id: int, payload: OverrideIn):
    found = selectors.run_by_id(actor=request.actor, pk=run_id)
    services.override_add(
        actor=request.actor,
        run=found,
        application=payload.application_id,
        unit=payload.unit_id,
        supervisor=payload.supervisor_id,
        reason=payload.reason,
    )
    return Status(201, _detail(request, found))


@router.post(
    "/runs/{id:run_id}/publish",
    response=PublishOut,
    operation_id="matching_run_publish",
    summary="Create the placements of a proposal and tell the students",
)
def publish(request: ActorRequest, run_id: int, payload: PublishIn):
    found = selectors.run_by_id(actor=request.actor, pk=run_id)
    placements = services.run_publish(
        actor=request.actor, run=found, include=payload.include_application_ids
    )
    found.refresh_from_db()
    return {"run": found, "placements": len(placements)}


@router.get(
    "/runs/{id:run_id}/instance",
    response=dict,
    operation_id="matching_run_instance",
    summary="The run's engine instance (the file format of the command line)",
)
def instance(request: ActorRequest, run_id: int):
    return selectors.run_document(selectors.run_by_id(actor=request.actor, pk=run_id), "instance")


@router.get(
    "/runs/{id:run_id}/result",
    response=dict,
    operation_id="matching_run_result",
    summary="The run's engine result, with the changes made by hand",
)
def result(request: ActorRequest, run_id: int):
    found = selectors.run_by_id(actor=request.actor, pk=run_id)
    body = selectors.run_document(found, "result")
    if body is None:
        raise Http404
    return body
