"""An e-mail backend for the demo: every message is kept in the outbox (read at /demo/utkorg/
by the site administrator) instead of being printed in the terminal or sent.

Set ``EMAIL_BACKEND=bryggan.demo.outbox.OutboxBackend`` (``make demo`` does). Never in
production: the messages hold personal data and are kept until the demo is reset.
"""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend

# The outbox keeps the newest messages only; a long-running demo does not grow without end.
KEEP = 2000


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        from bryggan.demo.models import OutboxMessage

        stored = [
            OutboxMessage(
                to=", ".join(message.recipients())[:1000],
                subject=str(message.subject)[:500],
                body=_text_of(message),
                attachments=", ".join(_names(message))[:1000],
            )
            for message in email_messages
        ]
        OutboxMessage.objects.bulk_create(stored)
        oldest_kept = OutboxMessage.objects.values_list("pk", flat=True)[KEEP : KEEP + 1]
        if oldest_kept:
            OutboxMessage.objects.filter(pk__lte=oldest_kept[0]).delete()
        return len(stored)


def _text_of(message) -> str:
    return str(message.body)


def _names(message) -> list[str]:
    names = []
    for attachment in message.attachments:
        name = getattr(attachment, "filename", None)
        if name is None and isinstance(attachment, tuple):
            name = attachment[0]
        names.append(str(name or "bilaga"))
    return names
