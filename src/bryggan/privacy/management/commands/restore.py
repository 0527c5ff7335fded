"""Restore a backup made by ``manage.py backup`` into an empty, migrated instance.

    manage.py migrate && manage.py restore /srv/backup/bryggan-2026-11-30

Checks every document against its SHA-256 before anything is written, loads every row in one
transaction, compares each table's row count with the manifest, and then re-applies the
removal journal: whatever was purged or erased after the backup was taken is removed again,
and the command says how much. (It lives in the privacy app because re-applying the journal
is a data-protection duty; ``backup`` itself is core's.)
"""

from __future__ import annotations

import gzip
import json
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from auditlog.context import disable_auditlog
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_scopes import scopes_disabled

from bryggan.core.management.commands.backup import row_counts, sha256_of
from bryggan.core.models import Municipality, User
from bryggan.privacy import journal


class Command(BaseCommand):
    help = "Restore a backup into an empty instance, then re-apply later removals."

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", help="a folder made by manage.py backup")

    def handle(self, *args, **options) -> None:
        source = Path(options["source"])
        manifest_path = source / "manifest.json"
        if not manifest_path.exists():
            raise CommandError(f"{source} has no manifest.json: not a Bryggan backup.")
        manifest = json.loads(manifest_path.read_text())
        with scopes_disabled():
            if Municipality.objects.exists() or User.objects.exists():
                raise CommandError("This instance is not empty; restore into a new database.")
        for name, digest in manifest["documents"].items():
            path = source / "documents" / name
            if not path.exists() or sha256_of(path) != digest:
                raise CommandError(f"Document {name} is missing or damaged in the backup.")
        with tempfile.TemporaryDirectory() as work:
            data = Path(work) / "data.json"
            with gzip.open(source / "data.json.gz", "rb") as packed, open(data, "wb") as out:
                shutil.copyfileobj(packed, out)
            with scopes_disabled(), transaction.atomic(), disable_auditlog():
                call_command("loaddata", str(data), verbosity=0)
                counts = row_counts()
                differ = {
                    label: (expected, counts.get(label))
                    for label, expected in manifest["row_counts"].items()
                    if counts.get(label) != expected
                }
                if differ:
                    raise CommandError(f"Row counts differ after loading: {differ}")
        root = Path(settings.PRIVATE_STORAGE_ROOT)
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        for name in manifest["documents"]:
            shutil.copy2(source / "documents" / name, root / name)
        self.stdout.write(
            f"Restored {sum(counts.values())} rows in {len(counts)} tables and "
            f"{len(manifest['documents'])} documents; every count and checksum matches."
        )
        later = journal.entries(since=datetime.fromisoformat(manifest["taken_at"]))
        reapplied = journal.reapply(later)
        self.stdout.write(
            f"Re-applied {len(later)} removals journalled after the backup: "
            + (", ".join(f"{k} {v}" for k, v in sorted(reapplied.items()) if v) or "nothing")
        )
