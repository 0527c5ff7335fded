"""What recruitment has for the coordinator's home page: applications waiting to be screened,
interviews to book and to assess, the next information events. Counts per posting in a few
grouped queries, whatever the number of applications."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, Min, OuterRef
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
    waiting = (
        Application.objects.filter(stage__in=[Stage.RECEIVED, Stage.SCREENING])
        .values("posting_id", "posting__title")
        .annotate(n=Count("pk"), oldest=Min("created_at"))
        .order_by("oldest")[:POSTINGS_SHOWN]
    )
    for row in waiting:
        since = timezone.localtime(row["oldest"]).date()
        days = _days(since, today)
        items.append(
            Item(
                text=ngettext(
                    "%(n)s application waits for screening: %(posting)s",
                    "%(n)s applications wait for screening: %(posting)s",
                    row["n"],
                )
                % {"n": row["n"], "posting": row["posting__title"]},
                url=_board(row["posting_id"], Stage.RECEIVED),
                count=row["n"],
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
    booked = Interview.objects.filter(application=OuterRef("pk"), status=InterviewStatus.BOOKED)
    to_book = (
        Application.objects.filter(stage=Stage.INTERVIEW)
        .exclude(Exists(booked))
        .values("posting_id", "posting__title")
        .annotate(n=Count("pk"), oldest=Min("created_at"))
        .order_by("oldest")[:POSTINGS_SHOWN]
    )
    for row in to_book:
        items.append(
            Item(
                text=ngettext(
                    "%(n)s invited applicant has no interview time: %(posting)s",
                    "%(n)s invited applicants have no interview time: %(posting)s",
                    row["n"],
                )
                % {"n": row["n"], "posting": row["posting__title"]},
                url=_board(row["posting_id"], Stage.INTERVIEW),
                count=row["n"],
                when=timezone.localtime(row["oldest"]).date(),
            )
        )
    held = Interview.objects.filter(
        application=OuterRef("pk"), status=InterviewStatus.BOOKED, slot__ends_at__lt=timezone.now()
    )
    assessed = Assessment.objects.filter(application=OuterRef("pk"))
    to_assess = (
        Application.objects.filter(stage=Stage.INTERVIEW)
        .filter(Exists(held))
        .exclude(Exists(assessed))
        .values("posting_id", "posting__title")
        .annotate(n=Count("pk"))
        .order_by("posting__title")[:POSTINGS_SHOWN]
    )
    for unassessed in to_assess:
        items.append(
            Item(
                text=ngettext(
                    "%(n)s interview held but not assessed: %(posting)s",
                    "%(n)s interviews held but not assessed: %(posting)s",
                    unassessed["n"],
                )
                % {"n": unassessed["n"], "posting": unassessed["posting__title"]},
                url=_board(unassessed["posting_id"], Stage.INTERVIEW),
                count=unassessed["n"],
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
