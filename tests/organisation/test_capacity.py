"""Supervisors' capacity: the overview, and the invariant that no one holds more students."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django_scopes import scope

from bryggan.organisation.capacity import CapacityError, set_capacity, take_place
from bryggan.programme.models import Placement
from tests import factories as f

pytestmark = pytest.mark.django_db


def _place(supervisor, term, n=1):
    for _ in range(n):
        with transaction.atomic():
            take_place(supervisor=supervisor, term=term)
            Placement.objects.create(
                municipality=supervisor.municipality,
                person=f.PersonFactory(municipality=supervisor.municipality),
                unit=supervisor.unit,
                supervisor=supervisor,
                term=term,
                step="practicum",
            )


def test_the_overview_shows_capacity_used_and_free_per_unit(world, coordinator_client):
    term = world.home.objects["term"]
    sup = world.home.objects["staff"]
    second = f.StaffMemberFactory(unit=sup.unit, last_name="Andrasson")
    f.SupervisorCapacityFactory(supervisor=second, term=term, capacity=3)
    _place(sup, term, 2)
    response = coordinator_client.get("/org/capacity/", {"term": term.pk})
    overview = response.context["overview"]
    unit = next(u for u in overview.units if u.unit_id == sup.unit_id)
    assert (unit.capacity, unit.used, unit.free) == (5, 2, 3)
    assert (overview.capacity, overview.used, overview.free) == (5, 2, 3)
    body = response.content.decode()
    assert 'id="total-capacity">5<' in body and 'id="total-used">2<' in body


def test_a_full_supervisor_takes_no_more_students(world):
    term = world.home.objects["term"]
    sup = world.home.objects["staff"]
    _place(sup, term, 2)
    with pytest.raises(CapacityError, match="2 av 2"), transaction.atomic():
        take_place(supervisor=sup, term=term)


def test_a_supervisor_without_capacity_takes_no_student(world):
    other = f.StaffMemberFactory(unit=world.home.objects["unit"])
    with pytest.raises(CapacityError), transaction.atomic():
        take_place(supervisor=other, term=world.home.objects["term"])


def test_capacity_cannot_be_lowered_below_places_in_use(world, coordinator_client):
    term = world.home.objects["term"]
    capacity = world.home.objects["capacity"]
    _place(capacity.supervisor, term, 2)
    response = coordinator_client.post(
        f"/org/capacity/{capacity.pk}/edit/",
        {"supervisor": capacity.supervisor_id, "term": term.pk, "capacity": 1},
    )
    assert response.status_code == 400
    assert "2" in str(response.context["form"].errors["capacity"])
    capacity.refresh_from_db()
    assert capacity.capacity == 2


@pytest.mark.django_db(transaction=True)
def test_locking_outside_a_transaction_is_a_programming_error(world):
    with pytest.raises(RuntimeError):
        take_place(supervisor=world.home.objects["staff"], term=world.home.objects["term"])


def test_set_capacity_refuses_a_second_row_for_the_same_term(world):
    capacity = world.home.objects["capacity"]
    other = f.SupervisorCapacityFactory(
        supervisor=f.StaffMemberFactory(unit=capacity.supervisor.unit), term=capacity.term
    )
    with pytest.raises(CapacityError), transaction.atomic():
        set_capacity(supervisor=capacity.supervisor, term=capacity.term, capacity=3, instance=other)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_parallel_placements_never_exceed_capacity(world):
    """Eight threads race for a supervisor with two places: exactly two win."""
    term = world.home.objects["term"]
    sup = world.home.objects["staff"]
    people = [f.PersonFactory(municipality=sup.municipality) for _ in range(8)]
    barrier = threading.Barrier(len(people))
    outcomes: list[str] = []

    def place(person):
        from django.db import connections

        try:
            barrier.wait()
            with scope(municipality=sup.municipality_id), transaction.atomic():
                take_place(supervisor=sup, term=term)
                Placement.objects.create(
                    municipality=sup.municipality,
                    person=person,
                    unit=sup.unit,
                    supervisor=sup,
                    term=term,
                    step="practicum",
                )
            outcomes.append("placed")
        except CapacityError:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=place, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["full"] * 6 + ["placed"] * 2
    assert Placement.objects.filter(supervisor=sup, term=term).count() == 2
