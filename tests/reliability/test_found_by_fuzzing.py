"""Regression tests for what the fuzzer found: numbers too large for the database."""

from __future__ import annotations

import pytest

from bryggan.core.roles import Role

pytestmark = pytest.mark.django_db

HUGE = "31923159583184905785051185152"


def test_a_huge_page_number_is_refused_not_a_server_error(world):
    client = world.home.client(Role.COORDINATOR)
    response = client.get("/api/organisation/staff", {"page": "6038076081828380672"})
    assert response.status_code == 422 and "query.page" in response.json()["errors"]


def test_a_huge_filter_id_is_refused_not_a_server_error(world):
    client = world.home.client(Role.COORDINATOR)
    response = client.get("/api/organisation/units", {"department": HUGE})
    # SQLite cannot hold the number (400); PostgreSQL compares it and finds nothing (200).
    assert response.status_code in (200, 400, 422)
    body = response.json()
    assert body["items"] == [] if response.status_code == 200 else "detail" in body


@pytest.mark.parametrize(
    "path",
    [
        f"/api/recruitment/postings/{HUGE}",
        f"/api/organisation/units/{HUGE}",
        f"/org/unit/{HUGE}/",
        f"/rekrytering/ansokan/{HUGE}/",
        f"/programmet/deltagare/{HUGE}/",
        f"/dataskydd/person/{HUGE}/",
        "/org/unit/9223372036854775807/",
    ],
)
def test_a_huge_id_in_a_path_is_not_found(world, path):
    client = world.home.client(Role.COORDINATOR)
    assert client.get(path).status_code == 404
