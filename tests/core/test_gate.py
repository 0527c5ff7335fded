"""The gate for reads (core/gate.py): the scope a selector runs in, one record by id, and
what goes to the access log."""

from __future__ import annotations

import pytest
from django.http import Http404

from bryggan.core.gate import log_list, log_read, one_or_404, tenant_scope, tenant_scoped
from bryggan.core.models import AccessLogEntry, Person
from bryggan.core.permissions import ANONYMOUS, actor_for
from bryggan.core.roles import Role
from bryggan.organisation.models import Unit

pytestmark = pytest.mark.django_db


@tenant_scoped
def _units(*, actor):
    return list(Unit.objects.values_list("pk", flat=True))


def test_a_selector_sees_only_its_actors_municipality(world):
    home = actor_for(world.home.user(Role.COORDINATOR))
    assert _units(actor=home) == [world.home.objects["unit"].pk]


def test_an_actor_without_a_municipality_sees_no_tenant_row(world):
    assert _units(actor=ANONYMOUS) == []
    assert _units(actor=actor_for(world.analyst)) == []


def test_a_selector_without_its_actor_is_a_programming_error():
    with pytest.raises(TypeError):
        _units()


def test_one_record_by_id_is_404_for_foreign_missing_and_malformed_ids(world):
    actor = actor_for(world.home.user(Role.COORDINATOR))
    with tenant_scope(actor):
        own = world.home.objects["unit"]
        assert one_or_404(Unit.objects.all(), own.pk) == own
        for pk in (world.foreign.objects["unit"].pk, 10**9, "x", "1; DROP", -1, 10**30):
            with pytest.raises(Http404):
                one_or_404(Unit.objects.all(), pk)
    assert not AccessLogEntry.objects.exists()


def test_a_read_is_logged_only_for_personal_data_and_marks_a_protected_identity(world):
    actor = actor_for(world.home.user(Role.COORDINATOR))
    person = Person.objects.create(
        municipality=world.home.municipality, first_name="S", last_name="K", protected_identity=True
    )
    log_read(actor=actor, obj=world.home.objects["unit"], purpose="not personal")
    log_list(actor=actor, model=Unit, purpose="not personal")
    assert not AccessLogEntry.objects.exists()
    log_read(actor=actor, obj=person, purpose="data subject page")
    log_list(actor=actor, model=Person, purpose="people search")
    entries = list(
        AccessLogEntry.objects.order_by("pk").values_list(
            "subject_type", "subject_id", "person_id", "purpose"
        )
    )
    assert entries == [
        ("person", str(person.pk), person.pk, "data subject page [protected identity]"),
        ("person", "*", None, "people search"),
    ]
