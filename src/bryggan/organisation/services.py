"""Writes to the organisation. Every create and update from the UI and the API lands here."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from bryggan.core.errors import InvalidInputError
from bryggan.core.forms_tenant import TenantModelForm
from bryggan.core.permissions import Actor
from bryggan.core.services import form_save
from bryggan.organisation import capacity
from bryggan.organisation.forms import SupervisorCapacityForm
from bryggan.organisation.resources import Resource


def record_save(*, actor: Actor, resource: Resource, form: TenantModelForm) -> Model:
    """Validate and save one organisation record atomically, or raise InvalidInputError.

    Through core's one create/edit path; a supervisor's capacity is set through the one
    owner of capacity instead of a plain save."""
    if not isinstance(form, SupervisorCapacityForm):
        return form_save(actor=actor, form=form, perm=resource.manage_perm)
    actor.require(resource.manage_perm, form.instance if form.instance.pk else None)
    if not form.is_valid():
        raise InvalidInputError.from_form(form)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            return capacity.set_capacity(
                supervisor=data["supervisor"],
                term=data["term"],
                capacity=data["capacity"],
                instance=form.instance if form.instance.pk else None,
            )
    except capacity.CapacityError as error:
        raise InvalidInputError({"capacity": [str(error)]}) from error
    except IntegrityError as error:
        # Two people saved the same unique thing at once; the loser gets a message, not a 500.
        raise InvalidInputError(
            {"__all__": [_("This conflicts with a record saved at the same time. Try again.")]}
        ) from error
