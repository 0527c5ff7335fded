"""The home page: each role's inbox of what needs them now (core/inbox.py), put together
from what each app says it has for that role. Someone with several roles gets a section per
role; the national analyst, who belongs to no municipality, gets the national totals."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from bryggan.core.decorators import actor_required
from bryggan.core.http import ActorRequest
from bryggan.core.inbox import Item, Section, by_urgency
from bryggan.core.navigation import INBOX_FRESH_SECONDS, INBOX_SESSION_KEY
from bryggan.core.permissions import Actor, Perm
from bryggan.core.roles import Role
from bryggan.introduction import inbox as introduction_inbox
from bryggan.introduction import selectors as introduction_selectors
from bryggan.matching import inbox as matching_inbox
from bryggan.organisation import selectors as organisation_selectors
from bryggan.privacy import inbox as privacy_inbox
from bryggan.programme import inbox as programme_inbox
from bryggan.recruitment import inbox as recruitment_inbox
from bryggan.regional import inbox as regional_inbox
from bryggan.specialists import inbox as specialists_inbox
from bryggan.specialists import selectors as specialists_selectors

Source = Callable[..., list[Item]]

# A visit home within this of the last one leaves an unchanged count as it is (one write to
# the session store fewer); well inside the time the menu trusts it.
INBOX_REWRITE_SECONDS = INBOX_FRESH_SECONDS // 3

# Which sections a role's home page has, and where their items come from; in this order.
SECTIONS: list[tuple[frozenset[Role], object, object, list[Source]]] = [
    (
        frozenset({Role.COORDINATOR}),
        _("Recruitment and matching"),
        _("No applications, interviews or proposals wait for you."),
        [
            recruitment_inbox.for_coordinator,
            matching_inbox.for_coordinator,
            regional_inbox.for_coordinator,
        ],
    ),
    (
        frozenset({Role.COORDINATOR}),
        _("The programme"),
        _("No offers, moves, hours or assessments wait for you."),
        [programme_inbox.for_coordinator],
    ),
    (
        frozenset({Role.COORDINATOR}),
        _("Broad introduction"),
        _("Every cohort starting soon has a schedule that fits."),
        [introduction_inbox.for_coordinator],
    ),
    (
        frozenset({Role.SUPERVISOR, Role.MENTOR}),
        _("Your students"),
        _("No hours, sessions or assessments wait for you."),
        [programme_inbox.for_supervisor],
    ),
    (
        frozenset({Role.STUDENT}),
        _("Your programme"),
        _("You have no placement or offer yet."),
        [programme_inbox.for_student],
    ),
    (
        frozenset({Role.UNIT_MANAGER}),
        _("Your units"),
        "",
        [programme_inbox.for_unit_manager],
    ),
    (
        frozenset({Role.UNIVERSITY_CONTACT}),
        _("Your university's students"),
        _("None of your university's students is placed here now."),
        [programme_inbox.for_university_contact],
    ),
    (
        frozenset({Role.HR}),
        _("Employments"),
        _("No accepted offers or ending employments wait for you."),
        [programme_inbox.for_hr],
    ),
    (
        frozenset(
            {
                Role.COORDINATOR,
                Role.HR,
                Role.UNIT_MANAGER,
                Role.SUPERVISOR,
                Role.MENTOR,
                Role.TRAINER,
                Role.SPECIALIST,
                Role.STUDENT,
                Role.NEW_HIRE,
            }
        ),
        _("Specialists and updates"),
        _("No update waits for you to read it."),
        [specialists_inbox.for_everyone],
    ),
    (
        frozenset({Role.DPO}),
        _("Data protection"),
        "",
        [privacy_inbox.for_dpo],
    ),
]


def sections_for(actor: Actor, today: date) -> list[Section]:
    sections = []
    for roles, title, empty, sources in SECTIONS:
        if not roles & actor.roles:
            continue
        items: list[Item] = []
        for source in sources:
            items.extend(source(actor=actor, today=today))
        sections.append(Section(title=str(title), items=by_urgency(items), empty=str(empty)))
    return sections


@require_GET
@actor_required
def home(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if actor.has(Perm.AGGREGATES_VIEW):
        summary = organisation_selectors.national_summary()
        return render(
            request,
            "core/national.html",
            {
                "summary": summary,
                "specialists": specialists_selectors.national_titles(actor=actor),
            },
        )
    if actor.municipality is None:
        return render(request, "home/home.html", {"sections": []})
    sections = sections_for(actor, timezone.localdate())
    waiting = sum(len(s.items) for s in sections)
    # The menu shows the count on every page without working it out again (core/navigation);
    # the session is written only when the count changed or is getting old.
    kept = request.session.get(INBOX_SESSION_KEY) or {}
    now = time.time()
    if kept.get("n") != waiting or now - float(kept.get("at", 0)) > INBOX_REWRITE_SECONDS:
        request.session[INBOX_SESSION_KEY] = {"n": waiting, "at": now}
    return render(
        request,
        "home/home.html",
        {
            "sections": sections,
            "waiting": waiting,
            "summary": organisation_selectors.home_summary(actor=actor)
            if actor.has(Perm.ORG_MANAGE)
            else None,
            # A new hire's own rotation, whatever their role.
            "introductions": introduction_selectors.own_schedule(actor=actor),
            # Trainees, aspirants and new hires: the specialists who serve their unit.
            "specialists": specialists_selectors.my_specialists(
                actor=actor, today=timezone.localdate()
            )
            if actor.roles & {Role.STUDENT, Role.NEW_HIRE}
            else [],
        },
    )
