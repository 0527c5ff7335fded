"""Demo data for the three steps: the students already placed become participants in step 1;
the past round's offered applicants are aspirants and student employees with mentors and
summer jobs; offers accepted (now staff), declined and pending. The demo student login is one
of the aspirants, with an offer to answer."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from bryggan.core.models import Municipality, User
from bryggan.core.permissions import actor_for
from bryggan.organisation.models import StaffMember, Unit
from bryggan.programme import services
from bryggan.programme.models import (
    EmploymentKind,
    EmploymentPeriod,
    HoursEntry,
    HoursStatus,
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
    _seed_hours(municipality, coordinator, rng, today)
    _seed_plans(municipality, actor, rng)
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
            monthly_salary=rng.choice([34_500, 35_200, 36_000]),
            contact=rng.choice(mentors),
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


ACTIVITIES = [
    "Hembesök tillsammans med handledaren",
    "Dokumentation i journal",
    "Deltog i utredningsmöte",
    "Ärendedragning",
    "Telefonrådgivning",
    "Handledning",
    "Samverkansmöte med skolan",
]


def _seed_hours(municipality, approver, rng, today) -> None:
    """Hours for the past months: practicum weeks of 32–40 h, step 2 two days a week,
    aspirants a few hours a month — about a quarter of them breaking the rules. The last
    week waits for approval; for the careless, whose supervisor is behind, the last two."""
    entries = []
    participants = (
        Participant.objects.filter(municipality=municipality)
        .select_related("person")
        .prefetch_related("employments")
        .order_by("pk")
    )
    placements = {
        p.person_id: p
        for p in Placement.objects.filter(
            municipality=municipality, step="practicum", ended_at__isnull=True
        ).select_related("term")
    }
    now = timezone.now()
    for participant in participants:
        careless = rng.random() < 0.25
        days: dict = {}
        placement = placements.get(participant.person_id)
        if participant.stage == Stage.PRACTICUM and placement is not None:
            day = placement.term.starts_on
            while day < today and day <= placement.term.ends_on:
                if day.weekday() < 3 or (day.weekday() < 5 and not careless):
                    days[day] = ("practicum", rng.choice(["7", "8", "8", "8"]))
                day += timedelta(days=1)
        for employment in participant.employments.all():
            day = employment.starts_on
            while day < today and day <= employment.ends_on:
                if employment.kind == Stage.STUDENT_EMPLOYEE and day.weekday() in (1, 3):
                    days[day] = ("student_employee", "9" if careless else "8")
                # Aspirants work Wednesdays; the careless ones skip the first weeks of a month.
                if (
                    employment.kind == Stage.ASPIRANT
                    and day.weekday() == 2
                    and (day.day > 14 or not careless)
                ):
                    days[day] = ("aspirant", rng.choice(["3", "4"]))
                day += timedelta(days=1)
        for day, (kind, hours) in sorted(days.items()):
            recent = day > today - timedelta(days=14 if careless else 7)
            entries.append(
                HoursEntry(
                    municipality=municipality,
                    participant=participant,
                    day=day,
                    hours=Decimal(hours),
                    activity=rng.choice(ACTIVITIES),
                    kind=kind,
                    status=HoursStatus.SUBMITTED if recent else HoursStatus.APPROVED,
                    approved_by=None if recent else approver,
                    approved_at=None if recent else now,
                )
            )
    HoursEntry.objects.bulk_create(entries, batch_size=1000)


def _seed_plans(municipality, actor, rng) -> None:
    """The standard introduction plan at every unit with a participant, and sign-offs in
    progress (degree tasks at most under supervision)."""
    from bryggan.programme import services_plan, taskplan
    from bryggan.programme.models import TaskItem, TaskSignOff
    from bryggan.programme.supervision import current_unit_ids

    participants = list(Participant.objects.filter(municipality=municipality).order_by("pk"))
    units = set()
    for participant in participants:
        units |= current_unit_ids(participant)
    for unit in Unit.objects.filter(pk__in=units).order_by("pk"):
        if not TaskItem.objects.filter(unit=unit).exists():
            services_plan.task_plan_standard(actor=actor, unit=unit)
    signoffs = []
    for participant in participants:
        if participant.stage in (Stage.EMPLOYED, Stage.LEFT):
            continue
        items = list(TaskItem.objects.filter(unit_id__in=current_unit_ids(participant)))
        for item in rng.sample(items, k=min(len(items), rng.randint(1, 4))):
            levels = taskplan.ORDER[:3] if item.requires_degree else taskplan.ORDER
            signoffs.append(
                TaskSignOff(
                    municipality=municipality,
                    participant=participant,
                    item=item,
                    level=rng.choice(levels),
                    signed_by=actor.user,
                )
            )
    TaskSignOff.objects.bulk_create(signoffs)
    _seed_sessions(municipality, actor, rng)
    _seed_assessments(municipality, rng)
    _seed_theses(municipality, rng)


def _seed_theses(municipality, rng) -> None:
    from bryggan.programme.models import Thesis

    titles = [
        ("Barns delaktighet i utredningar enligt socialtjänstlagen", "ongoing"),
        ("Att möta våld i nära relationer inom ekonomiskt bistånd", "submitted"),
        ("Introduktion av nya socialsekreterare och viljan att stanna", "planned"),
    ]
    step_two = list(
        Participant.objects.filter(municipality=municipality, stage=Stage.STUDENT_EMPLOYEE)
        .prefetch_related("employments")
        .order_by("pk")
    )
    for participant, (title, status) in zip(step_two, titles, strict=False):
        employment = participant.employments.exclude(mentor=None).first()
        if employment is None or employment.mentor is None:
            continue
        Thesis.objects.create(
            municipality=municipality,
            participant=participant,
            title=title,
            university_supervisor=rng.choice(
                ["Docent Eva Ek", "Fil. dr Omar Said", "Professor Karin Lind"]
            ),
            unit_contact=employment.mentor,
            status=status,
        )


def _seed_assessments(municipality, rng) -> None:
    """Every practicum student gets a university; the demo supervisor login supervises two of
    them and has signed their mid-term assessments (one corrected once)."""
    from django.utils import timezone as tz

    from bryggan.organisation.models import University
    from bryggan.programme.models import UniversityAssessment

    universities = list(University.objects.filter(municipality=municipality).order_by("pk"))
    practicum = list(
        Participant.objects.filter(municipality=municipality, stage=Stage.PRACTICUM)
        .select_related("person")
        .order_by("pk")
    )
    for participant in practicum:
        participant.university = rng.choice(universities[:2]) if universities else None
        participant.save(update_fields=["university"])
    supervisor = (
        StaffMember.objects.filter(
            municipality=municipality, user__email=f"supervisor@{municipality.slug}.demo"
        )
        .select_related("user")
        .first()
    )
    if supervisor is None or supervisor.user is None:
        return
    for participant in practicum[:2]:
        placement = Placement.objects.filter(
            person_id=participant.person_id, ended_at__isnull=True
        ).first()
        if placement is None:
            continue
        Placement.objects.filter(pk=placement.pk).update(
            supervisor=supervisor, unit=supervisor.unit
        )
        placement.refresh_from_db()
        previous = None
        for version in (1, 2) if participant == practicum[0] else (1,):
            previous = UniversityAssessment.objects.create(
                municipality=municipality,
                participant=participant,
                placement=placement,
                kind="midterm",
                version=version,
                supersedes=previous,
                knowledge="Har goda kunskaper om socialtjänstlagen och LVU.",
                skills="Genomför samtal med barn och vårdnadshavare under handledning.",
                judgement="Reflekterar över sin roll och över makt i myndighetsutövning.",
                absence_days=version - 1,
                recommendation="pass",
                signed_by=supervisor.user,
                signed_by_name=str(supervisor),
                signed_at=tz.now(),
            )


TOPICS = [
    "Förberedelse inför hembesök",
    "Genomgång av utredningsarbetet",
    "Bemötande och samtalsmetodik",
    "Reflektion efter beslutsmöte",
    "Studiesituationen och arbetsbelastningen",
]


def _seed_sessions(municipality, actor, rng) -> None:
    """Supervision every two weeks in practicum, mentor meetings monthly — a few overdue."""
    from bryggan.programme.models import SessionKind, SupervisionSession

    today = timezone.localdate()
    sessions = []
    for participant in Participant.objects.filter(municipality=municipality).select_related(
        "person"
    ):
        if participant.stage == Stage.PRACTICUM:
            placement = Placement.objects.filter(
                person_id=participant.person_id, ended_at__isnull=True
            ).first()
            staff, kind, every = (
                placement.supervisor if placement else None,
                SessionKind.SUPERVISION,
                14,
            )
        elif participant.stage in (Stage.STUDENT_EMPLOYEE, Stage.ASPIRANT):
            employment = participant.employments.exclude(mentor=None).first()
            staff, kind, every = (employment.mentor if employment else None, SessionKind.MENTOR, 30)
        else:
            continue
        if staff is None:
            continue
        lapsed = rng.random() < 0.2
        day = participant.stage_since + timedelta(days=7)
        stop = today - timedelta(days=every * 2 if lapsed else 1)
        while day <= stop:
            sessions.append(
                SupervisionSession(
                    municipality=municipality,
                    participant=participant,
                    kind=kind,
                    held_on=day,
                    staff=staff,
                    topics=rng.choice(TOPICS),
                    created_by=actor.user,
                )
            )
            day += timedelta(days=every - rng.randint(0, 3))
    SupervisionSession.objects.bulk_create(sessions)
