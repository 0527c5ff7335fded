"""Signing in through the real login page, second factor included, as a person would."""

from __future__ import annotations

import base64
import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.conftest import PASSWORD


def _code(key: bytes, drift: int = 0) -> str:
    totp = TOTP(key, step=30, digits=6, drift=drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def log_in(apage, email: str, password: str = PASSWORD) -> None:
    """Sign in; when the role needs a second factor, enrol the authenticator from the key the
    page shows (what an app does with the QR code) or, enrolled already, give its code."""
    apage.goto("/login/")
    page = apage.page
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    if "/account/two-factor/" in page.url:
        expect(page.get_by_role("heading", name="Inloggning med två faktorer")).to_be_visible()
        apage.check()
        shown = page.locator("#totp-secret")
        if shown.count():
            secret = shown.inner_text().replace(" ", "")
            key, drift = base64.b32decode(secret + "=" * (-len(secret) % 8)), 0
        else:
            device = TOTPDevice.objects.get(user__email=email, confirmed=True)
            key, drift = device.bin_key, device.drift
        page.get_by_label("Sexsiffrig kod från appen").fill(_code(key, drift))
        page.get_by_role("button", name="Bekräfta").click()
    expect(page.get_by_role("heading", name="Översikt")).to_be_visible()
    apage.check()
