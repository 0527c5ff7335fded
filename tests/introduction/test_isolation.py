"""Tenant isolation of the broad introduction: every page, export, calendar feed and API
operation, aimed at another municipality's programme, cohort, new hires and units by every
role of this one (and the national analyst and anonymous), shows and changes nothing."""

from __future__ import annotations

import pytest
from django.core import signing

from bryggan.introduction import calendar
from tests.conftest import FOREIGN_MARK
from tests.introduction_data import START, build_introduction
from tests.isolation import (
    api_refusal,
    assert_no_leak,
    check_operations,
    check_pages,
    tenant_rows,
)

pytestmark = pytest.mark.django_db


def foreign_intro(world) -> dict:
    """The other municipality's introduction, planned (built once per world)."""
    found = getattr(world.foreign, "intro", None)
    if found is None:
        from bryggan.introduction import services

        found = build_introduction(world.foreign, FOREIGN_MARK, hires=3)
        services.plan(actor=found["actor"], cohort=found["cohort"], today=START)
        services.absence_add(
            actor=found["actor"],
            cohort=found["cohort"],
            staff=found["supervisors"][0],
            starts_on=START,
            ends_on=START,
        )
        world.foreign.intro = found
    return found


def snapshot(world) -> dict:
    from bryggan.introduction.models import (
        Absence,
        Area,
        Block,
        Cohort,
        CohortMember,
        IntroductionProgramme,
        ScheduleChange,
        UnitPlaces,
    )

    return tenant_rows(
        world,
        (
            IntroductionProgramme,
            Area,
            UnitPlaces,
            Cohort,
            CohortMember,
            Absence,
            Block,
            ScheduleChange,
        ),
    )


def _requests(world) -> list[tuple[str, str, dict]]:
    intro = foreign_intro(world)
    cohort, programme = intro["cohort"], intro["programme"]
    member = intro["members"][0]
    unit, sup = intro["units"][0], intro["supervisors"][0]
    absence = cohort.absences.first()
    path = f"/introduktion/kull/{cohort.pk}/"
    return [
        ("get", f"/introduktion/program/{programme.pk}/", {}),
        ("post", f"/introduktion/program/{programme.pk}/", {"unit": unit.pk, "places": 9}),
        (
            "post",
            f"/introduktion/program/{programme.pk}/",
            {"action": "cohort", "name": "x", "starts_on": "2026-09-14"},
        ),
        ("get", path, {}),
        ("post", path, {"action": "plan"}),
        ("post", path, {"action": "offers"}),
        ("post", path, {"action": "add", "staff": sup.pk}),
        (
            "post",
            path,
            {
                "action": "absence",
                "staff": sup.pk,
                "starts_on": "2026-09-07",
                "ends_on": "2026-09-08",
            },
        ),
        ("post", path, {"action": "absence-delete", "absence": absence.pk}),
        ("post", path, {"action": "member", "member": member.pk, "placed_unit": unit.pk}),
        ("post", path, {"action": "leave", "member": member.pk, "left_on": "2026-09-08"}),
        ("get", f"/introduktion/kull/{cohort.pk}/schema.csv", {}),
        ("get", f"/introduktion/kull/{cohort.pk}/schema.xlsx", {}),
        ("get", f"/introduktion/enhet/{unit.pk}/", {}),
        ("post", f"/introduktion/mitt-onskemal/{member.pk}/", {"unit": unit.pk}),
    ]


def _check_foreign(world, client, who):
    before = snapshot(world)
    for method, path, data in _requests(world):
        response = getattr(client, method)(path, data)
        assert response.status_code in (302, 403, 404), (who, method, path, response.status_code)
        if response.status_code == 302:
            assert "/login/" in response["Location"], (who, path)
        assert_no_leak(response, f"{who} {method} {path}")
    assert snapshot(world) == before, who


def _check_own_pages(world, client, who):
    """The attacker's own lists and forms: nothing of the other municipality, and a form
    naming its departments, units or staff is refused."""
    intro = foreign_intro(world)
    before = snapshot(world)
    for path in ("/introduktion/", "/introduktion/enheter/"):
        assert_no_leak(client.get(path), f"{who} {path}")
    departments = [a.department_id for a in intro["programme"].areas.all()]
    response = client.post(
        "/introduktion/", {"name": "Kapad", "weeks": 6, "departments": departments}
    )
    assert response.status_code in (302, 400, 403), (who, response.status_code)
    if response.status_code == 302:
        assert "/login/" in response["Location"], who
    assert_no_leak(response, f"{who} post /introduktion/")
    assert snapshot(world) == before


def _check_feed(world, client, who):
    """A feed opens only with a token signed by this server: a forged token for the other
    municipality's unit or person opens nothing."""
    intro = foreign_intro(world)
    for payload in (
        {"m": world.foreign.municipality.pk, "u": intro["units"][0].pk},
        {"m": world.foreign.municipality.pk, "s": intro["members"][0].staff_id},
    ):
        forged = signing.dumps(payload, salt=calendar.SALT, key="not-the-secret", compress=True)
        response = client.get(f"/introduktion/kalender/{forged}.ics")
        assert response.status_code == 404, (who, response.status_code)
    # A genuine token of this municipality names its own unit: nothing foreign in it.
    own = calendar.token_for(
        municipality_id=world.home.municipality.pk, unit_id=intro["units"][0].pk
    )
    response = client.get(f"/introduktion/kalender/{own}.ics")
    assert FOREIGN_MARK not in response.content.decode(errors="replace"), who


PAGE_CHECKS = {
    "introduction:index": _check_own_pages,
    "introduction:units": _check_own_pages,
    "introduction:programme": _check_foreign,
    "introduction:cohort": _check_foreign,
    "introduction:export": _check_foreign,
    "introduction:unit": _check_foreign,
    "introduction:wish": _check_foreign,
    "introduction:feed": _check_feed,
}


def _ids(world) -> dict:
    intro = foreign_intro(world)
    return {
        "introduction_programme_id": intro["programme"].pk,
        "cohort_id": intro["cohort"].pk,
        "UNIT": intro["units"][0].pk,
        "STAFF": intro["supervisors"][0].pk,
        "DEPARTMENT": intro["programme"].areas.first().department_id,
    }


def _api_check(body, *, own: bool = False):
    return api_refusal(body, ids=_ids, snapshot=snapshot, own=own)


API_CHECKS = {
    "introduction_programmes": _api_check(None, own=True),
    "introduction_programme": _api_check(None),
    "introduction_programme_create": _api_check(
        {"name": "Kapad", "weeks": 6, "department_ids": ["DEPARTMENT"]}, own=True
    ),
    "introduction_places_set": _api_check({"unit_id": "UNIT", "places": 9}),
    "introduction_cohort_create": _api_check({"name": "x", "starts_on": "2026-09-14"}),
    "introduction_cohort": _api_check(None),
    "introduction_member_add": _api_check({"staff_id": "STAFF"}),
    "introduction_absence_add": _api_check(
        {"staff_id": "STAFF", "starts_on": "2026-09-07", "ends_on": "2026-09-08"}
    ),
    "introduction_plan": _api_check({}),
}


def test_no_introduction_page_shows_or_changes_another_municipalitys_data(world):
    check_pages(world, PAGE_CHECKS, "Introduction pages")


def test_no_introduction_api_operation_shows_or_changes_another_municipalitys_data(world):
    check_operations(world, API_CHECKS, "Introduction API")
