"""Tenant isolation of matching: the coordinator's matching pages and the matching API,
attacked by every role of the other municipality."""

from __future__ import annotations

import pytest

from tests.isolation import (
    check_foreign_requests,
    check_operations,
    check_pages,
    check_record_operation,
)

pytestmark = pytest.mark.django_db


def _posting_requests(world) -> dict[str, list[tuple[str, str, dict]]]:
    """The matching pages of a foreign posting."""
    rec = world.foreign.rec
    posting, app = rec["posting"].pk, rec["application"].pk
    foreign_unit = world.foreign.objects["unit"].pk
    return {
        "matching:inputs": [("get", f"/matchning/annons/{posting}/", {})],
        "matching:start": [("post", f"/matchning/annons/{posting}/kor/", {"seed": "1"})],
        "matching:constraint-add": [
            (
                "post",
                f"/matchning/annons/{posting}/regel/",
                {"application": app, "unit": foreign_unit, "kind": "forbidden"},
            )
        ],
        "matching:constraint-remove": [
            ("post", f"/matchning/annons/{posting}/regel/{rec['constraint'].pk}/ta-bort/", {}),
        ],
        "matching:ranking": [
            ("get", f"/matchning/annons/{posting}/enhet/{foreign_unit}/", {}),
            ("post", f"/matchning/annons/{posting}/enhet/{foreign_unit}/", {f"pos-{app}": "2"}),
            ("post", f"/matchning/annons/{posting}/enhet/{foreign_unit}/", {"reset": "yes"}),
        ],
    }


def _run_requests(world) -> dict[str, list[tuple[str, str, dict]]]:
    """A foreign matching run."""
    rec = world.foreign.rec
    app = rec["application"].pk
    return {
        "matching:run": [("get", f"/matchning/korning/{rec['run'].pk}/", {})],
        "matching:override": [
            (
                "post",
                f"/matchning/korning/{rec['run'].pk}/andra/",
                {"application": app, "placement": "", "reason": "hijacked"},
            )
        ],
        "matching:publish": [("post", f"/matchning/korning/{rec['run'].pk}/publicera/", {})],
        "matching:download": [
            ("get", f"/matchning/korning/{rec['run'].pk}/instance.json", {}),
            ("get", f"/matchning/korning/{rec['run'].pk}/result.json", {}),
        ],
    }


PAGE_CHECKS = {
    "matching:inputs": check_foreign_requests(
        lambda world: _posting_requests(world)["matching:inputs"]
    ),
    "matching:start": check_foreign_requests(
        lambda world: _posting_requests(world)["matching:start"]
    ),
    "matching:constraint-add": check_foreign_requests(
        lambda world: _posting_requests(world)["matching:constraint-add"]
    ),
    "matching:constraint-remove": check_foreign_requests(
        lambda world: _posting_requests(world)["matching:constraint-remove"]
    ),
    "matching:ranking": check_foreign_requests(
        lambda world: _posting_requests(world)["matching:ranking"]
    ),
    "matching:run": check_foreign_requests(lambda world: _run_requests(world)["matching:run"]),
    "matching:override": check_foreign_requests(
        lambda world: _run_requests(world)["matching:override"]
    ),
    "matching:publish": check_foreign_requests(
        lambda world: _run_requests(world)["matching:publish"]
    ),
    "matching:download": check_foreign_requests(
        lambda world: _run_requests(world)["matching:download"]
    ),
}

API_BODIES = {
    "matching_runs": None,
    "matching_run_start": {"optimal": "student", "seed": 1},
    "matching_run": None,
    "matching_override": {"application_id": "APP", "reason": "hijacked"},
    "matching_run_publish": {},
    "matching_run_instance": None,
    "matching_run_result": None,
}
API_CHECKS = {op: check_record_operation(body) for op, body in API_BODIES.items()}


def test_no_matching_page_shows_or_changes_another_municipalitys_data(rworld):
    check_pages(rworld, PAGE_CHECKS, "Matching pages")


def test_no_matching_api_operation_shows_or_changes_another_municipalitys_data(rworld):
    check_operations(rworld, API_CHECKS, "Matching API")
