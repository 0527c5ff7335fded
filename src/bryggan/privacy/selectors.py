"""Reads for the data-protection officer: the access log, searched and exported."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bryggan.core.models import AccessLogEntry, Person
from bryggan.core.permissions import Actor, Perm


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def access_log(
    *,
    actor: Actor,
    person: str = "",
    user: str = "",
    kind: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AccessLogEntry]:
    """The municipality's access log, newest first, filtered as the DPO asks."""
    actor.require(Perm.ACCESS_LOG_VIEW)
    entries = AccessLogEntry.objects.filter(municipality=actor.municipality).select_related("user")
    if person.strip():
        words = person.split()
        people = Person.objects.all()
        for word in words[:4]:
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        entries = entries.filter(person_id__in=people.values("pk"))
    if user.strip():
        entries = entries.filter(user__email__icontains=user.strip())
    if kind:
        entries = entries.filter(subject_type=kind)
    if date_from:
        entries = entries.filter(at__gte=_start_of(date_from))
    if date_to:
        entries = entries.filter(at__lt=_start_of(date_to + timedelta(days=1)))
    return entries.order_by("-at", "-pk")


def people_named(entries: list[AccessLogEntry]) -> dict[int, str]:
    """Names of the people the entries are about (those since erased are missing)."""
    ids = {e.person_id for e in entries if e.person_id}
    return {p.pk: str(p) for p in Person.objects.filter(pk__in=ids)}


def people(*, actor: Actor, query: str) -> QuerySet[Person]:
    """People of the municipality matching a name or e-mail, for the data-subject pages."""
    actor.require(Perm.PERSONAL_DATA_MANAGE)
    found = Person.objects.filter(municipality=actor.municipality)
    words = query.split()
    if not words:
        return found.none()
    for word in words[:4]:
        found = found.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return found.order_by("last_name", "first_name", "pk")


def person_by_id(*, actor: Actor, pk: object) -> Person:
    from bryggan.core.ids import id_or_404

    actor.require(Perm.PERSONAL_DATA_MANAGE)
    return get_object_or_404(Person, pk=id_or_404(pk), municipality=actor.municipality)


def holdings(person: Person) -> list[tuple[str, int]]:
    """What Bryggan holds about the person: (kind, count) for each kind it has."""
    from bryggan.privacy.registry import holdings_of

    return holdings_of(person)
