"""Tenant isolation of data protection: the access log, a person's data, retention and
legal holds, attacked by every role of the other municipality."""

from __future__ import annotations

import pytest

from bryggan.core.roles import Role
from tests.conftest import FOREIGN_MARK
from tests.isolation import (
    assert_no_leak,
    check_pages,
    check_private_link,
)

pytestmark = pytest.mark.django_db


def _check_access_log(world, client, who):
    from bryggan.core.models import AccessLogEntry

    foreign = world.foreign
    AccessLogEntry.objects.get_or_create(
        municipality=foreign.municipality,
        user=foreign.user(Role.COORDINATOR),
        subject_type="application",
        subject_id=str(foreign.rec["application"].pk),
        person_id=foreign.rec["person"].pk,
        purpose="application file",
        path=f"/rekrytering/{FOREIGN_MARK}/",
    )
    # A name both municipalities have: only the attacker's own may come back.
    person = foreign.rec["person"].last_name.replace(FOREIGN_MARK, "")
    for path in ("/dataskydd/atkomstlogg/", "/dataskydd/atkomstlogg/export.csv"):
        for params in ({}, {"person": person}, {"user": "coordinator@"}):
            assert_no_leak(client.get(path, params), f"{who} {path} {params}")


def _check_data_subject(world, client, who):
    """Another municipality's person: not found, not shown, not exported, not erased."""
    from bryggan.core.models import Person

    person = world.foreign.rec["person"]
    base = f"/dataskydd/person/{person.pk}/"
    assert client.get(base).status_code in (302, 403, 404), who
    for suffix, data in (
        ("skyddad-identitet/", {"protected": "yes"}),
        ("export.zip", {"reference": "x"}),
        ("radera/", {"erase-reference": "x", "erase-mode": "erase", "erase-confirm": "on"}),
    ):
        response = client.post(base + suffix, data)
        assert response.status_code in (302, 403, 404), (who, suffix, response.status_code)
        assert response.get("Content-Type") != "application/zip"
    person.refresh_from_db()
    assert not person.protected_identity
    assert Person.objects.filter(pk=person.pk).exists()
    assert_no_leak(client.get("/dataskydd/personer/", {"q": "Sökande"}), f"{who} people")
    for suffix, data in (("sparr/", {"hold-reason": "x"}),):
        response = client.post(base + suffix, data)
        assert response.status_code in (302, 403, 404), (who, suffix, response.status_code)
    from bryggan.privacy.models import LegalHold

    assert not LegalHold.objects.filter(person_id=person.pk).exists()


def _check_retention(world, client, who):
    """The retention pages show and purge only the attacker's own municipality."""
    from bryggan.privacy.models import RetentionPolicy

    assert_no_leak(client.get("/dataskydd/gallring/"), f"{who} retention")
    client.post("/dataskydd/gallring/applicant_not_hired/", {"months": "1"})
    assert not RetentionPolicy.objects.filter(municipality=world.foreign.municipality).exists()
    client.post("/dataskydd/gallring-kor/", {"confirm": "yes"})
    from bryggan.recruitment.models import Application

    assert Application.objects.filter(pk=world.foreign.rec["application"].pk).exists()


def _check_hold_release(world, client, who):
    from bryggan.privacy.models import LegalHold

    person = world.foreign.rec["person"]
    hold = LegalHold.objects.create(
        municipality=world.foreign.municipality, person_id=person.pk, reason="x"
    )
    response = client.post(f"/dataskydd/person/{person.pk}/sparr/{hold.pk}/hav/")
    assert response.status_code in (302, 403, 404), who
    hold.refresh_from_db()
    assert hold.released_at is None
    hold.delete()


def _check_tokens(world, client, who):
    """Another municipality's users' tokens: not listed, not revocable."""
    from bryggan.core.models import ApiToken

    foreign_user = world.foreign.user(Role.COORDINATOR)
    token = ApiToken.objects.create(
        user=foreign_user, name=f"Lön {FOREIGN_MARK}", token_hash="f" * 64, hint="bry_frmd"
    )
    assert_no_leak(client.get("/dataskydd/api-nycklar/"), f"{who} tokens")
    response = client.post(f"/dataskydd/api-nycklar/{token.pk}/aterkalla/")
    assert response.status_code in (302, 403, 404), (who, response.status_code)
    token.refresh_from_db()
    assert token.revoked_at is None, who
    token.delete()


PAGE_CHECKS = {
    "privacy:tokens": _check_tokens,
    "privacy:token-revoke": _check_tokens,
    "privacy:access-log": _check_access_log,
    "privacy:access-log-export": _check_access_log,
    **{
        f"privacy:{name}": _check_data_subject
        for name in ("people", "person", "protect", "export", "erase", "hold-place")
    },
    "privacy:hold-release": _check_hold_release,
    "privacy:retention": _check_retention,
    "privacy:policy": _check_retention,
    "privacy:retention-run": _check_retention,
    "privacy-public:my-data": check_private_link,
}
API_CHECKS: dict = {}


def test_no_privacy_page_shows_or_changes_another_municipalitys_data(rworld):
    check_pages(rworld, PAGE_CHECKS, "Data-protection pages")
