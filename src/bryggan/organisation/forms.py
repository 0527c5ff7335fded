"""Forms for the organisation: the one place that validates input, for the UI and the API alike."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bryggan.core.forms_a11y import AccessibleErrorsMixin
from bryggan.core.models import TenantModel, User
from bryggan.core.permissions import Actor, Perm
from bryggan.organisation.models import (
    Department,
    PracticumPeriod,
    Programme,
    StaffMember,
    SupervisorCapacity,
    Term,
    Unit,
    University,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and issubclass(queryset.model, TenantModel):
                field.queryset = queryset.filter(municipality=actor.municipality)

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


class DepartmentForm(TenantModelForm):
    class Meta:
        model = Department
        fields = ["name", "kind"]


class UnitForm(TenantModelForm):
    class Meta:
        model = Unit
        fields = ["department", "name", "description"]


class StaffMemberForm(TenantModelForm):
    class Meta:
        model = StaffMember
        fields = [
            "first_name",
            "last_name",
            "email",
            "title",
            "unit",
            "employed_from",
            "employed_until",
            "user",
            "is_trained_supervisor",
            "supervisor_trained_on",
            "is_mentor",
            "is_trainer",
            "is_specialist",
        ]
        widgets = {
            "employed_from": DateInput(),
            "employed_until": DateInput(),
            "supervisor_trained_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = self.fields["unit"].queryset.select_related("department")
        self.fields["user"].queryset = User.objects.filter(
            memberships__municipality=self.actor.municipality
        ).distinct()
        self.limit_to_scope("unit", "pk")


class SupervisorCapacityForm(TenantModelForm):
    class Meta:
        model = SupervisorCapacity
        fields = ["supervisor", "term", "capacity"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        supervisors = self.fields["supervisor"]
        supervisors.queryset = supervisors.queryset.filter(employed_until__isnull=True)
        self.limit_to_scope("supervisor", "unit")
        supervisors.help_text = _("Staff members who can supervise students.")


class UniversityForm(TenantModelForm):
    class Meta:
        model = University
        fields = ["name", "city"]


class ProgrammeForm(TenantModelForm):
    class Meta:
        model = Programme
        fields = ["university", "name", "credits", "terms", "practicum_term", "practicum_credits"]


class TermForm(TenantModelForm):
    class Meta:
        model = Term
        fields = ["kind", "year", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class PracticumPeriodForm(TenantModelForm):
    class Meta:
        model = PracticumPeriod
        fields = ["programme", "term", "starts_on", "ends_on", "expected_hours_per_week"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = self.fields["programme"]
        programmes.queryset = programmes.queryset.select_related("university")
