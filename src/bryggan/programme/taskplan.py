"""The task plan's one rule beyond the levels themselves: what a student may be signed off as.

Under HSLF-FS 2017:79 (Socialstyrelsens föreskrifter om behörighet för handläggare inom den
sociala barn- och ungdomsvården), assessing whether to open an investigation, investigating
and following up cases about children and young people require a social-work degree
(socionomexamen). A student or aspirant may take part in such a task only under supervision,
so Bryggan never records them as independent in it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from bryggan.programme.models import Stage, TaskItem, TaskLevel

ORDER = [TaskLevel.OBSERVED, TaskLevel.ASSISTED, TaskLevel.SUPERVISED, TaskLevel.INDEPENDENT]

# A unit's plan to start from: Södertälje's and Huddinge's introduction for child and youth
# services, with the tasks that need a degree marked.
STANDARD_PLAN = [
    ("Observera ett hembesök", False),
    ("Delta i en utredning", True),
    ("Skriva en utredning under handledning", True),
    ("Bedöma om utredning ska inledas (förhandsbedömning)", True),
    ("Följa upp ett ärende som rör barn och unga", True),
    ("Föredra ett ärende på ett beslutsmöte", False),
    ("Känna till huvuddragen i nya socialtjänstlagen (i kraft 1 juli 2025)", False),
    ("Känna till LVU", False),
]


class TaskLevelError(Exception):
    """A sign-off the rules do not allow; the message is translated and fit to show."""


def check_sign_off(item: TaskItem, level: str, participant_stage: str) -> None:
    if level not in TaskLevel.values:
        raise TaskLevelError(_("Choose a level."))
    if (
        item.requires_degree
        and level == TaskLevel.INDEPENDENT
        and participant_stage != Stage.EMPLOYED
    ):
        raise TaskLevelError(
            _(
                "“%(task)s” requires a social-work degree (HSLF-FS 2017:79): a student or "
                "aspirant may do it only under supervision, never independently or as the "
                "one responsible."
            )
            % {"task": item.title}
        )


def rank(level: str) -> int:
    return ORDER.index(TaskLevel(level)) if level in TaskLevel.values else -1
