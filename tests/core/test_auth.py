import re

import pytest
from django.core import mail
from django.test import Client

from bryggan.core.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_logs_in_with_email_and_password(world):
    client = Client()
    response = client.post(
        "/login/", {"username": "supervisor@sodertalje.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "Södertälje" in client.get("/").content.decode()


def test_a_wrong_password_shows_a_message_and_no_session(world):
    client = Client()
    response = client.post("/login/", {"username": "coordinator@sodertalje.test", "password": "x"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert client.get("/").status_code == 302


def test_logout_needs_a_post_and_ends_the_session(world):
    client = world.home.client(Role.COORDINATOR)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_password_reset_sends_a_working_link(world):
    client = Client()
    response = client.post("/password-reset/", {"email": "coordinator@sodertalje.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coordinator@sodertalje.test"]
    assert message.subject == "Välj ett nytt lösenord till Bryggan"
    link = re.search(r"http://testserver(/password-reset/\S+/)", message.body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Ett-nytt-lösen-2026", "new_password2": "Ett-nytt-lösen-2026"},
    )
    assert response.status_code == 302
    response = Client().post(
        "/login/", {"username": "coordinator@sodertalje.test", "password": "Ett-nytt-lösen-2026"}
    )
    assert response.status_code == 302


def test_password_reset_for_an_unknown_address_reveals_nothing(world):
    response = Client().post("/password-reset/", {"email": "nobody@example.se"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_inactive_users_cannot_use_their_session(world):
    user = world.home.user(Role.COORDINATOR)
    client = world.home.client(Role.COORDINATOR)
    user.is_active = False
    user.save()
    assert client.get("/org/unit/").status_code == 302
