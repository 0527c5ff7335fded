"""Applying from the careers page: the whole application, and every kind of bad input.

Bad input gets a clear Swedish message and leaves nothing behind: no application, no person,
no stored file.
"""

from __future__ import annotations

import os
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from bryggan.core.models import Person
from bryggan.recruitment import links
from bryggan.recruitment.models import Application, Document, Posting, Stage, StageChange
from tests.recruitment_data import PDF_BYTES, docx_bytes, odt_bytes, upload

pytestmark = pytest.mark.django_db


def _form(world, **overrides) -> dict:
    unit = world.home.objects["unit"]
    data = {
        "first_name": "Sara",
        "last_name": "Lind",
        "email": "sara.lind@example.se",
        "phone": "070-123 45 67",
        "university": world.home.objects["university"].pk,
        "programme": "Socionomprogrammet",
        "current_term": "6",
        "expected_graduation": f"VT {timezone.localdate().year + 1}",
        "wish_1": unit.pk,
        "interests": "Barn och unga, utredning",
        "cv": upload("cv.pdf", PDF_BYTES),
        "letter": upload("brev.docx", docx_bytes()),
        "source": "careers_page",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _apply_url(world) -> str:
    posting = world.home.rec["posting"]
    return f"/karriar/{world.home.municipality.slug}/{posting.pk}/ansok/"


def _stored_files(settings) -> list[str]:
    root = settings.PRIVATE_STORAGE_ROOT
    return sorted(os.listdir(root)) if os.path.exists(root) else []


def test_a_student_applies_and_gets_a_private_link(
    rworld, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(_apply_url(rworld), _form(rworld))
    assert response.status_code == 302
    application = Application.objects.get(person__email="sara.lind@example.se")
    assert application.stage == Stage.RECEIVED
    assert [w.unit for w in application.wishes.order_by("rank")] == [rworld.home.objects["unit"]]
    kinds = sorted(
        Document.objects.filter(application=application).values_list("kind", "content_type")
    )
    assert kinds == [
        ("cv", "application/pdf"),
        ("letter", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ]
    assert StageChange.objects.filter(
        application=application, to_stage="received", email_sent=True
    ).exists()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["sara.lind@example.se"]
    assert "Vi har tagit emot din ansökan" in mail.subject
    link = links.link_path(application)
    assert link in mail.body
    status = Client().get(response["Location"])
    assert status.status_code == 200
    assert "Sara Lind" in status.content.decode()


def test_the_same_person_applying_to_two_postings_is_one_person(rworld):
    other = Posting.objects.get(pk=rworld.home.rec["posting"].pk)
    other.pk = None
    other.title = "Studentanställning"
    other.kind = "student_employee"
    other.save()
    other.units.add(rworld.home.objects["unit"])
    Client().post(_apply_url(rworld), _form(rworld))
    response = Client().post(
        f"/karriar/{rworld.home.municipality.slug}/{other.pk}/ansok/",
        _form(rworld, email="SARA.LIND@example.se", letter=upload("brev.odt", odt_bytes())),
    )
    assert response.status_code == 302
    assert Person.objects.filter(email__iexact="sara.lind@example.se").count() == 1
    assert Application.objects.filter(person__email="sara.lind@example.se").count() == 2


def _refused(world, settings, data, message, status=400):
    people, applications = Person.objects.count(), Application.objects.count()
    files = _stored_files(settings)
    response = Client().post(_apply_url(world), data)
    body = response.content.decode()
    assert response.status_code == status, body[:2000]
    assert message in body, body[:5000]
    assert Person.objects.count() == people
    assert Application.objects.count() == applications
    assert _stored_files(settings) == files
    return body


def test_missing_consent(rworld, settings):
    _refused(rworld, settings, _form(rworld, consent=None), "Detta fält måste fyllas i")


def test_an_email_that_is_not_an_address(rworld, settings):
    _refused(
        rworld,
        settings,
        _form(rworld, email="sara.lind(at)example"),
        "Fyll i en giltig e-postadress",
    )


def test_an_executable_renamed_pdf(rworld, settings):
    exe = upload("cv.pdf", b"MZ\x90\x00\x03" + b"\x00" * 500)
    _refused(rworld, settings, _form(rworld, cv=exe), "Endast PDF, Word (DOCX) eller OpenDocument")


def test_a_corrupt_docx(rworld, settings):
    corrupt = upload("brev.docx", b"PK\x03\x04" + os.urandom(400))
    _refused(rworld, settings, _form(rworld, letter=corrupt), "Filen är skadad")


def test_a_truncated_docx(rworld, settings):
    truncated = upload("brev.docx", docx_bytes()[:-40])
    _refused(rworld, settings, _form(rworld, letter=truncated), "Filen är skadad")


def test_an_oversized_file(rworld, settings):
    big = upload("cv.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024))
    _refused(rworld, settings, _form(rworld, cv=big), "Filen är större än 10,0\xa0MB")


def test_an_empty_file(rworld, settings):
    _refused(rworld, settings, _form(rworld, cv=upload("cv.pdf", b"")), "Den skickade filen är tom")


def test_the_same_unit_twice_in_the_wishes(rworld, settings):
    from tests import factories as f

    second = f.UnitFactory(department=rworld.home.objects["department"], name="Mottagning")
    rworld.home.rec["posting"].units.add(second)
    unit = rworld.home.objects["unit"].pk
    _refused(
        rworld,
        settings,
        _form(rworld, wish_1=unit, wish_2=unit),
        "Du har redan valt den här enheten",
    )


def test_a_unit_of_another_posting_is_not_a_choice(rworld, settings):
    foreign_unit = rworld.foreign.objects["unit"].pk
    _refused(rworld, settings, _form(rworld, wish_1=foreign_unit), "Välj ett giltigt alternativ")


def test_a_duplicate_application(rworld, settings):
    assert Client().post(_apply_url(rworld), _form(rworld)).status_code == 302
    _refused(rworld, settings, _form(rworld), "Du har redan sökt den här annonsen")


def test_past_the_deadline(rworld, settings):
    posting = rworld.home.rec["posting"]
    posting.last_application_date = timezone.localdate() - timedelta(days=1)
    posting.save()
    _refused(rworld, settings, _form(rworld), "Sista dagen att söka var", status=410)


def test_a_draft_or_foreign_posting_cannot_be_applied_to(rworld):
    foreign = rworld.foreign.rec["posting"]
    slug = rworld.home.municipality.slug
    assert Client().get(f"/karriar/{slug}/{foreign.pk}/ansok/").status_code == 404
    posting = rworld.home.rec["posting"]
    posting.status = "draft"
    posting.save()
    assert Client().get(f"/karriar/{slug}/{posting.pk}/").status_code == 404
    assert Client().post(_apply_url(rworld), _form(rworld)).status_code == 404
    assert Client().get("/karriar/ingen-kommun/").status_code == 404


def test_a_tampered_link(rworld):
    token = links.make_token(rworld.home.rec["application"])
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "x", "a" * 300):
        response = Client().get(f"/ansokan/{bad}/")
        assert response.status_code == 404
        assert "Länken fungerar inte" in response.content.decode()
        assert "Anna" not in response.content.decode()


def test_an_expired_link(rworld, settings):
    token = links.make_token(rworld.home.rec["application"])
    later = timezone.now() + timedelta(days=settings.APPLICATION_LINK_DAYS + 1)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        response = Client().get(f"/ansokan/{token}/")
    assert response.status_code == 404
    assert "Länken har slutat gälla" in response.content.decode()


def test_a_revoked_link(rworld):
    application = rworld.home.rec["application"]
    token = links.make_token(application)
    application.link_nonce = "0" * 32
    application.save()
    assert Client().get(f"/ansokan/{token}/").status_code == 404


def test_documents_can_be_replaced_until_the_deadline(rworld, settings):
    application = rworld.home.rec["application"]
    path = links.link_path(application) + "dokument/"
    response = Client().post(path, {"kind": "letter", "file": upload("brev.odt", odt_bytes())})
    assert response.status_code == 302
    assert application.documents.filter(kind="letter", replaced_at__isnull=True).count() == 1
    files = _stored_files(settings)
    bad = Client().post(path, {"kind": "cv", "file": upload("cv.pdf", b"MZ" + b"\x00" * 100)})
    assert bad.status_code == 400
    assert "Endast PDF" in bad.content.decode()
    assert _stored_files(settings) == files
    posting = application.posting
    posting.last_application_date = timezone.localdate() - timedelta(days=1)
    posting.save()
    late = Client().post(path, {"kind": "cv", "file": upload("cv.pdf", PDF_BYTES)})
    assert late.status_code == 400
    assert "Dokument kan bytas till och med" in late.content.decode()
    assert _stored_files(settings) == files


def test_withdrawing_needs_confirmation_and_cancels_the_interview(
    rworld, mailoutbox, django_capture_on_commit_callbacks
):
    application = rworld.home.rec["application"]
    path = links.link_path(application) + "aterkalla/"
    assert Client().post(path, {}).status_code == 400
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW
    with django_capture_on_commit_callbacks(execute=True):
        assert Client().post(path, {"confirm": "yes"}).status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.WITHDRAWN
    assert application.interviews.get().status == "cancelled"
    assert any(m.attachments for m in mailoutbox)


def test_no_wish_is_chosen_beforehand(rworld):
    page = Client().get(_apply_url(rworld)).content.decode()
    first = page[page.index('name="wish_1"') : page.index("</select>", page.index('name="wish_1"'))]
    assert '<option value="" selected>(välj en enhet)</option>' in first
    response = Client().post(_apply_url(rworld), _form(rworld, wish_1=""))
    assert response.status_code == 400
    assert "wish_1" in response.context["form"].errors
