"""A small broad introduction for tests: three areas of two units each, two supervisors per
unit with capacity in the term, places on every unit, and a six-week cohort of new hires."""

from __future__ import annotations

from datetime import date

from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from bryggan.introduction import services
from bryggan.organisation.models import DepartmentKind
from tests import factories as f

START = date(2026, 9, 7)  # a Monday in the autumn term of the test tenants (2026-08-31 on)
KINDS = (DepartmentKind.WORK_AND_SUPPORT, DepartmentKind.ADULTS, DepartmentKind.CHILDREN_AND_YOUNG)


def build_introduction(
    tenant,
    mark: str = "",
    *,
    hires: int = 6,
    weeks: int = 6,
    places: int = 2,
    start: date = START,
    term=None,
):
    municipality = tenant.municipality
    term = term or tenant.objects["term"]
    actor = actor_for(tenant.users[Role.COORDINATOR])
    units, supervisors = [], []
    for i, kind in enumerate(KINDS):
        department = f.DepartmentFactory(
            municipality=municipality, name=f"Område {i} {mark}".strip(), kind=kind
        )
        for j in range(2):
            unit = f.UnitFactory(department=department, name=f"Enhet {i}.{j} {mark}".strip())
            units.append(unit)
            for k in range(2):
                staff = f.StaffMemberFactory(unit=unit, last_name=f"Handledare{i}{j}{k}{mark}")
                f.SupervisorCapacityFactory(supervisor=staff, term=term, capacity=2)
                supervisors.append(staff)
    from bryggan.organisation.models import Department

    departments = list(Department.unscoped.filter(municipality=municipality, kind__in=KINDS))
    departments.sort(key=lambda d: d.name)
    departments = [d for d in departments if d.name.startswith("Område")]
    programme = services.programme_create(
        actor=actor, name=f"Bred introduktion {mark}".strip(), weeks=weeks, departments=departments
    )
    for unit in units:
        services.places_set(actor=actor, programme=programme, unit=unit, places=places)
    cohort = services.cohort_create(
        actor=actor, programme=programme, name=f"Kull hösten {mark}".strip(), starts_on=start
    )
    new_hires = []
    for n in range(hires):
        staff = f.StaffMemberFactory(
            unit=units[n % len(units)],
            last_name=f"Nyanställd{n}{mark}",
            is_trained_supervisor=False,
            employed_from=start,
            email=f"ny{n}@{municipality.slug}.test",
        )
        new_hires.append(services.member_add(actor=actor, cohort=cohort, staff=staff))
    return {
        "actor": actor,
        "programme": programme,
        "cohort": cohort,
        "units": units,
        "supervisors": supervisors,
        "members": new_hires,
    }
