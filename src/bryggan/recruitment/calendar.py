"""iCalendar invites for interviews (RFC 5545 objects, RFC 5546 methods).

One stable UID per interview; SEQUENCE rises with every change; METHOD:REQUEST for a new or
moved interview and METHOD:CANCEL for a cancelled one; times in Europe/Stockholm with the
time zone's own VTIMEZONE definition, so Outlook, Google and Apple calendars all agree.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from bryggan.recruitment.models import Interview, InterviewStatus

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _address(email: str, name: str, role: str = "REQ-PARTICIPANT") -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    address.params["role"] = vText(role)
    return address


def invite(interview: Interview) -> bytes:
    """The invite for the interview as it stands: a request, or a cancellation."""
    slot = interview.slot
    application = interview.application
    posting = application.posting
    cancelled = interview.status == InterviewStatus.CANCELLED
    calendar = Calendar()
    calendar.add("prodid", "-//Bryggan//Rekrytering//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", interview.uid)
    event.add("sequence", interview.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.starts_at.astimezone(STOCKHOLM))
    event.add("dtend", slot.ends_at.astimezone(STOCKHOLM))
    event.add("summary", f"Intervju: {posting.title}")
    event.add("location", slot.location or slot.video_link)
    description = f"Intervju med {application.person} om {posting.title}, {posting.municipality}."
    if slot.video_link:
        description += f"\nVideolänk: {slot.video_link}"
        event.add("url", slot.video_link)
    event.add("description", description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
    organizer.params["cn"] = vText(str(posting.municipality))
    event.add("organizer", organizer)
    event.add("attendee", _address(application.person.email, str(application.person)))
    for staff in slot.interviewers.all():
        email = staff.email or (staff.user.email if staff.user else "")
        if email:
            event.add("attendee", _address(email, str(staff)))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
