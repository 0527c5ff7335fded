"""What matching has for the coordinator's home page: proposals that wait to be published
(the newest run per posting; an older proposal was replaced by it)."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bryggan.core.gate import tenant_scoped
from bryggan.core.inbox import Item
from bryggan.core.permissions import Actor, Perm
from bryggan.matching.models import MatchingRun, RunStatus


@tenant_scoped
def for_coordinator(*, actor: Actor, today: date) -> list[Item]:
    if not actor.can(Perm.MATCHING_MANAGE):
        return []
    newer = MatchingRun.objects.filter(posting=OuterRef("posting"), number__gt=OuterRef("number"))
    proposals = (
        MatchingRun.objects.filter(status=RunStatus.PROPOSED)
        .exclude(Exists(newer))
        # a joint round's part is approved and published from the joint round (regional)
        .exclude(
            posting__joint_members__joined_at__isnull=False,
            posting__joint_members__left_at__isnull=True,
        )
        .order_by("created_at")
        # not the instance, result and explanations: a large round's are megabytes
        .values("pk", "number", "finished_at", "created_at", "posting__title")
    )
    items = []
    for run in proposals:
        made = timezone.localtime(run["finished_at"] or run["created_at"]).date()
        items.append(
            Item(
                text=_("Matching run %(number)s is ready to publish: %(posting)s")
                % {"number": run["number"], "posting": run["posting__title"]},
                url=reverse("matching:run", kwargs={"pk": run["pk"]}),
                when=made,
                note=_("proposed %(date)s") % {"date": made.isoformat()},
            )
        )
    return items
