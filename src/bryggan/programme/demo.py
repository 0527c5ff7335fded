"""Demo data for the three steps: the students already placed become participants in step 1;
the past round's offered applicants are aspirants and student employees with mentors and
summer jobs; offers accepted (now staff), declined and pending. The demo student login is one
of the aspirants, with an offer to answer."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from bryggan.core.models import Municipality, User
from bryggan.core.permissions import actor_for
from bryggan.organisation.models import StaffMember, Unit
from bryggan.programme import services
from bryggan.programme.models import (
    EmploymentKind,
    EmploymentPeriod,
    Participant,
    Placement,
    Stage,
    StageMove,
)
from bryggan.recruitment.models import Application
from bryggan.recruitment.models import Stage as ApplicationStage


def seed_municipality(municipality: Municipality) -> None:
    if Participant.objects.filter(municipality=municipality).exists():
        return
    coordinator = User.objects.filter(email=f"coordinator@{municipality.slug}.demo").first()
    if coordinator is None:
        return
    actor = actor_for(coordinator)
    rng = random.Random(f"programme-{municipality.kommunkod}")  # noqa: S311 (demo data)
    today = timezone.localdate()
    for placement in Placement.objects.filter(municipality=municipality).select_related("term"):
        participant = Participant.objects.create(
            municipality=municipality,
            person=placement.person,
            stage=Stage.PRACTICUM,
            stage_since=placement.term.starts_on,
        )
        StageMove.objects.create(
            municipality=municipality,
            participant=participant,
            to_stage=Stage.PRACTICUM,
            actor=coordinator,
        )
    mentors = list(
        StaffMember.objects.filter(
            municipality=municipality, is_mentor=True, employed_until__isnull=True
        ).order_by("pk")
    )
    units = list(Unit.objects.filter(municipality=municipality).order_by("pk"))
    offered = (
        Application.objects.filter(
            municipality=municipality,
            stage=ApplicationStage.OFFERED,
            posting__kind__in=["aspirant", "student_employee", "practicum"],
        )
        .exclude(person__participant__isnull=False)
        .select_related("person", "posting")
        .order_by("pk")
    )
    seen: set[int] = set()
    for application in offered:
        if application.person_id in seen:
            continue
        seen.add(application.person_id)
        mentor = rng.choice(mentors) if mentors else None
        unit = mentor.unit if mentor else rng.choice(units)
        stage = Stage.ASPIRANT if application.posting.kind == "aspirant" else Stage.STUDENT_EMPLOYEE
        participant = Participant.objects.create(
            municipality=municipality,
            person=application.person,
            stage=stage,
            stage_since=today - timedelta(days=200),
        )
        StageMove.objects.create(
            municipality=municipality, participant=participant, to_stage=stage, actor=coordinator
        )
        EmploymentPeriod.objects.create(
            municipality=municipality,
            participant=participant,
            kind=stage,
            unit=unit,
            mentor=mentor,
            starts_on=today - timedelta(days=200),
            ends_on=today + timedelta(days=rng.choice([40, 120, 250])),
        )
        if rng.random() < 0.6:
            summer = today.replace(month=6, day=15)
            if summer < today:
                summer = summer.replace(year=today.year + 1)
            EmploymentPeriod.objects.create(
                municipality=municipality,
                participant=participant,
                kind=EmploymentKind.SUMMER_JOB,
                unit=unit,
                starts_on=summer,
                ends_on=summer + timedelta(days=56),
            )
    participants = list(
        Participant.objects.filter(
            municipality=municipality, stage__in=[Stage.ASPIRANT, Stage.STUDENT_EMPLOYEE]
        )
        .select_related("person")
        .order_by("pk")
    )
    # Offers: the first accepted (now staff), the second declined, the third pending for the
    # demo student login.
    for index, participant in enumerate(participants[:3]):
        offer = services.offer_issue(
            actor=actor,
            participant=participant,
            unit=rng.choice(units),
            starts_on=today + timedelta(days=75),
            reply_by=today + timedelta(days=14),
        )
        if index == 0:
            services.offer_answer(actor=actor, offer=offer, accept=True)
        elif index == 1:
            services.offer_answer(actor=actor, offer=offer, accept=False)
        else:
            student = User.objects.filter(email=f"student@{municipality.slug}.demo").first()
            if student is not None and not Participant.objects.filter(user=student).exists():
                participant.user = student
                participant.save(update_fields=["user"])
                full_name = str(participant.person)
                if student.full_name != full_name:
                    student.full_name = full_name
                    student.save(update_fields=["full_name"])
