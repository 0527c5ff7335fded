"""Writes for data protection: protected identity, and (below) the data subject's rights."""

from __future__ import annotations

from django.db import transaction

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
