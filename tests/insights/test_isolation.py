"""Tenant isolation of the insights: every role of one municipality (and the national
analyst, and anonymous) aimed at another's rounds, departments, surveys, imports and
answering links sees and changes nothing of it; the analyst's national view holds counts
only, never a name."""

from __future__ import annotations

import io

import pytest

from bryggan.core.roles import Role
from tests.conftest import FOREIGN_MARK
from tests.insights_data import TOKEN_PREFIX, build_insights
from tests.isolation import (
    api_refusal,
    assert_no_leak,
    check_operations,
    check_pages,
    tenant_rows,
)

pytestmark = pytest.mark.django_db


def foreign_insights(world) -> dict:
    found = getattr(world.foreign, "insights", None)
    if found is None:
        found = build_insights(world.foreign, FOREIGN_MARK, applications_per_year=6)
        world.foreign.insights = found
    return found


def snapshot(world) -> dict:
    from bryggan.insights.models import (
        Answer,
        HiringNeed,
        Invitation,
        PendingImport,
        Question,
        Response,
        Survey,
        UnitMonth,
    )
    from bryggan.organisation.models import StaffMember

    return tenant_rows(
        world,
        (
            UnitMonth,
            PendingImport,
            HiringNeed,
            Survey,
            Question,
            Invitation,
            Response,
            Answer,
            StaffMember,
        ),
    )


def _foreign_round(world) -> int:
    from bryggan.recruitment.models import Round

    foreign_insights(world)
    return Round.unscoped.filter(municipality=world.foreign.municipality).first().pk


def _gets(world) -> dict[str, list[str]]:
    """Per page: the attacker's own URLs, filtered by the other municipality's rounds,
    departments and units."""
    found = foreign_insights(world)
    round_id = _foreign_round(world)
    department = world.foreign.objects["department"].pk
    return {
        "funnel": ["/insikter/", f"/insikter/?round={round_id}"],
        "retention": ["/insikter/kvarstannande/"],
        "workforce": ["/insikter/personal/"],
        "load": ["/insikter/handledare/"],
        "forecast": ["/insikter/prognos/", f"/insikter/prognos/?year={found['need'].year}"],
        "surveys": ["/insikter/enkater/"],
        "import": ["/insikter/import/"],
        "national": ["/insikter/nationellt/"],
        "template": ["/insikter/import/mall/staff.csv"],
        "chart": [
            "/insikter/diagram/funnel.png",
            f"/insikter/diagram/funnel.png?round={round_id}",
            f"/insikter/diagram/forecast.png?department={department}",
        ],
        "export": [
            "/insikter/export/workforce/units.csv",
            f"/insikter/export/funnel/by-university.csv?round={round_id}",
            "/insikter/export/national/national.csv",
        ],
        "report": ["/insikter/rapport.pdf"],
    }


def _posts(world) -> dict[str, tuple[str, dict]]:
    """Per page that takes a form: the attacker's own form naming the other municipality's
    department or unit."""
    found = foreign_insights(world)
    department = world.foreign.objects["department"].pk
    unit = world.foreign.objects["unit"].name
    return {
        "forecast": (
            "/insikter/prognos/",
            {"department": department, "year": found["need"].year, "need": 9},
        ),
        "import": (
            "/insikter/import/",
            {
                "kind": "unit_months",
                "file": _file(
                    f"unit;month;sick_leave_percent;open_cases;case_workers\n"
                    f"{unit};2025-01;5;10;2\n"
                ),
            },
        ),
        "surveys": (
            "/insikter/enkater/",
            {"title": "x", "audience": "staff", "closes_on": "2099-01-01", "question_1": "y"},
        ),
    }


def _own(page: str):
    """The attacker's own page ``page``, filtered by or posting the other municipality's
    rounds, departments and units: nothing foreign shows, nothing foreign changes. Each page
    name checks its own URLs (every name is tried by every role)."""

    def check(world, client, who):
        foreign_insights(world)
        before = snapshot(world)
        for path in _gets(world)[page]:
            response = client.get(path)
            assert response.status_code in (200, 302, 403, 404), (who, path, response.status_code)
            assert_no_leak(response, f"{who} {path}")
        post = _posts(world).get(page)
        if post is not None:
            path, data = post
            response = client.post(path, data)
            assert response.status_code in (302, 400, 403), (who, path, response.status_code)
            if response.status_code == 302:
                assert "/login/" in response["Location"] or path == "/insikter/enkater/", (
                    who,
                    path,
                )
            assert_no_leak(response, f"{who} post {path}")
        assert snapshot(world) == before, who

    return check


def _file(text: str):
    upload = io.BytesIO(text.encode())
    upload.name = "hr.csv"
    return upload


def _check_foreign(world, client, who):
    found = foreign_insights(world)
    before = snapshot(world)
    for method, path in (
        ("get", f"/insikter/enkater/{found['survey'].pk}/"),
        ("post", f"/insikter/enkater/{found['survey'].pk}/"),
        ("get", f"/insikter/import/{found['pending'].pk}/"),
        ("post", f"/insikter/import/{found['pending'].pk}/"),
    ):
        response = getattr(client, method)(path)
        assert response.status_code in (302, 403, 404), (who, path, response.status_code)
        if response.status_code == 302:
            assert "/login/" in response["Location"], (who, path)
        assert_no_leak(response, f"{who} {method} {path}")
    assert snapshot(world) == before, who


def _check_link(world, client, who):
    """An answering link is the key: a guessed or another survey's forged token opens
    nothing; the other municipality's survey shows only to its own link's holder."""
    foreign_insights(world)
    before = snapshot(world)
    for token in (f"{TOKEN_PREFIX}guess", "x" * 101, "%00"):
        response = client.get(f"/enkat/{token}/")
        assert response.status_code == 404, (who, token)
        assert_no_leak(response, f"{who} link {token}")
        assert client.post(f"/enkat/{token}/", {"q1": "5"}).status_code == 404
    assert snapshot(world) == before, who


PAGE_CHECKS = {
    "insights:funnel": _own("funnel"),
    "insights:retention": _own("retention"),
    "insights:workforce": _own("workforce"),
    "insights:load": _own("load"),
    "insights:forecast": _own("forecast"),
    "insights:import": _own("import"),
    "insights:template": _own("template"),
    "insights:surveys": _own("surveys"),
    "insights:national": _own("national"),
    "insights:chart": _own("chart"),
    "insights:export": _own("export"),
    "insights:report": _own("report"),
    "insights:survey": _check_foreign,
    "insights:import_preview": _check_foreign,
    "survey_answer": _check_link,
}


def _ids(world) -> dict:
    found = foreign_insights(world)
    return {
        "survey_id": found["survey"].pk,
        "DEPARTMENT": world.foreign.objects["department"].pk,
        "YEAR": found["need"].year,
    }


def _api_check(body, *, own: bool = False):
    return api_refusal(body, ids=_ids, snapshot=snapshot, own=own)


def _import_check(world, client, who, op, headers):
    """A file naming the other municipality's unit is refused whole: nothing written."""
    unit = world.foreign.objects["unit"].name
    foreign_insights(world)
    before = snapshot(world)
    path = op.path.replace("{kind}", "unit_months")
    text = f"unit;month;sick_leave_percent;open_cases;case_workers\n{unit};2025-01;5;10;2\n"
    response = client.post(path, {"file": io.BytesIO(text.encode())}, **(headers or {}))
    assert response.status_code in (400, 401, 403), (who, response.status_code)
    assert_no_leak(response, f"{who} import")
    assert snapshot(world) == before, who


API_CHECKS = {
    "insights_funnel": _api_check(None),
    "insights_retention": _api_check(None),
    "insights_workforce": _api_check(None),
    "insights_supervisor_load": _api_check(None),
    "insights_forecast": _api_check(None),
    "insights_surveys": _api_check(None),
    "insights_national": _api_check(None),
    "insights_survey_results": _api_check(None),
    "insights_need_set": _api_check(
        {"department_id": "DEPARTMENT", "year": "YEAR", "need": 9}, own=True
    ),
    "insights_import": _import_check,
}


def test_no_insights_page_shows_or_changes_another_municipalitys_data(world):
    check_pages(world, PAGE_CHECKS, "Insights pages")


def test_no_insights_api_operation_shows_or_changes_another_municipalitys_data(world):
    check_operations(world, API_CHECKS, "Insights API")


def test_the_national_view_names_municipalities_never_people(world):
    from tests.clients import signed_in_client

    build_insights(world.home, applications_per_year=20)
    foreign_insights(world)
    analyst = signed_in_client(world.analyst)
    body = analyst.get("/insikter/nationellt/").content.decode()
    assert "Södertälje" in body and "Norrköping" in body
    assert FOREIGN_MARK not in body and "Handledarsson" not in body
    assert world.home.client(Role.COORDINATOR).get("/api/insights/national").status_code == 403
