"""Recruitment forms: the public application and the coordinator's tools."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bryggan.core.forms_a11y import AccessibleErrorsMixin
from bryggan.core.forms_public import HumanCheckMixin
from bryggan.core.forms_tenant import DateInput, TenantForm, TenantModelForm
from bryggan.core.models import Municipality
from bryggan.core.personal_data import normalize_personnummer, refuse_personnummer
from bryggan.organisation.models import StaffMember, University
from bryggan.recruitment.documents import check_upload
from bryggan.recruitment.models import (
    Application,
    InformationEvent,
    InterviewSlot,
    Posting,
    PostingKind,
    Round,
    Source,
    Stage,
)

MAX_WISHES = 5
PHONE = RegexValidator(
    r"^\+?[0-9 ()-]{6,20}$", _("Write the phone number with digits, e.g. 070-123 45 67.")
)


def graduation_choices(today=None) -> list[tuple[str, str]]:
    year = (today or timezone.localdate()).year
    return [(f"{t} {y}", f"{t} {y}") for y in range(year, year + 5) for t in ("VT", "HT")]


class DocumentField(forms.FileField):
    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            upload.checked = check_upload(upload)
        return upload


class ApplicationForm(HumanCheckMixin, AccessibleErrorsMixin, forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send the confirmation and your private link here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        validators=[PHONE],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    personnummer = forms.CharField(
        label=_("Personnummer (optional)"),
        max_length=20,
        required=False,
        help_text=_(
            "Only if you want to: we need it first when you are employed. "
            "YYYYMMDD-XXXX; a samordningsnummer works too."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    university = forms.ModelChoiceField(
        label=_("University"),
        queryset=University.unscoped.none(),
        required=False,
        empty_label=_("Another university"),
    )
    programme = forms.CharField(label=_("Programme"), max_length=150, initial="Socionomprogrammet")
    current_term = forms.IntegerField(
        label=_("Which term of the programme are you in?"),
        min_value=1,
        max_value=14,
        help_text=_("A number, e.g. 5 for your fifth term."),
    )
    expected_graduation = forms.ChoiceField(label=_("Expected graduation"), choices=[])
    interests = forms.CharField(
        label=_("Your interests"),
        max_length=4000,
        required=False,
        widget=forms.Textarea,
        help_text=_("What draws you to social work, and to these units? (optional)"),
    )
    cv = DocumentField(label=_("CV"), help_text=_("PDF, DOCX or ODT, at most 10 MB."))
    letter = DocumentField(
        label=_("Personal letter"), help_text=_("PDF, DOCX or ODT, at most 10 MB.")
    )
    source = forms.ChoiceField(label=_("Where did you hear about us?"), choices=Source.choices)
    event = forms.ModelChoiceField(
        label=_("Which information event? (if any)"),
        required=False,
        queryset=InformationEvent.unscoped.none(),
    )
    consent = forms.BooleanField(label=_("I agree to the processing described above."))
    talent_pool = forms.BooleanField(
        label=_("Keep my application in the talent pool for later recruitments"),
        required=False,
        help_text=_("Optional. You can leave the pool at any time from your private page."),
    )

    def clean_personnummer(self) -> str:
        return normalize_personnummer(self.cleaned_data.get("personnummer"))

    def __init__(self, *args, posting: Posting, **kwargs):
        super().__init__(*args, **kwargs)
        self.posting = posting
        municipality = posting.municipality
        # Tenant filter by hand: choice querysets are declared outside any scope, and joint
        # events belong to their host but must be choosable by every partner.
        self.fields["university"].queryset = University.unscoped.filter(
            municipality=municipality
        ).order_by("name")
        self.fields["event"].queryset = InformationEvent.unscoped.filter(
            Q(municipality=municipality) | Q(partners=municipality)
        ).distinct()
        self.fields["expected_graduation"].choices = graduation_choices()
        units = list(posting.units.order_by("name"))
        self.wish_names = []
        for rank in range(1, min(len(units), MAX_WISHES) + 1):
            name = f"wish_{rank}"
            self.fields[name] = forms.ModelChoiceField(
                label=_("Wish %(rank)s") % {"rank": rank},
                queryset=posting.units.all(),
                required=rank == 1,
                # Nothing chosen beforehand, the first wish included: a wish is the applicant's.
                empty_label=_("(no more wishes)") if rank > 1 else _("(choose a unit)"),
                help_text=_("Your first choice.") if rank == 1 else "",
            )
            self.wish_names.append(name)
        self.order_fields(self.fields_in_order())

    def fields_in_order(self) -> list[str]:
        """About the applicant, their studies, the ranked units, then documents and consent."""
        return [
            "first_name",
            "last_name",
            "email",
            "phone",
            "university",
            "programme",
            "current_term",
            "expected_graduation",
            *self.wish_names,
            "interests",
            "cv",
            "letter",
            "source",
            "event",
            "consent",
        ]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        wishes, gap = [], False
        for name in self.wish_names:
            unit = cleaned.get(name)
            if unit is None:
                gap = True
                continue
            if gap:
                self.add_error(name, _("Fill in your wishes in order, without gaps."))
            elif unit in wishes:
                self.add_error(name, _("You have already chosen this unit; pick another one."))
            wishes.append(unit)
        cleaned["wishes"] = wishes
        return cleaned


class DocumentReplaceForm(AccessibleErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Which document?"), choices=[("cv", _("CV")), ("letter", _("Personal letter"))]
    )
    file = DocumentField(label=_("New file"), help_text=_("PDF, DOCX or ODT, at most 10 MB."))


class RoundForm(TenantModelForm):
    class Meta:
        model = Round
        fields = ["name", "term", "closes_on", "cancelled_on"]
        widgets = {"closes_on": DateInput(), "cancelled_on": DateInput()}


class PostingForm(TenantModelForm):
    class Meta:
        model = Posting
        fields = [
            "round",
            "kind",
            "title",
            "description",
            "units",
            "places",
            "starts_on",
            "ends_on",
            "last_application_date",
            "export_to_job_board",
            "is_open_application",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "last_application_date": DateInput(),
            "units": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = self.fields["units"]
        units.queryset = units.queryset.select_related("department")

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The posting cannot end before it starts."))
        if cleaned.get("kind") in PostingKind.unpaid() and cleaned.get("export_to_job_board"):
            self.add_error(
                "export_to_job_board",
                _("Practicum places are unpaid and are never exported to the job board."),
            )
        return cleaned


class NoteForm(AccessibleErrorsMixin, forms.Form):
    text = forms.CharField(
        label=_("New note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_personnummer],
    )


class BulkAction(forms.Form):
    MOVE, REJECT, INVITE = "move", "reject", "invite"
    action = forms.ChoiceField(
        label=_("Action to take"),
        choices=[
            (MOVE, _("Move to stage")),
            (REJECT, _("Reject and send the rejection e-mail")),
            (INVITE, _("Invite to interview")),
        ],
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices, required=False)
    applications: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=Application.unscoped.none(), label=_("Applications")
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = queryset
        not_here = _("One of the chosen applications is not on this board.")
        self.fields["applications"].error_messages.update(
            invalid_choice=not_here, invalid_pk_value=not_here
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("action") == self.MOVE and not cleaned.get("stage"):
            self.add_error("stage", _("Choose the stage to move to."))
        return cleaned


class SlotForm(TenantModelForm):
    video_link = forms.URLField(
        label=_("video link"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = InterviewSlot
        fields = ["starts_at", "ends_at", "location", "video_link", "interviewers"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "interviewers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewers"].queryset = self.fields["interviewers"].queryset.filter(
            employed_until__isnull=True, user__isnull=False
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The interview must end after it starts."))
        if not cleaned.get("location") and not cleaned.get("video_link"):
            self.add_error("location", _("Give a place or a video link."))
        return cleaned


class AssessmentForm(AccessibleErrorsMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_personnummer],
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"c{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                coerce=int,
                choices=[(n, str(n)) for n in range(1, 6)],
                widget=forms.RadioSelect,
                help_text=_("1 = weak, 5 = excellent"),
            )

    def scores(self) -> dict[str, int]:
        return {str(c.pk): self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class EventForm(TenantModelForm):
    class Meta:
        model = InformationEvent
        fields = ["title", "university_name", "place", "starts_at", "partners"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "partners": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        own = self.actor.municipality
        others = Municipality.objects.all()
        if own is not None:
            others = others.exclude(pk=own.pk)
        self.fields["partners"].queryset = others


class RegistrationForm(HumanCheckMixin, AccessibleErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))


class ResendLinkForm(HumanCheckMixin, AccessibleErrorsMixin, forms.Form):
    email = forms.EmailField(
        label=_("The e-mail address you applied with"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def application_link_days() -> int:
    return settings.APPLICATION_LINK_DAYS


SAFE_FILENAME = re.compile(r"[^A-Za-z0-9._ -]")


class ReleaseForm(AccessibleErrorsMixin, forms.Form):
    reference = forms.CharField(
        label=_("Reference (diarienummer) of the records request"), max_length=100
    )
    masked = forms.MultipleChoiceField(
        label=_("Mask after the secrecy review"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        from bryggan.recruitment.release import FIELDS, MASKED_BY_DEFAULT

        super().__init__(*args, **kwargs)
        self.fields["masked"].choices = [(key, label) for key, label, _read in FIELDS]
        self.fields["masked"].initial = MASKED_BY_DEFAULT


class ShareForm(TenantForm):
    """Share an application with a staff member (an interviewer, a unit's supervisor)."""

    _choose = {
        "invalid_choice": _("Choose a staff member."),
        "required": _("Choose a staff member."),
    }
    staff = forms.ModelChoiceField(queryset=StaffMember.unscoped.all(), error_messages=_choose)


class StageMoveForm(forms.Form):
    """Move an application on its own page (the service checks the stage)."""

    stage = forms.CharField(required=False, max_length=30)
    send_email = forms.BooleanField(required=False)
