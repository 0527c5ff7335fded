"""The home page's inbox: what needs the signed-in person now, each item linking to the work.

Each app says what it has for a role (``<app>/inbox.py``, reads through its selectors, each a
bounded number of queries whatever the municipality's size); the home page (bryggan.home)
puts a person's sections together, most urgent first. An item is only what the person can
act on, with how many and since or until when.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Item:
    text: str  # what it is, for a person ("3 applications wait for screening")
    url: str  # where the work is done
    count: int | None = None  # how many, when it is a pile
    when: date | None = None  # due on, or waiting since
    note: str = ""  # the detail that helps decide ("the oldest for 12 days")
    urgent: bool = False  # overdue or due within days: shown first, marked


@dataclass
class Section:
    title: str
    items: list[Item] = field(default_factory=list)
    empty: str = ""  # what to say when nothing waits


def by_urgency(items: list[Item]) -> list[Item]:
    """Urgent first, then the earliest date (longest waiting or soonest due)."""
    return sorted(items, key=lambda i: (not i.urgent, i.when or date.max))
