"""Daily upkeep of the three steps (run from cron): expire offers past their answer date and
refresh every participant's kept state (programme/state.py: offers run out, periods end and
weeks close as days pass, without a write), and queue reminders of breaches and of overdue
supervision."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django_scopes import scopes_disabled

from bryggan.programme import state
from bryggan.programme.models import Participant, Stage
from bryggan.programme.services import offers_expire
from bryggan.programme.tasks import send_hours_reminder, send_session_reminder


class Command(BaseCommand):
    help = "Expire offers past their answer date and queue hours-rule reminders."

    def handle(self, *args, **options):
        with scopes_disabled():
            expired = offers_expire()
            ids = list(
                Participant.objects.exclude(stage__in=[Stage.EMPLOYED, Stage.LEFT]).values_list(
                    "pk", flat=True
                )
            )
            with transaction.atomic():
                changed = state.refresh_all()
        for pk in ids:
            send_hours_reminder.enqueue(pk)
            send_session_reminder.enqueue(pk)
        self.stdout.write(
            f"{expired} offers expired; {len(ids)} participants checked, "
            f"{changed} with a new state (unit, breaches, needs action)."
        )
