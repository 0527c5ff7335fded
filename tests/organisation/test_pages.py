"""The organisation pages: list, detail, create, edit for every resource, per role."""

from __future__ import annotations

import pytest
from django.test import Client

from bryggan.core.models import AccessLogEntry
from bryggan.core.roles import Role
from bryggan.organisation.models import StaffMember, SupervisorCapacity, Unit
from bryggan.organisation.resources import RESOURCES
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key", list(RESOURCES))
def test_it_lists_each_resource_for_the_coordinator(world, coordinator_client, key):
    response = coordinator_client.get(f"/org/{key}/")
    assert response.status_code == 200
    obj = world.home.objects[key]
    assert f'href="/org/{key}/{obj.pk}/"' in response.content.decode()


@pytest.mark.parametrize("key", list(RESOURCES))
def test_it_shows_the_detail_of_each_resource(world, coordinator_client, key):
    obj = world.home.objects[key]
    response = coordinator_client.get(f"/org/{key}/{obj.pk}/")
    assert response.status_code == 200
    assert str(obj) in response.content.decode()
    assert f'href="/org/{key}/{obj.pk}/edit/"' in response.content.decode()


def test_it_creates_a_unit(world, coordinator_client):
    department = world.home.objects["department"]
    response = coordinator_client.post(
        "/org/unit/new/", {"department": department.pk, "name": "Familjehemsenheten"}
    )
    unit = Unit.objects.get(name="Familjehemsenheten")
    assert response.status_code == 302
    assert response["Location"] == f"/org/unit/{unit.pk}/"
    assert unit.municipality == world.home.municipality
    assert unit.department == department


def test_it_edits_a_staff_member(world, coordinator_client):
    staff = world.home.objects["staff"]
    response = coordinator_client.post(
        f"/org/staff/{staff.pk}/edit/",
        {
            "first_name": "Anna",
            "last_name": "Lindqvist",
            "title": "Specialistsocionom",
            "unit": staff.unit_id,
            "employed_from": "2019-03-01",
            "is_specialist": "on",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.first_name, staff.title, staff.is_specialist) == (
        "Anna",
        "Specialistsocionom",
        True,
    )
    assert staff.is_trained_supervisor is False  # unticked box means no


def test_it_searches_the_staff_list(world, coordinator_client):
    f.StaffMemberFactory(unit=world.home.objects["unit"], last_name="Sökbarsson")
    response = coordinator_client.get("/org/staff/", {"q": "sökbar"})
    body = response.content.decode()
    assert "Sökbarsson" in body
    assert world.home.objects["staff"].last_name not in body


def test_search_returns_only_the_table_for_htmx(world, coordinator_client):
    response = coordinator_client.get("/org/unit/", {"q": "Utredning"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="records"')
    assert "<html" not in body


def test_it_logs_each_read_of_a_staff_file(world, coordinator_client):
    staff = world.home.objects["staff"]
    coordinator_client.get(f"/org/staff/{staff.pk}/")
    entry = AccessLogEntry.objects.get(subject_type="staff", subject_id=str(staff.pk))
    assert entry.user == world.home.user(Role.COORDINATOR)
    assert entry.municipality == world.home.municipality
    assert entry.path == f"/org/staff/{staff.pk}/"


def test_it_redirects_anonymous_users_to_login(world):
    response = Client().get("/org/unit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/org/unit/")


# --- roles ---------------------------------------------------------------------------------

VIEW_ORG = {
    Role.COORDINATOR,
    Role.HR,
    Role.UNIT_MANAGER,
    Role.SUPERVISOR,
    Role.MENTOR,
    Role.TRAINER,
    Role.SPECIALIST,
    Role.UNIVERSITY_CONTACT,
    Role.DPO,
}
VIEW_STAFF = {Role.COORDINATOR, Role.HR, Role.UNIT_MANAGER}
MANAGE_ORG = {Role.COORDINATOR, Role.HR}
MANAGE_STAFF = {Role.COORDINATOR, Role.HR, Role.UNIT_MANAGER}
ALL_ROLES = [r for r in Role if r != Role.NATIONAL_ANALYST]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_sees_exactly_the_pages_it_may(world, role):
    client = world.home.client(role)
    expected = {
        "unit": role in VIEW_ORG,
        "staff": role in VIEW_STAFF,
        "capacity": role in VIEW_ORG - {Role.UNIVERSITY_CONTACT, Role.DPO},
    }
    for key, allowed in expected.items():
        status = client.get(f"/org/{key}/").status_code
        assert status == (200 if allowed else 403), (role, key, status)
    assert client.get("/org/capacity/").status_code == (200 if expected["capacity"] else 403)
    assert client.get("/audit/").status_code == (
        200 if role in {Role.COORDINATOR, Role.DPO} else 403
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_may_create_exactly_what_it_may(world, role):
    client = world.home.client(role)
    department = world.home.objects["department"]
    unit = world.home.objects["unit"]
    response = client.post("/org/unit/new/", {"department": department.pk, "name": f"U {role}"})
    assert Unit.objects.filter(name=f"U {role}").exists() == (role in MANAGE_ORG)
    assert response.status_code == (302 if role in MANAGE_ORG else 403)
    response = client.post(
        "/org/staff/new/",
        {
            "first_name": "Ny",
            "last_name": f"Medarbetare {role}",
            "title": "Socialsekreterare",
            "unit": unit.pk,
            "employed_from": "2026-01-01",
        },
    )
    created = StaffMember.objects.filter(last_name=f"Medarbetare {role}").exists()
    assert created == (role in MANAGE_STAFF), (role, response.status_code)


def test_a_unit_manager_manages_only_their_own_unit(world):
    client = world.home.client(Role.UNIT_MANAGER)
    own = world.home.objects["staff"]
    other_unit = f.UnitFactory(department=world.home.objects["department"], name="Annan enhet")
    other = f.StaffMemberFactory(unit=other_unit)
    assert client.get(f"/org/staff/{own.pk}/edit/").status_code == 200
    assert client.get(f"/org/staff/{other.pk}/edit/").status_code == 403
    response = client.post(
        f"/org/staff/{own.pk}/edit/",
        {
            "first_name": own.first_name,
            "last_name": own.last_name,
            "title": own.title,
            "unit": other_unit.pk,
            "employed_from": "2020-01-01",
        },
    )
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    own.refresh_from_db()
    assert own.unit == world.home.objects["unit"]


def test_a_unit_manager_sets_capacity_for_their_own_supervisors_only(world):
    client = world.home.client(Role.UNIT_MANAGER)
    other = f.StaffMemberFactory(
        unit=f.UnitFactory(department=world.home.objects["department"], name="Annan")
    )
    term = world.home.objects["term"]
    response = client.post(
        "/org/capacity/new/", {"supervisor": other.pk, "term": term.pk, "capacity": 2}
    )
    assert response.status_code == 400
    assert not SupervisorCapacity.objects.filter(supervisor=other).exists()


def test_the_navigation_shows_only_what_the_role_may_open(world):
    body = world.home.client(Role.SUPERVISOR).get("/").content.decode()
    assert 'href="/org/unit/"' in body
    assert 'href="/org/staff/"' not in body
    assert 'href="/audit/"' not in body
    body = world.home.client(Role.STUDENT).get("/").content.decode()
    assert 'href="/org/unit/"' not in body


def test_the_national_analyst_sees_only_anonymised_totals(world):
    client = Client()
    client.force_login(world.analyst)
    body = client.get("/").content.decode()
    assert "Nationell" in body or "National" in body
    assert world.home.municipality.name not in body
    assert world.foreign.municipality.name not in body
    assert client.get("/org/unit/").status_code == 403
