"""Nightly (from cron, or serve.sh in the demo): count each municipality's funnel,
retention, headcount and leavers per year for the national comparison, and drop imports
left unconfirmed for a day (their rows are staff register data)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from bryggan.insights.services import forget_unconfirmed_imports, refresh_national


class Command(BaseCommand):
    help = "Refresh the national comparison's counts and drop unconfirmed HR imports."

    def handle(self, *args, **options):
        rows = refresh_national(today=timezone.localdate())
        dropped = forget_unconfirmed_imports(older_than=timezone.now() - timedelta(days=1))
        self.stdout.write(
            f"{rows} municipality-years counted; {dropped} unconfirmed imports removed."
        )
