"""What the specialists' work has for the home page: updates the reader must confirm they
have read, and, for a specialist, the questions waiting in their areas."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bryggan.core.gate import tenant_scoped
from bryggan.core.inbox import Item
from bryggan.core.permissions import Actor, Perm
from bryggan.specialists import selectors
from bryggan.specialists.models import ConsultationStatus


@tenant_scoped
def for_everyone(*, actor: Actor, today: date) -> list[Item]:
    if not actor.has(Perm.CONSULT):
        return []
    items = [
        Item(
            _("Read and confirm: %(title)s") % {"title": update.title},
            reverse("specialists:update", args=[update.pk]),
            when=update.read_by,
            urgent=update.read_by <= today + timedelta(days=3),
        )
        for update in selectors.unacknowledged_for(actor=actor, today=today)[:10]
    ]
    waiting = [
        c
        for c in selectors.queue_for(actor=actor, today=today)
        if c.status == ConsultationStatus.OPEN
    ]
    if waiting:
        oldest = min(c.created_at for c in waiting).date()
        items.append(
            Item(
                ngettext(
                    "%(n)s question waits for a specialist in your areas",
                    "%(n)s questions wait for a specialist in your areas",
                    len(waiting),
                )
                % {"n": len(waiting)},
                reverse("specialists:index"),
                count=len(waiting),
                when=oldest,
                urgent=oldest <= today - timedelta(days=2),
            )
        )
    return items
