"""Writes for data protection: protected identity, and (below) the data subject's rights."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from bryggan.core.errors import InvalidInputError
from bryggan.core.models import Person
from bryggan.core.permissions import Actor, Perm


def set_protected_identity(*, actor: Actor, person: Person, protected: bool) -> Person:
    """Flag (or unflag) a person as having a protected identity (skyddade personuppgifter)."""
    actor.require(Perm.PERSONAL_DATA_MANAGE, person)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if locked.protected_identity != protected:
            locked.protected_identity = protected
            locked.save(update_fields=["protected_identity"])
    return locked


def policy_save(
    *,
    actor: Actor,
    kind: str,
    months: int | None,
    decision_reference: str,
    decision_date,
):
    """Set how long one kind of data is kept, and the decision that allows removing it."""
    from bryggan.privacy.models import DataKind, RetentionPolicy

    actor.require(Perm.PERSONAL_DATA_MANAGE)
    if kind not in DataKind.values:
        raise InvalidInputError({"kind": [_("Unknown kind of data.")]})
    with transaction.atomic():
        policy, _created = RetentionPolicy.objects.update_or_create(
            municipality=actor.municipality,
            kind=kind,
            defaults={
                "months": months,
                "decision_reference": decision_reference.strip(),
                "decision_date": decision_date,
            },
        )
    return policy


def legal_hold_place(*, actor: Actor, person: Person, reason: str):
    from bryggan.privacy.models import LegalHold

    actor.require(Perm.PERSONAL_DATA_MANAGE, person)
    if not reason.strip():
        raise InvalidInputError({"reason": [_("Give the case or reason.")]})
    return LegalHold.objects.create(
        municipality=person.municipality,
        person_id=person.pk,
        reason=reason.strip()[:200],
        placed_by=actor.user,
    )


def legal_hold_release(*, actor: Actor, person: Person, hold_id: int):
    from django.http import Http404
    from django.utils import timezone

    from bryggan.privacy.models import LegalHold

    actor.require(Perm.PERSONAL_DATA_MANAGE, person)
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().filter(pk=hold_id, person_id=person.pk).first()
        if hold is None:
            raise Http404
        if hold.released_at is None:
            hold.released_at = timezone.now()
            hold.save(update_fields=["released_at"])
    return hold
