"""Reads of recruitment, shared by pages and the API, scoped to the actor.

Who may see an applicant is decided here, once: coordinators and HR see every application of
their municipality; other staff see only applications explicitly shared with them; nobody
sees another municipality's. Staff reads pass the gate (core/gate.py): the actor's tenant
scope, the permission, and the access log for an applicant's file. Public reads run in the
scope of the municipality named in the URL (views_public.in_municipality).
"""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone

from bryggan.core.gate import log_list, log_read, one_or_404, tenant_scoped
from bryggan.core.ids import id_or_404
from bryggan.core.models import Municipality
from bryggan.core.permissions import Actor, Perm, PermissionDeniedError
from bryggan.recruitment.models import (
    Application,
    ApplicationWish,
    Assessment,
    Document,
    InformationEvent,
    Interview,
    InterviewSlot,
    InterviewStatus,
    Posting,
    PostingStatus,
    RejectionBatch,
    Round,
    ScoreCriterion,
    Stage,
)


def open_postings(municipality: Municipality) -> QuerySet[Posting]:
    """The careers page's postings (in the public page's scope of ``municipality``)."""
    return (
        Posting.objects.filter(
            status=PostingStatus.PUBLISHED,
            last_application_date__gte=timezone.localdate(),
        )
        .select_related("municipality")
        .prefetch_related("units")
        .order_by("last_application_date", "title")
    )


def public_posting(municipality: Municipality, pk: object) -> Posting:
    posting = (
        Posting.objects.filter(
            pk=id_or_404(pk),
            status__in=[PostingStatus.PUBLISHED, PostingStatus.CLOSED],
        )
        .select_related("municipality", "round")
        .prefetch_related("units")
        .first()
    )
    if posting is None:
        raise Http404
    return posting


def upcoming_events(municipality: Municipality) -> QuerySet[InformationEvent]:
    """Events ahead that the municipality hosts or takes part in, for its careers page.

    A hand filter, not the scope: a joint event belongs to its host, and the partner
    municipalities must see it too (the scope would show only the host's own)."""
    return (
        InformationEvent.unscoped.filter(Q(municipality=municipality) | Q(partners=municipality))
        .filter(starts_at__gte=timezone.now())
        .distinct()
        .order_by("starts_at")
    )


def public_event(municipality: Municipality, pk: object) -> InformationEvent:
    """An event the municipality hosts or joins (a hand filter, as in ``upcoming_events``)."""
    found = (
        InformationEvent.unscoped.filter(Q(municipality=municipality) | Q(partners=municipality))
        .filter(pk=id_or_404(pk))
        .select_related("municipality")
        .prefetch_related("partners")
        .distinct()
        .first()
    )
    if found is None:
        raise Http404
    return found


def municipality_by_slug(slug: str) -> Municipality:
    """The municipality a public address names (the tenant itself: not a scoped row)."""
    found = Municipality.objects.filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


def current_documents(application: Application) -> list[Document]:
    """The applicant's documents in force (not replaced), for their own page."""
    return list(Document.objects.filter(application=application, replaced_at__isnull=True))


def application_from_link(*, pk: int, nonce: str) -> Application | None:
    """The application an applicant's signed private link names. Unscoped on purpose: the
    link is the applicant's key, and the municipality is not known until the application
    is found (the caller then enters its scope)."""
    return (
        Application.unscoped.select_related(
            "posting", "person", "municipality", "posting__municipality"
        )
        .filter(pk=pk, link_nonce=nonce)
        .first()
    )


@tenant_scoped
def rounds_for(*, actor: Actor) -> QuerySet[Round]:
    actor.require(Perm.RECRUITMENT_MANAGE)
    return Round.objects.select_related("term").annotate(
        posting_count=Count("postings", distinct=True)
    )


@tenant_scoped
def round_by_id(*, actor: Actor, pk: object) -> Round:
    return one_or_404(rounds_for(actor=actor), pk)


@tenant_scoped
def postings_for(*, actor: Actor) -> QuerySet[Posting]:
    actor.require(Perm.RECRUITMENT_MANAGE)
    return Posting.objects.select_related("round").annotate(
        application_count=Count("applications", distinct=True)
    )


@tenant_scoped
def posting_by_id(*, actor: Actor, pk: object) -> Posting:
    return one_or_404(postings_for(actor=actor), pk)


@tenant_scoped
def visible_applications(*, actor: Actor) -> QuerySet[Application]:
    """The applications the actor may see at all (the rule of who sees an applicant)."""
    base = Application.objects.all()
    if actor.has(Perm.APPLICATIONS_VIEW_ALL):
        return base
    if actor.has(Perm.APPLICATIONS_VIEW_SHARED) and actor.user is not None:
        return base.filter(shared_with__user=actor.user).distinct()
    raise PermissionDeniedError(Perm.APPLICATIONS_VIEW_ALL)


@tenant_scoped
def board(
    *,
    actor: Actor,
    posting: Posting,
    purpose: str | None,
    stage: str = "",
    search: str = "",
    unit: str = "",
) -> QuerySet[Application]:
    """A posting's applications for the board: one query joined, wishes prefetched.
    ``purpose`` names the read for the access log (None: the ids are only checked)."""
    actor.require(Perm.RECRUITMENT_MANAGE, posting)
    if purpose is not None:
        log_list(actor=actor, model=Application, purpose=purpose)
    queryset = (
        visible_applications(actor=actor)
        .filter(posting=posting)
        .select_related("person", "university")
        .prefetch_related(
            Prefetch("wishes", queryset=ApplicationWish.objects.select_related("unit"))
        )
        .order_by("-created_at", "-pk")
    )
    if stage in Stage.values:
        queryset = queryset.filter(stage=stage)
    search = search.strip()[:100]
    if search:
        queryset = queryset.filter(
            Q(person__first_name__icontains=search)
            | Q(person__last_name__icontains=search)
            | Q(person__email__icontains=search)
            | Q(interests__icontains=search)
        )
    if unit.isdigit():
        queryset = queryset.filter(wishes__unit_id=int(unit)).distinct()
    return queryset


# The board's columns show this many cards each; the rest are a click away in the list.
COLUMN_CARDS = 25


def board_columns(*, queryset: QuerySet[Application], counts: dict[str, int]) -> list[tuple]:
    """The board as columns by stage: (stage, label, count, the newest cards). The newest
    cards of every column come in one query (a row number per stage), so the page costs the
    same however many applied."""
    newest = queryset.annotate(
        row=Window(
            RowNumber(),
            partition_by=[F("stage")],
            order_by=[F("created_at").desc(), F("pk").desc()],
        )
    ).filter(row__lte=COLUMN_CARDS)
    cards: dict[str, list[Application]] = {}
    for application in newest:
        cards.setdefault(application.stage, []).append(application)
    return [
        (value, label, counts.get(value, 0), cards.get(value, [])) for value, label in Stage.choices
    ]


def neighbours(
    *, actor: Actor, application: Application, stage: str = ""
) -> tuple[Application | None, Application | None]:
    """The applications before and after this one on its posting's board (newest first, the
    board's order), within a stage when one is given: what "previous" and "next" open."""
    base = visible_applications(actor=actor).filter(posting_id=application.posting_id)
    if stage in Stage.values:
        base = base.filter(stage=stage)
    at, pk = application.created_at, application.pk
    newer = Q(created_at__gt=at) | Q(created_at=at, pk__gt=pk)
    older = Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk)
    previous = base.filter(newer).select_related("person").order_by("created_at", "pk").first()
    following = base.filter(older).select_related("person").order_by("-created_at", "-pk").first()
    return previous, following


@tenant_scoped
def stage_counts(*, actor: Actor, posting: Posting) -> dict[str, int]:
    rows = (
        visible_applications(actor=actor)
        .filter(posting=posting)
        .values("stage")
        .annotate(n=Count("pk"))
    )
    counts = dict.fromkeys(Stage.values, 0)
    counts.update({row["stage"]: row["n"] for row in rows})
    return counts


@tenant_scoped
def slots_for(
    *, actor: Actor, posting: Posting, purpose: str | None = None
) -> QuerySet[InterviewSlot]:
    """A posting's interview times with their interviewers and who booked them; ``purpose``
    names the read when the bookers' names are shown (the API shows application ids)."""
    actor.require(Perm.RECRUITMENT_MANAGE, posting)
    if purpose is not None:
        log_list(actor=actor, model=Application, purpose=purpose)
    booked = Interview.objects.filter(status=InterviewStatus.BOOKED).select_related(
        "application__person"
    )
    return (
        InterviewSlot.objects.filter(posting=posting)
        .prefetch_related("interviewers", Prefetch("interviews", queryset=booked, to_attr="booked"))
        .order_by("starts_at")
    )


@tenant_scoped
def pending_rejections(*, actor: Actor, posting: Posting) -> list[RejectionBatch]:
    """The posting's bulk rejections whose e-mails have not left: what can still be undone."""
    actor.require(Perm.RECRUITMENT_MANAGE, posting)
    return list(
        RejectionBatch.objects.filter(
            posting=posting,
            undone_at__isnull=True,
            sent_at__isnull=True,
            send_after__gt=timezone.now(),
        )
        .exclude(previous={})
        .order_by("send_after")
    )


def rejection_by_id(*, actor: Actor, posting: Posting, pk: object) -> RejectionBatch:
    actor.require(Perm.RECRUITMENT_MANAGE, posting)
    return one_or_404(RejectionBatch.objects.filter(posting=posting), pk)


def application_by_id(*, actor: Actor, pk: object, purpose: str | None) -> Application:
    """An applicant's file, when the actor may see it; ``purpose`` names the read for the
    access log (None: only handed to a service that changes it)."""
    files = (
        visible_applications(actor=actor)
        .select_related("person", "posting", "posting__round", "university", "event")
        .prefetch_related(
            Prefetch("wishes", queryset=ApplicationWish.objects.select_related("unit")),
            Prefetch("documents", queryset=Document.objects.filter(replaced_at__isnull=True)),
            "notes__author",
            "stage_changes__actor",
            Prefetch("assessments", queryset=Assessment.objects.select_related("interviewer")),
            "shared_with",
        )
    )
    return one_or_404(files, pk, actor=actor, purpose=purpose)


@tenant_scoped
def document_by_id(*, actor: Actor, pk: object, purpose: str) -> Document:
    visible = visible_applications(actor=actor).values("pk")
    documents = Document.objects.filter(application__in=visible).select_related(
        "application__person"
    )
    return one_or_404(documents, pk, actor=actor, purpose=purpose)


@tenant_scoped
def release_copy(
    *, actor: Actor, application: Application, reference: str, masked: set[str]
) -> bytes:
    """A copy of an application for a public-records request, masked as the secrecy review
    decided; the release is a read of the file, logged with its reference."""
    from bryggan.recruitment.release import release_pdf

    actor.require(Perm.RECRUITMENT_MANAGE, application)
    log_read(
        actor=actor,
        obj=application,
        purpose=f"release copy {reference}; masked: {', '.join(sorted(masked)) or 'none'}",
    )
    return release_pdf(application, masked=masked, reference=reference)


@tenant_scoped
def criteria_of(*, actor: Actor, application: Application) -> list[ScoreCriterion]:
    """The scorecard of the application's round."""
    return list(ScoreCriterion.objects.filter(round_id=application.posting.round_id))


@tenant_scoped
def own_assessment(*, actor: Actor, application: Application) -> Assessment | None:
    """The actor's own assessment of the application, if they made one."""
    return Assessment.objects.filter(application=application, interviewer=actor.user).first()


@tenant_scoped
def event_to_edit(*, actor: Actor, pk: object | None) -> InformationEvent:
    """One of the municipality's own events (partners see joint events, but only the host
    edits them: the scope holds only the host's own), or a new one."""
    actor.require(Perm.RECRUITMENT_MANAGE)
    if pk is None:
        return InformationEvent(municipality=actor.municipality)
    return one_or_404(InformationEvent.objects.all(), pk)


@tenant_scoped
def matching_input(*, actor: Actor, posting: Posting) -> dict[int, list[int]]:
    """Each applicant's ranked units (not rejected or withdrawn), for matching."""
    actor.require(Perm.RECRUITMENT_MANAGE, posting)
    wishes = (
        ApplicationWish.objects.filter(application__posting=posting)
        .exclude(application__stage__in=[Stage.REJECTED, Stage.WITHDRAWN])
        .order_by("application_id", "rank")
    )
    preferences: dict[int, list[int]] = {}
    for wish in wishes:
        preferences.setdefault(wish.application_id, []).append(wish.unit_id)
    return preferences


@tenant_scoped
def events_for(*, actor: Actor) -> QuerySet[InformationEvent]:
    """Events the municipality hosts or takes part in (joint events are shared: a hand
    filter, since the scope would show only the host's own)."""
    actor.require(Perm.RECRUITMENT_MANAGE)
    m = actor.municipality
    return (
        InformationEvent.unscoped.filter(Q(municipality=m) | Q(partners=m))
        .distinct()
        .select_related("municipality")
        .prefetch_related("partners")
        .annotate(
            registration_count=Count("registrations", distinct=True),
            own_application_count=Count(
                "applications", filter=Q(applications__municipality=m), distinct=True
            ),
        )
    )


@tenant_scoped
def other_applications(*, actor: Actor, application: Application) -> QuerySet[Application]:
    """The same person's other applications: one person applying twice is one person."""
    return (
        visible_applications(actor=actor)
        .filter(person_id=application.person_id)
        .exclude(pk=application.pk)
        .select_related("posting")
    )


def ranking_groups(applications) -> dict[int, list[list[int]]]:
    """Per unit, the applicants who wish it, in groups of equal interviewers' average score,
    best first; those not yet assessed come last, as one group.

    The units' side of what matching reads (students' ranked units are ``ApplicationWish``).
    Equal averages stay tied: a matching run breaks ties with its recorded lottery. Give it
    applications with ``wishes`` and ``assessments`` prefetched.
    """
    scored: dict[int, dict[float, list[int]]] = {}
    unassessed: dict[int, list[int]] = {}
    for application in applications:
        totals = [a.total for a in application.assessments.all()]
        for wish in application.wishes.all():
            if totals:
                average = round(sum(totals) / len(totals), 2)
                scored.setdefault(wish.unit_id, {}).setdefault(average, []).append(application.pk)
            else:
                unassessed.setdefault(wish.unit_id, []).append(application.pk)
    groups: dict[int, list[list[int]]] = {}
    for unit in scored.keys() | unassessed.keys():
        by_score = scored.get(unit, {})
        groups[unit] = [sorted(by_score[score]) for score in sorted(by_score, reverse=True)]
        if unit in unassessed:
            groups[unit].append(sorted(unassessed[unit]))
    return groups


def unit_rankings(*, posting: Posting) -> dict[int, list[int]]:
    """Per unit, the applicants who wish it, ranked by their interviewers' average score;
    equal scores (and the unassessed, who come last) in the order they applied."""
    applications = (
        Application.objects.filter(posting=posting)
        .exclude(stage__in=[Stage.REJECTED, Stage.WITHDRAWN])
        .prefetch_related("wishes", "assessments")
    )
    return {
        unit: [pk for group in unit_groups for pk in group]
        for unit, unit_groups in ranking_groups(applications).items()
    }
