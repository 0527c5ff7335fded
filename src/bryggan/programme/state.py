"""What the overview sorts, filters, counts and shows, kept on each participant: where they
are now (unit, until when, supervisor or mentor), their breaches of the hours rules in the
recent window, and what needs action (programme/actions.py).

The rules stay where they are — where a participant is now in ``selectors.with_current``,
what needs action in ``selectors.needs_action`` and ``supervision.session_overdue``, the
breaches in ``hours`` — and this module only stores what they say. Every write that can
change the answer calls ``refresh`` for the participants it touched, inside its own
transaction (hours logged, approved, returned or imported; placements, moves, employment
periods, offers, sessions; new rules for everyone); the daily job (``programme_daily``)
refreshes everyone, because offers run out, periods end and weeks close without a write.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from bryggan.programme.models import Participant
from bryggan.programme.selectors import action_rows, participants_queryset

CHUNK = 500
FIELDS = [
    "current_unit",
    "current_until",
    "current_contact",
    "breach_count",
    "needs_action",
    "actions",
    "state_checked_on",
]


def refresh(participant_ids: Iterable[object], *, today: date | None = None) -> int:
    """Recompute and store the state of these participants; returns how many changed."""
    today = today or timezone.localdate()
    ids = sorted({int(pk) for pk in participant_ids})  # type: ignore[call-overload]
    changed = 0
    for start in range(0, len(ids), CHUNK):
        chunk = list(participants_queryset(today).filter(pk__in=ids[start : start + CHUNK]))
        stale = []
        for row in action_rows(chunk, today):
            participant = row.participant
            contact = row.supervisor_or_mentor
            state = (
                row.unit.pk if row.unit else None,
                row.until,
                contact.pk if contact else None,  # type: ignore[attr-defined]
                row.breach_count,
                bool(row.actions),
                [action.stored() for action in row.actions],
            )
            before = (
                participant.current_unit_id,
                participant.current_until,
                participant.current_contact_id,
                participant.breach_count,
                participant.needs_action,
                participant.actions,
            )
            changed += state != before
            if state != before or participant.state_checked_on != today:
                (
                    participant.current_unit_id,
                    participant.current_until,
                    participant.current_contact_id,
                    participant.breach_count,
                    participant.needs_action,
                    participant.actions,
                ) = state
                participant.state_checked_on = today
                stale.append(participant)
        Participant.unscoped.bulk_update(stale, FIELDS, batch_size=CHUNK)
    return changed


def refresh_all(municipality_id: int | None = None, *, today: date | None = None) -> int:
    """Everyone (in one municipality, when given): the daily job, and new hours rules."""
    everyone = Participant.unscoped.all()
    if municipality_id is not None:
        everyone = everyone.filter(municipality_id=municipality_id)
    return refresh(everyone.values_list("pk", flat=True), today=today)
