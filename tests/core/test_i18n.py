import pytest
from django.test import Client

from bryggan.core.roles import Role

pytestmark = pytest.mark.django_db


def test_pages_are_swedish_by_default_whatever_the_browser_says(world):
    client = world.home.client(Role.COORDINATOR)
    response = client.get("/org/unit/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert '<html lang="sv">' in body
    assert "Enheter" in body and "Ny enhet" in body


def test_the_language_switch_changes_to_english_and_back(world):
    client = world.home.client(Role.COORDINATOR)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/org/unit/"})
    assert response.status_code == 302
    body = client.get("/org/unit/").content.decode()
    assert '<html lang="en">' in body
    assert "Units" in body and "New unit" in body
    client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    assert "Enheter" in client.get("/org/unit/").content.decode()


def test_form_errors_are_translated(world):
    client = world.home.client(Role.COORDINATOR)
    response = client.post("/org/department/new/", {})
    assert "Detta fält måste fyllas i." in response.content.decode()


def test_the_login_page_is_swedish_for_anonymous_visitors():
    body = Client().get("/login/").content.decode()
    assert "Logga in i Bryggan" in body
