"""The rules for API tokens: a fresh second factor to make one (for the roles that sign in
with two), 30 days unless chosen otherwise, the data-protection officer lists and revokes
them, and a use from a new address is written to the access log."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from bryggan.core.client_address import UNKNOWN, client_address
from bryggan.core.models import AccessLogEntry, ApiToken
from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from bryggan.core.services import api_token_create

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, step=30, digits=6)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_a_coordinator_needs_a_fresh_code_to_make_a_token(world):
    client = world.home.client(Role.COORDINATOR)
    page = client.get("/account/tokens/")
    assert 'name="code"' in page.content.decode()  # the form asks for it

    without = client.post("/account/tokens/", {"name": "Lön", "days": "30"})
    assert without.status_code == 400 and without.context["form"].errors["code"]
    wrong = client.post("/account/tokens/", {"name": "Lön", "days": "30", "code": "000000"})
    assert wrong.status_code == 400 and wrong.context["form"].errors["code"]
    garbage = client.post("/account/tokens/", {"name": "Lön", "days": "30", "code": "x" * 50})
    assert garbage.status_code == 400
    assert not ApiToken.objects.exists()

    device = TOTPDevice.objects.get(user=world.home.user(Role.COORDINATOR))
    # django-otp slows guessing after a wrong code; the rightful user's next try comes later.
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    made = client.post("/account/tokens/", {"name": "Lön", "days": "30", "code": _code(device)})
    assert made.status_code == 200 and made.context["new_token"].raw.startswith("bry_")
    assert ApiToken.objects.filter(name="Lön").count() == 1


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_without_two_factor_sign_in_no_code_is_asked(world):
    client = world.home.client(Role.COORDINATOR)
    assert 'name="code"' not in client.get("/account/tokens/").content.decode()
    assert client.post("/account/tokens/", {"name": "A", "days": "30"}).status_code == 200
    assert ApiToken.objects.filter(name="A").exists()


def test_a_supervisor_makes_a_token_without_a_code_and_it_lasts_30_days_by_default(world):
    client = world.home.client(Role.SUPERVISOR)
    page = client.get("/account/tokens/").content.decode()
    assert 'name="code"' not in page
    assert 'value="30" selected' in page  # the form's default
    client.post("/account/tokens/", {"name": "Skript", "days": "30"})
    token = ApiToken.objects.get(name="Skript")
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    made = api_token_create(actor=actor_for(world.home.user(Role.MENTOR)), name="Utan val")
    assert made.token.expires_at - timezone.now() <= timedelta(days=30)  # the service's too


def _token(user, name: str) -> ApiToken:
    return api_token_create(actor=actor_for(user), name=name, days=90).token


def test_the_dpo_lists_and_revokes_the_municipalitys_tokens(world):
    supervisor = world.home.user(Role.SUPERVISOR)
    own = _token(supervisor, "Handledarens skript")
    foreign = _token(world.foreign.user(Role.SUPERVISOR), "Annan kommuns skript")
    dpo = world.home.client(Role.DPO)

    page = dpo.get("/dataskydd/api-nycklar/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Handledarens skript" in body and supervisor.email in body
    assert "Annan kommuns skript" not in body

    revoked = dpo.post(f"/dataskydd/api-nycklar/{own.pk}/aterkalla/")
    assert revoked.status_code == 302
    own.refresh_from_db()
    assert own.revoked_at is not None and own.revoked_by == world.home.user(Role.DPO)
    assert "Återkallad" in dpo.get("/dataskydd/api-nycklar/").content.decode()

    assert dpo.post(f"/dataskydd/api-nycklar/{foreign.pk}/aterkalla/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None
    assert dpo.post("/dataskydd/api-nycklar/99999999/aterkalla/").status_code == 404
    assert dpo.get(f"/dataskydd/api-nycklar/{own.pk}/aterkalla/").status_code == 405


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.SUPERVISOR, Role.STUDENT, Role.HR])
def test_only_the_dpo_sees_everyones_tokens(world, role):
    token = _token(world.home.user(Role.MENTOR), "Mentorns skript")
    client = world.home.client(role)
    assert client.get("/dataskydd/api-nycklar/").status_code == 403
    assert client.post(f"/dataskydd/api-nycklar/{token.pk}/aterkalla/").status_code in (403, 404)
    token.refresh_from_db()
    assert token.revoked_at is None


def _uses(token_id: int) -> list[str]:
    return list(
        AccessLogEntry.objects.filter(subject_type="api token", subject_id=str(token_id))
        .order_by("pk")
        .values_list("purpose", flat=True)
    )


def test_a_token_used_from_a_new_address_is_written_to_the_access_log(world):
    user = world.home.user(Role.COORDINATOR)
    made = api_token_create(actor=actor_for(user), name="Integration", days=30)
    api = Client(headers={"Authorization": f"Bearer {made.raw}"})

    for _ in range(3):
        assert api.get("/api/organisation/units", REMOTE_ADDR="10.1.1.1").status_code == 200
    assert _uses(made.token.pk) == ["api token from a new address 10.1.1.1"]
    api.get("/api/organisation/units", REMOTE_ADDR="192.0.2.77")
    assert _uses(made.token.pk)[-1] == "api token from a new address 192.0.2.77"
    api.get("/api/organisation/units", REMOTE_ADDR="10.1.1.1")  # known: not again
    assert len(_uses(made.token.pk)) == 2
    entry = AccessLogEntry.objects.filter(subject_type="api token").latest("pk")
    assert (entry.user, entry.municipality, entry.path) == (
        user,
        world.home.municipality,
        "/api/organisation/units",
    )
    made.token.refresh_from_db()
    assert made.token.addresses == ["10.1.1.1", "192.0.2.77"]

    # The DPO reads it in Swedish.
    log = world.home.client(Role.DPO).get("/dataskydd/atkomstlogg/", {"kind": "api token"})
    assert "API-nyckel använd från en ny adress 192.0.2.77" in log.content.decode()
    # A bad token is refused and logs nothing.
    Client(headers={"Authorization": "Bearer bry_nonsense"}).get(
        "/api/organisation/units", REMOTE_ADDR="203.0.113.9"
    )
    assert len(_uses(made.token.pk)) == 2


def _request(remote: str, forwarded: str | None = None):
    from django.test import RequestFactory

    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_the_client_address_believes_only_the_trusted_proxies():
    with override_settings(TRUSTED_PROXY_HOPS=0):
        # No proxy: a forged header changes nothing.
        assert client_address(_request("198.51.100.4", "1.2.3.4")) == "198.51.100.4"
    with override_settings(TRUSTED_PROXY_HOPS=1):
        # nginx appends the address it saw; what the client wrote before it is ignored.
        assert client_address(_request("127.0.0.1", "1.2.3.4, 198.51.100.4")) == "198.51.100.4"
        assert client_address(_request("127.0.0.1", "198.51.100.4")) == "198.51.100.4"
        assert client_address(_request("127.0.0.1", "")) == "127.0.0.1"
        assert client_address(_request("127.0.0.1", "not-an-address")) == "127.0.0.1"
        assert client_address(_request("127.0.0.1", "2001:db8::1")) == "2001:db8::1"
    with override_settings(TRUSTED_PROXY_HOPS=2):
        assert client_address(_request("127.0.0.1", "6.6.6.6, 198.51.100.4, 10.0.0.2")) == (
            "198.51.100.4"
        )
        assert client_address(_request("127.0.0.1", "10.0.0.2")) == "127.0.0.1"
    assert client_address(_request("garbage")) == UNKNOWN
