"""Write the demo identity provider's people and client (scripts/serve.sh runs it)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from bryggan.demo import idp


class Command(BaseCommand):
    help = "Write the state of the demo's loopback OpenID Connect provider into DIRECTORY."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory: str, **options):
        idp.write_state(Path(directory))
        self.stdout.write(f"demo identity provider: {len(idp.PEOPLE)} people in {directory}")
