"""What the broad introduction has for the coordinator's home page: cohorts about to start
without a schedule or without one that fits, and schedules an absence has overtaken."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from bryggan.core.gate import tenant_scoped
from bryggan.core.inbox import Item
from bryggan.core.permissions import Actor, Perm
from bryggan.introduction.models import Absence, Block, Cohort, PlanStatus


@tenant_scoped
def for_coordinator(*, actor: Actor, today: date) -> list[Item]:
    if not actor.can(Perm.INTRODUCTION_MANAGE):
        return []
    cohorts = (
        Cohort.objects.select_related("programme")
        .filter(starts_on__lte=today + timedelta(weeks=6))
        .annotate(
            planned=Exists(Block.objects.filter(member__cohort=OuterRef("pk"))),
            overtaken=Exists(
                Absence.objects.filter(
                    cohort=OuterRef("pk"),
                    created_at__gt=OuterRef("planned_at"),
                    ends_on__gte=today,
                )
            ),
        )
        .order_by("starts_on")[:50]
    )
    items = []
    for cohort in cohorts:
        if cohort.ends_on < today:
            continue
        url = reverse("introduction:cohort", args=[cohort.pk])
        names = {"cohort": cohort}
        if cohort.plan_status in (PlanStatus.INFEASIBLE, PlanStatus.UNKNOWN):
            text, urgent = _("%(cohort)s: no schedule fits the capacity") % names, True
        elif not cohort.planned:
            text = _("%(cohort)s starts without a schedule") % names
            urgent = cohort.starts_on <= today + timedelta(weeks=2)
        elif cohort.overtaken:
            text, urgent = (
                _("%(cohort)s: an absence came after the schedule; plan again") % names,
                True,
            )
        else:
            continue
        items.append(Item(text, url, when=cohort.starts_on, urgent=urgent))
    return items
