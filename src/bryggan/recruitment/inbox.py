"""What recruitment has for the coordinator's home page: applications waiting to be screened,
interviews to book and to assess, the next information events. Counts per posting in one
grouped query, whatever the number of applications."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bryggan.core.gate import tenant_scoped
from bryggan.core.inbox import Item
from bryggan.core.permissions import Actor, Perm
from bryggan.recruitment.models import (
    Application,
    Assessment,
    InformationEvent,
    Interview,
    InterviewStatus,
    Stage,
)

SCREENING_URGENT_DAYS = 7  # an applicant waiting longer than this for a first answer
EVENTS_AHEAD_DAYS = 45
POSTINGS_SHOWN = 5


def _board(posting_id: int, stage: str) -> str:
    return reverse("recruitment:board", kwargs={"pk": posting_id}) + f"?stage={stage}"


def _days(since: date, today: date) -> int:
    return (today - since).days


@tenant_scoped
def for_coordinator(*, actor: Actor, today: date) -> list[Item]:
    if not actor.can(Perm.RECRUITMENT_MANAGE):
        return []
    items: list[Item] = []
    screening = Q(stage__in=[Stage.RECEIVED, Stage.SCREENING])
    booked = Interview.objects.filter(application=OuterRef("pk"), status=InterviewStatus.BOOKED)
    to_book = Q(stage=Stage.INTERVIEW) & ~Q(Exists(booked))
    held = Interview.objects.filter(
        application=OuterRef("pk"), status=InterviewStatus.BOOKED, slot__ends_at__lt=timezone.now()
    )
    assessed = Assessment.objects.filter(application=OuterRef("pk"))
    to_assess = Q(stage=Stage.INTERVIEW) & Q(Exists(held)) & ~Q(Exists(assessed))
    # One grouped query: each posting with open applications, what waits in each stage
    postings = list(
        Application.objects.filter(stage__in=[Stage.RECEIVED, Stage.SCREENING, Stage.INTERVIEW])
        .values("posting_id", "posting__title")
        .annotate(
            waiting=Count("pk", filter=screening),
            waiting_since=Min("created_at", filter=screening),
            to_book=Count("pk", filter=to_book),
            to_book_since=Min("created_at", filter=to_book),
            to_assess=Count("pk", filter=to_assess),
        )
        .order_by()
    )
    waiting = sorted((p for p in postings if p["waiting"]), key=lambda p: p["waiting_since"])
    for row in waiting[:POSTINGS_SHOWN]:
        since = timezone.localtime(row["waiting_since"]).date()
        days = _days(since, today)
        items.append(
            Item(
                text=ngettext(
                    "%(n)s application waits for screening: %(posting)s",
                    "%(n)s applications wait for screening: %(posting)s",
                    row["waiting"],
                )
                % {"n": row["waiting"], "posting": row["posting__title"]},
                url=_board(row["posting_id"], Stage.RECEIVED),
                count=row["waiting"],
                when=since,
                note=(
                    ngettext(
                        "the oldest has waited %(days)s day",
                        "the oldest has waited %(days)s days",
                        days,
                    )
                    % {"days": days}
                    if days
                    else _("the oldest came today")
                ),
                urgent=days > SCREENING_URGENT_DAYS,
            )
        )
    unbooked = sorted((p for p in postings if p["to_book"]), key=lambda p: p["to_book_since"])
    for row in unbooked[:POSTINGS_SHOWN]:
        items.append(
            Item(
                text=ngettext(
                    "%(n)s invited applicant has no interview time: %(posting)s",
                    "%(n)s invited applicants have no interview time: %(posting)s",
                    row["to_book"],
                )
                % {"n": row["to_book"], "posting": row["posting__title"]},
                url=_board(row["posting_id"], Stage.INTERVIEW),
                count=row["to_book"],
                when=timezone.localtime(row["to_book_since"]).date(),
            )
        )
    unassessed = sorted((p for p in postings if p["to_assess"]), key=lambda p: p["posting__title"])
    for row in unassessed[:POSTINGS_SHOWN]:
        items.append(
            Item(
                text=ngettext(
                    "%(n)s interview held but not assessed: %(posting)s",
                    "%(n)s interviews held but not assessed: %(posting)s",
                    row["to_assess"],
                )
                % {"n": row["to_assess"], "posting": row["posting__title"]},
                url=_board(row["posting_id"], Stage.INTERVIEW),
                count=row["to_assess"],
                urgent=True,
            )
        )
    events = (
        InformationEvent.objects.filter(
            starts_at__gte=timezone.now(),
            starts_at__lt=timezone.now() + timedelta(days=EVENTS_AHEAD_DAYS),
        )
        .annotate(n=Count("registrations"))
        .order_by("starts_at")[:3]
    )
    for event in events:
        starts = timezone.localtime(event.starts_at)
        items.append(
            Item(
                text=_("Information event: %(title)s, %(place)s")
                % {"title": event.title, "place": event.place},
                url=reverse("recruitment:event-edit", kwargs={"pk": event.pk}),
                when=starts.date(),
                note=ngettext("%(n)s signed up", "%(n)s signed up", event.n) % {"n": event.n},
            )
        )
    return items
