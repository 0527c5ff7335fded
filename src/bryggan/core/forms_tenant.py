"""The base of every form that takes a municipality's rows: the one way ids from a request
are resolved inside the tenant.

A choice of a tenant row (a unit, a supervisor, a term…) is a ``ModelChoiceField`` on a
``TenantForm`` or ``TenantModelForm``; ``limit_choices_to_tenant`` limits it to the actor's
municipality, so an id from another municipality, a missing one and a malformed one are all
"not one of the available choices". Views and the API resolve ids this way, never by hand.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q

from bryggan.core.forms_a11y import AccessibleErrorsMixin
from bryggan.core.models import TenantModel
from bryggan.core.permissions import Actor, Perm


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def limit_choices_to_tenant(form: forms.BaseForm, actor: Actor) -> None:
    """Limit every choice of a tenant row to the actor's municipality.

    The one hand-written tenant filter outside a scope, and why: a form's choice querysets
    are declared when the module is imported, outside any tenant scope, so they start from
    the ``unscoped`` manager and are limited here, once, for every form."""
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and issubclass(queryset.model, TenantModel):
            field.queryset = queryset.filter(municipality=actor.municipality)  # type: ignore[attr-defined]


class TenantForm(AccessibleErrorsMixin, forms.Form):
    """A form whose choices of tenant rows are limited to the actor's municipality."""

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        limit_choices_to_tenant(self, actor)


class TenantModelForm(AccessibleErrorsMixin, forms.ModelForm):
    """A model form bound to the actor's municipality.

    Every choice of a related tenant row is limited to the actor's municipality (and to their
    unit or department where their grant is scoped), so an id from another municipality is
    "not one of the available choices" — never saved. Uniqueness within the municipality is
    checked here, so a duplicate is a message on the field, not a database error.
    """

    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        if self.instance.municipality_id is None:
            self.instance.municipality = actor.municipality
        limit_choices_to_tenant(self, actor)

    def validate_unique(self) -> None:
        exclude = self._get_validation_exclusions()
        exclude.discard("municipality")
        try:
            self.instance.validate_unique(exclude=exclude)
            self.instance.validate_constraints(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)

    def limit_to_scope(self, field_name: str, unit_path: str) -> None:
        """Limit a choice to units in the actor's scope for managing staff."""
        if not self.actor.is_scoped_for(Perm.STAFF_MANAGE):
            return
        condition = Q(pk__in=[])
        for grant in self.actor.scope_grants(Perm.STAFF_MANAGE):
            if grant.unit_id is not None:
                condition |= Q(**{unit_path: grant.unit_id})
            elif grant.department_id is not None:
                condition |= Q(**{f"{unit_path}__department": grant.department_id})
        field = self.fields[field_name]
        field.queryset = field.queryset.filter(condition)
