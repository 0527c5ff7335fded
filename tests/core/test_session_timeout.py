"""Signed-in sessions end after 30 minutes idle and 12 hours at most."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from bryggan.core.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _signed_in(world) -> Client:
    client = Client()
    user = world.home.user(Role.SUPERVISOR)
    user.set_password(PASSWORD)
    user.save()
    assert client.post("/login/", {"username": user.email, "password": PASSWORD}).status_code == 302
    assert client.get("/org/unit/").status_code == 200
    return client


def _shift(client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


def test_a_session_idle_for_half_an_hour_ends(world):
    client = _signed_in(world)
    _shift(client, "bryggan_last_seen", 29 * 60)
    assert client.get("/org/unit/").status_code == 200  # 29 minutes: still signed in
    _shift(client, "bryggan_last_seen", 31 * 60)
    response = client.get("/org/unit/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/login/")
    assert "utan aktivitet" in response.content.decode()
    assert client.get("/org/unit/").status_code == 302  # and it stays ended
    assert client.get("/api/organisation/units").status_code == 401


def test_a_session_ends_twelve_hours_after_sign_in_however_active(world):
    client = _signed_in(world)
    _shift(client, "bryggan_signed_in_at", 12 * 3600 - 60)
    assert client.get("/org/unit/").status_code == 200
    _shift(client, "bryggan_signed_in_at", 12 * 3600 + 60)
    assert client.get("/org/unit/").status_code == 302
