"""Sign-in under attack: spraying passwords from one address is slowed, then blocked; the
per-account lock cannot keep the owner out (an unlock link by e-mail, then password and code
as usual); lock-outs and unlocks are in the audit trail."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.utils import timezone

from bryggan.core import throttle
from bryggan.core.models import ThrottleEvent
from bryggan.core.roles import Role
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def throttled(settings):
    settings.THROTTLES_ENABLED = True
    return settings


WRONG = "fel-lösenord"  # a wrong password, on purpose


def _try(address: str, username: str, password: str = WRONG):
    return Client(REMOTE_ADDR=address).post("/login/", {"username": username, "password": password})


def test_spraying_from_one_address_is_slowed_then_blocked(world, throttled):
    address = "198.51.100.40"
    # Ten wrong passwords for ten different accounts (none of them gets locked).
    for n in range(throttle.SIGN_IN_FAILURES_SLOW.allowed):
        assert _try(address, f"nobody{n}@sodertalje.test").status_code == 200
    # The eleventh comes too soon: refused before any password is checked.
    slowed = _try(address, "mentor@sodertalje.test", PASSWORD)
    assert slowed.status_code == 429 and int(slowed["Retry-After"]) <= 20
    assert "För många försök" in slowed.content.decode()
    # After the pause one more try is let through.
    ThrottleEvent.objects.update(at=timezone.now() - timedelta(seconds=30))
    assert _try(address, "nobody-late@sodertalje.test").status_code == 200
    # Fifty failures within the hour: the address is blocked, even with a right password.
    ThrottleEvent.objects.bulk_create(
        ThrottleEvent(
            rule="sign-in-failures",
            key=throttle._key("sign-in-failures", address),
            at=timezone.now() - timedelta(minutes=30),
        )
        for _ in range(40)
    )
    blocked = _try(address, "mentor@sodertalje.test", PASSWORD)
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 20 * 60
    # Another address signs in as usual.
    assert _try("203.0.113.40", "mentor@sodertalje.test", PASSWORD).status_code == 302


def test_the_owner_gets_past_a_lock_with_the_e_mailed_link(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    owner = "supervisor@sodertalje.test"
    for _ in range(5):
        locked = _try("192.0.2.66", owner)  # an attacker elsewhere
    assert locked.status_code == 429
    assert "/login/unlock/" in locked.content.decode()  # the locked page offers the way out

    browser = Client(REMOTE_ADDR="198.51.100.41")
    assert browser.post("/login/", {"username": owner, "password": PASSWORD}).status_code == 429
    with django_capture_on_commit_callbacks(execute=True):
        asked = browser.post("/login/unlock/", {"email": owner.upper()})
        unknown = browser.post("/login/unlock/", {"email": "nobody@sodertalje.test"})
    assert asked.status_code == unknown.status_code == 200
    assert "Om adressen hör till ett konto" in asked.content.decode()
    assert [m.to for m in mailoutbox] == [[owner]]
    link = re.search(r"https?://\S+/login/unlock/\S+/", mailoutbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    opened = browser.get("/" + path)
    assert opened.status_code == 302 and opened["Location"].endswith("?unlocked=1")
    # This browser may try the account now: a wrong password is still wrong...
    assert browser.post("/login/", {"username": owner, "password": "fel"}).status_code == 200
    # ...and the right one signs in (a supervisor has no second factor; those who have give it
    # next, as always).
    # Before that, another browser without the link is still refused.
    assert _try("192.0.2.67", owner, PASSWORD).status_code == 429
    assert browser.post("/login/", {"username": owner, "password": PASSWORD}).status_code == 302

    # The lock and the unlock are in the municipality's audit trail, for the DPO.
    trail = world.home.client(Role.DPO).get("/audit/").content.decode()
    assert "låst i 15 minuter efter 5 misslyckade försök" in trail
    assert "låstes upp med länken i mejlet" in trail
    entries = LogEntry.objects.filter(object_repr=owner)
    assert entries.count() == 2
    assert {e.additional_data["municipality_id"] for e in entries} == {world.home.municipality.pk}
    foreign_trail = world.foreign.client(Role.DPO).get("/audit/").content.decode()
    assert owner not in foreign_trail


def test_an_unlock_link_is_signed_short_lived_and_for_one_account(world):
    from django.core import signing

    from bryggan.core import sign_in
    from bryggan.core.models import User

    user = User.objects.get(email="supervisor@sodertalje.test")
    good = sign_in._token(user)
    client = Client()
    for bad in (good[:-3] + "abc", "nonsense", signing.dumps({"u": user.pk}, salt="other")):
        assert client.get(f"/login/unlock/{bad}/").status_code == 404
    # A new password voids the link.
    user.set_password("ett-nytt-lösenord-2026")
    user.save()
    response = client.get(f"/login/unlock/{good}/")
    assert response.status_code == 404
    assert "Länken fungerar inte" in response.content.decode()
    assert sign_in.SESSION_KEY not in client.session


@pytest.mark.parametrize("email", ["", "inte-en-adress", "x" * 300 + "@example.se"])
def test_asking_for_an_unlock_link_refuses_bad_input(world, mailoutbox, email):
    response = Client().post("/login/unlock/", {"email": email})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not mailoutbox


def test_asking_for_unlock_links_is_throttled(world, throttled, mailoutbox):
    client = Client(REMOTE_ADDR="198.51.100.42")
    for n in range(5):
        assert client.post("/login/unlock/", {"email": f"n{n}@sodertalje.test"}).status_code == 200
    refused = client.post("/login/unlock/", {"email": "supervisor@sodertalje.test"})
    assert refused.status_code == 429
    assert not mailoutbox
