"""A release copy of an application for a public-records request, with the fields the
secrecy review chose masked, recorded in the access log."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from bryggan.core.models import AccessLogEntry
from bryggan.core.roles import Role

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def test_the_coordinator_makes_a_masked_release_copy(rworld):
    application = rworld.home.rec["application"]
    person = application.person
    person.personnummer = "19811218-9876"
    person.save()
    client = rworld.home.client(Role.COORDINATOR)
    path = f"/rekrytering/ansokan/{application.pk}/utlamnande/"
    page = client.get(path).content.decode()
    assert 'value="email" checked' in page.replace("\n", " ") or "checked" in page
    text = _text(
        client.post(path, {"reference": "KS 2026/77", "masked": ["email", "personnummer"]})
    )
    assert person.email not in text and "9876" not in text
    assert "Maskerat efter sekretessprövning" in text
    assert str(person) in text and application.posting.title in text and "KS 2026/77" in text
    entry = AccessLogEntry.objects.filter(purpose__startswith="release copy").get()
    assert entry.person_id == person.pk and "email, personnummer" in entry.purpose
    everything = _text(client.post(path, {"reference": "KS 2026/78", "masked": ["name"]}))
    assert str(person) not in everything and person.email in everything


@pytest.mark.parametrize(
    "data",
    [
        {"masked": ["email"]},
        {"reference": "x" * 300},
        {"reference": "KS 1", "masked": ["password_hash"]},
    ],
)
def test_a_bad_request_gets_a_message(rworld, data):
    application = rworld.home.rec["application"]
    client = rworld.home.client(Role.COORDINATOR)
    response = client.post(f"/rekrytering/ansokan/{application.pk}/utlamnande/", data)
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert not AccessLogEntry.objects.filter(purpose__startswith="release copy").exists()


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.UNIT_MANAGER, Role.STUDENT, Role.DPO])
def test_only_recruiters_make_release_copies(rworld, role):
    application = rworld.home.rec["application"]
    response = rworld.home.client(role).get(f"/rekrytering/ansokan/{application.pk}/utlamnande/")
    assert response.status_code in (403, 404)
