"""Single sign-on through a real SAML 2.0 identity provider on loopback (pysaml2's, started
by conftest.py): accounts and roles from its groups, its second factor, and every bad answer
refused with nothing created."""

from __future__ import annotations

import pytest
from django.test import Client

from bryggan.core.models import Membership, User
from bryggan.core.roles import Role
from bryggan.identity.models import ExternalAccount, PendingSignIn
from tests.identity.conftest import SAML_SLUG, through_saml

pytestmark = pytest.mark.django_db

BOMB = (
    '<?xml version="1.0"?><!DOCTYPE b [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + "]><b>&i;</b>"
)  # "billion laughs": 10^9 characters if entities were expanded


def _roles(email: str) -> set:
    return set(Membership.objects.filter(user__email=email).values_list("role", "municipality_id"))


def test_a_signed_assertion_creates_the_account_with_the_roles_of_its_groups(
    saml_provider, world, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    client = Client()
    response, _path, _posted = through_saml(client, "samordnare@kommun.test")
    assert response.status_code == 302 and response["Location"] == "/"
    assert _roles("samordnare@kommun.test") == {(Role.COORDINATOR, world.home.municipality.pk)}
    account = ExternalAccount.unscoped.get(user__email="samordnare@kommun.test")
    assert account.provider == saml_provider and account.subject == "id-samordnare@kommun.test"
    # The provider's AuthnContextClassRef says two factors: Bryggan asks for no code.
    assert client.get("/").status_code == 200
    assert not PendingSignIn.unscoped.exists()  # the request was used up


def test_without_two_factors_at_the_provider_bryggan_asks_for_its_code(saml_provider, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = Client()
    response, _path, _posted = through_saml(client, "utanmfa@kommun.test")
    assert response.status_code == 302
    assert client.get("/")["Location"].startswith("/account/two-factor/")


def test_someone_in_no_mapped_group_is_refused(saml_provider):
    response, _path, _posted = through_saml(Client(), "utanfor@kommun.test")
    assert response.status_code == 403
    assert "ger dig ingen roll i Bryggan" in response.content.decode()
    assert not User.objects.filter(email="utanfor@kommun.test").exists()


@pytest.mark.parametrize(
    "email",
    [
        "fel-mottagare@kommun.test",  # the assertion's audience is another service
        "gammal@kommun.test",  # it ran out an hour ago
        "andrad@kommun.test",  # a group added after signing
    ],
)
def test_a_bad_assertion_is_refused_and_nothing_is_created(saml_provider, email):
    client = Client()
    response, _path, _posted = through_saml(client, email)
    assert response.status_code == 400
    assert "kunde inte verifieras" in response.content.decode()
    assert not User.objects.filter(email=email).exists()
    assert not ExternalAccount.unscoped.exists()
    assert "_auth_user_id" not in client.session


def test_a_replayed_assertion_is_refused(saml_provider):
    first, path, posted = through_saml(Client(), "upprepad@kommun.test")
    assert first.status_code == 302
    again = Client().post(path, posted)
    assert again.status_code == 400
    assert "redan använt eller har gått ut" in again.content.decode()


def test_junk_and_unknown_addresses_get_a_clear_message(saml_provider):
    path = f"/sso/{SAML_SLUG}/acs/"
    for data, message in (
        ({}, "svar saknas"),
        ({"SAMLResponse": "inte base64 ☃"}, "kunde inte verifieras"),
        ({"SAMLResponse": "PHNhbWw+PC9zYW1sPg=="}, "kunde inte verifieras"),
    ):
        response = Client().post(path, data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    response = Client().post("/sso/ingen-sadan/acs/", {"SAMLResponse": "x"})
    assert response.status_code == 404
    assert Client().get(path).status_code == 405
    assert not User.objects.filter(email__endswith="@kommun.test").exists()


def test_bryggans_metadata_names_its_address_for_answers(saml_provider):
    response = Client().get(f"/sso/{SAML_SLUG}/metadata/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"http://testserver/sso/{SAML_SLUG}/acs/" in body
    assert f"http://testserver/sso/{SAML_SLUG}/sls/" in body
    assert "X509Certificate" in body  # the certificate Bryggan's logout requests carry
    assert "EntityDescriptor" in body
    assert Client().get("/sso/ingen-sadan/metadata/").status_code == 404


def test_signing_out_ends_the_saml_providers_session_too(saml_provider, saml_server):
    import html
    import re

    import requests

    client = Client()
    through_saml(client, "loggarut@kommun.test")
    out = client.post("/logout/")
    assert out.status_code == 200
    onward = html.unescape(re.search(r'content="0;url=([^"]+)"', out.content.decode()).group(1))
    assert onward.startswith(f"{saml_server.url}/slo/redirect?SAMLRequest=")
    assert "Signature=" in onward  # Bryggan signs its logout request
    assert client.get("/")["Location"].startswith("/login/")
    back = requests.get(onward, allow_redirects=False, timeout=10)
    assert back.status_code == 302
    location = back.headers["Location"]
    assert location.startswith(f"http://testserver/sso/{SAML_SLUG}/sls/?SAMLResponse=")
    done = client.get(location.removeprefix("http://testserver"))
    assert done.status_code == 302 and done["Location"] == "/login/"
    # A forged or missing confirmation is refused.
    for query in ("", "?SAMLResponse=inte-ett-svar"):
        refused = Client().get(f"/sso/{SAML_SLUG}/sls/{query}")
        assert refused.status_code == 400, query


def test_the_periodic_check_asks_quietly_and_signs_in_again_when_the_provider_cannot(
    saml_provider, saml_server
):
    import re
    from html import unescape

    import requests

    client = Client()
    through_saml(client, "byter@kommun.test")
    session = client.session
    session["bryggan_sso"]["checked"] -= 3600
    session.save()
    step = client.get("/")
    assert step.status_code == 302 and step["Location"] == f"/sso/{SAML_SLUG}/?quiet=1"
    out = client.get(step["Location"])
    # A passive request: this provider keeps no session, so it answers NoPassive ...
    page = requests.get(out["Location"], timeout=10).text
    posted = dict(re.findall(r'name="(SAMLResponse|RelayState)" value="([^"]*)"', page))
    answer = client.post(f"/sso/{SAML_SLUG}/acs/", {k: unescape(v) for k, v in posted.items()})
    # ... and Bryggan sends the person to sign in there as usual.
    assert answer.status_code == 302 and answer["Location"] == f"/sso/{SAML_SLUG}/"


def test_removed_from_the_groups_the_saml_user_is_refused_and_disabled(saml_provider, saml_server):
    first, _path, _posted = through_saml(Client(), "slutar@kommun.test")
    assert first.status_code == 302
    saml_server.set_groups("slutar@kommun.test", ["Alla-anstallda"])
    try:
        response, _path, _posted = through_saml(Client(), "slutar@kommun.test")
    finally:
        saml_server.set_groups("slutar@kommun.test", ["Bryggan-Handledare"])
    assert response.status_code == 403
    user = User.objects.get(email="slutar@kommun.test")
    assert not user.is_active and _roles(user.email) == set()


def test_an_xml_bomb_is_refused_without_being_expanded(saml_provider):
    import base64

    posted = {"SAMLResponse": base64.b64encode(BOMB.encode()).decode()}
    response = Client().post(f"/sso/{SAML_SLUG}/acs/", posted)
    assert response.status_code == 400
    assert "kunde inte verifieras" in response.content.decode()
