"""Writes to the organisation. Every create and update from the UI and the API lands here."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from bryggan.core.errors import InvalidInputError
from bryggan.core.forms_tenant import TenantModelForm
from bryggan.core.permissions import Actor, PermissionDeniedError
from bryggan.organisation import capacity
from bryggan.organisation.forms import SupervisorCapacityForm
from bryggan.organisation.resources import Resource


def _check_may_manage(actor: Actor, resource: Resource, form: TenantModelForm) -> None:
    original = form.instance if form.instance.pk else None
    if original is not None and not actor.can(resource.manage_perm, original):
        raise PermissionDeniedError(resource.manage_perm)
    if not actor.can(resource.manage_perm):
        raise PermissionDeniedError(resource.manage_perm)


def record_save(*, actor: Actor, resource: Resource, form: TenantModelForm) -> Model:
    """Validate and save one organisation record atomically, or raise InvalidInputError.

    The original row is checked against the actor's grant before the form (bound to the
    instance) is validated, since validation writes the new values onto it.
    """
    _check_may_manage(actor, resource, form)
    if not form.is_valid():
        raise InvalidInputError(
            {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        )
    try:
        with transaction.atomic():
            if isinstance(form, SupervisorCapacityForm):
                data = form.cleaned_data
                existing = form.instance if form.instance.pk else None
                return capacity.set_capacity(
                    supervisor=data["supervisor"],
                    term=data["term"],
                    capacity=data["capacity"],
                    instance=existing,
                )
            return form.save()
    except capacity.CapacityError as error:
        raise InvalidInputError({"capacity": [str(error)]}) from error
    except IntegrityError as error:
        # Two people saved the same unique thing at once; the loser gets a message, not a 500.
        raise InvalidInputError(
            {"__all__": [_("This conflicts with a record saved at the same time. Try again.")]}
        ) from error
