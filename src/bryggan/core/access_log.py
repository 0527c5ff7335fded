"""Recording reads of personal data. Later capabilities call ``record`` for every file they show."""

from __future__ import annotations

from django.http import HttpRequest

from bryggan.core.models import AccessLogEntry
from bryggan.core.permissions import Actor


def record(
    *,
    actor: Actor,
    subject_type: str,
    subject_id: object,
    purpose: str,
    request: HttpRequest | None = None,
    person_id: int | None = None,
) -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        municipality=actor.municipality,
        user=actor.user,
        subject_type=subject_type,
        subject_id=str(subject_id)[:64],
        person_id=person_id,
        purpose=purpose[:200],
        path=(request.path[:500] if request is not None else ""),
    )
