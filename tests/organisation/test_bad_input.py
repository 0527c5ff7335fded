"""Bad input on every organisation form and endpoint: a clear message, never a 500, no write."""

from __future__ import annotations

import json

import pytest
from django import forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bryggan.organisation.resources import RESOURCES

pytestmark = pytest.mark.django_db

KEYS = list(RESOURCES)


def _counts(world) -> dict[str, int]:
    return {key: RESOURCES[key].model.unscoped.count() for key in KEYS}


def _valid_data(world, key) -> dict:
    """A valid create for each resource in the home municipality (FKs to home rows)."""
    home = world.home.objects
    return {
        "department": {"name": "Ny avdelning", "kind": "adults"},
        "unit": {"name": "Ny enhet", "department": home["department"].pk},
        "staff": {
            "first_name": "Sara",
            "last_name": "Nilsson",
            "title": "Socialsekreterare",
            "unit": home["unit"].pk,
            "employed_from": "2024-02-01",
        },
        "capacity": {
            "supervisor": _new_supervisor(world).pk,
            "term": home["term"].pk,
            "capacity": 2,
        },
        "university": {"name": "Nytt lärosäte", "city": "Umeå"},
        "programme": {
            "university": home["university"].pk,
            "name": "Socionomprogrammet distans",
            "credits": 210,
            "terms": 7,
            "practicum_term": 5,
            "practicum_credits": 30,
        },
        "term": {"kind": "VT", "year": 2031, "starts_on": "2031-01-20", "ends_on": "2031-06-08"},
        "practicumperiod": {
            "programme": _new_programme(world).pk,
            "term": home["term"].pk,
            "starts_on": str(home["term"].starts_on),
            "ends_on": str(home["term"].ends_on),
            "expected_hours_per_week": 32,
        },
    }[key]


def _new_supervisor(world):
    from tests import factories as f

    return f.StaffMemberFactory(unit=world.home.objects["unit"])


def _new_programme(world):
    from tests import factories as f

    return f.ProgrammeFactory(university=world.home.objects["university"])


def _fields(key):
    return RESOURCES[key].form(actor=_anon()).fields


def _anon():
    from bryggan.core.permissions import ANONYMOUS

    return ANONYMOUS


@pytest.mark.parametrize("key", KEYS)
def test_a_valid_create_works_through_page_and_api(world, coordinator_client, key):
    """The baseline the bad-input tests vary from: proves the valid data really is valid."""
    data = _valid_data(world, key)
    before = _counts(world)[key]
    response = coordinator_client.post(f"/org/{key}/new/", data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert _counts(world)[key] == before + 1


@pytest.mark.parametrize("key", KEYS)
def test_missing_input_is_refused_with_a_message_per_field(world, coordinator_client, key):
    before = _counts(world)
    response = coordinator_client.post(f"/org/{key}/new/", {})
    assert response.status_code == 400
    required = {n for n, fld in _fields(key).items() if fld.required}
    assert required <= set(response.context["form"].errors)
    body = response.content.decode()
    assert 'role="alert"' in body and 'aria-invalid="true"' in body
    assert _counts(world) == before


@pytest.mark.parametrize("key", KEYS)
def test_malformed_and_oversized_values_are_refused(world, coordinator_client, key):
    valid = _valid_data(world, key)
    before = _counts(world)
    for name, field in _fields(key).items():
        if isinstance(field, forms.BooleanField):
            continue
        for bad in ("x" * 5000, "2026-13-45", "-1", "\x00", "<script>alert(1)</script>" * 400):
            data = valid | {name: bad}
            response = coordinator_client.post(f"/org/{key}/new/", data)
            if response.status_code == 302:
                # "-1" is a fine description; then it is a real row, removed for the next try.
                assert isinstance(field, forms.CharField) and len(bad) <= 100, (key, name, bad)
                RESOURCES[key].model.unscoped.order_by("-pk").first().delete()
                continue
            assert response.status_code == 400, (key, name, bad[:20], response.status_code)
            assert name in response.context["form"].errors, (key, name, bad[:20])
    assert _counts(world)[key] == before[key]


@pytest.mark.parametrize("key", KEYS)
def test_choices_from_another_municipality_are_refused(world, coordinator_client, key):
    fk_fields = [n for n, fld in _fields(key).items() if isinstance(fld, forms.ModelChoiceField)]
    valid = _valid_data(world, key)
    before = _counts(world)
    for name in fk_fields:
        foreign = _foreign_choice(world, key, name)
        if foreign is None:
            continue
        data = valid | {name: foreign.pk}
        response = coordinator_client.post(f"/org/{key}/new/", data)
        assert response.status_code == 400, (key, name)
        assert name in response.context["form"].errors
        api = coordinator_client.post(
            f"/api/organisation/{RESOURCES[key].api_path}",
            json.dumps(data),
            content_type="application/json",
        )
        assert api.status_code == 400, (key, name, api.content)
        assert name in api.json()["errors"]
    assert {k: v for k, v in _counts(world).items() if k == key} == {key: before[key]}


def _foreign_choice(world, key, name):
    mapping = {"supervisor": "staff", "user": None}
    target = mapping.get(name, name)
    return world.foreign.objects.get(target) if target else None


def test_a_duplicate_name_is_a_message_not_a_database_error(world, coordinator_client):
    unit = world.home.objects["unit"]
    response = coordinator_client.post(
        "/org/unit/new/", {"name": unit.name, "department": unit.department_id}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["__all__"] or response.context["form"].errors["name"]


def test_dates_in_the_wrong_order_are_refused(world, coordinator_client):
    response = coordinator_client.post(
        "/org/term/new/",
        {"kind": "HT", "year": 2032, "starts_on": "2032-08-30", "ends_on": "2032-01-01"},
    )
    assert response.status_code == 400
    assert "ends_on" in response.context["form"].errors


# --- API -----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_api_refuses_bad_bodies_with_json_errors(world, coordinator_client, key):
    path = f"/api/organisation/{RESOURCES[key].api_path}"
    valid = _valid_data(world, key)
    before = _counts(world)
    bodies = [
        ("", "application/json"),
        ("not json", "application/json"),
        ("[1, 2, 3]", "application/json"),
        ("{}", "application/json"),
        (json.dumps({"name": None}), "application/json"),
        (json.dumps(valid), "text/plain"),
        (json.dumps(dict.fromkeys(_fields(key), "x" * 10000)), "application/json"),
        (json.dumps({n: {"nested": [1]} for n in _fields(key)}), "application/json"),
    ]
    for body, content_type in bodies:
        response = coordinator_client.generic("POST", path, body, content_type=content_type)
        assert 400 <= response.status_code < 500, (key, body[:30], response.status_code)
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]
    assert _counts(world) == before


def test_api_refuses_an_oversized_request(world, coordinator_client):
    body = json.dumps({"name": "x" * 3_000_000, "kind": "adults"})
    response = coordinator_client.generic(
        "POST", "/api/organisation/departments", body, content_type="application/json"
    )
    assert response.status_code in (400, 413)
    assert response["Content-Type"].startswith("application/json")


def test_api_rejects_an_unknown_or_malformed_id(world, coordinator_client):
    assert coordinator_client.get("/api/organisation/units/999999").status_code == 404
    assert coordinator_client.get("/api/organisation/units/abc").status_code == 404
    response = coordinator_client.get("/api/organisation/units", {"department": "abc"})
    assert response.status_code == 422
    assert response.json()["errors"]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    payload=st.dictionaries(
        st.sampled_from(
            [
                "name",
                "kind",
                "department",
                "unit",
                "title",
                "employed_from",
                "capacity",
                "term",
                "supervisor",
                "year",
                "starts_on",
                "ends_on",
            ]
        ),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(-(2**40), 2**40),
            st.text(max_size=300),
            st.floats(allow_nan=False),
            st.lists(st.integers(), max_size=3),
        ),
    ),
    key=st.sampled_from(KEYS),
)
def test_api_never_fails_with_a_500_on_arbitrary_json(world, coordinator_client, payload, key):
    response = coordinator_client.post(
        f"/api/organisation/{RESOURCES[key].api_path}",
        json.dumps(payload),
        content_type="application/json",
    )
    assert response.status_code < 500, (payload, response.content)
    assert response["Content-Type"].startswith("application/json")
