"""Background tasks of recruitment (django-tasks; the database worker runs them)."""

from __future__ import annotations

from django_scopes import scopes_disabled
from django_tasks import task


@task()
def send_interview_reminder(interview_id: int, sequence: int) -> bool:
    from bryggan.recruitment.interviews import reminder_send

    # A task runs outside any request; the interview id it was given is its only scope.
    with scopes_disabled():
        return reminder_send(interview_id, sequence)


@task()
def send_rejections(batch_id: int) -> int:
    from bryggan.recruitment.services import rejections_send

    with scopes_disabled():
        return rejections_send(batch_id)
