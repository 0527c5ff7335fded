"""The administrators' pages for single sign-on: a coordinator adds the municipality's
provider and the groups that give roles; bad input is refused with a message and nothing
written; no one else may."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry

from bryggan.core.roles import Role
from bryggan.identity.models import GroupMapping, IdentityProvider
from tests.identity.test_saml import BOMB

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Södertälje kommuns inloggning",
    "slug": "sodertalje",
    "protocol": "oidc",
    "issuer": "https://login.microsoftonline.com/tenant/v2.0",
    "client_id": "app-id",
    "client_secret": "hemligt-värde",
    "email_claim": "email",
    "groups_claim": "groups",
    "mfa_values": "mfa",
    "enabled": "on",
}


def _coordinator(world):
    return world.home.client(Role.COORDINATOR)


def test_a_coordinator_adds_a_provider_and_its_groups(world):
    client = _coordinator(world)
    assert "Ingen identitetsleverantör ännu" in client.get("/inloggning/").content.decode()
    response = client.post("/inloggning/ny/", GOOD)
    provider = IdentityProvider.unscoped.get()
    assert response.status_code == 302 and response["Location"] == f"/inloggning/{provider.pk}/"
    assert provider.municipality == world.home.municipality
    assert provider.client_secret == "hemligt-värde"
    page = client.get(f"/inloggning/{provider.pk}/").content.decode()
    assert "http://testserver/sso/sodertalje/callback/" in page
    assert "hemligt-värde" not in page  # the secret is never shown again
    response = client.post(
        f"/inloggning/{provider.pk}/grupper/",
        {"mapping-group": "Bryggan-Samordnare", "mapping-role": "coordinator"},
    )
    assert response.status_code == 302
    assert list(GroupMapping.unscoped.values_list("group", "role")) == [
        ("Bryggan-Samordnare", "coordinator")
    ]
    # Saved again without a secret: the secret stays.
    edit = {**GOOD, "client_secret": "", "name": "Nytt namn"}
    assert client.post(f"/inloggning/{provider.pk}/", edit).status_code == 302
    provider.refresh_from_db()
    assert (provider.name, provider.client_secret) == ("Nytt namn", "hemligt-värde")
    # In the audit trail, without the secret
    trail = " ".join(
        str(e.changes)
        for e in LogEntry.objects.filter(
            additional_data__municipality_id=world.home.municipality.pk,
            content_type__model="identityprovider",
        )
    )
    assert "Nytt namn" in trail and "hemligt" not in trail
    mapping = GroupMapping.unscoped.get()
    response = client.post(f"/inloggning/{provider.pk}/grupper/{mapping.pk}/ta-bort/")
    assert response.status_code == 302
    assert not GroupMapping.unscoped.exists()
    listing = client.get("/inloggning/").content.decode()
    assert "Nytt namn" in listing and "/sso/sodertalje/" in listing


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"issuer": "http://idp.example.se/"}, "måste vara en https-adress"),
        ({"issuer": "inte en adress"}, "Fyll i en giltig URL"),
        ({"client_secret": ""}, "Behövs för OpenID Connect"),
        ({"slug": "två ord"}, "Kortnamn i adressen: "),
        ({"name": ""}, "Detta fält måste fyllas i"),
        ({"required_for_staff": "on"}, "Välj ett nödkonto innan"),
        ({"break_glass": "999999"}, "Välj ett giltigt alternativ"),
    ],
)
def test_bad_provider_input_is_refused_and_nothing_is_saved(world, change, message):
    response = _coordinator(world).post("/inloggning/ny/", {**GOOD, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IdentityProvider.unscoped.exists()


def test_another_municipalitys_short_name_and_users_are_refused(world):
    foreign_user = world.foreign.users[Role.COORDINATOR]
    response = _coordinator(world).post(
        "/inloggning/ny/", {**GOOD, "required_for_staff": "on", "break_glass": foreign_user.pk}
    )
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ" in response.content.decode()
    IdentityProvider.unscoped.create(
        municipality=world.foreign.municipality,
        name="Norrköping",
        slug="sodertalje",
        issuer="https://idp.example.se/",
        client_id="x",
        client_secret="y",
    )
    response = _coordinator(world).post("/inloggning/ny/", GOOD)
    assert response.status_code == 400
    assert "finns redan" in response.content.decode()
    assert IdentityProvider.unscoped.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"mapping-group": "G", "mapping-role": "national_analyst"}, "Välj ett giltigt alternativ"),
        ({"mapping-group": "G", "mapping-role": "student"}, "Välj ett giltigt alternativ"),
        ({"mapping-group": "   ", "mapping-role": "coordinator"}, "Detta fält måste fyllas i"),
        ({"mapping-group": "x" * 300, "mapping-role": "coordinator"}, "som mest 255 tecken"),
    ],
)
def test_bad_group_input_is_refused_and_nothing_is_saved(world, data, message):
    client = _coordinator(world)
    client.post("/inloggning/ny/", GOOD)
    provider = IdentityProvider.unscoped.get()
    response = client.post(f"/inloggning/{provider.pk}/grupper/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not GroupMapping.unscoped.exists()


def test_the_same_group_and_role_twice_is_refused(world):
    client = _coordinator(world)
    client.post("/inloggning/ny/", GOOD)
    provider = IdentityProvider.unscoped.get()
    data = {"mapping-group": "G", "mapping-role": "coordinator"}
    assert client.post(f"/inloggning/{provider.pk}/grupper/", data).status_code == 302
    response = client.post(f"/inloggning/{provider.pk}/grupper/", data)
    assert response.status_code == 400
    assert GroupMapping.unscoped.count() == 1


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.HR, Role.DPO, Role.STUDENT])
def test_only_the_coordinator_may(world, role):
    client = world.home.client(role)
    assert client.get("/inloggning/").status_code == 403
    assert client.post("/inloggning/ny/", GOOD).status_code == 403
    assert not IdentityProvider.unscoped.exists()


def test_a_saml_provider_is_set_up_from_its_metadata(world, saml_server):
    import requests

    xml = requests.get(f"{saml_server.url}/metadata", timeout=10).text
    saml = {
        "name": "AD FS",
        "slug": "sodertalje-adfs",
        "protocol": "saml",
        # an AD FS entity id is http and names the provider only: allowed for SAML
        "issuer": f"{saml_server.url}/metadata",
        "saml_metadata": xml,
        "email_claim": "email",
        "groups_claim": "groups",
        "mfa_values": "http://schemas.microsoft.com/claims/multipleauthn",
        "enabled": "on",
    }
    client = _coordinator(world)
    for change, message in (
        ({"saml_metadata": ""}, "SAML behöver identitetsleverantörens metadata"),
        ({"saml_metadata": "<inte>xml"}, "Det här är inte SAML-metadata"),
        ({"saml_metadata": "<x/>"}, "anger ingen identitetsleverantör"),
        ({"saml_metadata": BOMB}, "Det här är inte SAML-metadata"),
        ({"issuer": "https://annan.example/"}, "anger ingen identitetsleverantör"),
    ):
        response = client.post("/inloggning/ny/", {**saml, **change})
        assert response.status_code == 400, change
        assert message in response.content.decode(), change
        assert not IdentityProvider.unscoped.exists()
    assert client.post("/inloggning/ny/", saml).status_code == 302
    provider = IdentityProvider.unscoped.get()
    assert provider.protocol == "saml" and provider.client_secret == ""
    page = client.get(f"/inloggning/{provider.pk}/").content.decode()
    assert "http://testserver/sso/sodertalje-adfs/acs/" in page
    assert "http://testserver/sso/sodertalje-adfs/metadata/" in page
