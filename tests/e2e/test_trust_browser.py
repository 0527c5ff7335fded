"""Trust in a real browser: a coordinator makes an API token with a fresh code, the DPO
finds and revokes tokens, an applicant gets their link again, a locked-out supervisor
unlocks their own sign-in by e-mail, and a throttle's refusal reads clearly. axe-core checks
every page (the public ones strictly); the CSP must block nothing."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from bryggan.core import throttle
from bryggan.core.models import ApiToken
from tests.conftest import PASSWORD
from tests.e2e.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _next_code(email: str) -> str:
    """The authenticator's next code (the one used to sign in cannot be used twice)."""
    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    # With the device's drift: a sign-in code checked just after its 30 s ended moves the
    # device's clock back a step (django-otp's OTP_TOTP_SYNC), as it would for the app.
    totp = TOTP(device.bin_key, step=30, digits=6, drift=device.drift)
    totp.time = time.time() + 30
    return f"{totp.token():06d}"


def test_a_coordinator_makes_a_token_with_a_fresh_code_and_the_dpo_revokes_it(world, apage):
    page = apage.page
    log_in(apage, "coordinator@sodertalje.test")
    apage.goto("/account/tokens/")
    expect(page.get_by_label("Sexsiffrig kod från appen")).to_be_visible()
    expect(page.get_by_label("Giltig i")).to_have_value("30")
    page.get_by_label("Nyckelns namn").fill("Lönesystemet")
    page.get_by_role("button", name="Skapa nyckel").click()
    expect(page.get_by_role("alert")).to_be_visible()  # no code: refused, nothing made
    apage.check()
    assert not ApiToken.objects.exists()
    page.get_by_label("Nyckelns namn").fill("Lönesystemet")
    page.get_by_label("Sexsiffrig kod från appen").fill(_next_code("coordinator@sodertalje.test"))
    page.get_by_role("button", name="Skapa nyckel").click()
    expect(page.locator("#new-token")).to_contain_text("bry_")
    apage.check()
    apage.screenshot("tokens-created.png")
    page.get_by_role("button", name="Logga ut").click()

    log_in(apage, "dpo@sodertalje.test")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="API-nycklar").click()
    expect(page.get_by_role("heading", name="API-nycklar")).to_be_visible()
    expect(page.get_by_role("cell", name="Lönesystemet", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="coordinator@sodertalje.test", exact=True)).to_be_visible()
    apage.check()
    page.get_by_role("button", name="Återkalla Lönesystemet som tillhör coordinator@").click()
    expect(page.get_by_text("har återkallats")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Återkallad"))).to_be_visible()
    apage.check()
    apage.screenshot("tokens-dpo.png")
    assert ApiToken.objects.get(name="Lönesystemet").revoked_at is not None


def test_an_applicant_gets_their_link_again(rworld, apage):
    page = apage.page
    slug = rworld.home.municipality.slug
    apage.goto(f"/karriar/{slug}/", strict=True)
    page.get_by_role("link", name=re.compile("tappat bort länken")).click()
    expect(page.get_by_role("heading", name="Få länken till din ansökan igen")).to_be_visible()
    apage.check(strict=True)
    page.get_by_label("E-postadressen du ansökte med").fill("inte-en-adress")
    page.get_by_role("button", name="Skicka länken till mig").click()
    expect(page.get_by_role("alert")).to_be_visible()
    apage.check(strict=True)
    page.get_by_label("E-postadressen du ansökte med").fill(
        rworld.home.rec["application"].person.email
    )
    page.get_by_role("button", name="Skicka länken till mig").click()
    expect(page.get_by_text("Om vi har en ansökan från den adressen")).to_be_visible()
    apage.check(strict=True)
    apage.screenshot("resend-link.png")


def test_a_throttled_form_says_plainly_when_to_try_again(rworld, apage, settings, monkeypatch):
    settings.THROTTLES_ENABLED = True
    monkeypatch.setattr(
        throttle, "LINK_RESEND_PER_ADDRESS", throttle.Limit("link-address", 1, timedelta(hours=1))
    )
    page = apage.page
    url = f"/karriar/{rworld.home.municipality.slug}/min-ansokan/"
    for attempt in range(2):
        apage.goto(url, strict=True)
        page.get_by_label("E-postadressen du ansökte med").fill(f"person{attempt}@example.se")
        page.get_by_role("button", name="Skicka länken till mig").click()
    expect(page.get_by_role("heading", name="För många försök på kort tid")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Inget sparades")
    apage.check(strict=True)
    apage.screenshot("throttled.png")


def test_a_locked_out_supervisor_unlocks_their_own_sign_in(world, apage, live_server):
    page = apage.page
    email = "supervisor@sodertalje.test"
    for _ in range(5):
        apage.goto("/login/")
        page.get_by_label("E-postadress").fill(email)
        page.get_by_label("Lösenord").fill("fel-lösenord")
        page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Inloggningen är spärrad en stund")).to_be_visible()
    apage.check()
    page.get_by_role("link", name=re.compile("Är det ditt konto")).click()
    expect(page.get_by_role("heading", name="Lås upp din inloggning")).to_be_visible()
    apage.check()
    page.get_by_label("Din e-postadress").fill(email)
    page.get_by_role("button", name="Skicka länken").click()
    expect(page.get_by_text("Om adressen hör till ett konto")).to_be_visible()
    apage.check()
    apage.screenshot("unlock-requested.png")

    body = mail.outbox[-1].body
    path = re.search(r"/login/unlock/\S+/", body).group(0)
    apage.goto(path)
    expect(page.get_by_text("Länken fungerade")).to_be_visible()
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Översikt")).to_be_visible()
    apage.check()
    # The lock and the unlock reached the municipality's audit trail.
    from auditlog.models import LogEntry

    events = set(
        LogEntry.objects.filter(object_repr=email).values_list("additional_data__event", flat=True)
    )
    assert events == {"locked", "unlocked"}
