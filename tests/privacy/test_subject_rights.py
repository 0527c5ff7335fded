"""The data subject's rights: a ZIP of everything, erasure and anonymisation, each recorded;
and the completeness rule that keeps every model of Bryggan under them."""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.test import Client

from bryggan.core.models import AccessLogEntry, Person
from bryggan.core.registry import EXCLUDED, HOLDINGS
from bryggan.core.roles import Role
from bryggan.privacy.models import DataSubjectRequest, LegalHold, RemovedApplication
from bryggan.recruitment import documents, links
from bryggan.recruitment.models import Application, Document

pytestmark = pytest.mark.django_db


def test_every_model_is_covered_or_excluded_with_a_reason():
    ours = {
        m._meta.label
        for m in apps.get_models()
        if m.__module__.startswith("bryggan.") and not m._meta.proxy
    }
    covered = {h.label for h in HOLDINGS}
    missing = ours - covered - set(EXCLUDED)
    assert not missing, f"Add these to privacy/registry.py HOLDINGS or EXCLUDED: {missing}"
    assert not covered & set(EXCLUDED)
    stale = (covered | set(EXCLUDED)) - ours
    assert not stale, f"No such models: {stale}"
    assert all(len(reason) > 20 for reason in EXCLUDED.values())


def _zip(response) -> zipfile.ZipFile:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_coordinator_exports_everything_about_a_person(rworld):
    person = rworld.home.rec["person"]
    client = rworld.home.client(Role.COORDINATOR)
    page = client.get(f"/dataskydd/person/{person.pk}/")
    assert page.status_code == 200 and "Ansökningar" in page.content.decode()
    archive = _zip(client.post(f"/dataskydd/person/{person.pk}/export.zip", {"reference": "D1"}))
    names = archive.namelist()
    assert "README.txt" in names and "access_log.json" in names
    assert "data/recruitment.Application.json" in names
    assert any(n.startswith("documents/") for n in names)
    application = json.loads(archive.read("data/recruitment.Application.json"))[0]["fields"]
    assert "link_nonce" not in application
    person_json = json.loads(archive.read("data/core.Person.json"))[0]["fields"]
    assert person_json["last_name"] == person.last_name
    reads = json.loads(archive.read("access_log.json"))
    assert any(r["why"] == "data subject page" for r in reads)
    request = DataSubjectRequest.objects.get(person_id=person.pk, kind="export")
    assert request.reference == "D1" and request.counts["recruitment.Application"] == 1


def test_an_export_needs_a_reference(rworld):
    person = rworld.home.rec["person"]
    client = rworld.home.client(Role.COORDINATOR)
    response = client.post(f"/dataskydd/person/{person.pk}/export.zip", {"reference": ""})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert not DataSubjectRequest.objects.exists()


def test_the_applicant_downloads_their_own_data_from_their_link(rworld):
    application = rworld.home.rec["application"]
    token = links.make_token(application)
    archive = _zip(Client().post(f"/ansokan/{token}/mina-uppgifter.zip"))
    assert "data/recruitment.Application.json" in archive.namelist()
    assert DataSubjectRequest.objects.get(person_id=application.person_id).by_the_person
    assert Client().post("/ansokan/nonsense/mina-uppgifter.zip").status_code == 404


def test_erasure_removes_rows_files_and_audit_copies_and_keeps_counts(
    rworld, django_capture_on_commit_callbacks
):
    person = rworld.home.rec["person"]
    application = rworld.home.rec["application"]
    stored = list(
        Document.objects.filter(application=application).values_list("storage_name", flat=True)
    )
    assert stored and all(documents.path_of(n).exists() for n in stored)
    client = rworld.home.client(Role.DPO)
    assert client.get(f"/dataskydd/person/{person.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/dataskydd/person/{person.pk}/radera/",
            {"erase-reference": "DSB 2026/7", "erase-mode": "erase", "erase-confirm": "on"},
        )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    assert not Application.objects.filter(pk=application.pk).exists()
    assert not any(os.path.exists(documents.path_of(n)) for n in stored)
    from django.contrib.contenttypes.models import ContentType

    for model, pk in ((Person, person.pk), (Application, application.pk)):
        kept = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_pk=str(pk)
        )
        assert not kept.exists(), f"the audit trail kept a copy of {model.__name__}"
    assert not LogEntry.objects.filter(object_repr__contains=str(person)).exists()
    assert RemovedApplication.objects.filter(why="erasure", posting_id=application.posting_id)
    request = DataSubjectRequest.objects.get(person_id=person.pk, kind="erasure")
    assert request.reference == "DSB 2026/7" and request.counts["recruitment.Application"] == 1
    # The record that the data was read outlives the data.
    assert AccessLogEntry.objects.filter(person_id=person.pk).exists()
    # Nothing of the other municipality was touched.
    assert Person.objects.filter(pk=rworld.foreign.rec["person"].pk).exists()


def test_erasure_of_a_participant_removes_their_path_and_closes_their_account(rworld):
    participant = rworld.home.rec["participant"]
    person = participant.person
    user = participant.user
    client = rworld.home.client(Role.COORDINATOR)
    response = client.post(
        f"/dataskydd/person/{person.pk}/radera/",
        {"erase-reference": "R-1", "erase-mode": "erase", "erase-confirm": "on"},
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=person.pk).exists()
    if user is not None:
        user.refresh_from_db()
        assert not user.is_active and person.email not in user.email


def test_anonymisation_keeps_the_rows_without_who_they_were(rworld):
    person = rworld.home.rec["person"]
    application = rworld.home.rec["application"]
    client = rworld.home.client(Role.COORDINATOR)
    response = client.post(
        f"/dataskydd/person/{person.pk}/radera/",
        {"erase-reference": "R-2", "erase-mode": "anonymise", "erase-confirm": "on"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.email == "" and person.first_name == "Anonymiserad"
    application.refresh_from_db()
    assert application.stage and application.phone == "" and application.interests == ""
    assert not Document.objects.filter(application=application).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"erase-reference": "", "erase-mode": "erase", "erase-confirm": "on"},
        {"erase-reference": "R", "erase-mode": "explode", "erase-confirm": "on"},
        {"erase-reference": "R", "erase-mode": "erase"},
        {"erase-reference": "R" * 500, "erase-mode": "erase", "erase-confirm": "on"},
    ],
)
def test_bad_erasure_requests_change_nothing(rworld, data):
    person = rworld.home.rec["person"]
    client = rworld.home.client(Role.COORDINATOR)
    response = client.post(f"/dataskydd/person/{person.pk}/radera/", data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert Person.objects.filter(pk=person.pk).exists()
    assert not DataSubjectRequest.objects.exists()


def test_a_legal_hold_stops_erasure(rworld):
    person = rworld.home.rec["person"]
    LegalHold.objects.create(
        municipality=rworld.home.municipality, person_id=person.pk, reason="DO 2026/1"
    )
    client = rworld.home.client(Role.COORDINATOR)
    response = client.post(
        f"/dataskydd/person/{person.pk}/radera/",
        {"erase-reference": "R", "erase-mode": "erase", "erase-confirm": "on"},
    )
    assert response.status_code == 400 and "rättslig spärr" in response.content.decode().lower()
    assert Person.objects.filter(pk=person.pk).exists()


def test_a_crash_half_way_through_an_erasure_leaves_everything_as_it_was(rworld, monkeypatch):
    from bryggan.privacy import subject

    person = rworld.home.rec["person"]
    before = {h.label: h.model._default_manager.count() for h in HOLDINGS}
    real = subject._anonymise_account

    def boom(user):
        raise RuntimeError("power cut")

    monkeypatch.setattr(subject, "_anonymise_account", boom)
    from bryggan.core.permissions import actor_for

    with pytest.raises(RuntimeError):
        subject.erase_person(
            actor=actor_for(rworld.home.user(Role.COORDINATOR)), person=person, reference="X"
        )
    monkeypatch.setattr(subject, "_anonymise_account", real)
    after = {h.label: h.model._default_manager.count() for h in HOLDINGS}
    assert after == before
    assert not DataSubjectRequest.objects.exists() and not RemovedApplication.objects.exists()


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.COORDINATOR, Role.DPO)])
def test_only_coordinators_and_the_dpo_handle_requests(rworld, role):
    if role == Role.NATIONAL_ANALYST:
        return
    person = rworld.home.rec["person"]
    client = rworld.home.client(role)
    assert client.get("/dataskydd/personer/", {"q": "a"}).status_code == 403
    assert client.get(f"/dataskydd/person/{person.pk}/").status_code == 403
    response = client.post(
        f"/dataskydd/person/{person.pk}/radera/",
        {"erase-reference": "R", "erase-mode": "erase", "erase-confirm": "on"},
    )
    assert response.status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()


def test_the_export_is_for_the_person_a_swedish_summary_and_labelled_files(rworld):
    application = rworld.home.rec["application"]
    person = application.person
    # Someone read the file, so the summary has a reader to name.
    rworld.home.client(Role.COORDINATOR).get(f"/rekrytering/ansokan/{application.pk}/")
    token = links.make_token(application)
    archive = _zip(Client().post(f"/ansokan/{token}/mina-uppgifter.zip"))
    summary = archive.read("sammanfattning.html").decode()
    assert f"Det här har vi om {person}" in summary
    assert "Ansökningar (1)" in summary and "Varför: för att hantera din ansökan" in summary
    assert application.posting.title in summary  # the posting by its name, not its id
    assert "Vem har läst dina uppgifter" in summary
    assert rworld.home.user(Role.COORDINATOR).email in summary and "ansökan" in summary
    assert "<script" not in summary
    labelled = [n for n in archive.namelist() if n.startswith("uppgifter/")]
    assert "uppgifter/Ansökningar.json" in labelled
    rows = json.loads(archive.read("uppgifter/Ansökningar.json"))
    assert rows[0]["Annons"] == application.posting.title
    assert "posting" not in rows[0] and "link_nonce" not in json.dumps(rows)
    assert "sammanfattning.html" in archive.read("README.txt").decode()
