"""Personnummer (validated, stored once, masked), protected identity and free-text checks."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from bryggan.core import personal_data
from bryggan.core.models import AccessLogEntry, Person
from bryggan.core.roles import Role
from bryggan.recruitment.models import ApplicationNote
from tests.recruitment.test_apply import _apply_url, _form

pytestmark = pytest.mark.django_db

VALID = "19811218-9876"
COORDINATION = "811278-9873"  # samordningsnummer: day + 60


@pytest.mark.parametrize(
    "raw,stored",
    [
        ("19811218-9876", "19811218-9876"),
        ("811218-9876", "19811218-9876"),
        ("8112189876", "19811218-9876"),
        (" 198112189876 ", "19811218-9876"),
        (COORDINATION, "19811278-9873"),
        ("", ""),
    ],
)
def test_valid_numbers_are_stored_in_one_form(raw, stored):
    assert personal_data.normalize_personnummer(raw) == stored


@pytest.mark.parametrize(
    "raw",
    ["8112189877", "19811318-9876", "abc", "12345", "9" * 30, "20991231-1234", "0000000000"],
)
def test_invalid_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        personal_data.normalize_personnummer(raw)


def test_it_is_masked_for_all_but_hr(rworld):
    person = rworld.home.rec["person"]
    person.personnummer = VALID
    person.save()
    application = rworld.home.rec["application"]
    path = f"/rekrytering/ansokan/{application.pk}/"
    coordinator = rworld.home.client(Role.COORDINATOR).get(path).content.decode()
    assert "811218-XXXX" in coordinator and VALID not in coordinator and "9876" not in coordinator
    hr = rworld.home.client(Role.HR).get(path).content.decode()
    assert VALID in hr


def test_the_applicant_may_give_it_and_a_wrong_one_is_refused(rworld, settings):
    from django.test import Client

    bad = Client().post(_apply_url(rworld), _form(rworld, personnummer="19811218-9877"))
    assert bad.status_code == 400
    assert "inte ett giltigt personnummer" in bad.content.decode()
    assert not Person.objects.filter(email="sara.lind@example.se").exists()
    ok = Client().post(_apply_url(rworld), _form(rworld, personnummer="811218-9876"))
    assert ok.status_code == 302
    assert Person.objects.get(email="sara.lind@example.se").personnummer == VALID


def test_it_never_appears_in_the_audit_trail_or_the_access_log(rworld):
    from auditlog.models import LogEntry

    person = rworld.home.rec["person"]
    person.personnummer = VALID
    person.save()
    rworld.home.client(Role.HR).get(f"/rekrytering/ansokan/{rworld.home.rec['application'].pk}/")
    # Found by the same detector that guards free text (any form of it, with its check
    # digit), not by its last four digits, which a random file name can hold by chance.
    for entry in LogEntry.objects.all():
        assert not personal_data.personnummer_in_text(str(entry.changes)), entry.changes
        assert VALID.replace("-", "")[-10:] not in str(entry.changes).replace("-", "")
    for entry in AccessLogEntry.objects.all():
        text = f"{entry.subject_id} {entry.purpose} {entry.path}"
        assert not personal_data.personnummer_in_text(text), text


def test_a_protected_identity_hides_contact_details_and_every_view_is_logged(rworld):
    person = rworld.home.rec["person"]
    application = rworld.home.rec["application"]
    dpo = rworld.home.client(Role.DPO)
    assert dpo.post(f"/dataskydd/person/{person.pk}/skyddad-identitet/", {"protected": "yes"})
    person.refresh_from_db()
    assert person.protected_identity
    path = f"/rekrytering/ansokan/{application.pk}/"
    coordinator = rworld.home.client(Role.COORDINATOR)
    body = coordinator.get(path).content.decode()
    assert person.email not in body and "Skyddad identitet" in body
    board = coordinator.get(f"/rekrytering/annons/{application.posting_id}/tavla/").content.decode()
    assert person.email not in board
    api = coordinator.get(f"/api/recruitment/applications/{application.pk}").json()
    assert api["email"] == "Skyddad identitet" and api["phone"] in ("", "Skyddad identitet")
    assert person.email in rworld.home.client(Role.HR).get(path).content.decode()
    assert (
        AccessLogEntry.objects.filter(
            person_id=person.pk, purpose__contains="protected identity"
        ).count()
        >= 2
    )


def test_exports_never_carry_a_protected_persons_contact_details(rworld):
    participant = rworld.home.rec["participant"]
    person = participant.person
    person.protected_identity = True
    person.save()
    client = rworld.home.client(Role.COORDINATOR)
    entry = participant.hours.filter(approved_at__isnull=False).first()
    assert entry is not None
    month = entry.day.strftime("%Y-%m")
    body = client.get("/programmet/timmar/export/", {"month": month, "format": "csv"})
    assert body.status_code == 200
    text = body.getvalue().decode("utf-8-sig")
    assert person.last_name in text and person.email not in text


@pytest.mark.parametrize(
    "text",
    ["Klienten 811218-9876 ringde", "pnr 198112189876", "samordningsnr 811278-9873 här"],
)
def test_free_text_with_a_personnummer_is_refused(rworld, text):
    application = rworld.home.rec["application"]
    client = rworld.home.client(Role.COORDINATOR)
    response = client.post(
        f"/rekrytering/ansokan/{application.pk}/", {"action": "note", "text": text}
    )
    assert response.status_code in (200, 400)
    assert "Ta bort personnumret" in response.content.decode()
    assert not ApplicationNote.objects.filter(text=text).exists()


def test_free_text_with_other_numbers_is_fine():
    assert personal_data.personnummer_in_text("Ring 070-123 45 67, ärende 2026-1234") == []
    assert personal_data.personnummer_in_text("Dnr 20261234-5678") == []


def test_supervision_notes_refuse_a_personnummer(rworld):
    from datetime import timedelta

    from django.utils import timezone

    from bryggan.programme.models import SupervisionSession

    alva = rworld.home.rec["participant"]
    supervisor = rworld.home.client(Role.SUPERVISOR)
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    body = supervisor.post(
        f"/programmet/deltagare/{alva.pk}/plan/",
        {"action": "session", "kind": "mentor", "held_on": day, "topics": "Ärende 811218-9876"},
        follow=True,
    ).content.decode()
    assert "Ta bort personnumret" in body
    assert not SupervisionSession.objects.exists()
