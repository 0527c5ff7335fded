"""Recruitment through the API: the coordinator's work, the public list, and bad input."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from bryggan.core.models import AccessLogEntry
from bryggan.core.roles import Role
from bryggan.recruitment.models import Application, InterviewSlot

pytestmark = pytest.mark.django_db


def _post(client, path, payload):
    return client.post(path, json.dumps(payload), content_type="application/json")


def test_public_list_of_open_postings_needs_no_account(rworld):
    response = Client().get(f"/api/public/{rworld.home.municipality.slug}/postings")
    assert response.status_code == 200
    items = response.json()
    assert [p["title"] for p in items] == [rworld.home.rec["posting"].title]
    item = items[0]
    assert item["employment_type"] == "PART_TIME" and item["paid"] is True
    assert item["apply_url"].endswith("/ansok/")
    missing = Client().get("/api/public/ingen-kommun/postings")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/json")


def test_coordinator_works_the_board_through_the_api(
    rworld, mailoutbox, django_capture_on_commit_callbacks
):
    client = rworld.home.client(Role.COORDINATOR)
    rec = rworld.home.rec
    posting = rec["posting"].pk
    assert client.get("/api/recruitment/rounds").json()["count"] == 1
    listed = client.get("/api/recruitment/postings").json()["items"]
    assert listed[0]["unit_ids"] == [rworld.home.objects["unit"].pk]
    board = client.get(
        f"/api/recruitment/postings/{posting}/applications", {"stage": "interview"}
    ).json()
    assert board["count"] == 1
    row = board["items"][0]
    assert row["wishes"][0]["rank"] == 1 and row["email"].endswith("@example.se")
    detail = client.get(f"/api/recruitment/applications/{row['id']}").json()
    assert detail["documents"][0]["download_url"].startswith("/rekrytering/dokument/")
    assert detail["assessments"][0]["total"] == 8
    assert AccessLogEntry.objects.filter(subject_type="application").count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        moved = _post(
            client, f"/api/recruitment/applications/{row['id']}/stage", {"stage": "offered"}
        )
    assert moved.status_code == 200 and moved.json()["stage"] == "offered"
    assert "Goda nyheter" in mailoutbox[-1].subject
    assert moved.json()["stage_changes"][-1]["to_stage"] == "offered"
    matching = client.get(f"/api/recruitment/postings/{posting}/matching-input").json()
    unit = str(rworld.home.objects["unit"].pk)
    assert matching["student_preferences"] == {str(row["id"]): [int(unit)]}
    assert matching["unit_rankings"][unit] == [row["id"]]
    closed = _post(client, f"/api/recruitment/postings/{posting}/close", {})
    assert closed.json()["status"] == "closed"
    assert client.get("/api/recruitment/events").json()["items"][0]["registration_count"] == 1


def test_bulk_and_slots_through_the_api(rworld):
    client = rworld.home.client(Role.COORDINATOR)
    rec = rworld.home.rec
    posting = rec["posting"].pk
    ok = _post(
        client,
        f"/api/recruitment/postings/{posting}/applications/bulk",
        {"action": "move", "stage": "assessed", "applications": [rec["application"].pk]},
    )
    assert ok.json() == {"moved": 1, "rejection": None}
    rejected = _post(
        client,
        f"/api/recruitment/postings/{posting}/applications/bulk",
        {"action": "reject", "applications": [rec["application"].pk]},
    ).json()
    assert rejected["moved"] == 1 and rejected["rejection"]["applications"] == 1
    rejection = rejected["rejection"]["id"]
    undo = f"/api/recruitment/postings/{posting}/rejections/{rejection}/undo"
    undone = _post(client, undo, {})
    assert undone.status_code == 200 and undone.json()["undone_at"]
    rec["application"].refresh_from_db()
    assert rec["application"].stage == "assessed"
    again = _post(client, undo, {})
    assert again.status_code == 400 and "redan ångrat" in str(again.json())
    assert _post(client, undo, {"now": True}).status_code == 400  # it takes no body
    assert (
        _post(client, f"/api/recruitment/postings/{posting}/rejections/999999/undo", {}).status_code
        == 404
    )
    slot = _post(
        client,
        f"/api/recruitment/postings/{posting}/slots",
        {
            "starts_at": "2027-01-12T09:00:00+01:00",
            "ends_at": "2027-01-12T10:00:00+01:00",
            "location": "Rum 4",
            "interviewers": [rworld.home.objects["staff"].pk],
        },
    )
    assert slot.status_code == 201, slot.content
    assert slot.json()["interviewer_ids"] == [rworld.home.objects["staff"].pk]
    listed = client.get(f"/api/recruitment/postings/{posting}/slots").json()
    assert len(listed) == 3


def test_api_bad_input(rworld):
    client = rworld.home.client(Role.COORDINATOR)
    rec = rworld.home.rec
    posting = rec["posting"].pk
    app = rec["application"].pk
    slots_before = InterviewSlot.objects.count()
    cases = [
        (f"/api/recruitment/applications/{app}/stage", {"stage": "nonsense"}, 422),
        (f"/api/recruitment/applications/{app}/stage", {"stage": "withdrawn"}, 400),
        (f"/api/recruitment/applications/{app}/stage", {}, 422),
        (
            f"/api/recruitment/postings/{posting}/applications/bulk",
            {"action": "reject", "applications": [rworld.foreign.rec["application"].pk]},
            400,
        ),
        (
            f"/api/recruitment/postings/{posting}/applications/bulk",
            {"action": "reject", "applications": []},
            422,
        ),
        (
            f"/api/recruitment/postings/{posting}/applications/bulk",
            {"action": "move", "applications": [app]},
            400,
        ),
        (
            f"/api/recruitment/postings/{posting}/applications/bulk",
            {"action": "dance", "applications": [app]},
            422,
        ),
        (
            f"/api/recruitment/postings/{posting}/slots",
            {
                "starts_at": "2027-01-12T10:00:00+01:00",
                "ends_at": "2027-01-12T09:00:00+01:00",
                "location": "x",
            },
            400,
        ),
        (f"/api/recruitment/postings/{posting}/slots", {"starts_at": "soon"}, 422),
        (
            f"/api/recruitment/postings/{posting}/slots",
            {
                "starts_at": "2027-01-12T09:00:00+01:00",
                "ends_at": "2027-01-12T10:00:00+01:00",
                "location": "x",
                "interviewers": [rworld.foreign.objects["staff"].pk],
            },
            400,
        ),
    ]
    for path, payload, status in cases:
        response = _post(client, path, payload)
        assert response.status_code == status, (path, payload, response.content)
        assert response["Content-Type"].startswith("application/json")
        assert response.json().get("detail") or response.json().get("errors"), response.json()
    assert Application.objects.get(pk=app).stage == "interview"
    assert InterviewSlot.objects.count() == slots_before
    garbage = client.post(
        f"/api/recruitment/applications/{app}/stage", "{not json", content_type="application/json"
    )
    assert 400 <= garbage.status_code < 500


def test_supervisor_api_sees_only_shared(rworld):
    client = rworld.home.client(Role.SUPERVISOR)
    rec = rworld.home.rec
    assert client.get(f"/api/recruitment/applications/{rec['application'].pk}").status_code == 200
    assert (
        client.get(f"/api/recruitment/postings/{rec['posting'].pk}/applications").status_code == 403
    )
    rec["application"].shared_with.clear()
    assert client.get(f"/api/recruitment/applications/{rec['application'].pk}").status_code == 404
