"""The organisation API: list, read, create, update; pagination; token and session auth."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from bryggan.core.models import AccessLogEntry
from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from bryggan.core.services import api_token_create, api_token_revoke
from bryggan.organisation.models import Department, Unit
from tests import factories as f
from tests.clients import signed_in_client

pytestmark = pytest.mark.django_db


def _post(client, path, data, **headers):
    return client.post(path, json.dumps(data), content_type="application/json", **headers)


def test_it_lists_units_with_pagination(world, coordinator_client):
    department = world.home.objects["department"]
    for i in range(60):
        f.UnitFactory(department=department, name=f"Enhet {i:02d}")
    page1 = coordinator_client.get("/api/organisation/units").json()
    assert page1["count"] == 61
    assert len(page1["items"]) == 50
    page2 = coordinator_client.get("/api/organisation/units", {"page": 2}).json()
    assert len(page2["items"]) == 11
    ids = {u["id"] for u in page1["items"]} | {u["id"] for u in page2["items"]}
    assert len(ids) == 61


def test_it_filters_and_searches(world, coordinator_client):
    other = f.DepartmentFactory(municipality=world.home.municipality, name="Vuxen")
    f.UnitFactory(department=other, name="Beroendeenheten")
    by_dept = coordinator_client.get("/api/organisation/units", {"department": other.pk}).json()
    assert [u["name"] for u in by_dept["items"]] == ["Beroendeenheten"]
    by_q = coordinator_client.get("/api/organisation/units", {"q": "beroende"}).json()
    assert [u["name"] for u in by_q["items"]] == ["Beroendeenheten"]


def test_it_reads_one_record(world, coordinator_client):
    unit = world.home.objects["unit"]
    body = coordinator_client.get(f"/api/organisation/units/{unit.pk}").json()
    assert body == {
        "id": unit.pk,
        "department": unit.department_id,
        "name": unit.name,
        "description": "",
        "address": "",
    }


def test_it_creates_and_updates_a_department(world, coordinator_client):
    response = _post(
        coordinator_client, "/api/organisation/departments", {"name": "Vuxen", "kind": "adults"}
    )
    assert response.status_code == 201
    created = Department.objects.get(pk=response.json()["id"])
    assert created.municipality == world.home.municipality
    response = coordinator_client.patch(
        f"/api/organisation/departments/{created.pk}",
        json.dumps({"name": "Vuxenavdelningen"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {"id": created.pk, "name": "Vuxenavdelningen", "kind": "adults"}
    response = coordinator_client.put(
        f"/api/organisation/departments/{created.pk}",
        json.dumps({"name": "Funktionshinder", "kind": "disability"}),
        content_type="application/json",
    )
    assert response.json()["kind"] == "disability"


def test_invalid_input_gives_a_message_per_field(world, coordinator_client):
    response = _post(
        coordinator_client,
        "/api/organisation/terms",
        {"kind": "HT", "year": 2033, "starts_on": "2033-08-30", "ends_on": "2033-01-01"},
    )
    assert response.status_code == 400
    assert response.json()["errors"]["ends_on"] == ["Terminen måste sluta efter att den börjar."]


def test_a_role_without_the_right_gets_403_json(world):
    client = world.home.client(Role.SUPERVISOR)
    response = _post(client, "/api/organisation/departments", {"name": "X", "kind": "adults"})
    assert response.status_code == 403
    assert response.json()["detail"]
    assert client.get("/api/organisation/staff").status_code == 403
    assert client.get("/api/organisation/units").status_code == 200


def test_anonymous_requests_get_401_json():
    response = Client().get("/api/organisation/units")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_a_personal_token_authenticates_and_a_revoked_one_does_not(world):
    actor = actor_for(world.home.user(Role.COORDINATOR))
    new = api_token_create(actor=actor, name="Lönesystemet")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {new.raw}"}
    client = Client(enforce_csrf_checks=True)
    assert client.get("/api/organisation/units", **headers).status_code == 200
    response = _post(
        client, "/api/organisation/departments", {"name": "Via token", "kind": "other"}, **headers
    )
    assert response.status_code == 201
    api_token_revoke(actor=actor, token_id=new.token.pk)
    assert client.get("/api/organisation/units", **headers).status_code == 401
    assert (
        client.get("/api/organisation/units", HTTP_AUTHORIZATION="Bearer bry_wrong").status_code
        == 401
    )


def test_session_writes_need_the_csrf_token(world):
    client = signed_in_client(world.home.user(Role.COORDINATOR), enforce_csrf_checks=True)
    response = _post(client, "/api/organisation/departments", {"name": "Y", "kind": "other"})
    assert response.status_code in (401, 403)
    assert not Department.objects.filter(name="Y").exists()


def test_reading_staff_through_the_api_is_logged(world, coordinator_client):
    staff = world.home.objects["staff"]
    coordinator_client.get(f"/api/organisation/staff/{staff.pk}")
    coordinator_client.get("/api/organisation/staff")
    entries = AccessLogEntry.objects.filter(subject_type="staff").order_by("at")
    assert [(e.subject_id, e.purpose) for e in entries] == [
        (str(staff.pk), "api detail"),
        ("*", "api list"),
    ]


def test_the_capacity_overview_endpoint(world, coordinator_client):
    term = world.home.objects["term"]
    body = coordinator_client.get("/api/organisation/capacity-overview", {"term": term.pk}).json()
    assert body["term_id"] == term.pk
    assert body["capacity"] == 2
    assert body["used"] == 0
    unit = next(u for u in body["units"] if u["unit_id"] == world.home.objects["unit"].pk)
    assert unit["supervisors"][0]["capacity"] == 2


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Bryggan API"
    assert "/api/organisation/units" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_unit_create_refuses_a_missing_department(world, coordinator_client):
    response = _post(coordinator_client, "/api/organisation/units", {"name": "Utan avdelning"})
    assert response.status_code == 422
    assert "department" in response.json()["errors"]
    assert not Unit.objects.filter(name="Utan avdelning").exists()


API_VIEW_STAFF = {Role.COORDINATOR, Role.HR, Role.UNIT_MANAGER}
API_MANAGE_ORG = {Role.COORDINATOR, Role.HR}
API_VIEW_ORG = API_MANAGE_ORG | {
    Role.UNIT_MANAGER,
    Role.DPO,
    Role.SUPERVISOR,
    Role.MENTOR,
    Role.TRAINER,
    Role.SPECIALIST,
    Role.UNIVERSITY_CONTACT,
}


@pytest.mark.parametrize("role", [r for r in Role if r != Role.NATIONAL_ANALYST])
def test_each_role_may_use_exactly_the_endpoints_it_may(world, role):
    client = world.home.client(role)
    assert client.get("/api/organisation/units").status_code == (
        200 if role in API_VIEW_ORG else 403
    )
    assert client.get("/api/organisation/staff").status_code == (
        200 if role in API_VIEW_STAFF else 403
    )
    response = _post(
        client, "/api/organisation/universities", {"name": f"Lärosäte {role}", "city": "Umeå"}
    )
    assert response.status_code == (201 if role in API_MANAGE_ORG else 403)
    staff = world.home.objects["staff"]
    response = client.patch(
        f"/api/organisation/staff/{staff.pk}",
        json.dumps({"title": f"Titel {role}"}),
        content_type="application/json",
    )
    allowed = role in {Role.COORDINATOR, Role.HR, Role.UNIT_MANAGER}
    assert response.status_code == (200 if allowed else 403), response.content
    staff.refresh_from_db()
    assert (staff.title == f"Titel {role}") == allowed


def test_the_national_analyst_gets_nothing_from_the_tenant_api(world):
    client = Client()
    client.force_login(world.analyst)
    assert client.get("/api/organisation/units").status_code == 403
