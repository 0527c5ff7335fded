"""The matching pages' forms. The services check what the values mean (a student of this
run, one of the posting's units); the forms read the request."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

_SEED = _("The seed is a whole number from 0.")
_POSITION = _("Write a whole number from 1, or leave it empty.")


class RunForm(forms.Form):
    optimal = forms.CharField(required=False, max_length=20)
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        error_messages={"invalid": _SEED, "min_value": _SEED},
    )

    def clean_optimal(self) -> str:
        return self.cleaned_data["optimal"] or "student"

    def clean_seed(self) -> int:
        return self.cleaned_data["seed"] or 0


class ConstraintForm(forms.Form):
    application = forms.CharField(required=False, max_length=20)
    unit = forms.CharField(required=False, max_length=20)
    kind = forms.CharField(required=False, max_length=20)
    reason = forms.CharField(required=False, max_length=300)


class OverrideForm(forms.Form):
    application = forms.CharField(required=False, max_length=20)
    # "<unit id>:<supervisor id>", or empty for "not placed".
    placement = forms.CharField(required=False, max_length=40)
    reason = forms.CharField(required=False, max_length=500)

    def clean(self) -> dict:
        """The placement as the service takes it: a unit and a supervisor (both empty for
        "not placed")."""
        data = super().clean() or {}
        unit, _sep, supervisor = data.pop("placement", "").partition(":")
        return {**data, "unit": unit, "supervisor": supervisor}


class RankingForm(forms.Form):
    """A unit's ranking by hand: a position for each candidate (``pos-<application id>``),
    equal numbers for a tie, empty for "after the ranked ones"."""

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        for application in self.candidates:
            self.fields[f"pos-{application.pk}"] = forms.IntegerField(
                required=False,
                min_value=1,
                max_value=9999,
                error_messages={
                    "invalid": _POSITION,
                    "min_value": _POSITION,
                    "max_value": _POSITION,
                },
            )

    def positions(self) -> dict[int, int | None]:
        return {a.pk: self.cleaned_data.get(f"pos-{a.pk}") for a in self.candidates}

    def errors_by_application(self) -> dict[int, str]:
        return {
            a.pk: str(self.errors[f"pos-{a.pk}"][0])
            for a in self.candidates
            if f"pos-{a.pk}" in self.errors
        }
