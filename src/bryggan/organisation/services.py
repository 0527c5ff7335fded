"""Writes to the organisation. Every create and update from the UI and the API lands here."""

from __future__ import annotations

from django.db.models import Model

from bryggan.core.errors import InvalidInputError
from bryggan.core.forms_tenant import TenantModelForm
from bryggan.core.permissions import Actor
from bryggan.core.services import form_save
from bryggan.organisation import capacity
from bryggan.organisation.forms import SupervisorCapacityForm
from bryggan.organisation.resources import Resource


def record_save(*, actor: Actor, resource: Resource, form: TenantModelForm) -> Model:
    """Validate and save one organisation record atomically, or raise InvalidInputError,
    through core's one create/edit path. A supervisor's capacity is set through the one owner
    of capacity instead of a plain save."""
    save = _capacity_save(form) if isinstance(form, SupervisorCapacityForm) else None
    return form_save(actor=actor, form=form, perm=resource.manage_perm, save=save)


def _capacity_save(form: SupervisorCapacityForm):
    def save() -> Model:
        data = form.cleaned_data
        try:
            return capacity.set_capacity(
                supervisor=data["supervisor"],
                term=data["term"],
                capacity=data["capacity"],
                instance=form.instance if form.instance.pk else None,
            )
        except capacity.CapacityError as error:
            raise InvalidInputError({"capacity": [str(error)]}) from error

    return save
