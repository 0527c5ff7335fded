"""Tenant isolation of the shell: the home page, sign-in, password reset, the audit trail
and API tokens, attacked by every role of the other municipality."""

from __future__ import annotations

import pytest

from bryggan.core.models import ApiToken
from bryggan.core.roles import Role
from tests.isolation import (
    assert_no_leak,
    check_pages,
    check_plain,
)

pytestmark = pytest.mark.django_db


def _check_audit(world, client, who):
    assert_no_leak(client.get("/audit/"), f"{who} audit")
    assert_no_leak(client.get("/audit/", {"page": 2}), f"{who} audit page 2")


def _check_token_revoke(world, client, who):
    foreign_user = world.foreign.user(Role.COORDINATOR)
    token = ApiToken.objects.create(user=foreign_user, name="x", token_hash="h" * 64, hint="bry_")
    response = client.post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code in (302, 404), (who, response.status_code)
    token.refresh_from_db()
    assert token.revoked_at is None
    token.delete()


def _check_password_reset_confirm(world, client, who):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(world.foreign.user(Role.COORDINATOR).pk))
    response = client.get(f"/password-reset/{uid}/not-a-token/")
    assert_no_leak(response, f"{who} password reset confirm")


def _check_unlock(world, client, who):
    """An unlock link is for one account and signed: a forged one unlocks nothing, and
    asking for one answers the same whoever asks."""
    from django.core import mail

    sent = len(mail.outbox)
    assert_no_leak(client.get("/login/unlock/"), f"{who} unlock request")
    response = client.get("/login/unlock/eyJ1IjoxfQ:forged:signature/")
    assert response.status_code == 404, who
    assert "bryggan_unlocked" not in client.session
    assert len(mail.outbox) == sent


def _check_outbox(world, client, who):
    """The demo's outbox is the site administrator's alone, even with the outbox on: every
    municipality's user gets a 404 for the list and for a message."""
    from django.test import override_settings

    from bryggan.demo.models import OutboxMessage

    message = OutboxMessage.objects.create(to="x@example.se", subject="Hemligt", body="Hemligt")
    with override_settings(EMAIL_BACKEND="bryggan.demo.outbox.OutboxBackend"):
        for path in ("/demo/utkorg/", f"/demo/utkorg/{message.pk}/"):
            response = client.get(path)
            assert response.status_code in (302, 404), (who, path, response.status_code)
            assert "Hemligt" not in response.content.decode()
    message.delete()


def _check_brand(world, client, who):
    """A municipality's colour and logo are public (its careers pages show them): asked for
    by anyone, they answer with the colour or the picture and nothing else."""
    slug = world.foreign.municipality.slug
    for path in (f"/kommun/{slug}/tema.css", f"/kommun/{slug}/logo.png"):
        assert_no_leak(client.get(path), f"{who} {path}")
    assert client.post(f"/kommun/{slug}/tema.css").status_code == 405


PAGE_CHECKS = {
    "core:brand-css": _check_brand,
    "core:logo": _check_brand,
    "demo:outbox": _check_outbox,
    "demo:outbox-message": _check_outbox,
    "unlock-request": _check_unlock,
    "unlock": _check_unlock,
    "home": check_plain("/"),
    "healthz": check_plain("/healthz"),
    "login": check_plain("/login/"),
    "logout": lambda world, client, who: None,  # POST-only and holds no data; tested in test_auth
    "password_reset": check_plain("/password-reset/"),
    "password_reset_done": check_plain("/password-reset/sent/"),
    "password_reset_confirm": _check_password_reset_confirm,
    "password_reset_complete": check_plain("/password-reset/done/"),
    "set_language": lambda world, client, who: None,  # sets a cookie, shows nothing
    "core:audit": _check_audit,
    "core:tokens": check_plain("/account/tokens/"),
    "core:two-factor": check_plain("/account/two-factor/"),
    "core:token-revoke": _check_token_revoke,
}
API_CHECKS: dict = {}


def test_no_page_of_the_shell_shows_or_changes_another_municipalitys_data(rworld):
    check_pages(rworld, PAGE_CHECKS, "Shell pages")
