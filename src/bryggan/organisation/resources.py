"""The organisation's record types, described once for the generic pages, API and tests.

Each resource names its model, form, the permission to see and to manage it, how to fetch it
without N+1 queries, which columns to list and whether it holds personal data (then every
read is written to the access log).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bryggan.core.permissions import Perm
from bryggan.organisation import forms
from bryggan.organisation.models import (
    Department,
    PracticumPeriod,
    Programme,
    StaffMember,
    SupervisorCapacity,
    Term,
    Unit,
    University,
)


@dataclass(frozen=True)
class Resource:
    key: str
    model: type[Model]
    form: type[forms.TenantModelForm]
    columns: tuple[str, ...]
    search: tuple[str, ...]
    view_perm: Perm = Perm.ORG_VIEW
    manage_perm: Perm = Perm.ORG_MANAGE
    select_related: tuple[str, ...] = ()
    api_path: str = ""
    filters: tuple[str, ...] = field(default_factory=tuple)
    create_label: Promise | str = ""

    @property
    def verbose_name(self) -> Promise:
        return self.model._meta.verbose_name  # type: ignore[return-value]

    @property
    def verbose_name_plural(self) -> Promise:
        return self.model._meta.verbose_name_plural  # type: ignore[return-value]

    def label(self, name: str) -> str:
        path = name.split("__")
        model = self.model
        for part in path[:-1]:
            model = model._meta.get_field(part).related_model  # type: ignore[assignment]
        return str(model._meta.get_field(path[-1]).verbose_name)  # type: ignore[union-attr]


RESOURCES: dict[str, Resource] = {
    r.key: r
    for r in [
        Resource(
            key="department",
            create_label=_("New department"),
            model=Department,
            form=forms.DepartmentForm,
            columns=("name", "kind"),
            search=("name",),
            api_path="departments",
        ),
        Resource(
            key="unit",
            create_label=_("New unit"),
            model=Unit,
            form=forms.UnitForm,
            columns=("name", "department"),
            search=("name", "department__name"),
            select_related=("department",),
            api_path="units",
            filters=("department",),
        ),
        Resource(
            key="staff",
            create_label=_("New staff member"),
            model=StaffMember,
            form=forms.StaffMemberForm,
            columns=("last_name", "first_name", "title", "unit", "is_trained_supervisor"),
            search=("first_name", "last_name", "title", "unit__name", "email"),
            view_perm=Perm.STAFF_VIEW,
            manage_perm=Perm.STAFF_MANAGE,
            select_related=("unit", "unit__department"),
            api_path="staff",
            filters=("unit",),
        ),
        Resource(
            key="capacity",
            create_label=_("Register capacity"),
            model=SupervisorCapacity,
            form=forms.SupervisorCapacityForm,
            columns=("supervisor", "supervisor__unit", "term", "capacity"),
            search=("supervisor__first_name", "supervisor__last_name", "supervisor__unit__name"),
            view_perm=Perm.CAPACITY_VIEW,
            manage_perm=Perm.STAFF_MANAGE,
            select_related=("supervisor", "supervisor__unit", "term"),
            api_path="capacities",
            filters=("term",),
        ),
        Resource(
            key="university",
            create_label=_("New university"),
            model=University,
            form=forms.UniversityForm,
            columns=("name", "city"),
            search=("name", "city"),
            api_path="universities",
        ),
        Resource(
            key="programme",
            create_label=_("New programme"),
            model=Programme,
            form=forms.ProgrammeForm,
            columns=("name", "university", "credits", "practicum_term"),
            search=("name", "university__name"),
            select_related=("university",),
            api_path="programmes",
            filters=("university",),
        ),
        Resource(
            key="term",
            create_label=_("New term"),
            model=Term,
            form=forms.TermForm,
            columns=("kind", "year", "starts_on", "ends_on"),
            search=("year",),
            api_path="terms",
        ),
        Resource(
            key="practicumperiod",
            create_label=_("New practicum period"),
            model=PracticumPeriod,
            form=forms.PracticumPeriodForm,
            columns=("programme", "term", "starts_on", "ends_on", "expected_hours_per_week"),
            search=("programme__university__name", "programme__name"),
            select_related=("programme", "programme__university", "term"),
            api_path="practicum-periods",
            filters=("term",),
        ),
    ]
}

RESOURCE_TITLES = {
    "capacity": _("Supervisor capacities"),
}
