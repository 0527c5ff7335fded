"""Nothing a signed-in user or an applicant's private link sees is kept in a cache: on a
shared office PC the browser must not show it again after logout."""

from __future__ import annotations

import pytest
from django.test import Client

from bryggan.core.roles import Role
from bryggan.recruitment import links

pytestmark = pytest.mark.django_db


def _private(response) -> bool:
    value = response.get("Cache-Control", "")
    return "no-store" in value and "private" in value


def test_pages_api_answers_downloads_and_exports_of_a_signed_in_user_are_not_cached(rworld):
    home = rworld.home
    coordinator, dpo = home.client(Role.COORDINATOR), home.client(Role.DPO)
    month = home.rec["hours_approved"].day.strftime("%Y-%m")
    responses = {
        "page": coordinator.get(f"/rekrytering/ansokan/{home.rec['application'].pk}/"),
        "api": coordinator.get(f"/api/recruitment/applications/{home.rec['application'].pk}"),
        "download": coordinator.get(f"/rekrytering/dokument/{home.rec['document'].pk}/"),
        "export": coordinator.get("/programmet/timmar/export/", {"month": month}),
        "refusal": home.client(Role.STUDENT).get("/programmet/"),
        "access log export": dpo.get("/dataskydd/atkomstlogg/export.csv"),
    }
    for what, response in responses.items():
        assert response.status_code in (200, 403), what
        assert _private(response), (what, response.get("Cache-Control"))


def test_an_applicants_private_link_is_not_cached(rworld):
    token = links.make_token(rworld.home.rec["application"])
    response = Client().get(f"/ansokan/{token}/")
    assert response.status_code == 200
    assert _private(response)


def test_public_pages_stay_cacheable(rworld):
    response = Client().get(f"/karriar/{rworld.home.municipality.slug}/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
