"""Form widgets that render the same HTML as Django's, faster where a page has many options.

Django renders each ``<option>`` of a select through its own template include: a list of
300 staff members costs tens of milliseconds per select, and a participant's page has three.
``QuickSelect`` builds the same markup in Python (tests/core/test_widgets.py holds it equal
to Django's)."""

from __future__ import annotations

import html

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.choices import BaseChoiceIterator
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: False left out, True as a bare name."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {conditional_escape(name)}")
        else:
            out.append(f' {conditional_escape(name)}="{conditional_escape(str(value))}"')
    return "".join(out)


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        # As Widget.get_context and ChoiceWidget.optgroups decide, without their dict and
        # lazy escaping per option (the one select is fast, a page of six was not).
        final = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final["multiple"] = True
        chosen = frozenset(self.format_value(value))
        choices = self.choices
        if isinstance(choices, SharedOptions):  # the same options shown again: once made
            options = choices.html.get(chosen)
            if options is None:
                options = choices.html[chosen] = self._options(choices, chosen)
        else:
            options = self._options(choices, chosen)
        opening = f'<select name="{conditional_escape(name)}"{_attrs(final)}>'
        return mark_safe(f"{opening}\n  {options}</select>")  # noqa: S308 - escaped

    def _options(self, choices, chosen: frozenset) -> str:
        parts: list[str] = []
        has_selected = False
        for group_value, group_label in choices:
            if isinstance(group_label, list | tuple):
                name_of_group, options = group_value, group_label
                parts.append(format_html('<optgroup label="{}">', name_of_group))
            else:
                name_of_group, options = None, ((group_value, group_label),)
            for option_value, label in options:
                if option_value is None:
                    option_value = ""
                selected = (not has_selected or self.allow_multiple_selected) and str(
                    option_value
                ) in chosen
                has_selected |= selected
                parts.append(
                    f'<option value="{_escape(option_value)}"'
                    f"{' selected' if selected else ''}>{_escape(label)}</option>"
                )
            if name_of_group:
                parts.append("</optgroup>")
        parts.append("")
        return "\n  ".join(parts)


class SharedOptions(BaseChoiceIterator):
    """Options read once and shown by several selects of a page (``share_choices``); each
    selection's markup is made once too."""

    def __init__(self, options: list) -> None:
        self.options = options
        self.html: dict[frozenset, str] = {}

    def __iter__(self):
        return iter(self.options)

    def __len__(self) -> int:
        return len(self.options)


def _escape(text) -> str:
    """As conditional_escape, without its lazy-string wrapper (hundreds of calls a page)."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


class _ValuesChoiceIterator(ModelChoiceIterator):
    """The options of a model read as plain values, with no model instance per option: a
    list of 300 staff members built 300 instances on every page that showed it. The model
    names the fields its option label joins (``label_fields``; its ``__str__`` is the same)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        fields = self.queryset.model.label_fields
        for pk, *values in self.queryset.values_list("pk", *fields):
            yield (pk, " ".join(map(str, values)))


class QuickModelChoiceField(forms.ModelChoiceField):
    """A choice of one row, rendered by QuickSelect from plain values (validated against
    the queryset as any ModelChoiceField)."""

    iterator = _ValuesChoiceIterator
    widget = QuickSelect


def share_choices(*forms: forms.BaseForm) -> None:
    """Lists of the same rows in several forms of one page are read once: a participant's
    page offers units three times and staff three times."""
    read: dict[tuple, SharedOptions] = {}
    for form in forms:
        for field in form.fields.values():
            if isinstance(field, QuickModelChoiceField) and field.queryset is not None:
                query = field.queryset.query
                key = (query.model, str(query.where), query.order_by, str(field.empty_label))
                if key not in read:
                    options = field.choices
                    read[key] = SharedOptions(list(iter(options)))  # type: ignore[arg-type]
                field.widget.choices = read[key]
