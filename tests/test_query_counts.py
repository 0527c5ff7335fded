"""List pages and list endpoints run a fixed number of queries, whatever the data size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bryggan.organisation.resources import RESOURCES
from tests import factories as f

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


def _grow(world, n: int) -> None:
    home = world.home.objects
    for i in range(n):
        department = f.DepartmentFactory(municipality=world.home.municipality)
        unit = f.UnitFactory(department=department)
        staff = f.StaffMemberFactory(unit=unit)
        term = f.TermFactory(municipality=world.home.municipality, year=2040 + i)
        f.SupervisorCapacityFactory(supervisor=staff, term=home["term"])
        university = f.UniversityFactory(municipality=world.home.municipality)
        programme = f.ProgrammeFactory(university=university)
        f.PracticumPeriodFactory(programme=programme, term=term)


def _count(client, path, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params or {})
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


PAGES = [f"/org/{key}/" for key in RESOURCES] + ["/org/capacity/", "/audit/", "/"]
ENDPOINTS = [f"/api/organisation/{r.api_path}" for r in RESOURCES.values()] + [
    "/api/organisation/capacity-overview"
]


def test_list_pages_and_endpoints_use_a_constant_number_of_queries(world, coordinator_client):
    small = {path: _count(coordinator_client, path) for path in PAGES + ENDPOINTS}
    _grow(world, 25)
    large = {path: _count(coordinator_client, path) for path in PAGES + ENDPOINTS}
    for path in PAGES + ENDPOINTS:
        assert large[path] == small[path], f"{path}: {small[path]} → {large[path]} queries"
        assert large[path] <= MAX_QUERIES, f"{path}: {large[path]} queries"


def test_the_capacity_overview_is_a_fixed_handful_of_queries(
    world, coordinator_client, django_assert_max_num_queries
):
    _grow(world, 10)
    with django_assert_max_num_queries(MAX_QUERIES):
        coordinator_client.get("/org/capacity/")
