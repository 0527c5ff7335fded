"""Error pages are Swedish and in Bryggan's own layout: a stale form (CSRF), a request that
cannot be read (400). (The lock-out after failed sign-ins, 429, is tested in test_two_factor.)"""

from __future__ import annotations

import pytest
from django.test import Client

from bryggan.core.roles import Role
from tests.clients import signed_in_client

pytestmark = pytest.mark.django_db


def _in_layout(response) -> str:
    body = response.content.decode()
    assert '<html lang="sv">' in body and "Bryggan" in body
    return body


def test_a_form_without_its_csrf_token_gets_a_swedish_page(world):
    client = signed_in_client(world.home.user(Role.COORDINATOR), enforce_csrf_checks=True)
    response = client.post("/org/department/new/", {"name": "X", "kind": "other"})
    assert response.status_code == 403
    body = _in_layout(response)
    assert "Formuläret har gått ut" in body
    assert "CSRF verification failed" not in body  # not Django's English page


def test_a_request_bryggan_cannot_read_gets_a_swedish_page(world):
    response = Client().get("/login/", HTTP_HOST="inte-bryggan.example")
    assert response.status_code == 400
    assert "Förfrågan kunde inte läsas" in _in_layout(response)
