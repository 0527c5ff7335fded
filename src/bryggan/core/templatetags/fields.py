"""One form field with its label, help text and errors, as every form in Bryggan shows it.

Written in Python rather than as a template: a page such as a participant's shows twenty
fields, and the template's tests and includes cost more than the widgets themselves.
``core/field.html`` calls it, so ``{% include "core/field.html" %}`` keeps working;
tests/core/test_fields.py holds the markup to what the template made.
"""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


def _errors(field: BoundField, id_: str) -> str:
    if not field.errors:
        return ""
    items = "".join(f"<li>{conditional_escape(str(error))}</li>" for error in field.errors)
    return f'\n  <ul class="errorlist" id="{id_}_error">{items}</ul>'


@register.simple_tag
def field_row(field: BoundField) -> SafeString:
    """The field's whole block: a fieldset of choices, or a label and its widget."""
    id_ = conditional_escape(field.auto_id or "")
    label = conditional_escape(field.label)
    help_text = (
        f'\n  <p class="help" id="{id_}_helptext">{conditional_escape(field.help_text)}</p>'
        if field.help_text
        else ""
    )
    required = (
        f' <span class="required">({conditional_escape(gettext("required"))})</span>'
        if field.field.required
        else ""
    )
    errors = _errors(field, id_)
    has_error = " has-error" if field.errors else ""
    if field.use_fieldset:
        described = ""
        if field.help_text or field.errors:
            ids = (f"{id_}_helptext" if field.help_text else "") + (
                f" {id_}_error" if field.errors else ""
            )
            described = f' aria-describedby="{ids}"'
        choices = "".join(
            f"\n    <li>{choice.tag()} <label "
            f'for="{conditional_escape(choice.id_for_label)}">'
            f"{conditional_escape(choice.choice_label)}</label></li>"
            for choice in field
        )
        html = (
            f'<fieldset class="field group{has_error}"{described}>\n'
            f"  <legend>{label}{required}</legend>{help_text}{errors}\n"
            f'  <ul class="choices" id="{id_}">{choices}\n  </ul>\n</fieldset>'
        )
    elif getattr(field.field.widget, "input_type", None) == "checkbox":
        html = (
            f'<div class="field{has_error} checkbox">\n  {field}\n'
            f'  <label for="{id_}">{label}</label>{help_text}{errors}\n</div>'
        )
    else:
        html = (
            f'<div class="field{has_error}">\n'
            f'  <label for="{id_}">{label}{required}</label>\n  {field}{help_text}{errors}\n</div>'
        )
    return mark_safe(html)  # noqa: S308 - every part escaped above or rendered by Django
