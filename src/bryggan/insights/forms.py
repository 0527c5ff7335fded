from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bryggan.insights.models import NEED_MAX, Audience, ImportKind, QuestionKind

QUESTION_FIELDS = 6
PROBABILITIES = [(p, f"{p} %") for p in (50, 60, 70, 80, 90, 95)]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("File (CSV or Excel .xlsx)"),
        help_text=_("Download the template for the columns. Nothing is written until you confirm."),
    )


class NeedForm(forms.Form):
    department: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Department"),
        queryset=None,  # type: ignore[arg-type]
    )
    year = forms.IntegerField(label=_("Year"))
    need = forms.IntegerField(
        label=_("Hires needed"),
        help_text=_("Social workers the department needs to hire that year (0–%(n)s).")
        % {"n": NEED_MAX},
    )

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class ProbabilityForm(forms.Form):
    probability = forms.TypedChoiceField(
        label=_("Reach the need with a probability of"),
        choices=PROBABILITIES,
        coerce=int,
        initial=80,
    )


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    audience = forms.ChoiceField(label=_("Send to"), choices=Audience.choices)
    closes_on = forms.DateField(label=_("Closes"), widget=forms.DateInput(attrs={"type": "date"}))
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, QUESTION_FIELDS + 1):
            self.fields[f"question_{n}"] = forms.CharField(
                label=_("Question %(n)s") % {"n": n}, required=n == 1, max_length=300
            )
            self.fields[f"kind_{n}"] = forms.ChoiceField(
                label=_("Kind of answer to question %(n)s") % {"n": n},
                choices=QuestionKind.choices,
            )

    def questions(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            (data.get(f"question_{n}") or "", data.get(f"kind_{n}") or QuestionKind.LIKERT)
            for n in range(1, QUESTION_FIELDS + 1)
        ]
