"""Forms of the broad introduction: ids of units, staff and areas resolved inside the tenant
(core/forms_tenant.py); the services check every rule, so their messages are the ones shown."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bryggan.core.forms_tenant import DateInput, TenantForm, limit_choices_to_tenant
from bryggan.introduction.models import Area
from bryggan.organisation.models import Department, StaffMember, Unit

NOT_OURS = {
    "invalid_choice": _("Choose one from the list."),
    "required": _("Choose one from the list."),
}


class ProgrammeForm(TenantForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    weeks = forms.IntegerField(label=_("Weeks"), initial=16, min_value=1, max_value=52)
    departments = forms.ModelMultipleChoiceField(
        label=_("Areas (departments) every new hire rotates through"),
        queryset=Department.unscoped.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: financial assistance, adults, and children and young people."),
        error_messages={"invalid_choice": _("Choose areas from the list.")},
    )
    block_weeks = forms.IntegerField(
        label=_("Block length in weeks (the same for every area)"),
        required=False,
        min_value=1,
        max_value=52,
        help_text=_("Empty: as equal as the weeks allow (16 weeks, 3 areas: 6, 5 and 5)."),
    )


class PlacesForm(TenantForm):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.unscoped.order_by("name"), error_messages=NOT_OURS
    )
    trainer = forms.ModelChoiceField(
        label=_("Trainer (optional)"),
        queryset=StaffMember.unscoped.filter(is_trainer=True).order_by("last_name"),
        required=False,
        error_messages=NOT_OURS,
    )
    places = forms.IntegerField(label=_("New hires a week"), min_value=-1000, max_value=1000)


class CohortForm(TenantForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    starts_on = forms.DateField(label=_("Starts (a Monday)"), widget=DateInput())


class MemberForm(TenantForm):
    staff = forms.ModelChoiceField(
        label=_("New hire"), queryset=StaffMember.unscoped.all(), error_messages=NOT_OURS
    )
    final_area = forms.ModelChoiceField(
        label=_("Wishes to end in"),
        queryset=Area.unscoped.select_related("department"),
        required=False,
        error_messages=NOT_OURS,
    )
    avoid_unit = forms.ModelChoiceField(
        label=_("Unit to avoid (where they were a student)"),
        queryset=Unit.unscoped.order_by("name"),
        required=False,
        error_messages=NOT_OURS,
    )

    def __init__(self, *args, cohort=None, staff_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        area, staff = self.fields["final_area"], self.fields["staff"]
        if cohort is not None and isinstance(area, forms.ModelChoiceField):
            area.queryset = Area.unscoped.filter(programme_id=cohort.programme_id).select_related(
                "department"
            )
        if staff_choices is not None and isinstance(staff, forms.ModelChoiceField):
            staff.queryset = StaffMember.unscoped.filter(pk__in=[s.pk for s in staff_choices])
        limit_choices_to_tenant(self, self.actor)


class MemberEditForm(MemberForm):
    """A new hire's wishes, and where they want to work and were placed after the rotation."""

    wished_unit = forms.ModelChoiceField(
        label=_("Wants to work at"),
        queryset=Unit.unscoped.order_by("name"),
        required=False,
        error_messages=NOT_OURS,
    )
    placed_unit = forms.ModelChoiceField(
        label=_("Placed at"),
        queryset=Unit.unscoped.order_by("name"),
        required=False,
        error_messages=NOT_OURS,
    )
    placed_on = forms.DateField(label=_("Placed on"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["staff"]


class WishForm(TenantForm):
    unit = forms.ModelChoiceField(
        label=_("Where I want to work after the introduction"),
        queryset=Unit.unscoped.order_by("name"),
        required=False,
        error_messages=NOT_OURS,
    )


class LeaveForm(TenantForm):
    left_on = forms.DateField(label=_("Left on"), widget=DateInput())


class AbsenceForm(TenantForm):
    staff = forms.ModelChoiceField(
        label=_("Trainer or supervisor"),
        queryset=StaffMember.unscoped.order_by("last_name"),
        error_messages=NOT_OURS,
    )
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class RefsForm(TenantForm):
    """The ids an API body names, resolved inside the tenant (400 when not found)."""

    unit_id = forms.ModelChoiceField(Unit.unscoped.all(), required=False, error_messages=NOT_OURS)
    trainer_id = forms.ModelChoiceField(
        StaffMember.unscoped.all(), required=False, error_messages=NOT_OURS
    )
    staff_id = forms.ModelChoiceField(
        StaffMember.unscoped.all(), required=False, error_messages=NOT_OURS
    )
    final_area_id = forms.ModelChoiceField(
        Area.unscoped.all(), required=False, error_messages=NOT_OURS
    )
    avoid_unit_id = forms.ModelChoiceField(
        Unit.unscoped.all(), required=False, error_messages=NOT_OURS
    )
    department_ids = forms.ModelMultipleChoiceField(
        Department.unscoped.all(),
        required=False,
        error_messages={"invalid_choice": _("Choose areas from the list."), **NOT_OURS},
    )
