import pytest

from bryggan.core.models import ApiToken
from bryggan.core.roles import Role

pytestmark = pytest.mark.django_db


def test_it_creates_a_token_and_shows_it_once(world):
    client = world.home.client(Role.SUPERVISOR)
    response = client.post("/account/tokens/", {"name": "Mitt skript", "days": "90"})
    token = ApiToken.objects.get(name="Mitt skript")
    raw = response.context["new_token"].raw
    assert raw.startswith("bry_") and ApiToken.hash(raw) == token.token_hash
    assert raw in response.content.decode()
    assert raw not in client.get("/account/tokens/").content.decode()
    assert token.token_hash != raw  # only the hash is stored


def test_it_refuses_a_token_without_a_name(world):
    client = world.home.client(Role.SUPERVISOR)
    response = client.post("/account/tokens/", {"name": ""})
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()
    response = client.post("/account/tokens/", {"name": "x" * 500})
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_it_revokes_only_the_users_own_token(world):
    client = world.home.client(Role.SUPERVISOR)
    client.post("/account/tokens/", {"name": "A", "days": "30"})
    token = ApiToken.objects.get(name="A")
    other = world.home.client(Role.MENTOR)
    assert other.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoking_needs_a_post(world):
    client = world.home.client(Role.SUPERVISOR)
    client.post("/account/tokens/", {"name": "A", "days": "30"})
    token = ApiToken.objects.get(name="A")
    assert client.get(f"/account/tokens/{token.pk}/revoke/").status_code == 405


def test_a_token_runs_out_after_the_days_chosen(world):
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    client = world.home.client(Role.SUPERVISOR)
    response = client.post("/account/tokens/", {"name": "Kort", "days": "30"})
    raw = response.context["new_token"].raw
    token = ApiToken.objects.get(name="Kort")
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    assert api.get("/api/organisation/units").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api.get("/api/organisation/units")
    assert response.status_code == 401
    assert "detail" in response.json()
    assert "Utgånget" in client.get("/account/tokens/").content.decode()


@pytest.mark.parametrize("days", ["7", "abc", "", "99999999999999999999"])
def test_it_refuses_a_validity_it_does_not_offer(world, days):
    client = world.home.client(Role.SUPERVISOR)
    response = client.post("/account/tokens/", {"name": "X", "days": days})
    assert response.status_code == 400
    assert response.context["form"].errors["days"]
    assert not ApiToken.objects.exists()
