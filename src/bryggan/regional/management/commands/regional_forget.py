"""Daily, after the retention purge: a joint application whose every municipality has
removed its part (retention, erasure) is removed from the regional records too, e-mail
address and rank order with it."""

from django.core.management.base import BaseCommand

from bryggan.regional import services


class Command(BaseCommand):
    help = "Remove joint applications no municipality keeps any more."

    def handle(self, *args, **options):
        removed = services.forget_without_parts()
        self.stdout.write(f"Removed {removed} joint applications no municipality keeps.")
