"""The one gate for reads: tenant scope, permission and access log, in the selectors.

Views and the API read a municipality's records only through their app's selectors
(``<things>_for(actor=…)``, ``<thing>_by_id(actor=…, pk=…, purpose=…)``), and every selector
passes through here for three things:

1. **Tenant scope.** ``@tenant_scoped`` runs the selector inside the actor's municipality's
   django-scopes scope. That scope is the only filter by tenant: a selector writes no
   ``municipality=`` of its own, and the same rule holds in requests, tasks and tests. An
   actor without a municipality (anonymous, the national analyst) sees no tenant row.
2. **Permission.** The selector asks ``core/permissions.py`` one question
   (``actor.require(perm)`` or ``actor.require(perm, obj)`` for object rules such as "own
   record" or "supervises this student"), always before it looks at the record's state.
3. **Access log.** ``log_read`` / ``log_list`` write the entry for a read of personal data,
   when ``core/registry.py`` classifies the model as such; for anything else they write
   nothing. tests/test_access_log_registry.py visits every URL and API operation and asserts
   exactly the entries each one writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404
from django_scopes import scope

from bryggan.core import access_log
from bryggan.core.ids import id_or_404
from bryggan.core.permissions import Actor
from bryggan.core.registry import logged_subject

P = ParamSpec("P")
R = TypeVar("R")
M = TypeVar("M", bound=Model)


# The scope of an actor without a municipality (anonymous, the national analyst): no tenant
# row matches it. Their permission check still answers first (403, not 404).
NO_TENANT = -1


@contextmanager
def tenant_scope(actor: Actor) -> Iterator[None]:
    """The actor's municipality as the tenant scope; nothing at all for an actor without
    one."""
    with scope(municipality=actor.municipality_id or NO_TENANT):
        yield


def tenant_scoped(function: Callable[P, R]) -> Callable[P, R]:
    """Run a selector or service (which takes ``actor=`` by keyword) inside the actor's
    tenant scope.

    Querysets a selector returns are built inside the scope, so they stay filtered when the
    caller evaluates them later."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        actor = kwargs.get("actor")
        if not isinstance(actor, Actor):
            raise TypeError(f"{function.__qualname__} takes the actor by keyword")
        with tenant_scope(actor):
            return function(*args, **kwargs)

    return wrapper


def one_or_404(
    queryset: QuerySet[M], pk: object, *, actor: Actor | None = None, purpose: str | None = None
) -> M:
    """The row ``pk`` of ``queryset`` (built by a selector: scoped, and limited to what the
    actor may see), or 404 for a missing, a foreign and a malformed id alike. With
    ``purpose`` the read is logged (a record shown); without, it is only handed on."""
    found = queryset.filter(pk=id_or_404(pk)).first()
    if found is None:
        raise Http404
    if purpose is not None:
        if actor is None:
            raise TypeError("a logged read names its reader")
        log_read(actor=actor, obj=found, purpose=purpose)
    return found


def _person_of(obj: Model, path: str | None) -> Model | None:
    """Follow the registry's path from a row to its Person (selectors join it). Rows tied
    to an e-mail address rather than a Person (event sign-ups) have none."""
    if path is None or path == "email":
        return None
    target: object = obj
    if path != "pk":
        for hop in path.split("__"):
            target = getattr(target, hop)
    return target  # type: ignore[return-value]


def log_read(*, actor: Actor, obj: Model, purpose: str) -> None:
    """One record of personal data was read (a page, a download, an API detail). A read of
    a protected identity's record is marked so, for the DPO to find."""
    subject = logged_subject(obj._meta.label)
    if subject is None:
        return
    person = _person_of(obj, subject.to_person)
    if getattr(person, "protected_identity", False):
        purpose += " [protected identity]"
    access_log.record(
        actor=actor,
        subject_type=subject.subject_type,
        subject_id=obj.pk,
        person_id=person.pk if person is not None else None,
        purpose=purpose,
    )


def log_token_from_new_address(*, actor: Actor, token_id: int, address: str) -> None:
    """An API token was used from an address it had not been used from: the DPO can see
    where every token has been used, and a stolen token used elsewhere stands out."""
    access_log.record(
        actor=actor,
        subject_type="api token",
        subject_id=token_id,
        purpose=f"api token from a new address {address}",
    )


def log_export(
    *, actor: Actor, subject_id: object, purpose: str, person_id: int | None = None
) -> None:
    """An export that leaves Bryggan (a person's data, the access log itself)."""
    access_log.record(
        actor=actor,
        subject_type="export",
        subject_id=subject_id,
        person_id=person_id,
        purpose=purpose,
    )


def log_list(*, actor: Actor, model: type[Model], purpose: str) -> None:
    """A list of records of personal data was read (subject id ``*``)."""
    subject = logged_subject(model._meta.label)
    if subject is None:
        return
    access_log.record(
        actor=actor, subject_type=subject.subject_type, subject_id="*", purpose=purpose
    )
