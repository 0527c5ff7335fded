"""Joint rounds through the API: the rounds a municipality is in, creating one, joining,
leaving, the joint matching, approval and publication, the municipality's own results, and
the regional list of postings (public, no account needed)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from bryggan.core.api_schema import Id, Input, IsoDate
from bryggan.core.errors import InvalidInputError
from bryggan.core.http import ActorRequest
from bryggan.core.models import Municipality
from bryggan.organisation.models import TermKind
from bryggan.recruitment.models import Posting
from bryggan.regional import selectors, services
from bryggan.regional.models import KINDS, JointRound

router = Router(tags=["joint rounds"])
public_router = Router(tags=["joint rounds"])


class RegionalMemberOut(Schema):
    municipality: str
    taking_part: bool
    left: bool
    approved: bool


class RegionalRoundOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    term: str
    rank_deadline: str
    publication_on: str
    status: str
    stable: bool | None
    host: str
    members: list[RegionalMemberOut]


class RegionalRoundIn(Input):
    name: str
    kind: str
    term_kind: str
    term_year: int
    rank_deadline: IsoDate
    publication_on: IsoDate
    partner_slugs: list[str]
    posting_id: Id | None = None


class RegionalJoinIn(Input):
    posting_id: Id


class RegionalOutcomeOut(Schema):
    application_id: int
    applicant: str
    result: str  # placed | elsewhere | unplaced
    unit: str | None
    supervisor: str | None


class RegionalPublishedOut(Schema):
    placements: int


class RegionalUnitOut(Schema):
    id: int
    name: str


class RegionalPostingOut(Schema):
    municipality: str
    title: str
    places: int
    starts_on: str
    ends_on: str
    units: list[RegionalUnitOut]


def _round(joint_round: JointRound) -> dict:
    members = list(
        joint_round.members.select_related("municipality").order_by("municipality__name")
    )
    return {
        "id": joint_round.pk,
        "name": joint_round.name,
        "slug": joint_round.slug,
        "kind": joint_round.kind,
        "term": f"{joint_round.term_kind} {joint_round.term_year}",
        "rank_deadline": joint_round.rank_deadline.isoformat(),
        "publication_on": joint_round.publication_on.isoformat(),
        "status": joint_round.status,
        "stable": joint_round.stable,
        "host": joint_round.host.name,
        "members": [
            {
                "municipality": m.municipality.name,
                "taking_part": m.active,
                "left": m.left_at is not None,
                "approved": m.approved_at is not None,
            }
            for m in members
        ],
    }


@router.get(
    "/rounds",
    response=list[RegionalRoundOut],
    operation_id="regional_rounds",
    summary="The joint rounds your municipality is invited to or takes part in",
)
def rounds(request: ActorRequest):
    return [_round(r) for r in selectors.rounds_for(actor=request.actor)]


@router.post(
    "/rounds",
    response={201: RegionalRoundOut},
    operation_id="regional_round_create",
    summary="Start a joint round hosted by your municipality and invite others (by their "
    "short names); optionally join at once with one of your postings",
)
def round_create(request: ActorRequest, payload: RegionalRoundIn):
    actor = request.actor
    errors: dict[str, list[str]] = {}
    if payload.kind not in dict(KINDS):
        errors["kind"] = [_("The kind is practicum, student_employee or aspirant.")]
    if payload.term_kind not in TermKind.values:
        errors["term_kind"] = [_("The term is VT or HT.")]
    if not 2000 <= payload.term_year <= 2100:
        errors["term_year"] = [_("Give a year from 2000 to 2100.")]
    partners = list(Municipality.objects.filter(slug__in=payload.partner_slugs))
    if len(partners) != len(set(payload.partner_slugs)):
        errors["partner_slugs"] = [_("Name municipalities by their short names.")]
    if errors:
        raise InvalidInputError(errors)
    posting = (
        selectors.own_posting(actor=actor, pk=payload.posting_id)
        if payload.posting_id is not None
        else None
    )
    created = services.round_create(
        actor=actor,
        name=payload.name,
        kind=payload.kind,
        term_kind=payload.term_kind,
        term_year=payload.term_year,
        rank_deadline=payload.rank_deadline,
        publication_on=payload.publication_on,
        partners=partners,
        posting=posting,
    )
    return Status(201, _round(created))


@router.get(
    "/rounds/{round_id}",
    response=RegionalRoundOut,
    operation_id="regional_round",
    summary="One joint round: its days, status and municipalities",
)
def round_detail(request: ActorRequest, round_id: int):
    return _round(selectors.round_by_id(actor=request.actor, pk=round_id))


@router.post(
    "/rounds/{round_id}/join",
    response=RegionalRoundOut,
    operation_id="regional_round_join",
    summary="Take part with one of your postings (the round's kind and term, closing by the "
    "rank deadline)",
)
def round_join(request: ActorRequest, round_id: int, payload: RegionalJoinIn):
    joint_round = selectors.round_by_id(actor=request.actor, pk=round_id)
    posting: Posting = selectors.own_posting(actor=request.actor, pk=payload.posting_id)
    services.round_join(actor=request.actor, joint_round=joint_round, posting=posting)
    return _round(joint_round)


def _action(name: str, summary: str):
    def register(function):
        return router.post(
            f"/rounds/{{round_id}}/{name}",
            response=RegionalRoundOut,
            operation_id=f"regional_round_{name}",
            summary=summary,
        )(function)

    return register


@_action("leave", "Leave the joint round (only before the rank deadline)")
def round_leave(request: ActorRequest, round_id: int):
    joint_round = selectors.round_by_id(actor=request.actor, pk=round_id)
    services.round_leave(actor=request.actor, joint_round=joint_round)
    return _round(joint_round)


@_action("match", "Run the one stable matching across every municipality (after the deadline)")
def round_match(request: ActorRequest, round_id: int):
    joint_round = selectors.round_by_id(actor=request.actor, pk=round_id)
    return _round(services.match(actor=request.actor, joint_round=joint_round))


@_action("approve", "Approve your municipality's part of the joint result for publication")
def round_approve(request: ActorRequest, round_id: int):
    joint_round = selectors.round_by_id(actor=request.actor, pk=round_id)
    services.approve(actor=request.actor, joint_round=joint_round)
    joint_round.refresh_from_db()
    return _round(joint_round)


@router.post(
    "/rounds/{round_id}/publish",
    response=RegionalPublishedOut,
    operation_id="regional_round_publish",
    summary="On the publication day, when all have approved: every municipality publishes "
    "at once (all or nothing)",
)
def round_publish(request: ActorRequest, round_id: int):
    joint_round = selectors.round_by_id(actor=request.actor, pk=round_id)
    placed = services.publish(
        actor=request.actor, joint_round=joint_round, today=timezone.localdate()
    )
    return {"placements": placed}


@router.get(
    "/rounds/{round_id}/results",
    response=list[RegionalOutcomeOut],
    operation_id="regional_round_results",
    summary="Your municipality's part of the joint result: your applicants only",
)
def round_results(request: ActorRequest, round_id: int):
    joint_round = selectors.round_by_id(actor=request.actor, pk=round_id)
    view = selectors.round_view(actor=request.actor, joint_round=joint_round)
    return [
        {
            "application_id": o.application.pk,
            "applicant": str(o.application.person),
            "result": "placed" if o.unit else ("elsewhere" if o.elsewhere else "unplaced"),
            "unit": o.unit.name if o.unit else None,
            "supervisor": str(o.supervisor) if o.supervisor else None,
        }
        for o in view.outcomes
    ]


@public_router.get(
    "/{slug}/postings",
    response=list[RegionalPostingOut],
    auth=None,
    operation_id="regional_public_postings",
    summary="A joint round's postings of every municipality taking part, with their units "
    "(no account needed)",
)
def public_postings(request, slug: str):
    joint_round = selectors.public_round(slug)
    return [
        {
            "municipality": o.municipality.name,
            "title": o.posting.title,
            "places": o.posting.places,
            "starts_on": o.posting.starts_on.isoformat(),
            "ends_on": o.posting.ends_on.isoformat(),
            "units": [{"id": u.pk, "name": u.name} for u in o.units],
        }
        for o in selectors.regional_postings(joint_round)
    ]
