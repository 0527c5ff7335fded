"""Configure a municipality's single sign-on from the command line (the IT department's way
until the administrators' page lands):

    manage.py sso_configure --municipality malmo --slug malmo --name "Malmö stads inloggning" \\
        --issuer https://login.microsoftonline.com/<tenant-id>/v2.0 --client-id <app-id> \\
        --map "Bryggan-Samordnare=coordinator" --map "Bryggan-Handledare=supervisor" \\
        [--require-for-staff --break-glass admin@malmo.se]

The client secret is read from the environment variable BRYGGAN_SSO_CLIENT_SECRET, never
from the command line (where it would stay in the shell's history). Running it again with
the same --slug updates the provider and replaces its group mappings.
"""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from django.db import transaction

from bryggan.core.models import Municipality, User
from bryggan.core.roles import TENANTLESS_ROLES, Role
from bryggan.identity.models import GroupMapping, IdentityProvider

SECRET_VARIABLE = "BRYGGAN_SSO_CLIENT_SECRET"  # noqa: S105 - the name of a variable, no secret


class Command(BaseCommand):
    help = "Configure a municipality's OpenID Connect single sign-on and its group mappings."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="the municipality's slug")
        parser.add_argument("--slug", required=True, help="short name in /sso/<slug>/")
        parser.add_argument("--name", required=True, help="name on the sign-in page")
        parser.add_argument("--issuer", required=True)
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--email-claim", default="email")
        parser.add_argument("--groups-claim", default="groups")
        parser.add_argument(
            "--map", action="append", default=[], metavar="GROUP=ROLE", help="repeatable"
        )
        parser.add_argument("--require-for-staff", action="store_true")
        parser.add_argument("--break-glass", default="", metavar="EMAIL")
        parser.add_argument("--disable", action="store_true")

    def handle(self, *args, **options):
        municipality = Municipality.objects.filter(slug=options["municipality"]).first()
        if municipality is None:
            raise CommandError(f"no municipality with the slug {options['municipality']!r}")
        try:
            URLValidator(schemes=["https", "http"])(options["issuer"])
        except ValidationError:
            raise CommandError(f"the issuer {options['issuer']!r} is not an address") from None
        mappings = [self._mapping(text) for text in options["map"]]
        if not mappings:
            raise CommandError("give at least one --map GROUP=ROLE, or no one gets a role")
        secret = os.environ.get(SECRET_VARIABLE, "")
        existing = IdentityProvider.unscoped.filter(slug=options["slug"]).first()
        if existing is not None and existing.municipality_id != municipality.pk:
            raise CommandError(f"the short name {options['slug']!r} is another municipality's")
        if not secret and existing is None:
            raise CommandError(f"set the client secret in the environment as {SECRET_VARIABLE}")
        glass = None
        if options["break_glass"]:
            glass = User.objects.filter(
                email__iexact=options["break_glass"], memberships__municipality=municipality
            ).first()
            if glass is None:
                raise CommandError(
                    f"no user {options['break_glass']!r} in {municipality.name} for break-glass"
                )
        with transaction.atomic():
            provider = existing or IdentityProvider(municipality=municipality, slug=options["slug"])
            provider.name = options["name"]
            provider.issuer = options["issuer"]
            provider.client_id = options["client_id"]
            if secret:
                provider.client_secret = secret
            provider.email_claim = options["email_claim"]
            provider.groups_claim = options["groups_claim"]
            provider.required_for_staff = options["require_for_staff"]
            provider.break_glass = glass
            provider.enabled = not options["disable"]
            provider.full_clean(exclude=["municipality"])
            provider.save()
            GroupMapping.unscoped.filter(provider=provider).delete()
            for group, role in mappings:
                GroupMapping.unscoped.create(
                    municipality=municipality, provider=provider, group=group, role=role
                )
        self.stdout.write(
            f"{provider.name}: /sso/{provider.slug}/ for {municipality.name}, "
            f"{len(mappings)} group mapping(s)"
        )

    def _mapping(self, text: str) -> tuple[str, str]:
        group, _, role = text.rpartition("=")
        roles = {r.value for r in Role} - {r.value for r in TENANTLESS_ROLES}
        if not group or role not in roles:
            raise CommandError(
                f"--map {text!r}: write GROUP=ROLE with a role among {', '.join(sorted(roles))}"
            )
        return group, role
