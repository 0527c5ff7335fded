"""Matching test data: a round with a term, applicants who ranked units, and a proposed run."""

from __future__ import annotations

from django.utils import timezone

from bryggan.core.models import Person
from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from bryggan.matching import services
from bryggan.recruitment.models import Application, ApplicationWish, Assessment, Stage


def add_applicant(
    tenant, rec: dict, name: str, wishes: list, score: int | None = None, mark: str = ""
) -> Application:
    """An interviewed applicant of the tenant's posting who ranked ``wishes`` (units)."""
    m = tenant.municipality
    person = Person.objects.create(
        municipality=m,
        first_name=f"{name}{mark}",
        last_name=f"Student{mark}",
        email=f"{name.lower()}.{m.slug}@example.se",
    )
    application = Application.objects.create(
        municipality=m,
        posting=rec["posting"],
        person=person,
        programme="Socionomprogrammet",
        current_term=5,
        expected_graduation="VT 2027",
        consent_version="2026-1",
        consented_at=timezone.now(),
        stage=Stage.ASSESSED,
    )
    for rank, unit in enumerate(wishes, start=1):
        rec["posting"].units.add(unit)
        ApplicationWish.objects.create(
            municipality=m, application=application, unit=unit, rank=rank
        )
    if score is not None:
        criteria = list(rec["round"].criteria.all())
        Assessment.objects.create(
            municipality=m,
            application=application,
            interviewer=tenant.user(Role.SUPERVISOR),
            scores={str(c.pk): score for c in criteria},
        )
    return application


def build_matching(tenant, rec: dict) -> dict:
    """Give the round its term and run the matching once: a proposal with one pinned pair."""
    rec["round"].term = tenant.objects["term"]
    rec["round"].save()
    actor = actor_for(tenant.user(Role.COORDINATOR))
    constraint = services.constraint_add(
        actor=actor,
        posting=rec["posting"],
        application=rec["application"].pk,
        unit=tenant.objects["unit"].pk,
        kind="pinned",
        reason="Återvändande aspirant",
    )
    run = services.run_start(actor=actor, posting=rec["posting"])
    return {"run": run, "constraint": constraint}
