"""The demo's identity provider: Norrköping's staff sign in through it with the roles its
groups give; the same provider program the tests use, started with the demo's people."""

from __future__ import annotations

import pytest
from django.test import Client

from bryggan.core.models import Membership, Municipality
from bryggan.core.roles import Role
from bryggan.demo import idp
from bryggan.identity.models import GroupMapping, IdentityProvider
from tests.identity.conftest import free_port, start_provider, through_provider

pytestmark = pytest.mark.django_db


def test_the_demo_people_sign_in_through_the_demo_provider(tmp_path):
    municipality = Municipality.objects.create(
        name="Norrköping", slug="norrkoping", kommunkod="0581"
    )
    provider = idp.seed_provider(municipality)
    idp.seed_provider(municipality)  # again: nothing more
    assert IdentityProvider.unscoped.count() == 1
    assert GroupMapping.unscoped.count() == len(idp.GROUPS)
    port = free_port()
    idp.write_state(tmp_path, hosts=("testserver",))
    process, log = start_provider(port, tmp_path)
    try:
        provider.issuer = f"http://127.0.0.1:{port}"
        provider.save()
        astrid = Client()
        response, _back = through_provider(
            astrid, "astrid.samordnare@norrkoping.demo", password=idp.PASSWORD, slug=idp.SLUG
        )
        assert response.status_code == 302
        assert astrid.get("/").status_code == 200  # the demo provider vouches for two factors
        assert set(
            Membership.objects.filter(user__email="astrid.samordnare@norrkoping.demo").values_list(
                "role", "municipality"
            )
        ) == {(Role.COORDINATOR, municipality.pk)}
        refused, _back = through_provider(
            Client(), "david.utanfor@norrkoping.demo", password=idp.PASSWORD, slug=idp.SLUG
        )
        assert refused.status_code == 403
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
