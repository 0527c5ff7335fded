"""Programme test data: an aspirant with a mentor, a pending offer and the student's login."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from bryggan.core.models import Person
from bryggan.core.roles import Role
from bryggan.programme.models import EmploymentPeriod, Offer, Participant, Stage


def build_programme(tenant, mark: str = "") -> dict:
    m = tenant.municipality
    today = timezone.localdate()
    person = Person.objects.create(
        municipality=m,
        first_name=f"Alva{mark}",
        last_name=f"Aspirant{mark}",
        email=f"alva.{m.slug}@example.se",
    )
    participant = Participant.objects.create(
        municipality=m,
        person=person,
        user=tenant.user(Role.STUDENT),
        stage=Stage.ASPIRANT,
        stage_since=today - timedelta(days=100),
    )
    employment = EmploymentPeriod.objects.create(
        municipality=m,
        participant=participant,
        kind="aspirant",
        unit=tenant.objects["unit"],
        mentor=tenant.objects["staff"],
        starts_on=today - timedelta(days=100),
        ends_on=today + timedelta(days=200),
    )
    offer = Offer.objects.create(
        municipality=m,
        participant=participant,
        title=f"Socialsekreterare {mark}".strip(),
        unit=tenant.objects["unit"],
        starts_on=today + timedelta(days=60),
        reply_by=today + timedelta(days=14),
    )
    from bryggan.programme.models import TaskItem

    visit = TaskItem.objects.create(
        municipality=m,
        unit=tenant.objects["unit"],
        title=f"Observera ett hembesök {mark}".strip(),
        position=1,
    )
    investigation = TaskItem.objects.create(
        municipality=m,
        unit=tenant.objects["unit"],
        title=f"Delta i en utredning {mark}".strip(),
        requires_degree=True,
        position=2,
    )
    return {
        "participant": participant,
        "employment": employment,
        "offer": offer,
        "task_visit": visit,
        "task_investigation": investigation,
    }


def build_hours(tenant, programme: dict) -> dict:
    """Yesterday's approved hours and today's submitted hours of the tenant's aspirant."""
    from bryggan.programme.models import HoursEntry

    m = tenant.municipality
    today = timezone.localdate()
    approved = HoursEntry.objects.create(
        municipality=m,
        participant=programme["participant"],
        day=today - timedelta(days=1),
        hours=4,
        activity="Hembesök",
        kind="aspirant",
        status="approved",
        approved_by=tenant.user(Role.COORDINATOR),
        approved_at=timezone.now(),
    )
    submitted = HoursEntry.objects.create(
        municipality=m,
        participant=programme["participant"],
        day=today,
        hours=3,
        activity="Dokumentation",
        kind="aspirant",
    )
    return {"hours_approved": approved, "hours_submitted": submitted}


def build_assessment(tenant, mark: str = "") -> dict:
    """A practicum student (in a term of their own, so no matching capacity is used) with a
    signed mid-term assessment by the tenant's supervisor."""
    from datetime import date

    from bryggan.organisation.models import Term
    from bryggan.programme.models import Placement, UniversityAssessment

    m = tenant.municipality
    term = Term.objects.create(
        municipality=m, kind="VT", year=2031, starts_on=date(2031, 1, 15), ends_on=date(2031, 6, 5)
    )
    person = Person.objects.create(
        municipality=m,
        first_name=f"Pia{mark}",
        last_name=f"Praktik{mark}",
        email=f"pia.{m.slug}@example.se",
    )
    participant = Participant.objects.create(
        municipality=m,
        person=person,
        stage=Stage.PRACTICUM,
        stage_since=term.starts_on,
        university=tenant.objects["university"],
    )
    placement = Placement.objects.create(
        municipality=m,
        person=person,
        unit=tenant.objects["unit"],
        supervisor=tenant.objects["staff"],
        term=term,
        step="practicum",
    )
    assessment = UniversityAssessment.objects.create(
        municipality=m,
        participant=participant,
        placement=placement,
        kind="midterm",
        knowledge=f"Goda kunskaper {mark}",
        skills="Bra samtal",
        judgement="Reflekterar",
        recommendation="pass",
        signed_by=tenant.user(Role.SUPERVISOR),
        signed_by_name=str(tenant.objects["staff"]),
        signed_at=timezone.now(),
    )
    return {"practicum_participant": participant, "assessment": assessment}
