"""What joint rounds have for the coordinator's home page: an invitation to answer, the
joint matching to run once the rankings are final, the municipality's part to approve, and
the publication for all on the publication day."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from bryggan.core.gate import tenant_scoped
from bryggan.core.inbox import Item
from bryggan.core.permissions import Actor, Perm, require_tenant
from bryggan.regional.models import JointMember, JointStatus


@tenant_scoped
def for_coordinator(*, actor: Actor, today: date) -> list[Item]:
    if not actor.can(Perm.MATCHING_MANAGE) or actor.municipality is None:
        return []
    items = []
    members = (
        JointMember.objects.filter(municipality=require_tenant(actor), left_at__isnull=True)
        .exclude(joint_round__status=JointStatus.PUBLISHED)
        .select_related("joint_round")
        .order_by("joint_round__rank_deadline")
    )
    for member in members:
        joint_round = member.joint_round
        url = reverse("regional:round", kwargs={"pk": joint_round.pk})
        status = joint_round.status
        if member.joined_at is None:
            if today <= joint_round.rank_deadline:
                items.append(
                    Item(
                        text=_("You are invited to the joint round %(round)s")
                        % {"round": joint_round.name},
                        url=url,
                        when=joint_round.rank_deadline,
                        note=_("join with a posting by %(date)s")
                        % {"date": joint_round.rank_deadline.isoformat()},
                    )
                )
        elif status == JointStatus.OPEN and today > joint_round.rank_deadline:
            items.append(
                Item(
                    text=_("The rankings of %(round)s are final: run the joint matching")
                    % {"round": joint_round.name},
                    url=url,
                    when=joint_round.rank_deadline,
                    urgent=True,
                )
            )
        elif status == JointStatus.MATCHED and member.approved_at is None:
            items.append(
                Item(
                    text=_("Approve your part of the joint round %(round)s")
                    % {"round": joint_round.name},
                    url=url,
                    when=joint_round.publication_on,
                    note=_("publication day %(date)s")
                    % {"date": joint_round.publication_on.isoformat()},
                    urgent=today >= joint_round.publication_on,
                )
            )
        elif status == JointStatus.MATCHED and today >= joint_round.publication_on:
            items.append(
                Item(
                    text=_("Publication day of %(round)s") % {"round": joint_round.name},
                    url=url,
                    when=joint_round.publication_on,
                    note=_("when every municipality has approved, publish for all"),
                    urgent=True,
                )
            )
    return items
