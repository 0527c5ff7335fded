"""The data-protection officer's access log: every read of a file lands there with whose data
it was; the DPO searches and exports it; nobody can change it."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bryggan.core.models import AccessLogEntry
from bryggan.core.roles import Role

pytestmark = pytest.mark.django_db


def _read_the_file(rworld):
    application = rworld.home.rec["application"]
    client = rworld.home.client(Role.COORDINATOR)
    assert client.get(f"/rekrytering/ansokan/{application.pk}/").status_code == 200
    return application


def test_reading_an_application_is_logged_with_whose_data_it_was(rworld):
    application = _read_the_file(rworld)
    entry = AccessLogEntry.objects.filter(subject_type="application").latest("at")
    assert entry.person_id == application.person_id
    assert entry.user == rworld.home.user(Role.COORDINATOR)
    assert entry.path == f"/rekrytering/ansokan/{application.pk}/"


def test_the_dpo_finds_who_read_a_persons_file(rworld):
    application = _read_the_file(rworld)
    person = application.person
    client = rworld.home.client(Role.DPO)
    response = client.get("/dataskydd/atkomstlogg/", {"person": person.last_name})
    assert response.status_code == 200
    body = response.content.decode()
    assert str(person) in body and "coordinator@sodertalje.test" in body
    assert "application file" in body
    nobody = client.get("/dataskydd/atkomstlogg/", {"person": "Ingen Sådan Människa"})
    assert "Inga läsningar matchar" in nobody.content.decode(), nobody.content.decode()[-3000:]
    by_user = client.get("/dataskydd/atkomstlogg/", {"user": "coordinator@"})
    assert str(person) in by_user.content.decode()
    by_other = client.get("/dataskydd/atkomstlogg/", {"user": "mentor@"})
    assert str(person) not in by_other.content.decode()


def test_the_dpo_exports_the_search_and_the_export_is_logged_too(rworld):
    application = _read_the_file(rworld)
    client = rworld.home.client(Role.DPO)
    response = client.get("/dataskydd/atkomstlogg/export.csv", {"kind": "application"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "När"
    assert any(str(application.person) in row for row in rows[1:])
    assert all(row[2] == "application" for row in rows[1:])
    newest = (
        AccessLogEntry.objects.filter(subject_type="application").order_by("-at", "-pk").first()
    )
    assert rows[1][0] == timezone.localtime(newest.at).strftime("%Y-%m-%d %H:%M:%S")
    assert AccessLogEntry.objects.filter(
        subject_type="export", purpose="access log export", user=rworld.home.user(Role.DPO)
    ).exists()


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2026-13-45"},
        {"date_from": "igår"},
        {"date_from": "2026-05-02", "date_to": "2026-05-01"},
        {"kind": "'; DROP TABLE core_accesslogentry; --"},
        {"person": "x" * 500},
    ],
)
def test_a_bad_filter_gets_a_message_not_an_error(rworld, params):
    client = rworld.home.client(Role.DPO)
    response = client.get("/dataskydd/atkomstlogg/", params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert client.get("/dataskydd/atkomstlogg/export.csv", params).status_code == 400


def test_dates_limit_the_search(rworld):
    _read_the_file(rworld)
    client = rworld.home.client(Role.DPO)
    past = client.get("/dataskydd/atkomstlogg/", {"date_to": "2020-01-01"})
    assert "Inga läsningar matchar" in past.content.decode()


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.DPO, Role.NATIONAL_ANALYST)])
def test_only_the_dpo_reads_the_access_log(rworld, role):
    client = rworld.home.client(role)
    assert client.get("/dataskydd/atkomstlogg/").status_code == 403
    assert client.get("/dataskydd/atkomstlogg/export.csv").status_code == 403


def test_entries_cannot_be_changed_or_deleted(rworld):
    _read_the_file(rworld)
    entry = AccessLogEntry.objects.latest("at")
    entry.purpose = "nothing to see"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    # Nor through the admin: no change or delete permission there for anyone.
    from django.contrib import admin

    model_admin = admin.site._registry.get(AccessLogEntry)
    if model_admin is not None:
        request = type("R", (), {"user": rworld.admin})()
        assert not model_admin.has_change_permission(request, entry)
        assert not model_admin.has_delete_permission(request, entry)


def test_api_reads_of_participants_are_logged_with_whose_data(rworld):
    participant = rworld.home.rec["participant"]
    client = rworld.home.client(Role.COORDINATOR)
    for path in (
        f"/api/programme/participants/{participant.pk}",
        f"/api/programme/participants/{participant.pk}/hours",
    ):
        assert client.get(path).status_code == 200
    logged = AccessLogEntry.objects.filter(person_id=participant.person_id)
    assert {e.purpose for e in logged} >= {"api participant", "api hours"}
    assert client.get("/api/programme/participants").status_code == 200
    assert AccessLogEntry.objects.filter(purpose="api participants").exists()


def test_the_database_refuses_to_change_or_delete_entries_on_postgresql(rworld):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's; SQLite has the model guard only")
    _read_the_file(rworld)
    entry = AccessLogEntry.objects.latest("at")
    for attempt in (
        lambda: AccessLogEntry.objects.filter(pk=entry.pk).update(purpose="nothing"),
        lambda: AccessLogEntry.objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    entry.refresh_from_db()
    assert entry.purpose == "application file"


def test_the_dpo_reads_kinds_and_purposes_in_swedish_with_the_code_beside(rworld):
    _read_the_file(rworld)
    body = rworld.home.client(Role.DPO).get("/dataskydd/atkomstlogg/").content.decode()
    assert "Ansökan" in body and "ansökningsakt" in body
    assert '<span class="meta" lang="en">application file</span>' in body


def test_a_release_copys_masked_fields_read_in_swedish():
    from django.utils import translation

    from bryggan.privacy.reads import purpose_label

    with translation.override("sv"):
        assert purpose_label("release copy Dnr 7; masked: personnummer, phone") == (
            "kopia utlämnad efter begäran om allmän handling Dnr 7; maskerat: Personnummer, Telefon"
        )
        assert purpose_label("release copy Dnr 8; masked: none").endswith("; maskerat: inget")
