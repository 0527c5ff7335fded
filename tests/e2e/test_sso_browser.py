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


def test_a_coordinator_signs_in_through_the_municipalitys_provider(
    apage,
    live_server,
    oidc_server,
    provider,
    world,
):
    oidc_server.allow_callback(f"{live_server.url}/sso/{SLUG}/callback/")
    page = apage.page
    apage.goto("/login/")
    button = page.get_by_role("link", name="Logga in via Testkommunens inloggning")
    expect(button).to_be_visible()
    apage.screenshot("login-sso.png")
    button.click()
    # The provider's own sign-in page
    page.wait_for_url(f"{oidc_server.url}/login/**")
    page.get_by_label("E-mail").fill("samordnare@kommun.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Back in Bryggan, signed in; the provider vouched for two factors, so no code is asked.
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    apage.check()
    apage.screenshot("home-after-sso.png")
    assert Membership.objects.filter(
        user__email="samordnare@kommun.test",
        municipality=world.home.municipality,
        role=Role.COORDINATOR,
    ).exists()


def test_someone_the_provider_gives_no_role_reads_why(
    apage,
    live_server,
    oidc_server,
    provider,
):
    oidc_server.allow_callback(f"{live_server.url}/sso/{SLUG}/callback/")
    page = apage.page
    apage.goto("/login/")
    page.get_by_role("link", name="Logga in via Testkommunens inloggning").click()
    page.wait_for_url(f"{oidc_server.url}/login/**")
    page.get_by_label("E-mail").fill("utanfor@kommun.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/sso/{SLUG}/callback/**")
    expect(page.get_by_role("heading", name="Inloggningen nekades")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("ger dig ingen roll i Bryggan")
    apage.check()
    apage.screenshot("sso-refused.png")
