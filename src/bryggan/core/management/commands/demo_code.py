"""Print the current two-factor code of a demo account, for trying the demo without a phone.

Only for demo accounts (their addresses end in ``.demo``, which no real address does): for a
real account it refuses, so it is no way around anyone's second factor.
"""

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the two-factor code a demo account's authenticator app would show now."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="e.g. coordinator@sodertalje.demo")

    def handle(self, *args, **options) -> None:
        email = options["email"].strip().lower()
        if not email.endswith(".demo"):
            raise CommandError("Only demo accounts (…@<municipality>.demo) have codes printed.")
        device = (
            TOTPDevice.objects.filter(user__email__iexact=email)
            .order_by("-confirmed", "pk")
            .first()
        )
        if device is None:
            raise CommandError(
                f"{email} has no authenticator yet: sign in once, then run this again."
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
