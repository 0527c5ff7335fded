from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from bryggan.core.models import ApiToken
from bryggan.core.permissions import Actor, Perm, PermissionDeniedError


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    raw: str


def api_token_create(*, actor: Actor, name: str) -> NewToken:
    """Create a personal API token; the raw value is returned once and never stored."""
    if actor.user is None:
        raise PermissionDeniedError(Perm.ORG_VIEW)
    raw = ApiToken.new_raw_token()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor.user, name=name.strip()[:100], token_hash=ApiToken.hash(raw), hint=raw[:10]
        )
    return NewToken(token=token, raw=raw)


def api_token_revoke(*, actor: Actor, token_id: int) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor.user).first()
        if token is None:
            raise Http404
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token
