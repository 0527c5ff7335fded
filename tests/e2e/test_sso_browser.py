"""Single sign-on in a real browser: from Bryggan's sign-in page through the municipality's
OpenID Connect provider (a real one on loopback) and back, signed in with the role its
groups give. axe-core checks Bryggan's pages (the provider's page is not ours)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bryggan.core.models import Membership
from bryggan.core.roles import Role
from tests.identity.conftest import PASSWORD, SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _at_the_provider(page, sign_in_page: str, email: str) -> None:
    """The provider's own sign-in form (not Bryggan's page, so axe does not check it)."""
    page.wait_for_url(sign_in_page)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _signed_in_as(apage, live_server, world, email: str, role: Role, shot: str) -> None:
    page = apage.page
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    apage.check()
    apage.screenshot(shot)
    assert Membership.objects.filter(
        user__email=email, municipality=world.home.municipality, role=role
    ).exists()


def test_a_coordinator_signs_in_through_the_municipalitys_provider(
    apage,
    live_server,
    oidc_server,
    provider,
    world,
):
    oidc_server.allow_site(live_server.url)
    page = apage.page
    apage.goto("/login/")
    button = page.get_by_role("link", name="Logga in via Testkommunens inloggning")
    expect(button).to_be_visible()
    apage.screenshot("login-sso.png")
    button.click()
    _at_the_provider(page, f"{oidc_server.url}/login/**", "samordnare@kommun.test")
    # Back in Bryggan, signed in; the provider vouched for two factors, so no code is asked.
    _signed_in_as(
        apage, live_server, world, "samordnare@kommun.test", Role.COORDINATOR, "home-after-sso.png"
    )
    # Signing out ends the provider's session too, and comes back to Bryggan's sign-in.
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(f"{live_server.url}/login/")
    apage.check()
    page.get_by_role("link", name="Logga in via Testkommunens inloggning").click()
    page.wait_for_url(f"{oidc_server.url}/login/**")  # the provider asks for the password again


def test_someone_the_provider_gives_no_role_reads_why(
    apage,
    live_server,
    oidc_server,
    provider,
):
    oidc_server.allow_site(live_server.url)
    page = apage.page
    apage.goto("/login/")
    page.get_by_role("link", name="Logga in via Testkommunens inloggning").click()
    _at_the_provider(page, f"{oidc_server.url}/login/**", "utanfor@kommun.test")
    page.wait_for_url(f"{live_server.url}/sso/{SLUG}/callback/**")
    expect(page.get_by_role("heading", name="Inloggningen nekades")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("ger dig ingen roll i Bryggan")
    apage.check()
    apage.screenshot("sso-refused.png")


def test_a_coordinator_sets_up_the_municipalitys_provider_and_its_groups(apage, world):
    from tests.e2e.session import log_in

    page = apage.page
    log_in(apage, "coordinator@sodertalje.test")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Inloggning").click()
    expect(page.get_by_role("heading", name="Inloggning via kommunen")).to_be_visible()
    apage.check()
    page.get_by_role("link", name="Lägg till en identitetsleverantör").click()
    page.get_by_label("Namn på inloggningssidan").fill("Södertälje kommuns inloggning")
    page.get_by_label("Kortnamn i adressen").fill("sodertalje")
    page.get_by_label("Utfärdare (issuer)").fill("http://idp.example.se/")  # not https
    page.get_by_label("Klient-id").fill("app-id")
    page.get_by_label("Klienthemlighet").fill("hemligt")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert")).to_contain_text("måste vara en https-adress")
    apage.check()
    page.get_by_label("Utfärdare (issuer)").fill("https://login.microsoftonline.com/t/v2.0")
    page.get_by_label("Klienthemlighet").fill("hemligt")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Identitetsleverantören är sparad")).to_be_visible()
    expect(page.get_by_text("/sso/sodertalje/callback/")).to_be_visible()
    page.locator("#id_mapping-group").fill("Bryggan-Samordnare")
    page.locator("#id_mapping-role").select_option(label="Traineesamordnare")
    page.get_by_role("button", name="Lägg till gruppen").click()
    expect(page.get_by_role("cell", name="Bryggan-Samordnare", exact=True)).to_be_visible()
    apage.check()
    apage.screenshot("sso-settings.png")
    expect(page.locator("#id_mapping-group")).to_have_value("")


def test_a_supervisor_signs_in_through_a_saml_identity_provider(
    apage, live_server, saml_server, saml_provider, world
):
    page = apage.page
    apage.goto("/login/")
    page.get_by_role("link", name="Logga in via Testkommunens SAML-inloggning").click()
    _at_the_provider(page, f"{saml_server.url}/sso/redirect**", "handledare@kommun.test")
    # The provider posts its signed answer back to Bryggan, which signs the person in.
    _signed_in_as(
        apage, live_server, world, "handledare@kommun.test", Role.SUPERVISOR, "home-after-saml.png"
    )
