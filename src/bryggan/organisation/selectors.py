"""Reads of the organisation that the pages and the API share: the gate (core/gate.py) for
its records — tenant scope, permission, and the access log for the staff register."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Func, Model, Q, QuerySet, Subquery, Sum
from django_scopes import scopes_disabled

from bryggan.core.gate import log_list, log_read, one_or_404, tenant_scoped
from bryggan.core.models import Municipality
from bryggan.core.permissions import Actor, Perm, PermissionDeniedError, require_tenant
from bryggan.organisation.capacity import free_places, with_places_used
from bryggan.organisation.models import Department, StaffMember, SupervisorCapacity, Term, Unit
from bryggan.organisation.resources import Resource


@tenant_scoped
def records_for(
    *,
    actor: Actor,
    resource: Resource,
    search: str = "",
    filters: dict | None = None,
    purpose: str | None = None,
) -> QuerySet:
    """The resource's rows in the actor's municipality, joined for listing. ``purpose``
    names a listing for the access log (the staff register is personal data)."""
    if not actor.can(resource.view_perm):
        raise PermissionDeniedError(resource.view_perm)
    if purpose is not None:
        log_list(actor=actor, model=resource.model, purpose=purpose)
    queryset = resource.model.objects.all()  # type: ignore[attr-defined]
    if resource.select_related:
        queryset = queryset.select_related(*resource.select_related)
    search = search.strip()[:100]
    if search:
        queryset = queryset.filter(
            reduce(or_, (Q(**{f"{name}__icontains": search}) for name in resource.search))
        )
    for name, value in (filters or {}).items():
        if name in resource.filters and value not in (None, ""):
            queryset = queryset.filter(**{f"{name}_id": value})
    return queryset


@tenant_scoped
def record_by_id(*, actor: Actor, resource: Resource, pk: object, purpose: str) -> Model:
    """One row by id, read to be shown: 404 for missing and for another municipality's
    alike."""
    return one_or_404(records_for(actor=actor, resource=resource), pk, actor=actor, purpose=purpose)


@tenant_scoped
def record_to_edit(
    *, actor: Actor, resource: Resource, pk: object | None = None, purpose: str | None = None
) -> Model:
    """The row to edit (or a new one, without ``pk``) when the actor may manage it: the
    permission question for the form is asked here, before anything is shown; the service
    asks it again of the row it saves. ``purpose`` names the read when the form shows it."""
    if pk is None:
        if not actor.can(resource.manage_perm):
            raise PermissionDeniedError(resource.manage_perm)
        return resource.model(municipality=actor.municipality)
    obj = one_or_404(records_for(actor=actor, resource=resource), pk)
    if not actor.can(resource.manage_perm, obj):
        raise PermissionDeniedError(resource.manage_perm)
    if purpose is not None:
        log_read(actor=actor, obj=obj, purpose=purpose)
    return obj


@tenant_scoped
def units_for(*, actor: Actor) -> list[Unit]:
    """The municipality's units by name (for choosing one)."""
    if not (actor.has(Perm.ORG_VIEW) or actor.has(Perm.PROGRAMME_MANAGE)):
        actor.require(Perm.ORG_VIEW)
    return list(Unit.objects.select_related("department").order_by("name"))


@tenant_scoped
def staff_with_accounts(*, actor: Actor) -> list[StaffMember]:
    """Staff in employment who can sign in: those an application can be shared with."""
    actor.require(Perm.STAFF_VIEW)
    return list(
        StaffMember.objects.filter(employed_until__isnull=True, user__isnull=False).order_by(
            "last_name", "first_name"
        )
    )


@tenant_scoped
def terms_for(*, actor: Actor) -> list[Term]:
    return list(Term.objects.order_by("-starts_on"))


@tenant_scoped
def term_by_id(*, actor: Actor, pk: object) -> Term:
    return one_or_404(Term.objects.all(), pk)


def current_term(*, actor: Actor, today) -> Term | None:
    terms = list(terms_for(actor=actor))
    for term in terms:
        if term.starts_on <= today <= term.ends_on:
            return term
    upcoming = [t for t in terms if t.starts_on > today]
    if upcoming:
        return min(upcoming, key=lambda t: t.starts_on)
    return terms[0] if terms else None


@dataclass
class SupervisorRow:
    capacity_id: int
    supervisor_id: int
    name: str
    trained: bool
    capacity: int
    used: int

    @property
    def free(self) -> int:
        return free_places(capacity=self.capacity, used=self.used)


@dataclass
class UnitRow:
    unit_id: int
    name: str
    department: str
    supervisors: list[SupervisorRow] = field(default_factory=list)

    @property
    def capacity(self) -> int:
        return sum(s.capacity for s in self.supervisors)

    @property
    def used(self) -> int:
        return sum(s.used for s in self.supervisors)

    @property
    def free(self) -> int:
        return sum(s.free for s in self.supervisors)


@dataclass
class CapacityOverview:
    term: Term | None
    units: list[UnitRow]

    @property
    def capacity(self) -> int:
        return sum(u.capacity for u in self.units)

    @property
    def used(self) -> int:
        return sum(u.used for u in self.units)

    @property
    def free(self) -> int:
        return sum(u.free for u in self.units)

    @property
    def supervisors(self) -> int:
        return sum(len(u.supervisors) for u in self.units)


@tenant_scoped
def capacity_overview(*, actor: Actor, term: Term | None) -> CapacityOverview:
    """Each unit's supervisors, their capacity and places used in a term: two queries."""
    actor.require(Perm.CAPACITY_VIEW)
    units = Unit.objects.select_related("department")
    rows: dict[int, UnitRow] = {
        u.pk: UnitRow(unit_id=u.pk, name=u.name, department=u.department.name)
        for u in units.order_by("department__name", "name")
    }
    if term is not None:
        by_unit: dict[int, list[SupervisorRow]] = defaultdict(list)
        capacities = with_places_used(SupervisorCapacity.objects.filter(term=term)).select_related(
            "supervisor"
        )
        for cap in capacities.order_by("supervisor__last_name", "supervisor__first_name"):
            sup = cap.supervisor
            by_unit[sup.unit_id].append(
                SupervisorRow(
                    capacity_id=cap.pk,
                    supervisor_id=sup.pk,
                    name=f"{sup.first_name} {sup.last_name}",
                    trained=sup.is_trained_supervisor,
                    capacity=cap.capacity,
                    used=cap.used,
                )
            )
        for unit_id, sups in by_unit.items():
            if unit_id in rows:
                rows[unit_id].supervisors = sups
    return CapacityOverview(term=term, units=list(rows.values()))


def staff_of(actor: Actor) -> StaffMember | None:
    """The actor's own staff record in their municipality, or None; read once per request
    (the home page's sections each ask it)."""
    if actor.user is None or actor.municipality is None:
        return None
    if "staff" not in actor.memo:
        # Tenant filter by hand, on purpose: one sign-in may be staff in two municipalities,
        # and this is also asked outside a request's scope (permission checks in tasks and
        # services).
        actor.memo["staff"] = StaffMember.objects.filter(
            user=actor.user, municipality=actor.municipality
        ).first()
    return actor.memo["staff"]  # type: ignore[return-value]


@dataclass(frozen=True)
class HomeSummary:
    departments: int
    units: int
    staff: int
    supervisors: int


@tenant_scoped
def home_summary(*, actor: Actor) -> HomeSummary:
    """The organisation in four numbers, for the home page of someone in a municipality:
    read in one query (the departments and units counted by subqueries)."""

    def count(rows: QuerySet) -> Subquery:
        return Subquery(rows.order_by().values(n=Func("pk", function="COUNT")))

    employed = StaffMember.objects.filter(employed_until__isnull=True)
    counts = (
        Municipality.objects.filter(pk=require_tenant(actor).pk)
        .values(
            departments=count(Department.objects.all()),
            units=count(Unit.objects.all()),
            staff=count(employed),
            supervisors=count(employed.filter(is_trained_supervisor=True)),
        )
        .get()
    )
    return HomeSummary(**counts)


@dataclass(frozen=True)
class NationalSummary:
    municipalities: int
    units: int
    trained_supervisors: int
    supervision_places: int


def national_summary() -> NationalSummary:
    """Aggregates across all municipalities, with nothing that names a person or a municipality
    (unscoped on purpose: the national analyst's totals cross every tenant)."""
    with scopes_disabled():
        return NationalSummary(
            municipalities=Municipality.objects.count(),
            units=Unit.objects.count(),
            trained_supervisors=StaffMember.objects.filter(is_trained_supervisor=True).count(),
            supervision_places=SupervisorCapacity.objects.aggregate(total=Sum("capacity"))["total"]
            or 0,
        )
