"""The removal journal: every purge, erasure and anonymisation, appended to a file outside
the database (``REMOVAL_JOURNAL``). A backup restored later brings back the rows as they were
when it was taken; ``manage.py restore`` then re-applies every removal journalled since, so
data purged or erased after the backup does not quietly come back.

Each line is JSON: when, which municipality, what kind, and the ids removed. Ids only, never
names: the journal itself holds no personal data.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone


def path() -> Path:
    return Path(settings.REMOVAL_JOURNAL)


def record(*, municipality_id: int | None, kind: str, **ids: list[int]) -> None:
    """Append after the transaction commits (a rolled-back removal is not journalled)."""
    entry = {
        "at": timezone.now().isoformat(),
        "municipality": municipality_id,
        "kind": kind,
        **{name: sorted(values) for name, values in ids.items() if values},
    }

    def append() -> None:
        target = path()
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "a", encoding="utf-8") as journal:
            journal.write(json.dumps(entry) + "\n")
            journal.flush()
            os.fsync(journal.fileno())

    transaction.on_commit(append)


def entries(since: datetime | None = None) -> list[dict]:
    target = path()
    if not target.exists():
        return []
    out = []
    with open(target, encoding="utf-8") as journal:
        for line in journal:
            line = line.strip()
            if not line:
                continue
            entry = json.loads(line)
            if since is None or datetime.fromisoformat(entry["at"]) > since:
                out.append(entry)
    return out


def reapply(found: list[dict]) -> Counter:
    """Remove again what the entries removed, where a restore brought it back."""
    from auditlog.context import disable_auditlog
    from django_scopes import scopes_disabled

    from bryggan.core.models import Person
    from bryggan.organisation.models import StaffMember
    from bryggan.privacy import subject
    from bryggan.privacy.retention import (
        FORMER_FIRST_NAME,
        _remove_orphans,
        _remove_participant,
        anonymise_staff,
        remove_notes,
    )
    from bryggan.programme.models import Participant
    from bryggan.recruitment.models import Application

    counts: Counter = Counter()
    with scopes_disabled(), transaction.atomic(), disable_auditlog():
        for entry in found:
            apps = list(
                Application.unscoped.filter(pk__in=entry.get("applications", [])).select_related(
                    "posting"
                )
            )
            if apps:
                subject.remove_applications(apps, why=f"re-applied {entry['kind']}")
                counts["applications"] += len(apps)
            counts["notes"] += remove_notes(entry.get("notes", []), entry.get("assessments", []))
            for participant in Participant.unscoped.filter(
                pk__in=entry.get("participants", [])
            ).select_related("person", "user"):
                _remove_participant(participant)
                counts["participants"] += 1
            for person in Person.unscoped.filter(pk__in=entry.get("erased", [])):
                subject.erase_everything(person)
                counts["people"] += 1
            for person in Person.unscoped.filter(pk__in=entry.get("anonymised", [])):
                if person.email or person.personnummer or person.first_name != "Anonymiserad":
                    subject.anonymise_everything(person)
                    counts["people"] += 1
            counts["people"] += _remove_orphans(set(entry.get("people", [])))
            for member in StaffMember.unscoped.filter(pk__in=entry.get("staff", [])).exclude(
                first_name=FORMER_FIRST_NAME
            ):
                anonymise_staff(member)
                counts["staff"] += 1
    return counts
