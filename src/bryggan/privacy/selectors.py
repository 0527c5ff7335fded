"""Reads for the data-protection officer and the coordinator: the access log, searched and
exported; people and what is held about them; what the retention rules would remove. Each
passes the gate (core/gate.py): tenant scope, permission, access log."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat, TruncSecond
from django.utils import timezone

from bryggan.core.gate import log_export, log_list, one_or_404, tenant_scope, tenant_scoped
from bryggan.core.models import AccessLogEntry, Person
from bryggan.core.permissions import Actor, Perm, require_tenant
from bryggan.privacy import retention, subject
from bryggan.privacy.models import DataSubjectRequest, LegalHold, PurgeRun
from bryggan.recruitment.models import Application


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@tenant_scoped
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
    entries = AccessLogEntry.objects.select_related("user")
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


@tenant_scoped
def access_log_export(*, actor: Actor, **filters) -> Iterator[tuple]:
    """The filtered access log as it leaves Bryggan (at most 100,000 entries), newest first,
    as plain rows: when (local time, "YYYY-MM-DD HH:MM:SS"), reader's e-mail, kind, record,
    person id, the person's name (None when since erased), purpose, page. The export is
    logged at once; the rows come from the database's iterator as the file streams, names
    joined and times written by the database."""
    name = Subquery(
        Person.objects.filter(pk=OuterRef("person_id"))
        .annotate(name=Concat("first_name", Value(" "), "last_name"))
        .values("name")[:1]
    )
    # The local time as text, made by the database (parsing and formatting 100,000 times in
    # Python took a third of the export)
    local_time = Cast(TruncSecond("at", tzinfo=timezone.get_current_timezone()), CharField())
    entries = (
        access_log(actor=actor, **filters)
        .annotate(person_name=name, local_time=local_time)
        .values_list(
            "local_time",
            "user__email",
            "subject_type",
            "subject_id",
            "person_id",
            "person_name",
            "purpose",
            "path",
        )[:EXPORT_MAX]
    )
    log_export(actor=actor, subject_id="access_log", purpose="access log export")

    def each() -> Iterator[tuple]:
        # The file streams after the request's scope has closed: read in the actor's own.
        with tenant_scope(actor):
            yield from entries.iterator(chunk_size=2000)

    return each()


EXPORT_MAX = 100_000


def people_named(entries: list[AccessLogEntry]) -> dict[int | None, str]:
    """Names of the people the entries are about (those since erased are missing)."""
    ids = {e.person_id for e in entries if e.person_id}
    return {p.pk: str(p) for p in Person.objects.filter(pk__in=ids)}


@tenant_scoped
def people(*, actor: Actor, query: str) -> QuerySet[Person]:
    """People of the municipality matching a name or e-mail, for the data-subject pages."""
    actor.require(Perm.PERSONAL_DATA_MANAGE)
    found = Person.objects.all()
    words = query.split()
    if not words:
        return found.none()
    log_list(actor=actor, model=Person, purpose="people search")
    for word in words[:4]:
        found = found.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return found.order_by("last_name", "first_name", "pk")


@tenant_scoped
def person_by_id(*, actor: Actor, pk: object, purpose: str | None) -> Person:
    """A person of the municipality, for their data-subject page; ``purpose`` names the read
    for the access log (None: handed to a service that changes them)."""
    actor.require(Perm.PERSONAL_DATA_MANAGE)
    return one_or_404(Person.objects.all(), pk, actor=actor, purpose=purpose)


@dataclass
class PersonFile:
    """What the data-subject page shows about a person besides their name."""

    holdings: list[tuple[str, int]]
    on_hold: bool
    requests: list[DataSubjectRequest]
    holds: list[LegalHold]


@tenant_scoped
def person_file(*, actor: Actor, person: Person) -> PersonFile:
    """What Bryggan holds about the person ((kind, count) for each kind), their requests
    and legal holds."""
    from bryggan.core.registry import holdings_of

    actor.require(Perm.PERSONAL_DATA_MANAGE)
    return PersonFile(
        holdings=holdings_of(person),
        on_hold=subject.on_hold(person.pk),
        requests=list(DataSubjectRequest.objects.filter(person_id=person.pk)[:20]),
        holds=list(LegalHold.objects.filter(person_id=person.pk, released_at__isnull=True)),
    )


@tenant_scoped
def person_export(*, actor: Actor, person: Person, reference: str) -> bytes:
    """A ZIP of everything held about the person (the right of access), logged as an
    export of their data."""
    actor.require(Perm.PERSONAL_DATA_MANAGE)
    content = subject.export_for(actor=actor, person=person, reference=reference)
    log_export(
        actor=actor, subject_id=person.pk, person_id=person.pk, purpose="data subject export"
    )
    return content


@tenant_scoped
def retention_overview(*, actor: Actor) -> dict:
    """What the retention rules would remove now (the dry run, a read of the applicants
    due), the last purges and the legal holds in force."""
    actor.require(Perm.PERSONAL_DATA_MANAGE)
    municipality = require_tenant(actor)
    log_list(actor=actor, model=Application, purpose="retention dry run")
    return {
        "report": retention.due(municipality),
        "runs": list(PurgeRun.objects.all()[:10]),
        "holds": list(LegalHold.objects.filter(released_at__isnull=True)),
    }
