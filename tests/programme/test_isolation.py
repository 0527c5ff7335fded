"""Tenant isolation of the three steps: the programme's pages and API, attacked by every
role of the other municipality."""

from __future__ import annotations

import pytest

from tests.isolation import (
    assert_no_leak,
    check_foreign_requests,
    check_operations,
    check_pages,
    check_record_operation,
    rec_snapshot,
)

pytestmark = pytest.mark.django_db


def _participant_requests(world) -> dict[str, list[tuple[str, str, dict]]]:
    """A foreign participant's page and its forms."""
    rec = world.foreign.rec
    home_staff = world.home.objects["staff"].pk
    foreign_unit = world.foreign.objects["unit"].pk
    return {
        "programme:participant": [("get", f"/programmet/deltagare/{rec['participant'].pk}/", {})],
        "programme:invite": [
            ("post", f"/programmet/deltagare/{rec['participant'].pk}/inbjudan/", {})
        ],
        "programme:move": [
            (
                "post",
                f"/programmet/deltagare/{rec['participant'].pk}/flytta/",
                {"move-stage": "left", "move-reason": "hijacked"},
            )
        ],
        "programme:offer": [
            (
                "post",
                f"/programmet/deltagare/{rec['participant'].pk}/erbjudande/",
                {
                    "offer-title": "x",
                    "offer-unit": foreign_unit,
                    "offer-starts_on": "2030-01-01",
                    "offer-reply_by": "2029-12-01",
                },
            )
        ],
        "programme:summer-job": [
            (
                "post",
                f"/programmet/deltagare/{rec['participant'].pk}/sommarjobb/",
                {
                    "summer-unit": foreign_unit,
                    "summer-starts_on": "2030-06-01",
                    "summer-ends_on": "2030-08-01",
                },
            )
        ],
        "programme:thesis": [
            (
                "post",
                f"/programmet/deltagare/{rec['participant'].pk}/uppsats/",
                {
                    "thesis-title": "x",
                    "thesis-university_supervisor": "x",
                    "thesis-unit_contact": home_staff,
                    "thesis-status": "planned",
                },
            )
        ],
    }


def _plan_requests(world) -> dict[str, list[tuple[str, str, dict]]]:
    """Task plans and university assessments of the foreign municipality."""
    rec = world.foreign.rec
    foreign_unit = world.foreign.objects["unit"].pk
    return {
        "programme:unit-plan": [
            ("get", f"/programmet/enhet/{foreign_unit}/plan/", {}),
            ("post", f"/programmet/enhet/{foreign_unit}/plan/", {"action": "standard"}),
            ("post", f"/programmet/enhet/{foreign_unit}/plan/", {"title": "hijacked"}),
        ],
        "programme:student-plan": [
            ("get", f"/programmet/deltagare/{rec['participant'].pk}/plan/", {}),
            (
                "post",
                f"/programmet/deltagare/{rec['participant'].pk}/plan/",
                {"item": rec["task_visit"].pk, "level": "observed"},
            ),
        ],
        "programme:assessment-sign": [
            ("get", f"/programmet/deltagare/{rec['practicum_participant'].pk}/bedomning/", {}),
            (
                "post",
                f"/programmet/deltagare/{rec['practicum_participant'].pk}/bedomning/",
                {
                    "kind": "final",
                    "knowledge": "x",
                    "skills": "x",
                    "judgement": "x",
                    "absence_days": "0",
                    "recommendation": "pass",
                },
            ),
        ],
        "programme:assessment-pdf": [
            ("get", f"/programmet/bedomning/{rec['assessment'].pk}/pdf/", {}),
        ],
        "programme:assessment": [
            ("get", f"/programmet/bedomning/{rec['assessment'].pk}/", {}),
        ],
    }


def _hours_and_offer_requests(world) -> dict[str, list[tuple[str, str, dict]]]:
    """Approving foreign hours and answering a foreign offer."""
    rec = world.foreign.rec
    return {
        "programme:approve": [
            ("post", "/programmet/attestera/", {"entries": [rec["hours_submitted"].pk]}),
        ],
        "programme:answer": [
            ("post", f"/programmet/mitt/erbjudande/{rec['offer'].pk}/", {"answer": "accept"}),
            ("post", f"/programmet/mitt/erbjudande/{rec['offer'].pk}/", {"answer": "decline"}),
        ],
    }


def _check_programme_lists(world, client, who):
    before = rec_snapshot(world)
    unit = world.foreign.objects["unit"].pk
    for path, params in (
        ("/programmet/", {}),
        ("/programmet/", {"stage": "aspirant", "unit": unit}),
        ("/programmet/", {"action": "1"}),
        ("/programmet/", {"action": "1", "unit": unit}),
        ("/api/programme/participants", {"needs_action": "true"}),
        ("/api/programme/participants", {"needs_action": "true", "unit": unit}),
        ("/programmet/mitt/", {}),
        ("/programmet/attestera/", {}),
        ("/programmet/mina-studenter/", {}),
        ("/programmet/bedomningar/", {}),
        ("/programmet/uppsatser/", {}),
        ("/programmet/timmar/export/", {"month": _month_of_foreign_hours(world), "format": "csv"}),
        ("/programmet/timmar/export/", {"month": _month_of_foreign_hours(world), "format": "xlsx"}),
    ):
        assert_no_leak(client.get(path, params), f"{who} GET {path} {params}")
    assert rec_snapshot(world) == before, who


def _month_of_foreign_hours(world) -> str:
    return world.foreign.rec["hours_approved"].day.strftime("%Y-%m")


def _check_programme_own_writes(world, client, who):
    """Writes that act only on the actor's own municipality (their hours, their rules)."""
    before = rec_snapshot(world)
    day = world.foreign.rec["hours_submitted"].day.isoformat()
    client.post("/programmet/mitt/timmar/", {"day": day, "hours": "2", "activity": "x"})
    assert_no_leak(client.get("/programmet/timregler/"), f"{who} GET rules")
    client.post(
        "/programmet/timregler/",
        {
            "aspirant_monthly_minimum": "1",
            "student_employee_weekly_maximum": "1",
            "practicum_weekly_expected": "1",
            "practicum_weekly_tolerance": "1",
            "supervision_every_days": "1",
            "mentor_meeting_every_days": "1",
        },
    )
    assert rec_snapshot(world) == before, who


PAGE_CHECKS = {
    "programme:theses": _check_programme_lists,
    "programme:assessments": _check_programme_lists,
    "programme:my-students": _check_programme_lists,
    "programme:log-hours": _check_programme_own_writes,
    "programme:rules": _check_programme_own_writes,
    "programme:export": _check_programme_lists,
    "programme:overview": _check_programme_lists,
    "programme:mine": _check_programme_lists,
    "programme:participant": check_foreign_requests(
        lambda world: _participant_requests(world)["programme:participant"]
    ),
    "programme:move": check_foreign_requests(
        lambda world: _participant_requests(world)["programme:move"]
    ),
    "programme:invite": check_foreign_requests(
        lambda world: _participant_requests(world)["programme:invite"]
    ),
    "programme:offer": check_foreign_requests(
        lambda world: _participant_requests(world)["programme:offer"]
    ),
    "programme:summer-job": check_foreign_requests(
        lambda world: _participant_requests(world)["programme:summer-job"]
    ),
    "programme:thesis": check_foreign_requests(
        lambda world: _participant_requests(world)["programme:thesis"]
    ),
    "programme:unit-plan": check_foreign_requests(
        lambda world: _plan_requests(world)["programme:unit-plan"]
    ),
    "programme:student-plan": check_foreign_requests(
        lambda world: _plan_requests(world)["programme:student-plan"]
    ),
    "programme:assessment-sign": check_foreign_requests(
        lambda world: _plan_requests(world)["programme:assessment-sign"]
    ),
    "programme:assessment-pdf": check_foreign_requests(
        lambda world: _plan_requests(world)["programme:assessment-pdf"]
    ),
    "programme:assessment": check_foreign_requests(
        lambda world: _plan_requests(world)["programme:assessment"]
    ),
    "programme:approve": check_foreign_requests(
        lambda world: _hours_and_offer_requests(world)["programme:approve"]
    ),
    "programme:answer": check_foreign_requests(
        lambda world: _hours_and_offer_requests(world)["programme:answer"]
    ),
}

API_BODIES = {
    "programme_participants": None,
    "programme_participant": None,
    "programme_move": {"stage": "left", "reason": "hijacked"},
    "programme_offer_issue": {
        "unit_id": 1,
        "starts_on": "2030-01-01",
        "reply_by": "2029-12-01",
        "monthly_salary": 35000,
        "contact_id": "STAFF",
    },
    "programme_offer_answer": {"accept": True},
    "programme_me": None,
    "programme_hours": None,
    "programme_placements": None,
    "programme_hours_log": {"day": "2026-01-01", "hours": 2, "activity": "x"},
    "programme_hours_approve": {"entries": ["ENTRY"]},
    "programme_hours_return": {"entries": ["ENTRY"], "reason": "Fel dag"},
    "programme_hours_import": "CSV",
}
# Operations that act on the caller's own records: a refusal (400) is as good as 401/403/404.
OWN_BODIES = {
    "programme_my_hours_log": {"day": "2000-01-01", "hours": 2, "activity": "x"},
    "programme_place_by_hand": {
        "person_id": "PERSON",
        "unit_id": "UNIT",
        "supervisor_id": "STAFF",
        "term_id": "TERM",
        "step": "practicum",
    },
}
API_CHECKS = {
    **{op: check_record_operation(body) for op, body in API_BODIES.items()},
    **{op: check_record_operation(body, own=True) for op, body in OWN_BODIES.items()},
}


def test_no_programme_page_shows_or_changes_another_municipalitys_data(rworld):
    check_pages(rworld, PAGE_CHECKS, "Programme pages")


def test_no_programme_api_operation_shows_or_changes_another_municipalitys_data(rworld):
    check_operations(rworld, API_CHECKS, "Programme API")
