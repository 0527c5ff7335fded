"""Writing the access log: the one writer of ``AccessLogEntry``.

Views and the API never call this: their app's selectors do, through ``core.gate``
(``log_read`` / ``log_list``), so the log is written where the data is read. The request's
path reaches it through ``reading_path``, which the tenant middleware sets for each request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from bryggan.core.models import AccessLogEntry
from bryggan.core.permissions import Actor

_path: ContextVar[str] = ContextVar("bryggan_reading_path", default="")


@contextmanager
def reading_path(path: str) -> Iterator[None]:
    """The page or endpoint being served, recorded with every read it makes."""
    token = _path.set(path[:500])
    try:
        yield
    finally:
        _path.reset(token)


def record(
    *,
    actor: Actor,
    subject_type: str,
    subject_id: object,
    purpose: str,
    person_id: int | None = None,
) -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        municipality=actor.municipality,
        user=actor.user,
        subject_type=subject_type,
        subject_id=str(subject_id)[:64],
        person_id=person_id,
        purpose=purpose[:200],
        path=_path.get(),
    )
