"""Daily (from cron, or serve.sh in the demo): queue a reminder for everyone with updates to
read whose date is near or past, and the daily digest of new questions for the specialists
who chose it."""

from django.core.management.base import BaseCommand

from bryggan.specialists.tasks import (
    remind_unread,
    send_digest,
    users_to_remind,
    users_with_digest,
)


class Command(BaseCommand):
    help = "Queue reminders of legal and practice updates not yet confirmed."

    def handle(self, *args, **options):
        users = users_to_remind()
        for pk in users:
            remind_unread.enqueue(pk)
        digests = users_with_digest()
        for pk in digests:
            send_digest.enqueue(pk)
        self.stdout.write(
            f"{len(users)} readers checked for updates to confirm; {len(digests)} digests."
        )
