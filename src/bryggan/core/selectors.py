from __future__ import annotations

from django.db.models import Q, QuerySet

from bryggan.core.models import ApiToken, Membership
from bryggan.core.permissions import Actor, Perm


def tokens_for(*, actor: Actor) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor.user).order_by("-created_at")


def tokens_actor_may_revoke(actor: Actor) -> Q:
    """The tokens an actor may revoke: their own, and for the data-protection officer every
    token of a user who belongs to their municipality."""
    own = Q(user=actor.user) if actor.user is not None else Q(pk__in=[])
    if actor.municipality is not None and actor.can(Perm.TOKENS_MANAGE):
        return own | Q(user__in=_members_of(actor))
    return own


def _members_of(actor: Actor):
    return Membership.objects.filter(municipality=actor.municipality).values("user")


def tokens_in_municipality(*, actor: Actor) -> QuerySet[ApiToken]:
    """Every API token of the municipality's users, for the data-protection officer: whose,
    what for, when made, last used, from how many addresses, and whether it still works."""
    actor.require(Perm.TOKENS_MANAGE)
    if actor.municipality is None:
        return ApiToken.objects.none()
    return (
        ApiToken.objects.filter(user__in=_members_of(actor))
        .select_related("user", "revoked_by")
        .order_by("revoked_at", "-created_at")
    )
