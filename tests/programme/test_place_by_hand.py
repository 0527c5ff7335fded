"""Placing a student by hand through the API: within the supervisor's capacity, and every
kind of bad input answered with a 400 and a message per field, writing nothing."""

from __future__ import annotations

import pytest

from bryggan.core.models import Person
from bryggan.core.roles import Role
from bryggan.programme.models import Placement

pytestmark = pytest.mark.django_db

URL = "/api/programme/placements"


def _body(world, **overrides) -> dict:
    home = world.home
    person = Person.objects.create(municipality=home.municipality, first_name="Hand", last_name="P")
    body = {
        "person_id": person.pk,
        "unit_id": home.objects["unit"].pk,
        "supervisor_id": home.objects["staff"].pk,
        "term_id": home.objects["term"].pk,
        "step": "practicum",
    }
    body.update(overrides)
    return body


def test_a_coordinator_places_by_hand_until_the_supervisor_is_full(world):
    client = world.home.client(Role.COORDINATOR)
    capacity = world.home.objects["capacity"].capacity
    for _ in range(capacity):
        response = client.post(URL, _body(world), content_type="application/json")
        assert response.status_code == 201, response.content
    full = client.post(URL, _body(world), content_type="application/json")
    assert full.status_code == 400 and "supervisor" in full.json()["errors"]
    assert Placement.objects.filter(supervisor=world.home.objects["staff"]).count() == capacity


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"person_id": 999_999}, "person_id"),
        ({"unit_id": 999_999}, "unit_id"),
        ({"supervisor_id": 999_999}, "supervisor_id"),
        ({"term_id": 999_999}, "term_id"),
        ({"step": "employed"}, "step"),
        ({"step": "'; DROP TABLE x; --"}, "step"),
    ],
)
def test_bad_input_is_refused_per_field(world, overrides, field):
    client = world.home.client(Role.COORDINATOR)
    response = client.post(URL, _body(world, **overrides), content_type="application/json")
    # A step outside the schema's enum is the schema's refusal (422); an id that names
    # nothing of this municipality is the form's (400). Either way, per field.
    assert response.status_code == (422 if field == "step" else 400)
    assert field in response.json()["errors"]
    assert not Placement.objects.exists()


def test_broken_json_and_wrong_types_are_422(world):
    client = world.home.client(Role.COORDINATOR)
    assert client.post(URL, "{", content_type="application/json").status_code in (400, 422)
    response = client.post(URL, _body(world, person_id="abc"), content_type="application/json")
    assert response.status_code == 422


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.STUDENT, Role.DPO, Role.UNIT_MANAGER])
def test_only_programme_managers_place(world, role):
    response = world.home.client(role).post(URL, _body(world), content_type="application/json")
    assert response.status_code == 403
    assert not Placement.objects.exists()
