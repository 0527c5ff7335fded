"""The public forms against abuse: throttles per address, per posting and per e-mail, upload
bytes per address, a field only bots fill in and a least fill time. A refusal is 429 (or 400
for a bot's form) with a clear Swedish message, and nothing is stored or sent."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from bryggan.core import throttle
from bryggan.core.forms_public import SALT
from bryggan.core.models import ThrottleEvent
from bryggan.recruitment.models import Application, EventRegistration
from tests.recruitment.test_apply import _apply_url, _form

pytestmark = pytest.mark.django_db


@pytest.fixture
def throttled(settings):
    settings.THROTTLES_ENABLED = True
    return settings


def _post_application(world, address: str, **overrides):
    return Client(REMOTE_ADDR=address).post(_apply_url(world), _form(world, **overrides))


def _assert_refused(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.content.decode()
    assert "Inget sparades" in body and "Försök igen om" in body


def test_one_address_sends_at_most_three_applications_to_a_posting_an_hour(rworld, throttled):
    before = Application.objects.count()
    for n in range(3):
        response = _post_application(rworld, "198.51.100.7", email=f"a{n}@example.se")
        assert response.status_code == 302, response.content.decode()[:300]
    refused = _post_application(rworld, "198.51.100.7", email="a4@example.se")
    _assert_refused(refused)
    assert Application.objects.count() == before + 3  # nothing stored for the fourth
    # Another address is not held back by this one.
    assert _post_application(rworld, "203.0.113.5", email="b@example.se").status_code == 302


def test_applications_are_limited_per_address_and_per_posting(rworld, throttled, monkeypatch):
    monkeypatch.setattr(
        throttle, "APPLY_PER_ADDRESS", throttle.Limit("apply-address", 1, timedelta(hours=1))
    )
    assert _post_application(rworld, "198.51.100.8", email="c@example.se").status_code == 302
    _assert_refused(_post_application(rworld, "198.51.100.8", email="d@example.se"))

    monkeypatch.setattr(
        throttle, "APPLY_PER_POSTING", throttle.Limit("apply-posting", 2, timedelta(hours=1))
    )
    # A flood spread over many addresses still stops at the posting's limit.
    assert _post_application(rworld, "192.0.2.1", email="e@example.se").status_code == 302
    _assert_refused(_post_application(rworld, "192.0.2.2", email="f@example.se"))


def test_upload_bytes_are_capped_per_address(rworld, throttled, monkeypatch):
    monkeypatch.setattr(
        throttle,
        "UPLOAD_BYTES_PER_ADDRESS",
        throttle.Limit("upload-bytes-address", 100, timedelta(hours=1)),
    )
    before = Application.objects.count()
    _assert_refused(_post_application(rworld, "198.51.100.9"))  # two documents, over 100 B
    assert Application.objects.count() == before


def test_a_filled_in_hidden_field_is_a_bot_and_nothing_is_stored(rworld, mailoutbox):
    before = Application.objects.count()
    response = _post_application(rworld, "198.51.100.10", website="http://spam.example")
    assert response.status_code == 400
    assert "kunde inte skickas" in response.content.decode()
    assert Application.objects.count() == before and not mailoutbox


def test_a_form_sent_faster_than_a_person_can_is_refused(rworld, settings):
    settings.PUBLIC_FORM_MIN_SECONDS = 3
    before = Application.objects.count()
    now = signing.dumps(time.time(), salt=SALT)
    fast = _post_application(rworld, "198.51.100.11", started=now)
    assert fast.status_code == 400 and "snabbare än" in fast.content.decode()
    for forged in ("", "nonsense", signing.dumps(time.time() - 60, salt="another-salt")):
        response = _post_application(rworld, "198.51.100.11", started=forged)
        assert response.status_code == 400, forged
        assert "Ladda om sidan" in response.content.decode()
    assert Application.objects.count() == before
    earlier = signing.dumps(time.time() - 10, salt=SALT)
    assert _post_application(rworld, "198.51.100.11", started=earlier).status_code == 302


def test_the_form_carries_the_checks_without_showing_them(rworld, settings):
    settings.PUBLIC_FORM_MIN_SECONDS = 3
    page = Client().get(_apply_url(rworld)).content.decode()
    assert '<div class="human-check" hidden>' in page
    assert 'name="website"' in page and 'name="started"' in page
    # Right after an error the applicant is told to attach the files again.
    bad = _post_application(rworld, "198.51.100.12", first_name="").content.decode()
    assert "Bifoga filerna igen" in bad


def test_event_sign_ups_are_limited_per_address(rworld, throttled, monkeypatch):
    monkeypatch.setattr(
        throttle,
        "EVENT_SIGNUP_PER_ADDRESS",
        throttle.Limit("event-address", 2, timedelta(hours=1)),
    )
    event = rworld.home.rec["event"]
    url = f"/karriar/{rworld.home.municipality.slug}/evenemang/{event.pk}/"
    client = Client(REMOTE_ADDR="198.51.100.13")
    before = EventRegistration.objects.count()
    for n in range(2):
        response = client.post(url, {"name": f"Person {n}", "email": f"p{n}@example.se"})
        assert response.status_code == 200, response.content.decode()[:300]
    _assert_refused(client.post(url, {"name": "Person 3", "email": "p3@example.se"}))
    assert EventRegistration.objects.count() == before + 2


def _without_csrf(response) -> str:
    body = re.sub(r'"X-CSRFToken": "[^"]*"', "", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def _resend_url(world) -> str:
    return f"/karriar/{world.home.municipality.slug}/min-ansokan/"


def test_send_my_link_again_answers_the_same_whether_or_not_we_know_the_address(
    rworld, mailoutbox, django_capture_on_commit_callbacks
):
    known = rworld.home.rec["application"].person.email
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        for_known = client.post(_resend_url(rworld), {"email": known.upper()})
        for_unknown = client.post(_resend_url(rworld), {"email": "nobody@example.se"})
    assert for_known.status_code == for_unknown.status_code == 200
    assert "Om vi har en ansökan från den adressen" in for_known.content.decode()
    # Nothing tells them apart (but the per-request CSRF token every page carries).
    assert _without_csrf(for_known) == _without_csrf(for_unknown)
    assert [m.to for m in mailoutbox] == [[known]]
    assert "/ansokan/" in mailoutbox[0].body
    # Another municipality's applicant gets nothing from this municipality's page.
    foreign = rworld.foreign.rec["application"].person.email
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_resend_url(rworld), {"email": foreign})
    assert len(mailoutbox) == 1


@pytest.mark.parametrize("email", ["", "not-an-address", "x" * 300 + "@example.se"])
def test_send_my_link_again_refuses_bad_input(rworld, mailoutbox, email):
    response = Client().post(_resend_url(rworld), {"email": email})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not mailoutbox


def test_send_my_link_again_is_limited_per_address_and_per_e_mail(
    rworld, throttled, mailoutbox, django_capture_on_commit_callbacks
):
    known = rworld.home.rec["application"].person.email
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            response = Client(REMOTE_ADDR=f"192.0.2.{n + 10}").post(
                _resend_url(rworld), {"email": known}
            )
            assert response.status_code == 200
        # The same e-mail from a fourth address: refused, nothing sent.
        _assert_refused(
            Client(REMOTE_ADDR="192.0.2.99").post(_resend_url(rworld), {"email": known})
        )
    assert len(mailoutbox) == 3
    one = Client(REMOTE_ADDR="198.51.100.14")
    for n in range(5):
        assert one.post(_resend_url(rworld), {"email": f"n{n}@example.se"}).status_code == 200
    _assert_refused(one.post(_resend_url(rworld), {"email": "n6@example.se"}))


def test_the_applicants_changes_are_limited_per_application(rworld, throttled, monkeypatch):
    from bryggan.recruitment import links

    monkeypatch.setattr(
        throttle,
        "APPLICANT_CHANGES_PER_APPLICATION",
        throttle.Limit("applicant-changes", 2, timedelta(hours=1)),
    )
    application = rworld.home.rec["application"]
    status = links.link_path(application)
    client = Client()
    for _ in range(2):
        assert client.post(status + "avboka/").status_code == 302
    _assert_refused(client.post(status + "avboka/"))
    _assert_refused(client.post(status + "boka/", {"slot": "1"}))


def test_behind_the_proxy_each_client_is_counted_by_the_address_nginx_saw(
    rworld, throttled, settings
):
    settings.TRUSTED_PROXY_HOPS = 1

    def via_proxy(client_address: str, claimed: str = ""):
        forwarded = f"{claimed}, {client_address}" if claimed else client_address
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    url = _apply_url(rworld)
    for n in range(3):
        assert via_proxy("198.51.100.20").post(url, _form(rworld, email=f"g{n}@example.se"))
    # Claiming to be someone else in the header does not help: the last hop is believed.
    _assert_refused(via_proxy("198.51.100.20", claimed="10.9.9.9").post(url, _form(rworld)))
    # Another client behind the same proxy is counted apart.
    assert via_proxy("198.51.100.21").post(url, _form(rworld)).status_code == 302


def test_the_counts_keep_no_address_and_go_after_a_day(rworld, throttled):
    from bryggan.privacy.retention import housekeeping

    assert _post_application(rworld, "198.51.100.30").status_code == 302
    keys = list(ThrottleEvent.objects.values_list("key", flat=True))
    assert keys and not any("198.51.100.30" in key for key in keys)
    ThrottleEvent.objects.update(at=timezone.now() - timedelta(days=2))
    assert housekeeping()["throttle_events"] == len(keys)
    assert not ThrottleEvent.objects.exists()


def test_an_empty_post_is_answered_with_the_missing_field(rworld, mailoutbox):
    for path in (_resend_url(rworld), "/login/unlock/"):
        response = Client().post(path, {})
        assert response.status_code == 400, path
        assert 'class="error-summary"' in response.content.decode()
    event = rworld.home.rec["event"]
    url = f"/karriar/{rworld.home.municipality.slug}/evenemang/{event.pk}/"
    assert Client().post(url, {}).status_code == 400
    assert not mailoutbox
