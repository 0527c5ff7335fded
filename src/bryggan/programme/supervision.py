"""Who supervises whom: the one place that links a supervisor or mentor to their students.

A staff member supervises a participant when they are the supervisor of one of the
participant's current placements, or the mentor of one of their employment periods.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from bryggan.core.models import User
from bryggan.core.permissions import Actor, Perm, Relation
from bryggan.organisation.models import StaffMember
from bryggan.organisation.selectors import staff_of
from bryggan.programme.actions import Action
from bryggan.programme.models import EmploymentPeriod, Participant, Placement


def supervised_by(staff: StaffMember) -> QuerySet[Participant]:
    """The participants the staff member supervises or mentors (their ids read at once by
    ``supervised_ids``)."""
    return Participant.objects.filter(pk__in=supervised_ids(staff))


def supervised_ids(staff: StaffMember, *, except_user: User | None = None) -> list[int]:
    """The ids of ``supervised_by`` as a list (a few per supervisor or mentor): given as
    values, the planner reads their rows by the participant indexes instead of guessing how
    many the subqueries give and scanning the municipality's."""
    people = Placement.objects.filter(supervisor=staff, ended_at__isnull=True).values("person_id")
    mentees = EmploymentPeriod.objects.filter(mentor=staff).values("participant_id")
    # Two branches of a union, each read by its own index: one query with "or" between the
    # two subqueries scanned every participant of the municipality.
    branches = [
        Participant.objects.filter(person_id__in=people),
        Participant.objects.filter(pk__in=mentees),
    ]
    if except_user is not None:
        branches = [branch.exclude(user=except_user) for branch in branches]
    first, second = (branch.order_by().values_list("pk", flat=True) for branch in branches)
    return sorted(first.union(second))


def relations_to(actor: Actor, obj: object) -> frozenset[Relation]:
    """How the actor stands to a participant, or to a record about one (their hours, offers,
    assessments…): the facts behind core/permissions.py's ``OBJECT_RULES``."""
    participant = obj if isinstance(obj, Participant) else getattr(obj, "participant", None)
    if not isinstance(participant, Participant) or actor.user is None:
        return frozenset()
    found: set[Relation] = set()
    if participant.user_id == actor.user.pk:
        found.add(Relation.OWN)
    if participant.university_id in actor.university_ids:
        found.add(Relation.OWN_UNIVERSITY)
    if actor.has(Perm.HOURS_APPROVE):
        staff = staff_of(actor)
        if staff is not None:
            if Placement.objects.filter(
                person_id=participant.person_id, supervisor=staff, ended_at__isnull=True
            ).exists():
                found.add(Relation.SUPERVISES)
            if EmploymentPeriod.objects.filter(participant=participant, mentor=staff).exists():
                found.add(Relation.MENTORS)
    return frozenset(found)


# The records about a participant whose permissions follow the participant's relations.
RELATED_MODELS = (
    "programme.Participant",
    "programme.HoursEntry",
    "programme.Offer",
    "programme.UniversityAssessment",
    "programme.SupervisionSession",
    "programme.TaskSignOff",
    "programme.EmploymentPeriod",
    "programme.Thesis",
)


def current_unit_ids(participant: Participant) -> set[int]:
    """The units a participant is at now: their placements' and employment periods'."""
    units = set(
        Placement.objects.filter(
            person_id=participant.person_id, ended_at__isnull=True
        ).values_list("unit_id", flat=True)
    )
    units |= set(
        EmploymentPeriod.objects.filter(participant=participant).values_list("unit_id", flat=True)
    )
    return units


def session_overdue(
    participant: Participant, last_held: dict[str, date], rules, today: date
) -> Action | None:
    """The expected frequency: practicum students a supervision session at least every
    ``supervision_every_days``; step 2 and aspirants a mentor meeting at least every
    ``mentor_meeting_every_days``. Counted from the last one, or from entering the step."""
    from bryggan.programme.models import SessionKind, Stage

    if participant.stage == Stage.PRACTICUM:
        kind, every, code = SessionKind.SUPERVISION, rules.supervision_every_days, "supervision"
    elif participant.stage in (Stage.STUDENT_EMPLOYEE, Stage.ASPIRANT):
        kind, every, code = SessionKind.MENTOR, rules.mentor_meeting_every_days, "mentor"
    else:
        return None
    since = last_held.get(kind) or participant.stage_since
    if (today - since).days <= every:
        return None
    last = last_held[kind].isoformat() if kind in last_held else None
    return Action(f"{code}_overdue", {"last": last, "n": every})
