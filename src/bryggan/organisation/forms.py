"""Forms for the organisation: the one place that validates input, for the UI and the API alike."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bryggan.core.forms_tenant import DateInput, TenantModelForm
from bryggan.core.models import User
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


class DepartmentForm(TenantModelForm):
    class Meta:
        model = Department
        fields = ["name", "kind"]


class UnitForm(TenantModelForm):
    class Meta:
        model = Unit
        fields = ["department", "name", "description", "address"]


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
        # Sign-in accounts are not tenant rows (one may hold roles in several municipalities):
        # the choice is limited by hand to accounts with a role in the actor's.
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
