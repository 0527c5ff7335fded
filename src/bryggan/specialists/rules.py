"""Who a specialist serves and whom an update concerns: the one place for both rules."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from bryggan.organisation.models import StaffMember, Unit
from bryggan.specialists.models import LegalUpdate, RoleHolder, Serves, Topic


def active(today: date) -> Q:
    return Q(since__lte=today) & (Q(until__isnull=True) | Q(until__gte=today))


def covering(unit: Unit) -> Q:
    """Roles for every unit, for the unit's department, or for the unit itself."""
    return (
        Q(role__serves=Serves.ALL)
        | Q(role__serves=Serves.DEPARTMENT, role__department_id=unit.department_id)
        | Q(role__serves=Serves.UNIT, role__unit_id=unit.pk)
    )


def serving(topic: Topic, unit: Unit, today: date) -> QuerySet[RoleHolder]:
    """The role holders who serve ``unit`` in ``topic`` today."""
    return RoleHolder.objects.filter(active(today), role__topics=topic).filter(covering(unit))


def serves(staff: StaffMember | None, topic: Topic, unit: Unit, today: date) -> bool:
    return staff is not None and serving(topic, unit, today).filter(staff=staff).exists()


def concerns(update: LegalUpdate, *, roles: set[str], unit_id: int | None) -> bool:
    """Does the update concern someone with these roles at this unit? Everyone, or those of
    the units named (none named: every unit) with the roles named (none: every role)."""
    if update.everyone:
        return True
    unit_ids = {u.pk for u in update.units.all()}
    if unit_ids and unit_id not in unit_ids:
        return False
    return not update.roles or bool(set(update.roles) & roles)
