"""The demo's outbox: e-mails Bryggan would have sent, kept to be read in the browser."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One e-mail as Bryggan sent it in the demo (``bryggan.demo.outbox.OutboxBackend``)."""

    sent_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    to = models.CharField(_("to"), max_length=1000)
    subject = models.CharField(_("subject"), max_length=500)
    body = models.TextField(_("text"))
    attachments = models.CharField(_("attachments"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("e-mail in the demo's outbox")
        verbose_name_plural = _("the demo's outbox")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.subject
