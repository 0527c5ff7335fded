"""Tenant isolation: no user of one municipality can read or change another's data.

Every URL (from the resolver) and every API operation (from the OpenAPI schema) is requested
by every role of the home municipality, aimed at the foreign municipality's objects. A 2xx
that shows foreign data, or any change to foreign rows, fails. The checks live beside each
app (tests/<app>/test_isolation.py); this file proves that together they know every URL and
every operation — a new one without a check fails here until one is written — and runs the
API with every role's personal token.
"""

from __future__ import annotations

import pytest
from django.test import Client

from bryggan.core.roles import Role
from bryggan.organisation.resources import RESOURCES
from tests.conftest import TENANT_ROLES
from tests.core import test_isolation as core_checks
from tests.identity import test_isolation as identity_checks
from tests.insights import test_isolation as insights_checks
from tests.introduction import test_isolation as introduction_checks
from tests.isolation import all_operations, all_routes, assert_no_leak
from tests.matching import test_isolation as matching_checks
from tests.organisation import test_isolation as organisation_checks
from tests.privacy import test_isolation as privacy_checks
from tests.programme import test_isolation as programme_checks
from tests.recruitment import test_isolation as recruitment_checks
from tests.regional import test_isolation as regional_checks
from tests.specialists import test_isolation as specialists_checks

pytestmark = pytest.mark.django_db

APPS = (
    core_checks,
    organisation_checks,
    recruitment_checks,
    matching_checks,
    programme_checks,
    privacy_checks,
    identity_checks,
    introduction_checks,
    specialists_checks,
    insights_checks,
    regional_checks,
)


def _registered(kind: str) -> dict[str, list[str]]:
    """Each registered name with the apps that register it."""
    found: dict[str, list[str]] = {}
    for app in APPS:
        for name in getattr(app, kind):
            found.setdefault(name, []).append(app.__name__)
    return found


def test_every_url_has_an_isolation_check():
    names = {route.name for route in all_routes()}
    registered = _registered("PAGE_CHECKS")
    missing = names - set(registered)
    assert not missing, f"Add an isolation check for these URLs: {sorted(missing)}"
    twice = {name: apps for name, apps in registered.items() if len(apps) > 1}
    assert not twice, f"One app's isolation test owns each URL: {twice}"


def test_every_api_operation_has_an_isolation_check():
    operations = all_operations(Client().get("/api/openapi.json").json())
    assert len(operations) >= 5 * len(RESOURCES)
    registered = _registered("API_CHECKS")
    missing = {op.operation_id for op in operations} - set(registered)
    assert not missing, f"Add an isolation check for API operations: {sorted(missing)}"
    twice = {name: apps for name, apps in registered.items() if len(apps) > 1}
    assert not twice, f"One app's isolation test owns each operation: {twice}"


def test_the_leak_detector_sees_foreign_data(world):
    """The checks are only worth something if they would catch a leak: prove it can."""
    client = world.foreign.client(Role.COORDINATOR)
    response = client.get(f"/org/unit/{world.foreign.objects['unit'].pk}/")
    assert response.status_code == 200
    with pytest.raises(AssertionError):
        assert_no_leak(response, "foreign coordinator on own unit")


def test_api_tokens_are_held_to_their_own_municipality(rworld):
    from bryggan.core.permissions import actor_for
    from bryggan.core.services import api_token_create

    checks = {op: check for app in APPS for op, check in app.API_CHECKS.items()}
    operations = all_operations(Client().get("/api/openapi.json").json())
    for role in TENANT_ROLES:
        new = api_token_create(actor=actor_for(rworld.home.user(role)), name="integration")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {new.raw}"}
        for op in operations:
            checks[op.operation_id](rworld, Client(), f"token:{role.value}", op, headers)
