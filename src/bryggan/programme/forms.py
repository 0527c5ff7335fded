"""Forms of the three steps; every choice is limited to the actor's municipality."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bryggan.core.forms_a11y import AccessibleErrorsMixin
from bryggan.core.forms_tenant import DateInput
from bryggan.core.permissions import Actor
from bryggan.organisation.models import StaffMember, Unit
from bryggan.programme.models import HoursRules, Stage, ThesisStatus


class _TenantForm(AccessibleErrorsMixin, forms.Form):
    def __init__(self, *args, actor: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None:
                setattr(field, "queryset", queryset.filter(municipality=actor.municipality))  # noqa: B010


class MoveForm(_TenantForm):
    stage = forms.ChoiceField(
        label=_("Move to"),
        choices=[(s.value, s.label) for s in (Stage.STUDENT_EMPLOYEE, Stage.ASPIRANT, Stage.LEFT)],
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.unscoped.order_by("name"),
        required=False,
        help_text=_("For step 2 and aspirant posts."),
    )
    mentor = forms.ModelChoiceField(
        label=_("Mentor"),
        required=False,
        queryset=StaffMember.unscoped.filter(employed_until__isnull=True).order_by(
            "last_name", "first_name"
        ),
    )
    starts_on = forms.DateField(label=_("First day"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), required=False, widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=300,
        help_text=_("Required when the participant leaves."),
    )


class OfferForm(_TenantForm):
    title = forms.CharField(label=_("Position"), max_length=120, initial="Socialsekreterare")
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.unscoped.order_by("name"))
    starts_on = forms.DateField(label=_("Start date"), widget=DateInput())
    reply_by = forms.DateField(label=_("Answer by"), widget=DateInput())
    direct_hire = forms.BooleanField(
        label=_("Direct hire (not after step 2 or an aspirant post)"), required=False
    )


class SummerJobForm(_TenantForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.unscoped.order_by("name"))
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())


class HoursForm(AccessibleErrorsMixin, forms.Form):
    day = forms.DateField(label=_("Day"), widget=DateInput())
    hours = forms.CharField(label=_("Hours"), max_length=6, help_text=_("For example 7,5."))
    activity = forms.CharField(label=_("What you did"), max_length=200)


class HoursRulesForm(AccessibleErrorsMixin, forms.ModelForm):
    class Meta:
        model = HoursRules
        fields = [
            "aspirant_monthly_minimum",
            "student_employee_weekly_maximum",
            "practicum_weekly_expected",
            "practicum_weekly_tolerance",
            "supervision_every_days",
            "mentor_meeting_every_days",
            "summer_job_by",
        ]
        widgets = {"summer_job_by": DateInput()}

    def clean(self):
        data = super().clean() or {}
        for name in self.Meta.fields:
            value = data.get(name)
            if value is None or name == "summer_job_by":
                continue
            if name.endswith("_days") and not 1 <= value <= 365:
                self.add_error(name, _("Between 1 and 365 days."))
            elif not name.endswith("_days") and not 0 <= value <= 168:
                self.add_error(name, _("Between 0 and 168 hours."))
        return data


class ThesisForm(_TenantForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    university_supervisor = forms.CharField(label=_("The university's supervisor"), max_length=200)
    unit_contact = forms.ModelChoiceField(
        label=_("Contact in the unit"),
        queryset=StaffMember.unscoped.filter(employed_until__isnull=True).order_by(
            "last_name", "first_name"
        ),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ThesisStatus.choices)
