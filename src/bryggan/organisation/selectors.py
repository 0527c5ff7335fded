"""Reads of the organisation that the pages and the API share; always scoped to the actor."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from bryggan.core.permissions import Actor, PermissionDeniedError
from bryggan.organisation.capacity import with_places_used
from bryggan.organisation.models import SupervisorCapacity, Term, Unit
from bryggan.organisation.resources import Resource


def records_for(
    *, actor: Actor, resource: Resource, search: str = "", filters: dict | None = None
) -> QuerySet:
    """The resource's rows in the actor's municipality, joined for listing."""
    if not actor.can(resource.view_perm):
        raise PermissionDeniedError(resource.view_perm)
    queryset = resource.model.objects.filter(municipality=actor.municipality)  # type: ignore[attr-defined]
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


def record_by_id(*, actor: Actor, resource: Resource, pk: object) -> Model:
    """One row by id: 404 for missing and for another municipality's alike."""
    try:
        key = int(str(pk))
    except ValueError:
        raise Http404 from None
    obj = records_for(actor=actor, resource=resource).filter(pk=key).first()
    if obj is None:
        raise Http404
    return obj


def terms_for(*, actor: Actor) -> QuerySet[Term]:
    return Term.objects.filter(municipality=actor.municipality).order_by("-starts_on")


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
        return max(self.capacity - self.used, 0)


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


def capacity_overview(*, actor: Actor, term: Term | None) -> CapacityOverview:
    """Each unit's supervisors, their capacity and places used in a term: two queries."""
    from bryggan.core.permissions import Perm

    actor.require(Perm.CAPACITY_VIEW)
    units = Unit.objects.filter(municipality=actor.municipality).select_related("department")
    rows: dict[int, UnitRow] = {
        u.pk: UnitRow(unit_id=u.pk, name=u.name, department=u.department.name)
        for u in units.order_by("department__name", "name")
    }
    if term is not None:
        by_unit: dict[int, list[SupervisorRow]] = defaultdict(list)
        capacities = with_places_used(
            SupervisorCapacity.objects.filter(municipality=actor.municipality, term=term)
        ).select_related("supervisor")
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
