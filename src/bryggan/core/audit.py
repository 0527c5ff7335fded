"""The audit trail: every create, update and delete of tenant data, with who and what changed.

django-auditlog records the entries (its middleware supplies the acting user); each tenant
model adds its municipality to the entry (``TenantModel.get_additional_data``) so that a
municipality's coordinators see their own trail and nothing else.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.db.models import QuerySet

from bryggan.core.models import TenantModel

# Fields that are noise in a trail or secrets that must never be copied into it.
_EXCLUDE = ["created_at"]
# Personal identity numbers never enter the trail (auditlog's masking would keep half); a
# logo's bytes are a picture, not text (its change shows as logo_changed_at); a provider's
# client secret is a credential.
_NEVER = {
    "core.person": ["personnummer"],
    "core.municipality": ["logo"],
    "identity.identityprovider": ["client_secret"],
}


def register_models() -> None:
    for model in apps.get_models():
        if issubclass(model, TenantModel) and not auditlog.contains(model):
            auditlog.register(
                model, exclude_fields=_EXCLUDE + _NEVER.get(model._meta.label_lower, [])
            )
    from bryggan.core.models import Membership, Municipality

    for model in (Municipality, Membership):
        if not auditlog.contains(model):
            auditlog.register(model, exclude_fields=_NEVER.get(model._meta.label_lower, []))


def entries_for_municipality(municipality_id: int) -> QuerySet[LogEntry]:
    # Tenant filter by hand: django-auditlog's entries are not a scoped model; each carries
    # its municipality in additional_data (TenantModel.get_additional_data).
    return (
        LogEntry.objects.filter(additional_data__municipality_id=municipality_id)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )
