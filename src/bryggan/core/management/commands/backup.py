"""Back up the database and the document store into one folder.

    manage.py backup /srv/backup/bryggan-2026-11-30

The folder gets data.json.gz (every row, natural keys, loadable into any database Bryggan
runs on), documents/ (every applicant document, as stored) and manifest.json (row counts per
table, a SHA-256 of every document, and when the backup was taken). ``manage.py restore``
puts it back into an empty instance and checks both.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_scopes import scopes_disabled

# Not backed up: rebuilt by migrate (content types, permissions) or short-lived by nature
# (sessions, failed sign-ins, the task queue).
EXCLUDED_APPS = ["contenttypes", "auth.permission", "sessions", "axes", "django_tasks_database"]


def backed_up_models():
    skip_apps = {e for e in EXCLUDED_APPS if "." not in e}
    skip_models = {e for e in EXCLUDED_APPS if "." in e}
    for model in apps.get_models():
        if model._meta.app_label in skip_apps or model._meta.label_lower in skip_models:
            continue
        if model._meta.proxy:
            continue
        yield model


def row_counts() -> dict[str, int]:
    with scopes_disabled():
        return {m._meta.label: m._default_manager.count() for m in backed_up_models()}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Back up the database and the document store into a new folder."

    def add_arguments(self, parser) -> None:
        parser.add_argument("destination", help="a folder that does not exist yet")

    def handle(self, *args, **options) -> None:
        target = Path(options["destination"])
        if target.exists() and any(target.iterdir()):
            raise CommandError(f"{target} is not empty; choose a new folder.")
        (target / "documents").mkdir(parents=True, exist_ok=True)
        taken_at = timezone.now()
        with scopes_disabled():
            raw = target / "data.json"
            call_command(
                "dumpdata",
                *[],
                exclude=EXCLUDED_APPS,
                natural_foreign=True,
                natural_primary=True,
                output=str(raw),
                verbosity=0,
            )
            with open(raw, "rb") as source, gzip.open(target / "data.json.gz", "wb") as packed:
                shutil.copyfileobj(source, packed)
            raw.unlink()
            counts = row_counts()
        documents = {}
        root = Path(settings.PRIVATE_STORAGE_ROOT)
        if root.exists():
            for path in sorted(root.iterdir()):
                if path.is_file():
                    shutil.copy2(path, target / "documents" / path.name)
                    documents[path.name] = sha256_of(path)
        manifest = {
            "taken_at": taken_at.isoformat(),
            "row_counts": counts,
            "documents": documents,
        }
        (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
        self.stdout.write(
            f"Backed up {sum(counts.values())} rows in {len(counts)} tables and "
            f"{len(documents)} documents to {target}"
        )
