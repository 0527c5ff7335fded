from __future__ import annotations

from bryggan.core.models import ApiToken
from bryggan.core.permissions import Actor


def tokens_for(*, actor: Actor):
    return ApiToken.objects.filter(user=actor.user).order_by("-created_at")
