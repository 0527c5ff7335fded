"""What needs the coordinator's action about a participant: a code and its figures, said in
words only when shown.

The rules that decide them stay in ``selectors.needs_action`` and
``supervision.session_overdue`` (and the breaches in ``hours``). Because an action is data,
the state kept on each participant (programme/state.py) stores the actions themselves, and the
overview and its API show them in the reader's language without recomputing anyone's hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bryggan.programme.hours import Breach


def _breaches(f: dict) -> str:
    latest = Breach(f["rule"], f["period"], Decimal(f["hours"]), Decimal(f["limit"]))
    return ngettext(
        "%(n)s breach of the hours rules; latest: %(latest)s",
        "%(n)s breaches of the hours rules; latest: %(latest)s",
        f["n"],
    ) % {"n": f["n"], "latest": latest.message}


def _overdue(text: str):
    def say(f: dict) -> str:
        return text % {"last": f["last"] or _("never"), "n": f["n"]}

    return say


_TEXTS = {
    "breaches": _breaches,
    "practicum_ends": lambda f: _("The practicum ends %(date)s: time for step 2.") % f,
    "answer_passed": lambda f: _("The offer's answer date %(date)s has passed.") % f,
    "summer_job_due": lambda f: (
        _("No summer job registered; it was due %(date)s (it is guaranteed).") % f
    ),
    "summer_job_missing": lambda f: _("No summer job registered yet (it is guaranteed)."),
    "employment_ends": lambda f: _("The employment ends %(date)s: offer employment?") % f,
    "supervision_overdue": lambda f: _overdue(
        _("Supervision is overdue: the last was %(last)s (expected every %(n)s days).")
    )(f),
    "mentor_overdue": lambda f: _overdue(
        _("A mentor meeting is overdue: the last was %(last)s (expected every %(n)s days).")
    )(f),
}


@dataclass(frozen=True)
class Action:
    code: str
    figures: dict[str, Any]  # text and whole numbers only: it is stored as JSON

    def __post_init__(self) -> None:
        if self.code not in _TEXTS:
            raise ValueError(f"unknown action {self.code!r}")

    def __str__(self) -> str:
        return _TEXTS[self.code](self.figures)

    def stored(self) -> list:
        return [self.code, self.figures]

    @classmethod
    def from_stored(cls, value: list) -> Action:
        return cls(value[0], value[1])


def breaches(found: list[Breach]) -> Action:
    latest = found[-1]
    return Action(
        "breaches",
        {
            "n": len(found),
            "rule": latest.rule,
            "period": latest.period,
            "hours": str(latest.hours),
            "limit": str(latest.limit),
        },
    )
