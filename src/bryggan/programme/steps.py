"""The allowed moves between the steps: the one place that decides them.

Huddinge's and Södertälje's path: step 1 practicum (~32 h a week) → step 2 student employee
beside studies, or an aspirant post (Norrköping) → an offer of employment. A student may also
come straight into step 2 or an aspirant post, be hired directly, or leave at any step with a
recorded reason. Services call ``check_move`` before they write; an illegal move raises
``StepError`` with a message fit to show.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

from bryggan.programme.models import Stage

# from-stage ("" = not yet in the programme) → the stages it may move to
MOVES: dict[str, frozenset[str]] = {
    "": frozenset({Stage.PRACTICUM, Stage.STUDENT_EMPLOYEE, Stage.ASPIRANT}),
    Stage.PRACTICUM: frozenset({Stage.STUDENT_EMPLOYEE, Stage.ASPIRANT, Stage.LEFT}),
    Stage.STUDENT_EMPLOYEE: frozenset({Stage.ASPIRANT, Stage.EMPLOYED, Stage.LEFT}),
    Stage.ASPIRANT: frozenset({Stage.STUDENT_EMPLOYEE, Stage.EMPLOYED, Stage.LEFT}),
    Stage.EMPLOYED: frozenset({Stage.LEFT}),
    Stage.LEFT: frozenset(),
}

# Step 2 is applied for near the end of step 1: from this many days before it ends.
STEP_TWO_OPENS_DAYS_BEFORE_END = 42

# An offer is made to someone in step 2 or an aspirant post (or to a direct hire, who is
# not a participant yet).
OFFER_FROM = frozenset({Stage.STUDENT_EMPLOYEE, Stage.ASPIRANT})


class StepError(Exception):
    """A move the rules do not allow; the message is translated and fit to show."""


def check_move(
    current: str, target: str, *, practicum_ends: date | None = None, today: date | None = None
) -> None:
    if target not in MOVES.get(current, frozenset()):
        raise StepError(
            _("A participant in “%(current)s” cannot move to “%(target)s”.")
            % {
                "current": Stage(current).label if current else _("not in the programme"),
                "target": Stage(target).label,
            }
        )
    if current == Stage.PRACTICUM and target == Stage.STUDENT_EMPLOYEE and practicum_ends:
        opens = practicum_ends - timedelta(days=STEP_TWO_OPENS_DAYS_BEFORE_END)
        if (today or date.today()) < opens:
            raise StepError(
                _("Step 2 starts near the end of the practicum: from %(opens)s.")
                % {"opens": opens.isoformat()}
            )


def check_offer(current: str | None) -> None:
    """``None`` is a direct hire (no participant yet)."""
    if current is not None and current not in OFFER_FROM:
        raise StepError(
            _(
                "An offer of employment follows step 2 or an aspirant post (or is a direct "
                "hire); this participant is in “%(current)s”."
            )
            % {"current": Stage(current).label}
        )


def check_direct_hire(current: str) -> None:
    """A direct hire's accepted offer employs someone from any step but the end ones."""
    if current in (Stage.EMPLOYED, Stage.LEFT):
        raise StepError(
            _("A participant in “%(current)s” cannot move to “%(target)s”.")
            % {"current": Stage(current).label, "target": Stage.EMPLOYED.label}
        )
