from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bryggan.core.errors import InvalidInputError
from bryggan.core.models import TOKEN_DEFAULT_DAYS, ApiToken
from bryggan.core.permissions import Actor, Perm, PermissionDeniedError
from bryggan.core.selectors import tokens_actor_may_revoke


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    raw: str


TOKEN_DAYS = (30, 90, 365)


def api_token_create(*, actor: Actor, name: str, days: int = TOKEN_DEFAULT_DAYS) -> NewToken:
    """Create a personal API token; the raw value is returned once and never stored (only its
    SHA-256). It acts with the user's own roles and municipality and stops at ``days``."""
    if actor.user is None:
        raise PermissionDeniedError(Perm.ORG_VIEW)
    if days not in TOKEN_DAYS:
        raise InvalidInputError({"days": [_("A token is valid for 30, 90 or 365 days.")]})
    raw = ApiToken.new_raw_token()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor.user,
            name=name.strip()[:100],
            token_hash=ApiToken.hash(raw),
            hint=raw[:10],
            expires_at=timezone.now() + timedelta(days=days),
        )
    return NewToken(token=token, raw=raw)


def api_token_revoke(*, actor: Actor, token_id: int) -> ApiToken:
    """Revoke a token: the owner their own, the data-protection officer any token of a user
    of their municipality. Anyone else's token answers 404, as if it did not exist."""
    with transaction.atomic():
        token = (
            ApiToken.objects.select_for_update()
            .filter(pk=token_id)
            .filter(tokens_actor_may_revoke(actor))
            .first()
        )
        if token is None:
            raise Http404
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_by = actor.user
            token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def form_save(
    *,
    actor: Actor,
    form: forms.ModelForm,
    perm: Perm,
    after: Callable[[Model], None] | None = None,
    save: Callable[[], Model] | None = None,
) -> Model:
    """The one create/edit path for a tenant form: permission on the row as it stands (before
    validation writes the new values onto it), validation, then the save — ``save`` when the
    row has an owner of its own rules (capacity), else the form's — and ``after``, for what
    belongs with it, in one transaction. A clash with a row saved at the same moment is a
    message, never a 500."""
    actor.require(perm, form.instance if form.instance.pk else None)
    if not form.is_valid():
        raise InvalidInputError.from_form(form)
    try:
        with transaction.atomic():
            saved = save() if save is not None else form.save()
            if after is not None:
                after(saved)
            return saved
    except IntegrityError as error:
        raise InvalidInputError(
            {"__all__": [_("This conflicts with a record saved at the same time. Try again.")]}
        ) from error
