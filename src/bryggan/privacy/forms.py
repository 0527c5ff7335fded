from django import forms
from django.utils.translation import gettext_lazy as _

from bryggan.core.forms_a11y import AccessibleErrorsMixin

SUBJECT_KINDS = [
    ("", _("All kinds")),
    ("application", _("Application")),
    ("document", _("Document")),
    ("participant", _("Participant")),
    ("assessment", _("Assessment")),
    ("staff", _("Staff member")),
    ("new hire", _("New hire (broad introduction)")),
    ("person", _("Person")),
    ("export", _("Export")),
    ("api token", _("API token")),
]


class AccessLogFilterForm(AccessibleErrorsMixin, forms.Form):
    person = forms.CharField(label=_("Whose data (name or e-mail)"), max_length=100, required=False)
    user = forms.CharField(label=_("Read by (e-mail)"), max_length=254, required=False)
    kind = forms.ChoiceField(label=_("Kind of data"), choices=SUBJECT_KINDS, required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), max_length=100, required=False)


class RequestForm(AccessibleErrorsMixin, forms.Form):
    reference = forms.CharField(
        label=_("Reference (diarienummer) of the request"),
        max_length=100,
        help_text=_("Recorded with the handling of the request."),
    )


class ErasureForm(RequestForm):
    mode = forms.ChoiceField(
        label=_("What to do"),
        choices=[
            ("erase", _("Erase: delete everything about the person")),
            ("anonymise", _("Anonymise: remove what identifies them, keep the figures")),
        ],
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(label=_("Yes, I have checked that this is the right person"))


class PolicyForm(AccessibleErrorsMixin, forms.Form):
    months = forms.IntegerField(
        label=_("Months kept"),
        required=False,
        min_value=1,
        max_value=1200,
        help_text=_("Empty: kept until the municipality decides otherwise."),
    )
    decision_reference = forms.CharField(
        label=_("Deletion decision (reference)"),
        max_length=100,
        required=False,
        help_text=_(
            "The municipality's adopted decision (gallringsbeslut). Without one, nothing of "
            "this kind is removed."
        ),
    )
    decision_date = forms.DateField(
        label=_("Decided on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("decision_reference") and not data.get("decision_date"):
            self.add_error("decision_date", _("Give the date of the decision."))
        return data


class LegalHoldForm(AccessibleErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Case or reason"),
        max_length=200,
        help_text=_("E.g. the Equality Ombudsman's case number."),
    )
