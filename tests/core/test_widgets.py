"""QuickSelect renders what Django's Select renders, for every kind of option list."""

from __future__ import annotations

import re

import pytest
from django import forms

from bryggan.core.widgets import QuickModelChoiceField, QuickSelect


def _normal(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


CHOICES = [
    ("", "---------"),
    (1, 'Anna "Ank" <Öberg> & Co'),
    ("x'y", "Enkel ' fnutt"),
    ("Grupp", [(2, "Två"), (3, "Tre")]),
]


@pytest.mark.parametrize("value", [None, "", 1, "1", "x'y", 3, [1, 3], "missing"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_f", "required": True, "aria-invalid": "true", "disabled": False}]
)
def test_quick_select_renders_as_django_does(value, attrs):
    django_html = forms.Select(choices=CHOICES).render("f", value, attrs=attrs)
    quick_html = QuickSelect(choices=CHOICES).render("f", value, attrs=attrs)
    assert _normal(quick_html) == _normal(django_html)
    assert "&lt;Öberg&gt; &amp; Co" in quick_html and "<Öberg>" not in quick_html


def test_a_model_choice_field_with_quick_select_validates_as_before(world):
    from bryggan.organisation.models import Unit

    unit = world.home.objects["unit"]

    class F(forms.Form):
        unit = forms.ModelChoiceField(queryset=Unit.unscoped.all(), widget=QuickSelect)

    html = str(F(initial={"unit": unit.pk})["unit"])
    assert f'<option value="{unit.pk}" selected>{unit.name}</option>' in html
    assert F({"unit": str(unit.pk)}).is_valid()
    assert not F({"unit": "9999999"}).is_valid()
    assert not F({"unit": "<script>"}).is_valid()


def test_the_quick_model_choice_field_lists_labels_from_values_and_validates(world):
    from bryggan.organisation.models import StaffMember, Unit

    unit = world.home.objects["unit"]

    class F(forms.Form):
        unit = QuickModelChoiceField(queryset=Unit.unscoped.order_by("name"))
        staff = QuickModelChoiceField(queryset=StaffMember.unscoped.all(), required=False)

    form = F(initial={"unit": unit.pk})
    html = str(form["unit"])
    assert f'<option value="{unit.pk}" selected>{unit.name}</option>' in html
    assert html.count("<option") == Unit.unscoped.count() + 1  # and the empty choice
    someone = StaffMember.unscoped.first()
    assert f">{someone}</option>" in str(form["staff"])  # the same label as __str__
    assert F({"unit": str(unit.pk)}).is_valid()
    for bad in ("9999999", "<script>", "1 OR 1=1", ""):
        assert not F({"unit": bad}).is_valid()
