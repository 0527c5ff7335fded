"""The role-aware navigation shell: each item appears only for actors who hold its permission."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bryggan.core.permissions import Actor, Perm


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool
    count: int | None = None  # what waits on the home page, for "Overview"


# The home page leaves how many items wait for the person in the session, so every page's menu
# can show it without working it out again; it is refreshed at each visit home.
INBOX_SESSION_KEY = "bryggan_inbox"
INBOX_FRESH_SECONDS = 15 * 60


_ITEMS = [
    (_("Overview"), "home", None),
    (_("Departments"), "organisation:list|department", Perm.ORG_VIEW),
    (_("Units"), "organisation:list|unit", Perm.ORG_VIEW),
    (_("Staff"), "organisation:list|staff", Perm.STAFF_VIEW),
    (_("Capacity"), "organisation:capacity", Perm.CAPACITY_VIEW),
    (_("Universities"), "organisation:list|university", Perm.ORG_VIEW),
    (_("Terms"), "organisation:list|term", Perm.ORG_VIEW),
    (_("Practicum periods"), "organisation:list|practicumperiod", Perm.ORG_VIEW),
    (_("Recruitment"), "recruitment:rounds", Perm.RECRUITMENT_MANAGE),
    (_("Events"), "recruitment:events", Perm.RECRUITMENT_MANAGE),
    (_("Joint rounds"), "regional:rounds", Perm.MATCHING_MANAGE),
    (_("The programme"), "programme:overview", Perm.PROGRAMME_MANAGE),
    (_("My programme"), "programme:mine", Perm.PROGRAMME_OWN),
    (_("My students"), "programme:my-students", Perm.HOURS_APPROVE),
    (_("Broad introduction"), "introduction:index", Perm.INTRODUCTION_MANAGE),
    (_("Introduction weeks"), "introduction:units", Perm.INTRODUCTION_VIEW),
    (_("Specialists"), "specialists:index", Perm.CONSULT),
    (_("Updates"), "specialists:updates", Perm.CONSULT),
    (_("Insights"), "insights:funnel", Perm.INSIGHTS_VIEW),
    (_("National comparison"), "insights:national", Perm.AGGREGATES_VIEW),
    (_("Practicum assessments"), "programme:assessments", Perm.UNIVERSITY_ASSESSMENTS),
    (_("Audit trail"), "core:audit", Perm.AUDIT_VIEW),
    (_("Access log"), "privacy:access-log", Perm.ACCESS_LOG_VIEW),
    (_("Personal data"), "privacy:people", Perm.PERSONAL_DATA_MANAGE),
    (_("Retention"), "privacy:retention", Perm.PERSONAL_DATA_MANAGE),
    (_("API tokens"), "privacy:tokens", Perm.TOKENS_MANAGE),
    (_("Sign-in"), "identity:settings", Perm.SSO_MANAGE),
]


def inbox_count(session) -> int | None:
    found = session.get(INBOX_SESSION_KEY) if session is not None else None
    if not found or time.time() - float(found.get("at", 0)) > INBOX_FRESH_SECONDS:
        return None
    return int(found.get("n", 0)) or None


def navigation_for(actor: Actor, path: str, session=None) -> list[NavItem]:
    items = []
    for label, target, perm in _ITEMS:
        if perm is not None and not actor.has(perm):
            continue
        name, _sep, resource = target.partition("|")
        url = reverse(name, kwargs={"resource": resource} if resource else None)
        current = path == url if name == "home" else path.startswith(url)
        count = inbox_count(session) if name == "home" else None
        items.append(NavItem(label=str(label), url=url, current=current, count=count))
    if (
        settings.EMAIL_BACKEND == "bryggan.demo.outbox.OutboxBackend"
        and actor.user is not None
        and actor.user.is_superuser
    ):
        url = "/demo/utkorg/"  # the demo app sits above core: its path, not its name
        items.append(NavItem(str(_("The demo's outbox")), url, path.startswith(url), None))
    return items
