"""Reads of the three steps: the coordinator's overview with what needs action, one
participant's path, and a student's own pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bryggan.core.permissions import Actor, Perm
from bryggan.organisation.models import Unit
from bryggan.programme import steps
from bryggan.programme.models import (
    EmploymentKind,
    EmploymentPeriod,
    Offer,
    OfferStatus,
    Participant,
    Placement,
    Stage,
)


def _participants() -> QuerySet[Participant]:
    return Participant.objects.select_related("person", "user").prefetch_related(
        Prefetch(
            "person__placements",
            queryset=Placement.objects.filter(ended_at__isnull=True)
            .select_related("unit", "supervisor", "term")
            .order_by("-term__starts_on"),
            to_attr="active_placements",
        ),
        Prefetch(
            "employments",
            queryset=EmploymentPeriod.objects.select_related("unit", "mentor").order_by(
                "starts_on"
            ),
        ),
        Prefetch("offers", queryset=Offer.objects.select_related("unit").order_by("-issued_at")),
    )


def active_placements(participant: Participant) -> list[Placement]:
    """The participant's current placements (prefetched by ``_participants``), newest first."""
    return participant.person.active_placements  # type: ignore[attr-defined]


@dataclass
class OverviewRow:
    participant: Participant
    unit: Unit | None
    supervisor_or_mentor: object | None
    until: date | None
    actions: list[str] = field(default_factory=list)


def _current(participant: Participant, today: date) -> tuple[Unit | None, object, date | None]:
    if active_placements(participant):
        placement = active_placements(participant)[0]
        return placement.unit, placement.supervisor, placement.term.ends_on
    employments = [
        e
        for e in participant.employments.all()
        if e.kind == participant.stage and e.starts_on <= today + timedelta(days=90)
    ]
    if employments:
        latest = employments[-1]
        return latest.unit, latest.mentor, latest.ends_on
    return None, None, None


def needs_action(participant: Participant, until: date | None, today: date) -> list[str]:
    """What the coordinator should do about a participant now (the overview's last column)."""
    actions = []
    if participant.stage == Stage.PRACTICUM and until is not None:
        opens = until - timedelta(days=steps.STEP_TWO_OPENS_DAYS_BEFORE_END)
        if opens <= today:
            actions.append(
                _("The practicum ends %(date)s: time for step 2.") % {"date": until.isoformat()}
            )
    pending = [o for o in participant.offers.all() if o.status == OfferStatus.PENDING]
    for offer in pending:
        if offer.reply_by < today:
            actions.append(
                _("The offer's answer date %(date)s has passed.")
                % {"date": offer.reply_by.isoformat()}
            )
    if participant.stage in (Stage.STUDENT_EMPLOYEE, Stage.ASPIRANT):
        summer = [
            e
            for e in participant.employments.all()
            if e.kind == EmploymentKind.SUMMER_JOB and e.ends_on >= today
        ]
        if not summer:
            actions.append(_("No summer job registered yet (it is guaranteed)."))
        if until is not None and until < today + timedelta(days=60) and not pending:
            actions.append(
                _("The employment ends %(date)s: offer employment?") % {"date": until.isoformat()}
            )
    return actions


def overview_row(participant: Participant, today: date) -> OverviewRow:
    """One participant's line: where they are now, until when, and what needs action."""
    current_unit, person, until = _current(participant, today)
    return OverviewRow(
        participant=participant,
        unit=current_unit,
        supervisor_or_mentor=person,
        until=until,
        actions=needs_action(participant, until, today),
    )


def overview(*, actor: Actor, stage: str = "", unit: int | None = None) -> list[OverviewRow]:
    """Everyone in the programme, per step and unit, with what needs action."""
    actor.require(Perm.PROGRAMME_MANAGE)
    today = timezone.localdate()
    participants = _participants().filter(municipality=actor.municipality)
    if stage in Stage.values:
        participants = participants.filter(stage=stage)
    rows = []
    for participant in participants:
        current_unit, person, until = _current(participant, today)
        if unit is not None and (current_unit is None or current_unit.pk != unit):
            continue
        rows.append(
            OverviewRow(
                participant=participant,
                unit=current_unit,
                supervisor_or_mentor=person,
                until=until,
                actions=needs_action(participant, until, today),
            )
        )
    order = {value: i for i, value in enumerate(Stage.values)}
    rows.sort(
        key=lambda r: (
            order[r.participant.stage],
            r.unit.name if r.unit else "~",
            str(r.participant),
        )
    )
    return rows


def participant_by_id(*, actor: Actor, pk: object) -> Participant:
    actor.require(Perm.PROGRAMME_MANAGE)
    try:
        number = int(str(pk))
    except ValueError:
        raise Http404 from None
    found = _participants().filter(municipality=actor.municipality, pk=number).first()
    if found is None:
        raise Http404
    return found


def participant_of(*, actor: Actor) -> Participant | None:
    """The signed-in student's own participant record, if they have one."""
    actor.require(Perm.PROGRAMME_OWN)
    return _participants().filter(municipality=actor.municipality, user=actor.user).first()


def offer_by_id(*, actor: Actor, pk: object, own: bool = False) -> Offer:
    """An offer the actor may answer: their own (a student) or any in their municipality."""
    try:
        number = int(str(pk))
    except ValueError:
        raise Http404 from None
    offers = Offer.objects.filter(municipality=actor.municipality, pk=number).select_related(
        "participant__person", "unit"
    )
    if own:
        actor.require(Perm.PROGRAMME_OWN)
        offers = offers.filter(participant__user=actor.user)
    else:
        actor.require(Perm.PROGRAMME_MANAGE)
    found = offers.first()
    if found is None:
        raise Http404
    return found
