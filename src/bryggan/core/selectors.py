from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django_scopes import scopes_disabled

from bryggan.core.models import ApiToken, Municipality
from bryggan.core.permissions import Actor


def tokens_for(*, actor: Actor):
    return ApiToken.objects.filter(user=actor.user).order_by("-created_at")


@dataclass(frozen=True)
class HomeSummary:
    departments: int
    units: int
    staff: int
    supervisors: int


def home_summary(*, actor: Actor) -> HomeSummary:
    from bryggan.organisation.models import Department, StaffMember, Unit

    m = actor.municipality
    staff = StaffMember.objects.filter(municipality=m, employed_until__isnull=True).aggregate(
        total=Count("pk"), supervisors=Count("pk", filter=Q(is_trained_supervisor=True))
    )
    return HomeSummary(
        departments=Department.objects.filter(municipality=m).count(),
        units=Unit.objects.filter(municipality=m).count(),
        staff=staff["total"],
        supervisors=staff["supervisors"],
    )


@dataclass(frozen=True)
class NationalSummary:
    municipalities: int
    units: int
    trained_supervisors: int
    supervision_places: int


def national_summary() -> NationalSummary:
    """Aggregates across all municipalities, with nothing that names a person or a municipality."""
    from bryggan.organisation.models import StaffMember, SupervisorCapacity, Unit

    with scopes_disabled():
        return NationalSummary(
            municipalities=Municipality.objects.count(),
            units=Unit.objects.count(),
            trained_supervisors=StaffMember.objects.filter(is_trained_supervisor=True).count(),
            supervision_places=SupervisorCapacity.objects.aggregate(total=Sum("capacity"))["total"]
            or 0,
        )
