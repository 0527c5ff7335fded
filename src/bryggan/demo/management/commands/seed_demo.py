from django.core.management.base import BaseCommand

from bryggan.demo.seed import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the demo municipalities, their organisation and one login per role (idempotent)."

    def handle(self, *args, **options) -> None:
        logins = seed_demo(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(logins)} logins, password '{DEMO_PASSWORD}', e.g. {logins[0]}"
            )
        )
