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


# The home page has its own guard, per role, in tests/test_home.py.
PAGES = [f"/org/{key}/" for key in RESOURCES] + ["/org/capacity/", "/audit/"]
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


def _grow_recruitment(world, n: int) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from bryggan.core.models import Person
    from bryggan.recruitment.models import (
        Application,
        ApplicationWish,
        InformationEvent,
        InterviewSlot,
        Posting,
    )

    rec = world.home.rec
    m = world.home.municipality
    for i in range(n):
        person = Person.objects.create(
            municipality=m, first_name=f"P{i}", last_name="Q", email=f"p{i}@example.se"
        )
        application = Application.objects.create(
            municipality=m,
            posting=rec["posting"],
            person=person,
            current_term=5,
            expected_graduation="VT 2027",
            consent_version="1",
            consented_at=timezone.now(),
            university=world.home.objects["university"],
        )
        ApplicationWish.objects.create(
            municipality=m, application=application, unit=world.home.objects["unit"], rank=1
        )
        posting = Posting.objects.get(pk=rec["posting"].pk)
        posting.pk = None
        posting.title = f"Annons {i}"
        posting.save()
        posting.units.add(world.home.objects["unit"])
        slot = InterviewSlot.objects.create(
            municipality=m,
            posting=rec["posting"],
            starts_at=timezone.now() + timedelta(days=10 + i),
            ends_at=timezone.now() + timedelta(days=10 + i, hours=1),
            location="Rum",
        )
        slot.interviewers.add(world.home.objects["staff"])
        event = InformationEvent.objects.create(
            municipality=m,
            title=f"Evenemang {i}",
            university_name="U",
            place="P",
            starts_at=timezone.now() + timedelta(days=i + 1),
        )
        event.partners.add(world.foreign.municipality)


def test_recruitment_lists_use_a_constant_number_of_queries(rworld):
    from django.test import Client

    from bryggan.core.roles import Role

    coordinator = rworld.home.client(Role.COORDINATOR)
    rec = rworld.home.rec
    slug = rworld.home.municipality.slug
    staff_paths = [
        "/rekrytering/",
        "/rekrytering/evenemang/",
        f"/rekrytering/annons/{rec['posting'].pk}/",
        f"/rekrytering/annons/{rec['posting'].pk}/tavla/",
        f"/rekrytering/annons/{rec['posting'].pk}/tavla/?view=columns",
        "/api/recruitment/rounds",
        "/api/recruitment/postings",
        "/api/recruitment/events",
        f"/api/recruitment/postings/{rec['posting'].pk}/applications",
        f"/api/recruitment/postings/{rec['posting'].pk}/slots",
    ]
    public_paths = [
        f"/karriar/{slug}/",
        f"/karriar/{slug}/flode.atom",
        f"/api/public/{slug}/postings",
    ]

    def counts():
        result = {p: _count(coordinator, p) for p in staff_paths}
        result |= {p: _count(Client(), p) for p in public_paths}
        return result

    # An applicant's file reads its wishes, documents, notes, history, assessments, sharing,
    # other applications and the applicants before and after it: a fixed set of queries.
    file_path = f"/rekrytering/ansokan/{rec['application'].pk}/"

    small = counts()
    small_file = _count(coordinator, file_path)
    _grow_recruitment(rworld, 20)
    large = counts()
    for path, n in large.items():
        assert n == small[path], f"{path}: {small[path]} → {n} queries"
        assert n <= MAX_QUERIES + 3, f"{path}: {n} queries"
    assert _count(coordinator, file_path) == small_file <= 18
