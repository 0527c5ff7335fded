import pytest

from bryggan.core.models import ApiToken
from bryggan.core.roles import Role

pytestmark = pytest.mark.django_db


def test_it_creates_a_token_and_shows_it_once(world):
    client = world.home.client(Role.SUPERVISOR)
    response = client.post("/account/tokens/", {"name": "Mitt skript"})
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
    client.post("/account/tokens/", {"name": "A"})
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
    client.post("/account/tokens/", {"name": "A"})
    token = ApiToken.objects.get(name="A")
    assert client.get(f"/account/tokens/{token.pk}/revoke/").status_code == 405
