"""The transition table: which moves between steps are allowed, and when step 2 opens."""

from __future__ import annotations

from datetime import date

import pytest

from bryggan.programme.models import Stage
from bryggan.programme.steps import MOVES, StepError, check_move, check_offer


@pytest.mark.parametrize(
    "current, target",
    [
        ("", Stage.PRACTICUM),
        ("", Stage.ASPIRANT),
        (Stage.PRACTICUM, Stage.ASPIRANT),
        (Stage.STUDENT_EMPLOYEE, Stage.EMPLOYED),
        (Stage.ASPIRANT, Stage.EMPLOYED),
        (Stage.EMPLOYED, Stage.LEFT),
    ],
)
def test_allowed_moves_pass(current, target):
    check_move(current, target)


@pytest.mark.parametrize(
    "current, target",
    [
        ("", Stage.EMPLOYED),
        (Stage.PRACTICUM, Stage.EMPLOYED),
        (Stage.LEFT, Stage.PRACTICUM),
        (Stage.EMPLOYED, Stage.STUDENT_EMPLOYEE),
        (Stage.STUDENT_EMPLOYEE, Stage.PRACTICUM),
    ],
)
def test_other_moves_are_refused_with_a_message(current, target):
    with pytest.raises(StepError, match=r"kan inte flyttas till|cannot move to"):
        check_move(current, target)


def test_step_two_opens_six_weeks_before_the_practicum_ends():
    ends = date(2027, 1, 17)
    check_move(
        Stage.PRACTICUM, Stage.STUDENT_EMPLOYEE, practicum_ends=ends, today=date(2026, 12, 6)
    )  # exactly 42 days before
    with pytest.raises(StepError, match="2026-12-06"):
        check_move(
            Stage.PRACTICUM, Stage.STUDENT_EMPLOYEE, practicum_ends=ends, today=date(2026, 12, 5)
        )


def test_offers_follow_step_two_an_aspirant_post_or_a_direct_hire():
    check_offer(Stage.STUDENT_EMPLOYEE)
    check_offer(Stage.ASPIRANT)
    check_offer(None)
    with pytest.raises(StepError):
        check_offer(Stage.PRACTICUM)


def test_nobody_leaves_the_left_state():
    assert MOVES[Stage.LEFT] == frozenset()
