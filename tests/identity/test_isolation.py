"""Tenant isolation of single sign-on: another municipality's provider set-up (client id and
secret, group names) never shows, and its sign-in addresses give no one a role there.

A provider's name and sign-in address are public by design (the sign-in page lists them);
what is secret carries the foreign mark here, so the leak detector would see it."""

from __future__ import annotations

import pytest

from bryggan.core.models import Membership
from bryggan.core.roles import Role
from tests.conftest import FOREIGN_MARK
from tests.isolation import assert_no_leak, check_pages

pytestmark = pytest.mark.django_db

SLUG = "norrkoping-sso"
ISSUER = ["http://127.0.0.1:9/"]  # the loopback provider's address, set by the test


def _foreign_provider(world):
    from bryggan.identity.models import GroupMapping, IdentityProvider

    municipality = world.foreign.municipality
    provider, _ = IdentityProvider.unscoped.get_or_create(
        slug=SLUG,
        defaults={
            "municipality": municipality,
            "name": "Norrköpings inloggning",
            "issuer": ISSUER[0],
            "client_id": f"klient-{FOREIGN_MARK}",
            "client_secret": f"hemlighet-{FOREIGN_MARK}",
        },
    )
    GroupMapping.unscoped.get_or_create(
        municipality=municipality, provider=provider, group=f"grupp-{FOREIGN_MARK}", role="hr"
    )
    return provider


def _foreign_memberships(world) -> set:
    return set(
        Membership.objects.filter(municipality=world.foreign.municipality).values_list(
            "user_id", "role"
        )
    )


def _check_start(world, client, who):
    _foreign_provider(world)
    before = _foreign_memberships(world)
    response = client.get(f"/sso/{SLUG}/")
    # Off to the provider, as for anyone: its address and our public client id, no secret.
    assert response.status_code == 302, (who, response.status_code)
    assert response["Location"].startswith(ISSUER[0])
    assert "hemlighet" not in response["Location"]
    assert _foreign_memberships(world) == before


def _check_callback(world, client, who):
    _foreign_provider(world)
    before = _foreign_memberships(world)
    for query in ("", "?code=forged&state=forged", "?error=access_denied&error_description=x"):
        response = client.get(f"/sso/{SLUG}/callback/{query}")
        assert response.status_code == 400, (who, query, response.status_code)
        assert_no_leak(response, f"{who} sso callback {query}")
    assert _foreign_memberships(world) == before


SAML_SLUG = "norrkoping-saml"


def _foreign_saml(world):
    from bryggan.identity.models import IdentityProvider

    provider, _ = IdentityProvider.unscoped.get_or_create(
        slug=SAML_SLUG,
        defaults={
            "municipality": world.foreign.municipality,
            "name": "Norrköpings AD FS",
            "protocol": "saml",
            "issuer": "https://adfs.norrkoping.example/adfs/services/trust",
            "saml_metadata": f"<!-- {FOREIGN_MARK} --><x/>",
        },
    )
    return provider


def _check_saml(world, client, who):
    _foreign_saml(world)
    before = _foreign_memberships(world)
    response = client.post(f"/sso/{SAML_SLUG}/acs/", {"SAMLResponse": "PHg+PC94Pg=="})
    assert response.status_code == 400, (who, response.status_code)
    assert_no_leak(response, f"{who} saml acs")
    response = client.get(f"/sso/{SAML_SLUG}/metadata/")
    # Bryggan's own service-provider metadata: public by design, nothing of the set-up
    assert response.status_code == 200, (who, response.status_code)
    assert FOREIGN_MARK not in response.content.decode()
    response = client.get(f"/sso/{SAML_SLUG}/sls/?SAMLResponse=PHg+PC94Pg==")
    assert response.status_code == 400, (who, response.status_code)
    assert_no_leak(response, f"{who} saml sls")
    assert _foreign_memberships(world) == before


def _snapshot(world) -> tuple:
    from bryggan.identity.models import GroupMapping, IdentityProvider

    return (
        list(IdentityProvider.unscoped.values().order_by("pk")),
        list(GroupMapping.unscoped.values().order_by("pk")),
    )


def _check_settings(world, client, who):
    """The settings pages are the attacker's own municipality's (none configured there):
    nothing of the foreign provider shows."""
    _foreign_provider(world)
    for path in ("/inloggning/", "/inloggning/ny/"):
        response = client.get(path)
        assert response.status_code in (200, 302, 403), (who, path, response.status_code)
        assert_no_leak(response, f"{who} {path}")


def _check_provider(world, client, who):
    provider = _foreign_provider(world)
    mapping = provider.mappings.first()
    before = _snapshot(world)
    base = f"/inloggning/{provider.pk}/"
    for method, path, data in (
        ("get", base, None),
        ("post", base, {"name": "Kapad", "slug": SLUG, "issuer": "https://evil.example/"}),
        ("post", f"{base}grupper/", {"mapping-group": "Alla", "mapping-role": "coordinator"}),
        ("post", f"{base}grupper/{mapping.pk}/ta-bort/", {}),
    ):
        response = getattr(client, method)(path, data or {})
        assert response.status_code in (302, 403, 404), (who, path, response.status_code)
        assert_no_leak(response, f"{who} {path}")
    assert _snapshot(world) == before, who


PAGE_CHECKS = {
    "identity:start": _check_start,
    "identity:callback": _check_callback,
    "identity:saml-acs": _check_saml,
    "identity:saml-metadata": _check_saml,
    "identity:saml-sls": _check_saml,
    "identity:settings": _check_settings,
    "identity:provider-new": _check_settings,
    "identity:provider": _check_provider,
    "identity:mapping-add": _check_provider,
    "identity:mapping-delete": _check_provider,
}
API_CHECKS: dict = {}


def test_no_sign_in_address_shows_or_changes_another_municipalitys_set_up(rworld, oidc_server):
    ISSUER[0] = oidc_server.url
    check_pages(rworld, PAGE_CHECKS, "Single sign-on pages")
    assert (
        not Membership.objects.filter(municipality=rworld.foreign.municipality, role=Role.HR)
        .exclude(user=rworld.foreign.users[Role.HR])
        .exists()
    )
