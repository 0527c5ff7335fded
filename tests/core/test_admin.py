import pytest

from bryggan.core.roles import Role
from tests.clients import signed_in_client

pytestmark = pytest.mark.django_db


def test_municipality_users_cannot_enter_the_admin(world):
    response = world.home.client(Role.COORDINATOR).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_site_admins_see_every_municipalitys_units(world):
    client = signed_in_client(world.admin)
    body = client.get("/admin/organisation/unit/").content.decode()
    assert "ZZFOREIGN" in body and "Utredning" in body
    assert client.get("/admin/organisation/unit/add/").status_code == 403


def test_site_admins_see_postings_but_not_applicants(rworld):
    client = signed_in_client(rworld.admin)
    for path in (
        "/admin/recruitment/round/",
        "/admin/recruitment/posting/",
        "/admin/recruitment/informationevent/",
    ):
        assert client.get(path).status_code == 200, path
    posting = rworld.home.rec["posting"]
    assert client.get(f"/admin/recruitment/posting/{posting.pk}/change/").status_code == 200
    assert client.get("/admin/recruitment/application/").status_code == 404
