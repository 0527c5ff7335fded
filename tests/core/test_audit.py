import pytest

from bryggan.core.roles import Role
from bryggan.organisation.models import Unit

pytestmark = pytest.mark.django_db


def test_a_change_is_recorded_with_who_and_what(world, coordinator_client):
    unit = world.home.objects["unit"]
    coordinator_client.post(
        f"/org/unit/{unit.pk}/edit/",
        {"name": "Utredning barn 0–12", "department": unit.department_id},
    )
    body = coordinator_client.get("/audit/").content.decode()
    assert "Utredning barn 0–12" in body
    assert str(world.home.user(Role.COORDINATOR)) in body
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(Unit.objects.get(pk=unit.pk)).first()
    assert entry.actor == world.home.user(Role.COORDINATOR)
    assert entry.changes_dict["name"] == ["Utredning", "Utredning barn 0–12"]
    assert entry.additional_data == {"municipality_id": world.home.municipality.pk}


def test_creates_are_recorded_too(world, coordinator_client):
    coordinator_client.post("/org/department/new/", {"name": "Vuxen", "kind": "adults"})
    from auditlog.models import LogEntry

    assert LogEntry.objects.filter(
        object_repr="Vuxen",
        action=LogEntry.Action.CREATE,
        actor=world.home.user(Role.COORDINATOR),
    ).exists()


def test_only_coordinators_see_the_trail(world):
    assert world.home.client(Role.HR).get("/audit/").status_code == 403
    assert world.home.client(Role.COORDINATOR).get("/audit/").status_code == 200
