"""Background work of the three steps: reminders of breaches of the hours rules."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from django_tasks import task


@task()
def send_hours_reminder(participant_id: int) -> int:
    """E-mail the participant about each breach they have not been reminded of; returns how
    many breaches the e-mail named (0: nothing new, or no e-mail address)."""
    from bryggan.programme.hours import breaches_for
    from bryggan.programme.models import HoursReminder
    from bryggan.programme.selectors import participants_queryset

    with scopes_disabled(), translation.override(settings.LANGUAGE_CODE):
        participant = participants_queryset().filter(pk=participant_id).first()
        if participant is None or not participant.person.email:
            return 0
        breaches = breaches_for([participant], today=timezone.localdate()).get(participant.pk, [])
        new = []
        for breach in breaches:
            try:
                with transaction.atomic():
                    HoursReminder.objects.create(
                        municipality_id=participant.municipality_id,
                        participant=participant,
                        rule=breach.rule,
                        period=breach.period,
                    )
            except IntegrityError:
                continue
            new.append(breach)
        if new:
            body = _(
                "Hello %(name)s,\n\nYour hours do not meet the programme's rules:\n\n"
                "%(lines)s\n\nLog or correct your hours in Bryggan, or talk to your "
                "supervisor or mentor.\n\n%(link)s"
            ) % {
                "name": participant.person.first_name,
                "lines": "\n".join(f"- {b.message}" for b in new),
                "link": settings.SITE_URL + "/programmet/mitt/",
            }
            EmailMessage(
                subject=_("Your hours in the programme"), body=body, to=[participant.person.email]
            ).send(fail_silently=False)
        return len(new)


@task()
def send_session_reminder(participant_id: int) -> bool:
    """E-mail the supervisor or mentor when a session is overdue (at most once a week)."""
    from bryggan.programme.hours import rules_for
    from bryggan.programme.models import EmploymentPeriod, HoursReminder, Placement, Stage
    from bryggan.programme.selectors import last_sessions, participants_queryset
    from bryggan.programme.supervision import session_overdue

    with scopes_disabled(), translation.override(settings.LANGUAGE_CODE):
        participant = participants_queryset().filter(pk=participant_id).first()
        if participant is None:
            return False
        today = timezone.localdate()
        overdue = session_overdue(
            participant,
            last_sessions([participant]).get(participant.pk, {}),
            rules_for(participant.municipality_id),
            today,
        )
        if overdue is None:
            return False
        if participant.stage == Stage.PRACTICUM:
            placement = Placement.objects.filter(
                person_id=participant.person_id, ended_at__isnull=True
            ).first()
            staff = placement.supervisor if placement else None
        else:
            employment = (
                EmploymentPeriod.objects.filter(participant=participant)
                .exclude(mentor=None)
                .order_by("-starts_on")
                .first()
            )
            staff = employment.mentor if employment else None
        if staff is None or not staff.email:
            return False
        iso = today.isocalendar()
        try:
            with transaction.atomic():
                HoursReminder.objects.create(
                    municipality_id=participant.municipality_id,
                    participant=participant,
                    rule="session",
                    period=f"{iso[0]}-W{iso[1]:02d}",
                )
        except IntegrityError:
            return False
        EmailMessage(
            subject=_("A session with %(name)s is overdue") % {"name": participant.person},
            body=_(
                "Hello %(staff)s,\n\n%(name)s: %(overdue)s\n\nRecord the session in "
                "Bryggan when it has taken place.\n\n%(link)s"
            )
            % {
                "staff": staff.first_name,
                "name": participant.person,
                "overdue": overdue,
                "link": settings.SITE_URL + f"/programmet/deltagare/{participant.pk}/plan/",
            },
            to=[staff.email],
        ).send(fail_silently=False)
        return True
