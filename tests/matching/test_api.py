"""Matching through the API: run, read, override, publish, download; bad input is a 4xx JSON."""

from __future__ import annotations

import pytest

from bryggan.core.roles import Role
from bryggan.matching.engine import Instance, Result, check
from bryggan.matching.models import MatchingOverride, MatchingRun
from bryggan.programme.models import Placement

pytestmark = pytest.mark.django_db


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_run_read_override_publish_and_download(scene):
    client, posting, apps = scene["client"], scene["posting"], scene["apps"]
    response = _post(client, f"/api/matching/postings/{posting.pk}/runs", {"seed": 4})
    assert response.status_code == 201, response.content
    run = response.json()
    assert run["status"] == "proposed" and run["stable"] is True and run["seed"] == 4
    by_id = {s["application_id"]: s for s in run["students"]}
    assert by_id[apps["bo"].pk]["unit_id"] == scene["mottagning"].pk
    assert by_id[apps["cia"].pk]["why_not_better"] == [
        "Mottagning var full med studenter den rankade högre; den sista som antogs var dess "
        "rank 1, du var dess rank 2."
    ]
    assert [c["students"] for c in run["wish_counts"]][-1] == 1  # Dan is not placed
    listed = client.get(f"/api/matching/postings/{posting.pk}/runs").json()
    assert run["id"] in [r["id"] for r in listed]
    assert client.get(f"/api/matching/runs/{run['id']}").json()["placed"] == 3

    instance = client.get(f"/api/matching/runs/{run['id']}/instance").json()
    result = client.get(f"/api/matching/runs/{run['id']}/result").json()
    assert check(Instance.from_dict(instance), Result.from_dict(result)).ok

    response = _post(
        client,
        f"/api/matching/runs/{run['id']}/overrides",
        {"application_id": apps["cia"].pk, "unit_id": None, "reason": "Tackade nej"},
    )
    assert response.status_code == 201
    cia = {s["application_id"]: s for s in response.json()["students"]}[apps["cia"].pk]
    assert cia["unit_id"] is None and cia["changed_by_hand"] == "Tackade nej"

    # Anna's interview is not assessed: she is placed only because she is named.
    assert apps["anna"].stage not in ("assessed", "offered")
    response = _post(
        client,
        f"/api/matching/runs/{run['id']}/publish",
        {"include_application_ids": [apps["anna"].pk]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["placements"] == 2 and response.json()["run"]["status"] == "published"
    assert Placement.objects.filter(term=scene["world"].home.objects["term"]).count() == 2
    again = _post(client, f"/api/matching/runs/{run['id']}/publish", {})
    assert again.status_code == 400 and "kan inte publiceras" in str(again.json()["errors"])


@pytest.mark.parametrize(
    "body, status",
    [
        ({"seed": -1}, 422),  # the schema's bounds
        ({"seed": 2**40}, 422),
        ({"seed": "abc"}, 422),
        ({"optimal": "both"}, 422),
        ({"optimal": 5}, 422),
    ],
)
def test_bad_run_requests_are_refused_as_json(scene, body, status):
    before = MatchingRun.objects.count()
    response = _post(scene["client"], f"/api/matching/postings/{scene['posting'].pk}/runs", body)
    assert response.status_code == status
    assert response.json()["detail"]
    assert MatchingRun.objects.count() == before


@pytest.mark.parametrize(
    "body, status",
    [
        ({"include_application_ids": "all"}, 422),
        ({"include_application_ids": ["x"]}, 422),
        ({"include_application_ids": [-1]}, 422),
        ({"include": []}, 422),  # an unknown field
        ({"include_application_ids": [999_999]}, 400),  # not waiting in this proposal
        ({"include_application_ids": ["BO"]}, 400),  # assessed: not among the waiting
    ],
)
def test_bad_publish_requests_are_refused_as_json(scene, body, status):
    client = scene["client"]
    run = _post(client, f"/api/matching/postings/{scene['posting'].pk}/runs", {}).json()
    if body.get("include_application_ids") == ["BO"]:
        body = {"include_application_ids": [scene["apps"]["bo"].pk]}
    before = Placement.objects.count()
    response = _post(client, f"/api/matching/runs/{run['id']}/publish", body)
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert Placement.objects.count() == before
    assert MatchingRun.objects.get(pk=run["id"]).status == "proposed"


@pytest.mark.parametrize(
    "body",
    [
        {"application_id": "APP", "unit_id": "U2", "supervisor_id": "HELENA", "reason": ""},
        {"application_id": "APP", "unit_id": "U2", "supervisor_id": "HELENA", "reason": "x"},
        {"application_id": "APP", "unit_id": "U1", "supervisor_id": "HELENA", "reason": "x"},
        {"application_id": "APP", "unit_id": None, "supervisor_id": "HELENA", "reason": "x"},
        {"application_id": 999999, "unit_id": None, "reason": "x"},
        {"application_id": "FOREIGN_APP", "unit_id": None, "reason": "x"},
        {"application_id": "APP", "unit_id": "FOREIGN_UNIT", "supervisor_id": 1, "reason": "x"},
    ],
)
def test_bad_overrides_are_refused_as_json(scene, body):
    client = scene["client"]
    run = _post(client, f"/api/matching/postings/{scene['posting'].pk}/runs", {}).json()
    world = scene["world"]
    values = {
        "APP": scene["apps"]["dan"].pk,
        "U1": scene["utredning"].pk,
        "U2": scene["mottagning"].pk,
        "HELENA": scene["helena"].pk,
        "FOREIGN_APP": world.foreign.rec["application"].pk,
        "FOREIGN_UNIT": world.foreign.objects["unit"].pk,
    }
    payload = {k: values.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    response = _post(client, f"/api/matching/runs/{run['id']}/overrides", payload)
    assert response.status_code == 400, response.content
    assert response.json()["errors"]
    assert not MatchingOverride.objects.exists()


def test_other_roles_cannot_use_the_matching_api(scene):
    run = scene["rec"]["run"]
    for role in (Role.SUPERVISOR, Role.HR, Role.STUDENT, Role.UNIVERSITY_CONTACT):
        client = scene["world"].home.client(role)
        assert client.get(f"/api/matching/runs/{run.pk}").status_code == 403
        assert _post(client, f"/api/matching/runs/{run.pk}/publish", {}).status_code == 403
