"""Reads of recruitment, shared by pages and the API, scoped to the actor.

Who may see an applicant is decided here, once: coordinators and HR see every application of
their municipality; other staff see only applications explicitly shared with them; nobody
sees another municipality's.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

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
    Round,
    Stage,
)


def open_postings(municipality: Municipality) -> QuerySet[Posting]:
    return (
        Posting.objects.filter(
            municipality=municipality,
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
            municipality=municipality,
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
    """Events ahead that the municipality hosts or takes part in, for its careers page."""
    return (
        InformationEvent.unscoped.filter(Q(municipality=municipality) | Q(partners=municipality))
        .filter(starts_at__gte=timezone.now())
        .distinct()
        .order_by("starts_at")
    )


def public_event(municipality: Municipality, pk: object) -> InformationEvent:
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


def rounds_for(*, actor: Actor) -> QuerySet[Round]:
    actor.require(Perm.RECRUITMENT_MANAGE)
    return (
        Round.objects.filter(municipality=actor.municipality)
        .select_related("term")
        .annotate(posting_count=Count("postings", distinct=True))
    )


def round_by_id(*, actor: Actor, pk: object) -> Round:
    found = rounds_for(actor=actor).filter(pk=id_or_404(pk)).first()
    if found is None:
        raise Http404
    return found


def postings_for(*, actor: Actor) -> QuerySet[Posting]:
    actor.require(Perm.RECRUITMENT_MANAGE)
    return (
        Posting.objects.filter(municipality=actor.municipality)
        .select_related("round")
        .annotate(application_count=Count("applications", distinct=True))
    )


def posting_by_id(*, actor: Actor, pk: object) -> Posting:
    found = postings_for(actor=actor).filter(pk=id_or_404(pk)).first()
    if found is None:
        raise Http404
    return found


def visible_applications(*, actor: Actor) -> QuerySet[Application]:
    """The applications the actor may see at all (the rule of who sees an applicant)."""
    base = Application.objects.filter(municipality=actor.municipality)
    if actor.has(Perm.APPLICATIONS_VIEW_ALL):
        return base
    if actor.has(Perm.APPLICATIONS_VIEW_SHARED) and actor.user is not None:
        return base.filter(shared_with__user=actor.user).distinct()
    raise PermissionDeniedError(Perm.APPLICATIONS_VIEW_ALL)


def board(
    *, actor: Actor, posting: Posting, stage: str = "", search: str = "", unit: str = ""
) -> QuerySet[Application]:
    """A posting's applications for the board: one query joined, wishes prefetched."""
    actor.require(Perm.RECRUITMENT_MANAGE, posting)
    queryset = (
        visible_applications(actor=actor)
        .filter(posting=posting)
        .select_related("person", "university")
        .prefetch_related(
            Prefetch("wishes", queryset=ApplicationWish.objects.select_related("unit"))
        )
        .order_by("-created_at")
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


def slots_for(*, posting: Posting) -> QuerySet[InterviewSlot]:
    """A posting's interview times with their interviewers and who booked them."""
    booked = Interview.objects.filter(status=InterviewStatus.BOOKED).select_related(
        "application__person"
    )
    return (
        InterviewSlot.objects.filter(posting=posting)
        .prefetch_related("interviewers", Prefetch("interviews", queryset=booked, to_attr="booked"))
        .order_by("starts_at")
    )


def application_by_id(*, actor: Actor, pk: object) -> Application:
    found = (
        visible_applications(actor=actor)
        .filter(pk=id_or_404(pk))
        .select_related("person", "posting", "posting__round", "university", "event")
        .prefetch_related(
            Prefetch("wishes", queryset=ApplicationWish.objects.select_related("unit")),
            Prefetch("documents", queryset=Document.objects.filter(replaced_at__isnull=True)),
            "notes__author",
            "stage_changes__actor",
            Prefetch("assessments", queryset=Assessment.objects.select_related("interviewer")),
            "shared_with",
        )
        .first()
    )
    if found is None:
        raise Http404
    return found


def document_by_id(*, actor: Actor, pk: object) -> Document:
    visible = visible_applications(actor=actor).values("pk")
    found = (
        Document.objects.filter(pk=id_or_404(pk), application__in=visible)
        .select_related("application")
        .first()
    )
    if found is None:
        raise Http404
    return found


def events_for(*, actor: Actor) -> QuerySet[InformationEvent]:
    """Events the municipality hosts or takes part in (joint events are shared)."""
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
