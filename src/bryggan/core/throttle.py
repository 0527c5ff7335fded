"""Throttles: how often one address (or e-mail, or posting) may do something, in one place.

Each ``Limit`` says how much of a thing is allowed in a window: applications per address per
hour, upload bytes per address per hour, failed sign-ins per address. Counts live in the
database (``ThrottleEvent``), so every app server and worker process sees the same ones;
who it was is a keyed hash, never the address or e-mail itself, and events are kept a day.

``check`` refuses before anything is stored (``Throttled``, answered with 429 and a Swedish
page or JSON error saying when to try again); ``record`` counts what was done. Throttles are
on unless ``THROTTLES_ENABLED`` is off (the test suite turns them off, except in the tests
of the throttles themselves).
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Min, Sum
from django.utils import timezone

from bryggan.core.models import ThrottleEvent

KEPT = timedelta(days=1)
MB = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    rule: str
    allowed: int  # at most this much (events, or bytes) ...
    window: timedelta  # ... within this long


# Every public form and the sign-in, and what each allows. A municipality's office reaches
# Bryggan from one address, so the per-address limits leave room for a room full of people.
APPLY_PER_ADDRESS = Limit("apply-address", 10, timedelta(hours=1))
APPLY_PER_ADDRESS_AND_POSTING = Limit("apply-address-posting", 3, timedelta(hours=1))
APPLY_PER_POSTING = Limit("apply-posting", 300, timedelta(hours=1))
UPLOAD_BYTES_PER_ADDRESS = Limit("upload-bytes-address", 60 * MB, timedelta(hours=1))
EVENT_SIGNUP_PER_ADDRESS = Limit("event-address", 10, timedelta(hours=1))
LINK_RESEND_PER_ADDRESS = Limit("link-address", 5, timedelta(hours=1))
LINK_RESEND_PER_EMAIL = Limit("link-email", 3, timedelta(hours=1))
APPLICANT_CHANGES_PER_APPLICATION = Limit("applicant-changes", 20, timedelta(hours=1))
# Sign-in from one address: after SLOW failures in the window every further try waits
# SLOW_GAP; after BLOCK failures the address is refused until the window has passed.
SIGN_IN_FAILURES_SLOW = Limit("sign-in-failures", 10, timedelta(minutes=15))
SIGN_IN_SLOW_GAP = timedelta(seconds=20)
SIGN_IN_FAILURES_BLOCK = Limit("sign-in-failures", 50, timedelta(hours=1))


class Throttled(Exception):
    def __init__(self, retry_after: timedelta):
        super().__init__("throttled")
        self.retry_after_seconds = max(1, math.ceil(retry_after.total_seconds()))

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after_seconds / 60))


def _key(rule: str, value: object) -> str:
    message = f"{rule}:{value}".lower().encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _used(limit: Limit, value: object, now: datetime) -> tuple[int, datetime | None]:
    found = ThrottleEvent.objects.filter(
        rule=limit.rule, key=_key(limit.rule, value), at__gt=now - limit.window
    ).aggregate(total=Sum("amount"), oldest=Min("at"))
    return int(found["total"] or 0), found["oldest"]


def enabled() -> bool:
    return bool(settings.THROTTLES_ENABLED)


def check(limit: Limit, value: object, amount: int = 1) -> None:
    """Refuse (``Throttled``) if doing ``amount`` more would go over the limit."""
    if not enabled():
        return
    now = timezone.now()
    used, oldest = _used(limit, value, now)
    if used + amount > limit.allowed:
        wait = (oldest + limit.window - now) if oldest is not None else limit.window
        raise Throttled(wait)


def record(limit: Limit, value: object, amount: int = 1) -> None:
    if not enabled():
        return
    ThrottleEvent.objects.create(rule=limit.rule, key=_key(limit.rule, value), amount=amount)


Use = tuple[Limit, object, int]  # a limit, whose (address, e-mail, posting…), how much


def check_all(uses: Sequence[Use]) -> None:
    """Refuse (``Throttled``) if any of the uses would go over its limit; nothing is counted."""
    for limit, value, amount in uses:
        check(limit, value, amount)


def record_all(uses: Sequence[Use]) -> None:
    """Count what was done, once it is done."""
    for limit, value, amount in uses:
        record(limit, value, amount)


def check_sign_in(address: str) -> None:
    """Spraying passwords from one address: slowed after a few failures, then blocked."""
    if not enabled():
        return
    now = timezone.now()
    blocked, oldest = _used(SIGN_IN_FAILURES_BLOCK, address, now)
    if blocked >= SIGN_IN_FAILURES_BLOCK.allowed:
        raise Throttled((oldest or now) + SIGN_IN_FAILURES_BLOCK.window - now)
    recent, _oldest = _used(SIGN_IN_FAILURES_SLOW, address, now)
    if recent >= SIGN_IN_FAILURES_SLOW.allowed:
        last = (
            ThrottleEvent.objects.filter(
                rule=SIGN_IN_FAILURES_SLOW.rule, key=_key(SIGN_IN_FAILURES_SLOW.rule, address)
            )
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        )
        if last is not None and now - last < SIGN_IN_SLOW_GAP:
            raise Throttled(last + SIGN_IN_SLOW_GAP - now)


def record_sign_in_failure(address: str) -> None:
    record(SIGN_IN_FAILURES_SLOW, address)


def forget_before(moment: datetime) -> int:
    return ThrottleEvent.objects.filter(at__lt=moment).delete()[0]
