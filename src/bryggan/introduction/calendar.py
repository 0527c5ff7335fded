"""iCalendar feeds of introduction blocks: one person's weeks, or whom one unit receives.

A feed is read by a calendar program, which has no session: its address carries a signed
token naming the person or unit (made for someone allowed to see them), so a guessed or
altered address opens nothing. Each block is an all-day event over its weeks with a stable
UID, so a re-plan moves the event instead of adding another.
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.utils import timezone
from icalendar import Calendar, Event

from bryggan.introduction.models import Block

SALT = "bryggan.introduction.feed"


def token_for(*, municipality_id: int, staff_id: int | None = None, unit_id: int | None = None):
    payload = (
        {"m": municipality_id, "s": staff_id} if staff_id else {"m": municipality_id, "u": unit_id}
    )
    return signing.dumps(payload, salt=SALT, compress=True)


def read_token(token: str) -> dict | None:
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("m"), int):
        return None
    if not isinstance(payload.get("s") or payload.get("u"), int):
        return None
    return payload


def feed(blocks: list[Block], *, name: str, for_unit: bool) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Bryggan//Bred introduktion//SV")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for block in blocks:
        event = Event()
        event.add("uid", f"intro-{block.member_id}-{block.area_id}@bryggan")
        event.add("dtstamp", stamp)
        event.add("dtstart", block.starts_on)
        event.add("dtend", block.ends_on + timedelta(days=1))
        area = block.area.department.name
        if for_unit:
            event.add("summary", f"Ny medarbetare: {block.member.staff} ({area})")
        else:
            event.add("summary", f"Introduktion: {area}, {block.unit}")
        event.add(
            "description",
            f"{block.member.cohort}. Enhet: {block.unit}. Handledare: {block.supervisor}.",
        )
        if block.unit.address:
            event.add("location", block.unit.address)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
