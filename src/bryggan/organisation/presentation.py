"""How organisation values are shown on the generic pages (no logic beyond display)."""

from __future__ import annotations

from django.db.models import Model
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bryggan.organisation.resources import Resource


def _value(obj: Model, path: str):
    parts = path.split("__")
    for part in parts[:-1]:
        obj = getattr(obj, part)
        if obj is None:
            return None
    last = parts[-1]
    display = getattr(obj, f"get_{last}_display", None)
    if callable(display):
        return display()
    return getattr(obj, last)


def cell(obj: Model, path: str) -> str:
    value = _value(obj, path)
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if hasattr(value, "isoformat") and not hasattr(value, "hour"):
        return date_format(value, "Y-m-d")
    return str(value)


def detail_rows(obj: Model, resource: Resource) -> list[tuple[str, str]]:
    fields = list(resource.form._meta.fields or [])
    return [(resource.label(name), cell(obj, name)) for name in fields]
