"""What matching has for the coordinator's home page: proposals that wait to be published
(the newest run per posting; an older proposal was replaced by it)."""

from __future__ import annotations

from datetime import date

from django.db.models import Max
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
    newest = MatchingRun.objects.values("posting_id").annotate(last=Max("number"))
    latest = {(row["posting_id"], row["last"]) for row in newest}
    proposals = (
        MatchingRun.objects.filter(status=RunStatus.PROPOSED)
        # a joint round's part is approved and published from the joint round (regional)
        .exclude(
            posting__joint_members__joined_at__isnull=False,
            posting__joint_members__left_at__isnull=True,
        )
        .select_related("posting")
        .order_by("created_at")
    )
    items = []
    for run in proposals:
        if (run.posting_id, run.number) not in latest:
            continue
        made = timezone.localtime(run.finished_at or run.created_at).date()
        items.append(
            Item(
                text=_("Matching run %(number)s is ready to publish: %(posting)s")
                % {"number": run.number, "posting": run.posting.title},
                url=reverse("matching:run", kwargs={"pk": run.pk}),
                when=made,
                note=_("proposed %(date)s") % {"date": made.isoformat()},
            )
        )
    return items
