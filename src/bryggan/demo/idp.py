"""The demo's identity provider: Norrköping's staff can sign in through a real OpenID
Connect provider that `make demo` starts on loopback (scripts/idp/oidc_server.py, port
8001), with a few people in groups — the way a municipality's Entra ID or AD FS would.

Bryggan's side (the provider and its group mappings) is seeded with the rest of the demo;
the provider's side (who can sign in there, in which groups) is written to a directory the
provider reads.
"""

from __future__ import annotations

import json
from pathlib import Path

from bryggan.core.models import Municipality
from bryggan.core.roles import Role
from bryggan.identity.models import GroupMapping, IdentityProvider

PORT = 8001
ISSUER = f"http://127.0.0.1:{PORT}"
SLUG = "norrkoping"
CLIENT_ID = "bryggan-demo"
# Known to both sides of the demo on one machine; a real provider's secret is set by its
# administrator on the settings page and never shown again.
CLIENT_SECRET = "demo-klient-hemlighet"  # noqa: S105 - the demo's loopback provider only
PASSWORD = "bryggan-demo"  # noqa: S105 - the demo's made-up people
GROUPS = {
    "Bryggan-Samordnare": Role.COORDINATOR,
    "Bryggan-Handledare": Role.SUPERVISOR,
    "Bryggan-Enhetschefer": Role.UNIT_MANAGER,
}
PEOPLE: dict[str, dict] = {
    "astrid.samordnare@norrkoping.demo": {
        "name": "Astrid Lindqvist",
        "groups": ["Bryggan-Samordnare", "Alla-medarbetare"],
        "mfa": True,
    },
    "bertil.handledare@norrkoping.demo": {
        "name": "Bertil Nyberg",
        "groups": ["Bryggan-Handledare", "Alla-medarbetare"],
    },
    "cecilia.chef@norrkoping.demo": {
        "name": "Cecilia Holm",
        "groups": ["Bryggan-Enhetschefer", "Alla-medarbetare"],
        "mfa": True,
    },
    "david.utanfor@norrkoping.demo": {"name": "David Ek", "groups": ["Alla-medarbetare"]},
}


def seed_provider(municipality: Municipality) -> IdentityProvider:
    provider, _ = IdentityProvider.unscoped.get_or_create(
        slug=SLUG,
        defaults={
            "municipality": municipality,
            "name": "Norrköpings kommuns inloggning (demo)",
            "issuer": ISSUER,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        },
    )
    for group, role in GROUPS.items():
        GroupMapping.unscoped.get_or_create(
            municipality=municipality, provider=provider, group=group, role=role
        )
    return provider


def write_state(directory: Path, hosts: tuple[str, ...] = ("127.0.0.1:8000", "localhost:8000")):
    """What the demo's provider knows: its one client (Bryggan) and its people."""
    directory.mkdir(parents=True, exist_ok=True)
    state = {
        "clients": [
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": [f"http://{host}/sso/{SLUG}/callback/" for host in hosts],
                "post_logout_redirect_uris": [f"http://{host}/login/" for host in hosts],
            }
        ],
        "people": {email: {"password": PASSWORD, **person} for email, person in PEOPLE.items()},
    }
    (directory / "people.json").write_text(json.dumps(state, indent=1), encoding="utf-8")
