"""Forms of the specialists' pages: ids resolved inside the tenant (core/forms_tenant.py);
the services check every rule, so their messages are the ones a user sees."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bryggan.core.forms_tenant import DateInput, TenantForm
from bryggan.core.roles import TENANTLESS_ROLES, Role
from bryggan.organisation.models import Department, StaffMember, Unit
from bryggan.specialists.models import Serves, SpecialistRole, Topic

NOT_OURS = {
    "invalid_choice": _("Choose one from the list."),
    "required": _("Choose one from the list."),
    "invalid_pk_value": _("Choose one from the list."),
}
ROLE_CHOICES = [(r.value, r.label) for r in Role if r not in TENANTLESS_ROLES]


class AskForm(TenantForm):
    topic = forms.ModelChoiceField(
        label=_("Area"), queryset=Topic.unscoped.order_by("name"), error_messages=NOT_OURS
    )
    unit = forms.ModelChoiceField(
        label=_("Your unit"), queryset=Unit.unscoped.order_by("name"), error_messages=NOT_OURS
    )
    question = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("Never write anything that identifies a client: no name, no personnummer."),
    )


class AnswerForm(TenantForm):
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000
    )


class NoteForm(TenantForm):
    topic = forms.ModelChoiceField(
        label=_("Area"), queryset=Topic.unscoped.order_by("name"), error_messages=NOT_OURS
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000
    )


class UpdateForm(TenantForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 6}), max_length=8000
    )
    links = forms.CharField(
        label=_("Links (one per line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )
    read_by = forms.DateField(label=_("To be read by"), widget=DateInput())
    everyone = forms.BooleanField(
        label=_("Concerns everyone"),
        required=False,
        help_text=_("Or choose below the units, the roles, or both, that it concerns."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units concerned"),
        queryset=Unit.unscoped.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"invalid_choice": _("Choose units from the list."), **NOT_OURS},
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles concerned"),
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose roles from the list.")},
    )


class TopicForm(TenantForm):
    name = forms.CharField(label=_("New area"), max_length=120)


class RoleForm(TenantForm):
    title = forms.CharField(label=_("Title (the municipality's own)"), max_length=120)
    topics = forms.ModelMultipleChoiceField(
        label=_("Areas"),
        queryset=Topic.unscoped.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose areas from the list."), **NOT_OURS},
    )
    serves = forms.ChoiceField(label=_("Serves"), choices=Serves.choices)
    department = forms.ModelChoiceField(
        label=_("Department (when it serves one)"),
        queryset=Department.unscoped.order_by("name"),
        required=False,
        error_messages=NOT_OURS,
    )
    unit = forms.ModelChoiceField(
        label=_("Unit (when it serves one)"),
        queryset=Unit.unscoped.order_by("name"),
        required=False,
        error_messages=NOT_OURS,
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class HolderForm(TenantForm):
    role = forms.ModelChoiceField(
        label=_("Role"), queryset=SpecialistRole.unscoped.order_by("title"), error_messages=NOT_OURS
    )
    staff = forms.ModelChoiceField(
        label=_("Staff member"),
        queryset=StaffMember.unscoped.filter(employed_until__isnull=True).order_by("last_name"),
        error_messages=NOT_OURS,
    )
    since = forms.DateField(label=_("Since"), widget=DateInput())


class EndForm(TenantForm):
    until = forms.DateField(label=_("Until"), widget=DateInput())
