"""Every form's fields are drawn by one tag (core/templatetags/fields.py), which must give
the markup the field template used to: labels, required marks, help and errors linked by
aria-describedby, fieldsets for choices. The old template is kept here as the reference."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

REFERENCE = (Path(__file__).parent / "field_reference.html").read_text()

CHOICES = [("a", "Alfa & <b>"), ("b", "Beta")]


class EveryKind(forms.Form):
    name = forms.CharField(label="Namn <i>", help_text="Som i <b>passet</b>", max_length=5)
    note = forms.CharField(required=False, widget=forms.Textarea)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    count = forms.IntegerField(min_value=1, help_text="Minst 1")
    kind = forms.ChoiceField(choices=CHOICES)
    step = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect, help_text="Välj ett")
    areas = forms.MultipleChoiceField(
        choices=CHOICES, widget=forms.CheckboxSelectMultiple, required=False
    )
    agree = forms.BooleanField(label="Jag godkänner", help_text="Läs villkoren")
    quiet = forms.CharField(required=False, widget=forms.HiddenInput)


def _normal(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("bound", [False, True])
def test_each_kind_of_field_is_drawn_as_the_template_drew_it(language, bound):
    data = {"name": "far too long", "count": "0", "step": "x", "areas": ["z"]}
    form = EveryKind(data if bound else None, initial={"kind": "b"})
    if bound:
        assert not form.is_valid()
    reference = Template(REFERENCE)
    ours = Template("{% load fields %}{% field_row field %}")
    with translation.override(language):
        for field in form:
            expected = reference.render(Context({"field": field}))
            drawn = ours.render(Context({"field": field}))
            assert _normal(drawn) == _normal(expected), field.name
            if field.errors:
                assert f'id="{field.auto_id}_error"' in drawn


def test_the_include_draws_the_same():
    form = EveryKind({"name": "x"})
    form.is_valid()
    included = Template(
        '{% for field in form %}{% include "core/field.html" %}{% endfor %}'
    ).render(Context({"form": form}))
    tagged = Template(
        "{% load fields %}{% for field in form %}{% field_row field %}{% endfor %}"
    ).render(Context({"form": form}))
    assert _normal(included) == _normal(tagged)
    assert "(obligatoriskt)" in included  # Swedish by default
    assert "Namn &lt;i&gt;" in included and "Alfa &amp; &lt;b&gt;" in included
