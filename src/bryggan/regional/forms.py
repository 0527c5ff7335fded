from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bryggan.core.forms_a11y import AccessibleErrorsMixin
from bryggan.core.forms_tenant import DateInput
from bryggan.core.models import Municipality
from bryggan.organisation.models import TermKind
from bryggan.recruitment.forms import ApplicationForm, graduation_choices
from bryggan.recruitment.models import Posting
from bryggan.regional.models import KINDS, MAX_WISHES


class JointRoundForm(AccessibleErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind of place"), choices=KINDS)
    term_kind = forms.ChoiceField(label=_("Term"), choices=TermKind.choices)
    term_year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    rank_deadline = forms.DateField(
        label=_("Rankings final on"),
        widget=DateInput(),
        help_text=_("Applications close and every municipality's ranking is final this day."),
    )
    publication_on = forms.DateField(
        label=_("Publication day"),
        widget=DateInput(),
        help_text=_("Every municipality publishes its placements on this day, at once."),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Municipalities invited"),
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, own: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Municipality.objects.exclude(  # type: ignore[attr-defined]
            pk=own.pk
        ).order_by("name")
        self.fields["term_year"].initial = timezone.localdate().year + 1


class JoinForm(AccessibleErrorsMixin, forms.Form):
    posting: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Your posting in the joint round"),
        queryset=Posting.unscoped.none(),
        help_text=_(
            "Its units, supervisors and capacity are yours; students see its units beside the "
            "other municipalities'."
        ),
    )

    def __init__(self, *args, postings: list[Posting], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["posting"]
        field.queryset = Posting.unscoped.filter(  # type: ignore[attr-defined]
            pk__in=[p.pk for p in postings]
        ).order_by("title")


class RegionalApplicationForm(ApplicationForm):
    """The one application of a joint round: the same questions as a municipality's own
    form, the units ranked across every municipality, and consent to share the application
    with exactly the municipalities ranked."""

    def __init__(self, *args, units: dict, universities: list[str], **kwargs):
        # The posting-bound set-up of ApplicationForm does not apply: start from the base.
        super(ApplicationForm, self).__init__(*args, **kwargs)
        self.posting = None  # type: ignore[assignment]
        del self.fields["event"]
        self.fields["university"] = forms.ChoiceField(
            label=_("University"),
            required=False,
            choices=[("", _("Another university"))] + [(n, n) for n in universities],
        )
        self.fields["expected_graduation"].choices = graduation_choices()  # type: ignore[attr-defined]
        self.fields["consent"].label = _(
            "I agree that my application is shared with the municipalities whose units I rank, "
            "and processed as described above."
        )
        groups: dict[str, list[tuple[str, str]]] = {}
        for unit in units.values():
            groups.setdefault(unit.municipality.name, []).append((str(unit.pk), unit.name))
        grouped = list(groups.items())
        self.wish_names = []
        for rank in range(1, min(len(units), MAX_WISHES) + 1):
            name = f"wish_{rank}"
            self.fields[name] = forms.TypedChoiceField(
                label=_("Wish %(rank)s") % {"rank": rank},
                choices=[
                    ("", _("(choose a unit)") if rank == 1 else _("(no more wishes)")),
                    *grouped,
                ],
                coerce=int,
                empty_value=None,
                required=rank == 1,
                help_text=_("Your first choice.") if rank == 1 else "",
            )
            self.wish_names.append(name)
        self.order_fields([f for f in self.fields_in_order() if f in self.fields])
