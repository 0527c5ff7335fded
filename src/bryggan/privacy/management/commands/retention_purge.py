"""The daily retention purge (run it from cron or a systemd timer; `make demo` runs it daily).

manage.py retention_purge              remove what is due, in every municipality
manage.py retention_purge --dry-run    only report what the next run would remove
"""

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from bryggan.core.models import Municipality
from bryggan.privacy import retention


class Command(BaseCommand):
    help = "Apply each municipality's retention policies (or report them with --dry-run)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="report, remove nothing")
        parser.add_argument("--municipality", help="one municipality's short name (slug)")

    def handle(self, *args, **options) -> None:
        with scopes_disabled():
            municipalities = Municipality.objects.order_by("name")
            if options["municipality"]:
                municipalities = municipalities.filter(slug=options["municipality"])
                if not municipalities.exists():
                    raise CommandError(f"No municipality {options['municipality']!r}.")
            for municipality in municipalities:
                if options["dry_run"]:
                    for item in retention.due(municipality):
                        state = (
                            "no deletion decision: kept"
                            if item.blocked
                            else ("due" if item.count else "nothing due")
                        )
                        self.stdout.write(
                            f"{municipality.slug}\t{item.policy.kind}\t{item.count}\t{state}"
                        )
                    continue
                run = retention.purge(municipality)
                self.stdout.write(
                    f"{municipality.slug}\tremoved {run.counts or 'nothing'}, "
                    f"{run.files_removed} files"
                )
            if not options["dry_run"]:
                self.stdout.write(f"housekeeping\t{retention.housekeeping()}")
