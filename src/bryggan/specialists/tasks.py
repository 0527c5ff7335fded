"""Reminders of updates not yet read, sent by the background worker (queued daily by
``manage.py specialists_daily``)."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from django_tasks import task

from bryggan.core.models import Membership, User
from bryggan.core.permissions import actor_for
from bryggan.specialists import selectors


@task()
def remind_unread(user_id: int) -> int:
    """One e-mail listing the updates the user has not confirmed and whose date is within a
    week or past; returns how many it named."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    actor = actor_for(user)
    if actor.municipality is None:
        return 0
    today = timezone.localdate()
    due = [
        u
        for u in selectors.unacknowledged_for(actor=actor, today=today)
        if (u.read_by - today).days <= 7
    ]
    if not due:
        return 0
    with translation.override("sv"):
        EmailMessage(
            subject=_("Updates to read and confirm"),
            body="\n".join(f"- {u.title} ({u.read_by.isoformat()})" for u in due),
            to=[user.email],
        ).send(fail_silently=True)
    return len(due)


@task()
def send_digest(user_id: int) -> int:
    """A specialist's daily e-mail of the questions asked in their areas in the last day
    that still wait; returns how many it named."""
    from datetime import timedelta

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    actor = actor_for(user)
    if actor.municipality is None or not selectors.wants_digest(actor=actor):
        return 0
    asked = selectors.asked_since(
        actor=actor, since=timezone.now() - timedelta(days=1), today=timezone.localdate()
    )
    if not asked:
        return 0
    with translation.override("sv"):
        EmailMessage(
            subject=_("New questions for the specialists"),
            body="\n".join(f"- {c.topic}: {c.question[:120]}" for c in asked),
            to=[user.email],
        ).send(fail_silently=True)
    return len(asked)


def users_with_digest() -> list[int]:
    from bryggan.specialists.models import DigestSetting

    with scopes_disabled():
        return sorted(DigestSetting.objects.filter(daily=True).values_list("user_id", flat=True))


def users_to_remind() -> list[int]:
    with scopes_disabled():
        return sorted(
            set(
                Membership.objects.filter(
                    municipality__isnull=False, user__is_active=True
                ).values_list("user_id", flat=True)
            )
        )
