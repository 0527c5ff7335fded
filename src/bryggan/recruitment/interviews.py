"""Interview slots, bookings, changes and reminders.

A slot holds one booked interview at a time (a partial unique constraint, so two applicants
booking at once cannot both win). Every booking, move and cancellation sends both sides an
iCalendar invite; a reminder goes out the day before, from the task queue.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bryggan.core.errors import InvalidInputError
from bryggan.core.permissions import Actor, Perm
from bryggan.recruitment import calendar, emails
from bryggan.recruitment.models import (
    Application,
    Interview,
    InterviewSlot,
    InterviewStatus,
    Posting,
    Stage,
)


def slot_create(*, actor: Actor, posting: Posting, form) -> InterviewSlot:
    actor.require(Perm.RECRUITMENT_MANAGE, posting)
    if not form.is_valid():
        raise InvalidInputError.from_form(form)
    with transaction.atomic():
        slot = form.save(commit=False)
        slot.posting = posting
        slot.municipality = posting.municipality
        slot.save()
        form.save_m2m()
    return slot


def free_slots(application: Application):
    booked = Interview.objects.filter(status=InterviewStatus.BOOKED).values("slot_id")
    return (
        InterviewSlot.objects.filter(posting=application.posting, starts_at__gt=timezone.now())
        .exclude(pk__in=booked)
        .order_by("starts_at")
    )


def current_interview(application: Application) -> Interview | None:
    return (
        Interview.objects.filter(application=application, status=InterviewStatus.BOOKED)
        .select_related("slot")
        .first()
    )


def _when(interview: Interview) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return date_format(timezone.localtime(interview.slot.starts_at), "l j F Y, H:i")


def _send_invites(interview: Interview) -> None:
    application = interview.application
    ics = calendar.invite(interview)
    cancelled = interview.status == InterviewStatus.CANCELLED
    with translation.override(settings.LANGUAGE_CODE):
        subject = (
            _("Cancelled: interview about %(posting)s")
            if cancelled
            else _("Interview about %(posting)s, %(when)s")
        ) % {"posting": application.posting.title, "when": _when(interview)}
        body = (
            _("The interview on %(when)s is cancelled.")
            if cancelled
            else _("The interview is on %(when)s at %(where)s. The invite is attached.")
        ) % {
            "when": _when(interview),
            "where": interview.slot.location or interview.slot.video_link,
        }
    method = "CANCEL" if cancelled else "REQUEST"
    attachment = ("intervju.ics", ics, f"text/calendar; method={method}; charset=utf-8")
    recipients = [application.person.email] + [
        s.email or (s.user.email if s.user else "") for s in interview.slot.interviewers.all()
    ]
    for address in filter(None, recipients):
        emails.queue_email([address], subject, body, attachments=[attachment])


def _schedule_reminder(interview: Interview) -> None:
    from bryggan.recruitment.tasks import send_interview_reminder

    run_after = interview.slot.starts_at - timedelta(days=1)
    task = send_interview_reminder
    if run_after > timezone.now():
        task = task.using(run_after=run_after)
    transaction.on_commit(lambda: task.enqueue(interview.pk, interview.sequence))


def interview_book(*, application: Application, slot_id: object) -> Interview:
    """Book (or move to) a free slot for an invited applicant, from their private link."""
    if application.stage != Stage.INTERVIEW:
        raise InvalidInputError({"slot": [_("You can book a time once you are invited.")]})
    try:
        with transaction.atomic():
            slot = (
                InterviewSlot.objects.select_for_update()
                .filter(
                    pk=int(str(slot_id)), posting=application.posting, starts_at__gt=timezone.now()
                )
                .first()
            )
            if slot is None:
                raise InvalidInputError({"slot": [_("Choose one of the times shown.")]})
            interview = current_interview(application)
            if interview is None:
                interview = Interview.objects.create(
                    municipality=application.municipality,
                    application=application,
                    slot=slot,
                    uid=f"{uuid.uuid4()}@bryggan",
                )
            elif interview.slot_id != slot.pk:
                interview.slot = slot
                interview.sequence += 1
                interview.save(update_fields=["slot", "sequence", "updated_at"])
            else:
                return interview
            # The interviewers are now explicitly shared the application they will assess.
            application.shared_with.add(*slot.interviewers.all())
            _send_invites(interview)
            _schedule_reminder(interview)
            return interview
    except IntegrityError:
        raise InvalidInputError(
            {"slot": [_("Someone else has just booked this time. Choose another one.")]}
        ) from None
    except ValueError:
        raise InvalidInputError({"slot": [_("Choose one of the times shown.")]}) from None


def interview_cancel(*, interview: Interview) -> Interview:
    with transaction.atomic():
        interview.status = InterviewStatus.CANCELLED
        interview.sequence += 1
        interview.save(update_fields=["status", "sequence", "updated_at"])
        _send_invites(interview)
    return interview


def interview_cancel_for(application: Application) -> None:
    interview = current_interview(application)
    if interview is not None:
        interview_cancel(interview=interview)


def reminder_send(interview_id: int, sequence: int) -> bool:
    """Send the day-before reminder, unless the interview moved, was cancelled or reminded."""
    with transaction.atomic():
        # A task, outside any request's scope: the id it was queued with names the row.
        interview = (
            Interview.unscoped.select_for_update()
            .select_related("slot", "application__person", "application__posting")
            .filter(pk=interview_id)
            .first()
        )
        if (
            interview is None
            or interview.status != InterviewStatus.BOOKED
            or interview.sequence != sequence
            or interview.reminder_sent_for == interview.slot.starts_at
            or interview.slot.starts_at < timezone.now()
        ):
            return False
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Reminder: interview tomorrow, %(when)s") % {"when": _when(interview)}
            body = _("Welcome to your interview about %(posting)s on %(when)s at %(where)s.") % {
                "posting": interview.application.posting.title,
                "when": _when(interview),
                "where": interview.slot.location or interview.slot.video_link,
            }
        emails.queue_email([interview.application.person.email], subject, body)
        interview.reminder_sent_for = interview.slot.starts_at
        interview.save(update_fields=["reminder_sent_for"])
    return True
