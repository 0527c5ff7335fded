"""Two-factor sign-in, lock-out after failed sign-ins, and the production security settings."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from bryggan.core.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _sign_in(email: str) -> Client:
    client = Client()
    response = client.post("/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def _code(key: bytes, *, offset: int = 0) -> str:
    totp = TOTP(key, step=30, digits=6)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.HR, Role.DPO])
def test_roles_with_wide_access_must_enrol_and_give_a_code(world, role):
    client = _sign_in(f"{role.value}@sodertalje.test")
    response = client.get("/org/unit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/?next=")
    # The session API says no as well, in JSON.
    api = client.get("/api/organisation/units")
    assert api.status_code == 403 and "detail" in api.json()

    page = client.get(response["Location"])
    body = page.content.decode()
    assert "<svg" in body and "Skanna QR-koden" in body
    assert 'aria-label="Huvudmeny"' not in body  # no menu until the code is given
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', body).group(1).replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))

    # Wrong codes and rubbish are refused with a message on the field.
    for bad in ("000000", "12345", "abcdef", "1" * 200, ""):
        if bad == _code(key):
            continue
        wrong = client.post("/account/two-factor/", {"code": bad, "next": "/org/unit/"})
        assert wrong.status_code == 400
        assert 'aria-invalid="true"' in wrong.content.decode()
    assert client.get("/org/unit/").status_code == 302
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)

    ok = client.post("/account/two-factor/", {"code": _code(key), "next": "/org/unit/"})
    assert ok.status_code == 302 and ok["Location"] == "/org/unit/"
    assert client.get("/org/unit/").status_code == 200
    assert TOTPDevice.objects.get(user__email=f"{role.value}@sodertalje.test").confirmed

    # The next sign-in asks for a code only: no new QR code, the same key.
    again = _sign_in(f"{role.value}@sodertalje.test")
    body = again.get("/account/two-factor/").content.decode()
    assert "<svg" not in body and "totp-secret" not in body
    code = _code(key, offset=30)  # the previous code is used up
    assert again.post("/account/two-factor/", {"code": code}).status_code in (302, 400)


def test_an_open_redirect_is_not_followed_after_the_code(world):
    client = _sign_in("coordinator@sodertalje.test")
    body = client.get("/account/two-factor/").content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', body).group(1).replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    response = client.post(
        "/account/two-factor/", {"code": _code(key), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.STUDENT, Role.UNIVERSITY_CONTACT])
def test_other_roles_sign_in_with_a_password(world, role):
    client = _sign_in(f"{role.value}@sodertalje.test")
    assert client.get("/").status_code == 200


def test_site_admins_need_the_second_factor_for_the_admin(world):
    client = Client()
    client.force_login(world.admin)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/account/two-factor/" in response["Location"]


def test_too_many_codes_are_throttled(world):
    client = _sign_in("coordinator@sodertalje.test")
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user__email="coordinator@sodertalje.test")
    for _ in range(3):
        client.post("/account/two-factor/", {"code": "000001"})
    response = client.post("/account/two-factor/", {"code": _code(device.bin_key)})
    assert response.status_code == 400
    assert "Vänta en stund" in response.content.decode()


def test_five_failed_sign_ins_lock_the_account_for_a_while(world):
    client = Client()
    for _ in range(5):
        response = client.post(
            "/login/", {"username": "supervisor@sodertalje.test", "password": "fel-lösenord"}
        )
    assert response.status_code == 429
    # Now even the right password is refused, from any client, with a clear page.
    locked = Client().post(
        "/login/", {"username": "supervisor@sodertalje.test", "password": PASSWORD}
    )
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "För många misslyckade inloggningar" in body and "15 minuter" in body
    assert Client().get("/org/unit/").status_code == 302
    # Another account is not affected.
    assert _sign_in("mentor@sodertalje.test").get("/").status_code == 200


def test_a_successful_sign_in_resets_the_count(world):
    client = Client()
    for _ in range(4):
        client.post("/login/", {"username": "mentor@sodertalje.test", "password": "fel"})
    _sign_in("mentor@sodertalje.test")
    for _ in range(4):
        response = client.post("/login/", {"username": "mentor@sodertalje.test", "password": "x"})
    assert response.status_code == 200


def test_pages_send_a_content_security_policy_without_inline_scripts(world):
    response = Client().get("/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_check_deploy_passes_with_the_production_settings(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "bryggan.config.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "SECRET_KEY": "prod-" + "k3y!" * 15,
        "DEBUG": "0",
        "HTTPS": "1",
        "ALLOWED_HOSTS": "bryggan.sodertalje.se",
        "BRYGGAN_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_mark_cookies_secure_and_send_hsts(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "SECRET_KEY": "prod-" + "k3y!" * 15,
        "HTTPS": "1",
        "BRYGGAN_VAR_DIR": str(tmp_path),
    }
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='bryggan.config.settings';"
        "django.setup(); from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_SSL_REDIRECT)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.split() == ["True", "True", "31536000", "True"], out.stderr


def test_the_demo_code_command_prints_a_working_code_for_demo_accounts_only(db):
    from io import StringIO

    from django.core.management import CommandError, call_command

    from tests import factories as f

    user = f.UserFactory(email="coordinator@sodertalje.demo")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    out = StringIO()
    call_command("demo_code", "coordinator@sodertalje.demo", stdout=out)
    assert device.verify_token(out.getvalue().strip())
    with pytest.raises(CommandError, match="Only demo accounts"):
        call_command("demo_code", "coordinator@sodertalje.se")
    with pytest.raises(CommandError, match="no authenticator"):
        call_command("demo_code", "nobody@x.demo")
