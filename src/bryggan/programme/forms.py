"""Forms of the three steps; every choice is limited to the actor's municipality."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bryggan.core.forms_a11y import AccessibleErrorsMixin
from bryggan.core.forms_tenant import DateInput
from bryggan.core.forms_tenant import TenantForm as _TenantForm
from bryggan.core.models import Person
from bryggan.core.widgets import QuickModelChoiceField
from bryggan.organisation.models import StaffMember, Term, Unit
from bryggan.programme.models import (
    PLACEABLE_CHOICES,
    SALARY_RANGE,
    EmploymentType,
    HoursRules,
    Stage,
    TaskItem,
    ThesisStatus,
)


class MoveForm(_TenantForm):
    stage = forms.ChoiceField(
        label=_("Move to"),
        choices=[(s.value, s.label) for s in (Stage.STUDENT_EMPLOYEE, Stage.ASPIRANT, Stage.LEFT)],
    )
    unit = QuickModelChoiceField(
        label=_("Unit"),
        queryset=Unit.unscoped.order_by("name"),
        required=False,
        help_text=_("For step 2 and aspirant posts."),
    )
    mentor = QuickModelChoiceField(
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
    title = forms.CharField(label=_("Job title"), max_length=120, initial="Socialsekreterare")
    unit = QuickModelChoiceField(label=_("Unit"), queryset=Unit.unscoped.order_by("name"))
    employment_type = forms.ChoiceField(
        label=_("Type of employment"), choices=EmploymentType.choices
    )
    monthly_salary = forms.IntegerField(
        label=_("Monthly salary (SEK)"),
        min_value=SALARY_RANGE[0],
        max_value=SALARY_RANGE[1],
        help_text=_("Before tax, as in the offer letter."),
    )
    contact = QuickModelChoiceField(
        label=_("Contact person"),
        queryset=StaffMember.unscoped.filter(employed_until__isnull=True).order_by(
            "last_name", "first_name"
        ),
        help_text=_("Whom the student calls with questions: usually the unit's manager."),
    )
    starts_on = forms.DateField(label=_("Start date"), widget=DateInput())
    reply_by = forms.DateField(label=_("Answer by"), widget=DateInput())
    direct_hire = forms.BooleanField(
        label=_("Direct hire (not after step 2 or an aspirant post)"), required=False
    )


class SummerJobForm(_TenantForm):
    unit = QuickModelChoiceField(label=_("Unit"), queryset=Unit.unscoped.order_by("name"))
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
            "practicum_weekly_maximum",
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
        expected, maximum = (
            data.get("practicum_weekly_expected"),
            data.get("practicum_weekly_maximum"),
        )
        if expected is not None and maximum is not None and maximum < expected:
            self.add_error("practicum_weekly_maximum", _("At least the expected hours per week."))
        return data


class ThesisForm(_TenantForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    university_supervisor = forms.CharField(label=_("The university's supervisor"), max_length=200)
    unit_contact = QuickModelChoiceField(
        label=_("Contact in the unit"),
        queryset=StaffMember.unscoped.filter(employed_until__isnull=True).order_by(
            "last_name", "first_name"
        ),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ThesisStatus.choices)


class PlaceByHandForm(_TenantForm):
    """The API's placing by hand: every id resolved inside the tenant by its choice field."""

    _not_found = {"invalid_choice": _("Not found."), "required": _("Not found.")}
    person_id = forms.ModelChoiceField(queryset=Person.unscoped.all(), error_messages=_not_found)
    unit_id = forms.ModelChoiceField(queryset=Unit.unscoped.all(), error_messages=_not_found)
    supervisor_id = forms.ModelChoiceField(
        queryset=StaffMember.unscoped.all(), error_messages=_not_found
    )
    term_id = forms.ModelChoiceField(queryset=Term.unscoped.all(), error_messages=_not_found)
    step = forms.ChoiceField(
        choices=PLACEABLE_CHOICES,
        error_messages={"invalid_choice": _("Choose practicum, student_employee or aspirant.")},
    )


class StepRefsForm(_TenantForm):
    """The API's unit, mentor and contact person of a move or an offer, resolved inside the
    tenant."""

    unit_id = forms.ModelChoiceField(
        queryset=Unit.unscoped.all(),
        required=False,
        error_messages={"invalid_choice": _("Choose a unit in your municipality.")},
    )
    mentor_id = forms.ModelChoiceField(
        queryset=StaffMember.unscoped.all(),
        required=False,
        error_messages={"invalid_choice": _("Choose a mentor in your municipality.")},
    )
    contact_id = forms.ModelChoiceField(
        queryset=StaffMember.unscoped.all(),
        required=False,
        error_messages={"invalid_choice": _("Choose a contact person in your municipality.")},
    )


class TaskItemForm(AccessibleErrorsMixin, forms.Form):
    """A task added to a unit's plan (the service checks the title)."""

    title = forms.CharField(required=False, max_length=300)
    requires_degree = forms.BooleanField(required=False)


class SessionForm(AccessibleErrorsMixin, forms.Form):
    """A supervision session or mentor meeting; the service validates each value, so its
    messages (the date format, a date that has passed) are the ones a user sees."""

    kind = forms.CharField(required=False, max_length=20)
    held_on = forms.CharField(required=False, max_length=20)
    topics = forms.CharField(required=False, max_length=2000)
    notes = forms.CharField(required=False, max_length=10000)


class SignOffForm(_TenantForm):
    """A task of the student's plan signed off at a level."""

    item = forms.ModelChoiceField(
        queryset=TaskItem.unscoped.all(),
        error_messages={
            "invalid_choice": _("The task is not in the student's plan."),
            "required": _("The task is not in the student's plan."),
        },
    )
    level = forms.CharField(required=False, max_length=20)


class AssessmentForm(AccessibleErrorsMixin, forms.Form):
    """The practicum assessment a supervisor signs; the service validates each value."""

    kind = forms.CharField(required=False, max_length=20)
    knowledge = forms.CharField(required=False, max_length=4000)
    skills = forms.CharField(required=False, max_length=4000)
    judgement = forms.CharField(required=False, max_length=4000)
    absence_days = forms.CharField(required=False, max_length=10)
    recommendation = forms.CharField(required=False, max_length=20)
