"""Writes of the task plan: a unit's tasks, and supervisors signing off a student's level."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bryggan.core.errors import InvalidInputError
from bryggan.core.permissions import Actor, Perm
from bryggan.core.personal_data import personnummer_errors
from bryggan.organisation.models import Unit
from bryggan.programme import state, taskplan
from bryggan.programme.models import (
    Participant,
    SessionKind,
    SupervisionSession,
    TaskItem,
    TaskSignOff,
    Thesis,
    ThesisStatus,
)
from bryggan.programme.supervision import current_unit_ids, staff_of


def task_item_add(*, actor: Actor, unit: Unit, title: str, requires_degree: bool) -> TaskItem:
    actor.require(Perm.PROGRAMME_MANAGE, unit)
    if not title.strip():
        raise InvalidInputError({"title": [_("Name the task or competence.")]})
    position = (TaskItem.objects.filter(unit=unit).aggregate(n=Max("position"))["n"] or 0) + 1
    return TaskItem.objects.create(
        municipality_id=unit.municipality_id,
        unit=unit,
        title=title.strip()[:200],
        requires_degree=requires_degree,
        position=position,
    )


def task_plan_standard(*, actor: Actor, unit: Unit) -> int:
    """Give a unit the standard plan (only when it has none yet)."""
    actor.require(Perm.PROGRAMME_MANAGE, unit)
    if TaskItem.objects.filter(unit=unit).exists():
        raise InvalidInputError({"__all__": [_("The unit already has a plan.")]})
    TaskItem.objects.bulk_create(
        TaskItem(
            municipality_id=unit.municipality_id,
            unit=unit,
            title=title,
            requires_degree=degree,
            position=i,
        )
        for i, (title, degree) in enumerate(taskplan.STANDARD_PLAN, start=1)
    )
    return len(taskplan.STANDARD_PLAN)


def task_sign_off(
    *, actor: Actor, participant: Participant, item: TaskItem, level: str
) -> TaskSignOff:
    """A supervisor or mentor (or the coordinator) signs off the level a student reached."""
    if not (
        actor.can(Perm.PROGRAMME_MANAGE, participant) or actor.can(Perm.HOURS_APPROVE, participant)
    ):
        actor.require(Perm.PROGRAMME_MANAGE, participant)
    if item.municipality_id != participant.municipality_id or item.unit_id not in (
        current_unit_ids(participant)
    ):
        raise InvalidInputError({"item": [_("The task is not in the student's plan.")]})
    try:
        taskplan.check_sign_off(item, level, participant.stage)
    except taskplan.TaskLevelError as error:
        raise InvalidInputError({"level": [str(error)]}) from None
    with transaction.atomic():
        return TaskSignOff.objects.create(
            municipality_id=participant.municipality_id,
            participant=participant,
            item=item,
            level=level,
            signed_by=actor.user,
        )


def session_add(
    *,
    actor: Actor,
    participant: Participant,
    kind: str,
    held_on: object,
    topics: str,
    notes: str = "",
) -> SupervisionSession:
    """The student's supervisor or mentor records a session they held."""
    staff = staff_of(actor)
    if staff is None or not actor.can(Perm.HOURS_APPROVE, participant):
        actor.require(Perm.HOURS_APPROVE)
        raise InvalidInputError(
            {"__all__": [_("Only the student's supervisor or mentor records their sessions.")]}
        )
    errors: dict[str, list[str]] = {}
    if kind not in SessionKind.values:
        errors["kind"] = [_("Choose supervision or mentor meeting.")]
    day = held_on if isinstance(held_on, date) else None
    if day is None:
        try:
            day = date.fromisoformat(str(held_on).strip())
        except ValueError:
            errors["held_on"] = [_("Write the date as YYYY-MM-DD.")]
    if day is not None and day > timezone.localdate():
        errors["held_on"] = [_("Record sessions that have taken place.")]
    if not topics.strip():
        errors["topics"] = [_("Name the topics.")]
    errors |= personnummer_errors(topics=topics, notes=notes)
    if errors:
        raise InvalidInputError(errors)
    assert day is not None
    with transaction.atomic():
        session = SupervisionSession.objects.create(
            municipality_id=participant.municipality_id,
            participant=participant,
            kind=kind,
            held_on=day,
            staff=staff,
            topics=topics.strip()[:300],
            notes=notes.strip()[:4000],
            created_by=actor.user,
        )
        state.refresh([participant.pk])
    return session


def thesis_save(
    *,
    actor: Actor,
    participant: Participant,
    title: str,
    university_supervisor: str,
    unit_contact,
    status: str,
    thesis: Thesis | None = None,
) -> Thesis:
    """Register or update a thesis written in the municipality's operations."""
    actor.require(Perm.PROGRAMME_MANAGE, participant)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the thesis a title.")]
    if not university_supervisor.strip():
        errors["university_supervisor"] = [_("Name the university's supervisor.")]
    if status not in ThesisStatus.values:
        errors["status"] = [_("Choose a status.")]
    if unit_contact is None or unit_contact.municipality_id != participant.municipality_id:
        errors["unit_contact"] = [_("Choose a contact in your municipality.")]
    if errors:
        raise InvalidInputError(errors)
    target = thesis or Thesis(municipality_id=participant.municipality_id, participant=participant)
    target.title, target.university_supervisor = title.strip(), university_supervisor.strip()
    target.unit_contact, target.status = unit_contact, status
    target.save()
    return target
