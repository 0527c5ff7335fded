"""What the data-protection officer's home page shows: whether the retention purge runs,
reading that stands out (one reader opening far more files than they usually do), and the
API tokens in use."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bryggan.core.gate import tenant_scoped
from bryggan.core.inbox import Item
from bryggan.core.models import AccessLogEntry, ApiToken, Membership
from bryggan.core.permissions import Actor, Perm
from bryggan.privacy.models import PurgeRun

RECENT_DAYS = 7
USUAL_DAYS = 28
UNUSUAL_FACTOR = 3  # reading this many times one's usual pace stands out...
UNUSUAL_AT_LEAST = 50  # ...once it is this many reads in the week
PURGE_LATE_DAYS = 2  # the purge runs nightly


@tenant_scoped
def for_dpo(*, actor: Actor, today: date) -> list[Item]:
    if not actor.can(Perm.ACCESS_LOG_VIEW):
        return []
    items: list[Item] = []
    last = PurgeRun.objects.order_by("-at").first()
    retention = reverse("privacy:retention")
    if last is None:
        items.append(Item(text=_("The retention purge has never run"), url=retention, urgent=True))
    else:
        ran = timezone.localtime(last.at).date()
        removed = sum(int(n) for n in last.counts.values()) if last.counts else 0
        items.append(
            Item(
                text=_("The retention purge last ran %(date)s and removed %(n)s records")
                % {"date": ran.isoformat(), "n": removed},
                url=retention,
                when=ran,
                urgent=(today - ran).days > PURGE_LATE_DAYS,
            )
        )
    now = timezone.now()
    recent_from = now - timedelta(days=RECENT_DAYS)
    usual_from = recent_from - timedelta(days=USUAL_DAYS)
    readers = (
        AccessLogEntry.objects.filter(at__gte=usual_from, user__isnull=False)
        .values("user_id", "user__email")
        .annotate(
            recent=Count("pk", filter=Q(at__gte=recent_from)),
            before=Count("pk", filter=Q(at__lt=recent_from)),
        )
        .filter(recent__gte=UNUSUAL_AT_LEAST)
        .order_by("-recent")[:20]
    )
    log = reverse("privacy:access-log")
    for row in readers:
        usual_week = row["before"] * RECENT_DAYS / USUAL_DAYS
        if row["recent"] < UNUSUAL_FACTOR * max(usual_week, 1):
            continue
        items.append(
            Item(
                text=_("%(reader)s read %(n)s records in the last week")
                % {"reader": row["user__email"], "n": row["recent"]},
                url=log + "?" + urlencode({"user": row["user__email"]}),
                count=row["recent"],
                note=_("usually about %(n)s a week") % {"n": round(usual_week)},
                urgent=True,
            )
        )
    members = Membership.objects.filter(municipality=actor.municipality).values("user")
    tokens = ApiToken.objects.filter(
        user__in=members, revoked_at__isnull=True, expires_at__gt=now
    ).count()
    if tokens:
        items.append(
            Item(
                text=ngettext("%(n)s API token is in use", "%(n)s API tokens are in use", tokens)
                % {"n": tokens},
                url=reverse("privacy:tokens"),
                count=tokens,
            )
        )
    return items
