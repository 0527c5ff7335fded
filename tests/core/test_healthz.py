from unittest import mock

import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_it_reports_the_database_as_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_it_answers_503_with_json_when_the_database_is_down(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "unavailable",
        "error": "OperationalError",
    }


def test_it_rejects_post(client):
    assert client.post("/healthz").status_code == 405
