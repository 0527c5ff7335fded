"""Reads of the specialists' work, through the one gate (core/gate.py): tenant scope and
the permission question. Consultations hold no client (a personnummer is refused on the
way in); the asker and the specialists are staff, shown to each other by design."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
)

from bryggan.core.gate import log_list, one_or_404, tenant_scoped
from bryggan.core.models import Membership
from bryggan.core.permissions import Actor, Perm, PermissionDeniedError
from bryggan.core.roles import Role
from bryggan.organisation.models import StaffMember, Unit
from bryggan.organisation.selectors import staff_of
from bryggan.specialists import rules
from bryggan.specialists.models import (
    Acknowledgement,
    Consultation,
    ConsultationStatus,
    DigestSetting,
    KnowledgeNote,
    LegalUpdate,
    RoleHolder,
    SpecialistRole,
    Topic,
)


@tenant_scoped
def topics_for(*, actor: Actor) -> list[Topic]:
    actor.require(Perm.CONSULT)
    return list(Topic.objects.order_by("name"))


@tenant_scoped
def roles_for(*, actor: Actor, today: date) -> list[SpecialistRole]:
    """The specialist roles with their areas and today's holders (anyone who may ask sees
    whom they can ask)."""
    actor.require(Perm.CONSULT)
    return list(
        SpecialistRole.objects.select_related("department", "unit").prefetch_related(
            "topics",
            Prefetch(
                "holders",
                queryset=RoleHolder.objects.filter(rules.active(today)).select_related(
                    "staff__unit"
                ),
                to_attr="current",
            ),
        )
    )


@tenant_scoped
def role_by_id(*, actor: Actor, pk: object) -> SpecialistRole:
    actor.require(Perm.SPECIALISTS_MANAGE)
    return one_or_404(SpecialistRole.objects.all(), pk)


@tenant_scoped
def my_specialists(*, actor: Actor, today: date) -> list[tuple[Topic, list[StaffMember]]]:
    """'Your specialists': by area, those who serve the actor's unit today."""
    if not actor.has(Perm.CONSULT):
        return []
    staff = staff_of(actor)
    if staff is None:
        return []
    holders = (
        RoleHolder.objects.filter(rules.active(today))
        .filter(rules.covering(staff.unit))
        .select_related("staff")
        .prefetch_related("role__topics")
    )
    by_topic: dict[Topic, set[StaffMember]] = {}
    for holder in holders:
        for topic in holder.role.topics.all():
            by_topic.setdefault(topic, set()).add(holder.staff)
    return [
        (topic, sorted(people, key=str))
        for topic, people in sorted(by_topic.items(), key=lambda item: item[0].name)
    ]


@tenant_scoped
def my_consultations(*, actor: Actor) -> list[Consultation]:
    actor.require(Perm.CONSULT)
    return list(
        Consultation.objects.filter(asker=actor.user)
        .select_related("topic", "unit", "taken_by")
        .order_by("-created_at")[:100]
    )


@tenant_scoped
def queue_for(*, actor: Actor, today: date) -> list[Consultation]:
    """The questions the actor serves, open and taken first (empty for a non-specialist)."""
    actor.require(Perm.CONSULT)
    staff = staff_of(actor)
    if staff is None:
        return []
    holders = list(
        RoleHolder.objects.filter(rules.active(today), staff=staff).select_related("role")
    )
    if not holders:
        return []
    condition = Q(pk__in=[])
    for holder in holders:
        role = holder.role
        topics = Q(topic__in=role.topics.all())
        if role.serves == "all":
            condition |= topics
        elif role.serves == "department":
            condition |= topics & Q(unit__department_id=role.department_id)
        else:
            condition |= topics & Q(unit_id=role.unit_id)
    return list(
        Consultation.objects.filter(condition)
        .exclude(
            status=ConsultationStatus.ANSWERED, answered_at__isnull=False, helped__isnull=False
        )
        .select_related("topic", "unit", "asker", "taken_by")
        .order_by("status", "created_at")[:200]
    )


@tenant_scoped
def consultation_by_id(*, actor: Actor, pk: object, today: date) -> Consultation:
    """A consultation for its asker, for a specialist who serves it, or for the managers."""
    actor.require(Perm.CONSULT)
    found = one_or_404(
        Consultation.objects.select_related("topic", "unit", "asker", "taken_by"), pk
    )
    if found.asker_id == getattr(actor.user, "pk", None) or actor.has(Perm.SPECIALISTS_MANAGE):
        return found
    if rules.serves(staff_of(actor), found.topic, found.unit, today):
        return found
    raise PermissionDeniedError(Perm.CONSULT)


@dataclass
class Volume:
    topic: str
    unit: str
    open: int
    answered: int
    helped: int
    hours: float | None  # mean hours to an answer


@tenant_scoped
def volumes(*, actor: Actor) -> list[Volume]:
    """Queues, volumes and response times per area and unit (specialists and managers)."""
    actor.require(Perm.CONSULT)
    rows = (
        Consultation.objects.values("topic__name", "unit__name")
        .annotate(
            open=Count("pk", filter=~Q(status=ConsultationStatus.ANSWERED)),
            answered=Count("pk", filter=Q(status=ConsultationStatus.ANSWERED)),
            helped=Count("pk", filter=Q(helped=True)),
            # the database averages the time from question to answer
            waited=Avg(
                ExpressionWrapper(F("answered_at") - F("created_at"), output_field=DurationField())
            ),
        )
        .order_by("topic__name", "unit__name")
    )
    return [
        Volume(
            r["topic__name"],
            r["unit__name"],
            r["open"],
            r["answered"],
            r["helped"],
            r["waited"].total_seconds() / 3600 if r["waited"] is not None else None,
        )
        for r in rows
    ]


@tenant_scoped
def notes_for(*, actor: Actor, search: str = "", topic: object = None) -> QuerySet[KnowledgeNote]:
    actor.require(Perm.CONSULT)
    notes = KnowledgeNote.objects.select_related("topic")
    search = search.strip()[:100]
    if search:
        notes = notes.filter(Q(title__icontains=search) | Q(body__icontains=search))
    if isinstance(topic, int):
        notes = notes.filter(topic_id=topic)
    return notes.order_by("title")


@tenant_scoped
def note_by_id(*, actor: Actor, pk: object) -> KnowledgeNote:
    actor.require(Perm.CONSULT)
    return one_or_404(
        KnowledgeNote.objects.select_related("topic").prefetch_related("versions"), pk
    )


def _roles_and_unit(actor: Actor) -> tuple[set[str], int | None]:
    staff = staff_of(actor)
    return {r.value for r in actor.roles}, staff.unit_id if staff else None


@tenant_scoped
def updates_for(*, actor: Actor, search: str = "") -> list[tuple[LegalUpdate, bool, bool]]:
    """Every update, newest first, with whether it concerns the actor and whether they have
    acknowledged it."""
    actor.require(Perm.CONSULT)
    updates = LegalUpdate.objects.prefetch_related("units")
    search = search.strip()[:100]
    if search:
        updates = updates.filter(Q(title__icontains=search) | Q(summary__icontains=search))
    acknowledged = set(
        Acknowledgement.objects.filter(user=actor.user).values_list("update_id", flat=True)
    )
    roles, unit_id = _roles_and_unit(actor)
    return [
        (u, rules.concerns(u, roles=roles, unit_id=unit_id), u.pk in acknowledged)
        for u in updates.order_by("-published_at")[:200]
    ]


@tenant_scoped
def update_by_id(*, actor: Actor, pk: object) -> LegalUpdate:
    actor.require(Perm.CONSULT)
    return one_or_404(LegalUpdate.objects.prefetch_related("units"), pk)


def concerned(update: LegalUpdate, actor: Actor) -> bool:
    roles, unit_id = _roles_and_unit(actor)
    return rules.concerns(update, roles=roles, unit_id=unit_id)


@tenant_scoped
def not_acknowledged(*, actor: Actor, update: LegalUpdate) -> list[tuple[str, str]] | None:
    """Who the update concerns and has not acknowledged it (name, unit): for the managers —
    HR and the coordinator everyone, a unit manager their unit, the publisher their update.
    None for anyone else. The names are the staff register's: the read is logged."""
    managed = [g.unit_id for g in actor.grants if g.role == Role.UNIT_MANAGER and g.unit_id]
    scoped_unit: int | None = None
    if actor.has(Perm.SPECIALISTS_MANAGE) or update.published_by_id == getattr(
        actor.user, "pk", None
    ):
        scoped_unit = None
    elif managed:
        scoped_unit = managed[0]
    else:
        return None
    log_list(actor=actor, model=StaffMember, purpose=f"update readers {update.pk}")
    done = set(Acknowledgement.objects.filter(update=update).values_list("user_id", flat=True))
    unit_of = dict(StaffMember.objects.filter(user__isnull=False).values_list("user_id", "unit_id"))
    units = dict(Unit.objects.values_list("pk", "name"))
    roles_of: dict[int, set[str]] = {}
    names: dict[int, str] = {}
    for user_id, role, name in Membership.objects.filter(
        municipality_id=actor.municipality_id or 0, user__is_active=True
    ).values_list("user_id", "role", "user__full_name"):
        roles_of.setdefault(user_id, set()).add(role)
        names[user_id] = name
    missing = []
    for user_id, roles in roles_of.items():
        unit_id = unit_of.get(user_id)
        if user_id in done or (scoped_unit is not None and unit_id != scoped_unit):
            continue
        if rules.concerns(update, roles=roles, unit_id=unit_id):
            missing.append((names[user_id], units.get(unit_id or 0, "–")))
    return sorted(missing)


@tenant_scoped
def own_staff(*, actor: Actor) -> StaffMember | None:
    return staff_of(actor)


@tenant_scoped
def serves(*, actor: Actor, consultation: Consultation, today: date) -> bool:
    """Is the actor a specialist who serves this question today?"""
    return rules.serves(staff_of(actor), consultation.topic, consultation.unit, today)


@tenant_scoped
def acknowledged(*, actor: Actor, update: LegalUpdate) -> bool:
    return Acknowledgement.objects.filter(update=update, user=actor.user).exists()


def feed_reader(municipality_id: int) -> Actor | None:
    """Who reads the Atom feed: no one signed in, in the municipality its token names."""
    from bryggan.core.models import Municipality

    municipality = Municipality.objects.filter(pk=municipality_id).first()
    return Actor(user=None, municipality=municipality) if municipality else None


@tenant_scoped
def feed_updates(*, actor: Actor) -> list[LegalUpdate]:
    """The newest updates for the feed (its signed link is the permission)."""
    return list(LegalUpdate.objects.order_by("-published_at")[:50])


@tenant_scoped
def unacknowledged_for(*, actor: Actor, today: date) -> list[LegalUpdate]:
    """The updates that concern the actor and wait for their confirmation (home page)."""
    if not actor.has(Perm.CONSULT) or actor.user is None:
        return []
    done = Acknowledgement.objects.filter(user=actor.user).values("update_id")
    roles, unit_id = _roles_and_unit(actor)
    waiting = LegalUpdate.objects.exclude(pk__in=done).prefetch_related("units")
    return [
        u
        for u in waiting.order_by("read_by")[:100]
        if rules.concerns(u, roles=roles, unit_id=unit_id)
    ]


@tenant_scoped
def wants_digest(*, actor: Actor) -> bool:
    if actor.user is None:
        return False
    return DigestSetting.objects.filter(user=actor.user, daily=True).exists()


@tenant_scoped
def asked_since(*, actor: Actor, since, today: date) -> list[Consultation]:
    """The questions still waiting that the actor serves, asked since ``since`` (a digest)."""
    return [
        c
        for c in queue_for(actor=actor, today=today)
        if c.status == ConsultationStatus.OPEN and c.created_at >= since
    ]


@tenant_scoped
def holder_by_id(*, actor: Actor, pk: object) -> RoleHolder:
    actor.require(Perm.SPECIALISTS_MANAGE)
    return one_or_404(RoleHolder.objects.select_related("role", "staff"), pk)


@dataclass
class NationalTitles:
    municipalities: int  # with at least one specialist role
    titles: list[tuple[str, int]]  # a title and how many municipalities use it


def national_titles(*, actor: Actor) -> NationalTitles:
    """Which titles municipalities give their specialist roles, and how many have any: for
    the national analyst, counted across every tenant (unscoped on purpose), no municipality
    named."""
    from django_scopes import scopes_disabled

    actor.require(Perm.AGGREGATES_VIEW)
    with scopes_disabled():
        pairs = set(SpecialistRole.objects.values_list("municipality_id", "title"))
    counts: dict[str, set[int]] = {}
    for municipality_id, title in pairs:
        counts.setdefault(title.strip().lower(), set()).add(municipality_id)
    return NationalTitles(
        municipalities=len({m for m, _title in pairs}),
        titles=sorted(((t, len(m)) for t, m in counts.items()), key=lambda x: (-x[1], x[0])),
    )
