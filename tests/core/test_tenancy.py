import pytest
from django_scopes import ScopeError, scope

from bryggan.organisation.models import Unit

pytestmark = pytest.mark.django_db


def test_a_tenant_query_outside_any_scope_is_an_error(world):
    from django_scopes.state import state

    token = state.set({})  # leave the test's own "scopes disabled"
    try:
        with pytest.raises(ScopeError):
            list(Unit.objects.all())
    finally:
        state.reset(token)


def test_inside_a_scope_only_that_municipalitys_rows_are_seen(world):
    with scope(municipality=world.home.municipality.pk):
        names = set(Unit.objects.values_list("name", flat=True))
    assert names == {"Utredning"}
