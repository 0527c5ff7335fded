"""The broad introduction's pages and API as each role uses them: the coordinator builds a
programme and a cohort and plans it; a unit's staff see whom they receive; the new hire
sees their own weeks on the home page and in their calendar; bad input is a message (page)
or a 400 with a JSON error (API), nothing written."""

from __future__ import annotations

import json
from datetime import timedelta
from io import BytesIO

import pytest
from django_scopes import scopes_disabled
from icalendar import Calendar
from openpyxl import load_workbook

from bryggan.core.roles import Role
from bryggan.introduction import calendar, services
from bryggan.introduction.models import (
    Absence,
    Block,
    Cohort,
    CohortMember,
    IntroductionProgramme,
    UnitPlaces,
)
from tests import factories as f
from tests.clients import query_counts, signed_in_client
from tests.introduction_data import START, build_introduction

pytestmark = pytest.mark.django_db


@pytest.fixture
def intro(world):
    found = build_introduction(world.home)
    services.plan(actor=found["actor"], cohort=found["cohort"], today=START)
    return found


def _counts() -> tuple:
    with scopes_disabled():
        return tuple(
            model.objects.count()
            for model in (IntroductionProgramme, UnitPlaces, Cohort, CohortMember, Absence, Block)
        )


def test_the_coordinator_builds_a_programme_and_a_cohort(world):
    client = world.home.client(Role.COORDINATOR)
    build_introduction(world.home, hires=0)  # departments of the three areas
    page = client.get("/introduktion/")
    assert page.status_code == 200
    assert "Nytt introduktionsprogram" in page.content.decode()
    response = client.post("/introduktion/", {"name": "Bred introduktion 2027", "weeks": 16})
    assert response.status_code == 302
    with scopes_disabled():
        created = IntroductionProgramme.objects.get(name="Bred introduktion 2027")
        assert [a.weeks for a in created.areas.all()] == [6, 5, 5]
    response = client.post(
        f"/introduktion/program/{created.pk}/",
        {"action": "cohort", "name": "Våren 2027", "starts_on": "2027-01-18"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        cohort = Cohort.objects.get(name="Våren 2027")
    page = client.get(f"/introduktion/kull/{cohort.pk}/")
    assert page.status_code == 200
    assert "Våren 2027" in page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "X", "weeks": 16, "block_weeks": 5}, "fyller inte"),
        ({"name": "X", "weeks": 0}, "1"),
        ({"name": "", "weeks": 16}, "obligatoriskt"),
        ({"name": "X", "weeks": "sexton"}, "heltal"),
        ({"name": "X", "weeks": 16, "departments": ["999999"]}, "listan"),
    ],
)
def test_a_bad_programme_is_a_message_not_a_write(world, data, message):
    build_introduction(world.home, hires=0)
    before = _counts()
    response = world.home.client(Role.COORDINATOR).post("/introduktion/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="error-summary"' in body and message in body
    assert _counts() == before


def test_bad_places_cohort_member_and_absence_are_messages(intro, world):
    client = world.home.client(Role.COORDINATOR)
    programme, cohort = intro["programme"], intro["cohort"]
    before = _counts()
    cases = [
        (
            f"/introduktion/program/{programme.pk}/",
            {"unit": intro["units"][0].pk, "places": -2},
            "negativ",
        ),
        (f"/introduktion/program/{programme.pk}/", {"unit": "x", "places": 2}, "listan"),
        (
            f"/introduktion/program/{programme.pk}/",
            {"action": "cohort", "name": "Tisdag", "starts_on": "2026-09-08"},
            "måndag",
        ),
        (
            f"/introduktion/program/{programme.pk}/",
            {"action": "cohort", "name": "Fel", "starts_on": "2026-13-45"},
            "datum",
        ),
        (
            f"/introduktion/kull/{cohort.pk}/",
            {"action": "add", "staff": intro["members"][0].staff_id},
            "finns redan i den här kullen",
        ),
        (
            f"/introduktion/kull/{cohort.pk}/",
            {
                "action": "absence",
                "staff": intro["supervisors"][0].pk,
                "starts_on": "2026-08-01",
                "ends_on": "2026-08-05",
            },
            "inom kullens veckor",
        ),
        (
            f"/introduktion/kull/{cohort.pk}/",
            {
                "action": "absence",
                "staff": intro["supervisors"][0].pk,
                "starts_on": "2026-09-10",
                "ends_on": "2026-09-08",
            },
            "slutar innan",
        ),
    ]
    for path, data, message in cases:
        response = client.post(path, data)
        assert response.status_code == 400, (data, response.status_code)
        assert message in response.content.decode(), (data, message)
    assert _counts() == before


def test_a_replan_of_a_cohort_that_is_over_is_a_message(intro, world):
    client = world.home.client(Role.COORDINATOR)
    before = _counts()
    response = client.post(
        f"/introduktion/kull/{intro['cohort'].pk}/", {"action": "plan"}, follow=True
    )
    assert response.status_code == 200
    assert "inget kvar att planera" in response.content.decode()
    assert _counts() == before


def test_the_cohort_page_shows_the_chart_and_the_list(intro, world):
    """... and, after the introduction, who stayed: a new hire whose employment ended is
    marked so, beside where they were placed."""
    with scopes_disabled():
        left = intro["members"][1].staff
        left.employed_until = START + timedelta(weeks=30)
        left.save()
    services.member_update(
        actor=intro["actor"],
        member=intro["members"][1],
        final_area=None,
        avoid_unit=None,
        placed_unit=intro["units"][2],
        placed_on=START + timedelta(weeks=6),
    )
    response = world.home.client(Role.COORDINATOR).get(f"/introduktion/kull/{intro['cohort'].pk}/")
    body = response.content.decode()
    assert 'class="gantt"' in body and 'id="schedule"' in body
    with scopes_disabled():
        block = (
            Block.objects.filter(member__cohort=intro["cohort"])
            .select_related("unit", "supervisor")
            .first()
        )
    assert block.unit.name in body and str(block.supervisor) in body
    assert "Optimal" in body or "optimal" in body
    ended = (START + timedelta(weeks=30)).isoformat()
    assert f"placerad på {intro['units'][2].name} · <strong>anställningen slutade {ended}" in body


def test_exports_list_every_block(intro, world):
    client = world.home.client(Role.COORDINATOR)
    csv_text = b"".join(
        client.get(f"/introduktion/kull/{intro['cohort'].pk}/schema.csv").streaming_content
    ).decode("utf-8-sig")
    lines = [line for line in csv_text.splitlines() if line]
    assert len(lines) == 1 + 6 * 3
    response = client.get(f"/introduktion/kull/{intro['cohort'].pk}/schema.xlsx")
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert book.active.max_row == 1 + 6 * 3


def test_a_unit_sees_whom_it_receives_and_others_do_not(intro, world):
    unit = intro["units"][0]
    with scopes_disabled():
        block = Block.objects.filter(unit=unit).select_related("member__staff").first()
    page = world.home.client(Role.COORDINATOR).get(f"/introduktion/enhet/{unit.pk}/?fran={START}")
    assert str(block.member.staff) in page.content.decode()
    # A supervisor who works at the unit sees it; one elsewhere is refused.
    supervisor = intro["supervisors"][0]
    user = f.UserFactory(email="handledare-enhet@sodertalje.test")
    f.MembershipFactory(user=user, municipality=world.home.municipality, role=Role.SUPERVISOR)
    with scopes_disabled():
        supervisor.user = user
        supervisor.save()
    client = signed_in_client(user)
    assert client.get(f"/introduktion/enhet/{unit.pk}/?fran={START}").status_code == 200
    assert client.get(f"/introduktion/enhet/{intro['units'][3].pk}/").status_code == 403
    assert client.get(f"/introduktion/kull/{intro['cohort'].pk}/").status_code == 403
    units = client.get("/introduktion/enheter/").content.decode()
    assert unit.name in units and intro["units"][3].name not in units
    # the list of units is a fixed handful of queries, however many units there are
    small = query_counts([(client, "/introduktion/enheter/")])
    for n in range(5):
        f.UnitFactory(department=intro["units"][0].department, name=f"Ytterligare {n}")
    assert query_counts([(client, "/introduktion/enheter/")]) == small
    # bad dates fall back to this week, no error
    assert client.get(f"/introduktion/enhet/{unit.pk}/?fran=igår").status_code == 200


def test_the_new_hire_sees_their_weeks_and_calendar(intro, world):
    member = intro["members"][0]
    user = f.UserFactory(email="ny@sodertalje.test")
    f.MembershipFactory(user=user, municipality=world.home.municipality, role=Role.NEW_HIRE)
    with scopes_disabled():
        member.staff.user = user
        member.staff.save()
        blocks = list(Block.objects.filter(member=member).select_related("unit", "supervisor"))
    home = signed_in_client(user).get("/").content.decode()
    assert "Din introduktion" in home
    for block in blocks:
        assert block.unit.name in home and str(block.supervisor) in home
    token = calendar.token_for(municipality_id=world.home.municipality.pk, staff_id=member.staff_id)
    assert f"/introduktion/kalender/{token}.ics" in home
    feed = Calendar.from_ical(
        signed_in_client(user).get(f"/introduktion/kalender/{token}.ics").content
    )
    events = list(feed.walk("VEVENT"))
    assert len(events) == 3
    assert {str(e["dtstart"].dt) for e in events} == {str(b.starts_on) for b in blocks}
    # An altered token opens nothing.
    from django.test import Client

    assert Client().get(f"/introduktion/kalender/{token[:-2]}xx.ics").status_code == 404


def test_the_new_hire_states_where_they_want_to_work(intro, world):
    member, other = intro["members"][0], intro["members"][1]
    user = f.UserFactory(email="ny-onskar@sodertalje.test")
    f.MembershipFactory(user=user, municipality=world.home.municipality, role=Role.NEW_HIRE)
    with scopes_disabled():
        member.staff.user = user
        member.staff.save()
    client = signed_in_client(user)
    wished = intro["units"][4]
    response = client.post(
        f"/introduktion/mitt-onskemal/{member.pk}/", {"unit": wished.pk}, follow=True
    )
    assert "Ditt önskemål är sparat" in response.content.decode()
    member.refresh_from_db()
    assert member.wished_unit_id == wished.pk
    # the coordinator sees it on the cohort page
    page = world.home.client(Role.COORDINATOR).get(f"/introduktion/kull/{intro['cohort'].pk}/")
    assert f"vill till {wished.name}" in page.content.decode()
    # another municipality's unit, a malformed one: a message, nothing changed
    for bad in (world.foreign.objects["unit"].pk, "x"):
        response = client.post(
            f"/introduktion/mitt-onskemal/{member.pk}/", {"unit": bad}, follow=True
        )
        assert "Välj ett alternativ i listan." in response.content.decode()
        member.refresh_from_db()
        assert member.wished_unit_id == wished.pk
    # someone else's place in the cohort: not found, not changed
    assert (
        client.post(f"/introduktion/mitt-onskemal/{other.pk}/", {"unit": wished.pk}).status_code
        == 404
    )
    other.refresh_from_db()
    assert other.wished_unit_id is None


def test_the_coordinator_home_says_when_a_cohort_needs_a_plan(world):
    from django.utils import timezone

    from bryggan.core.permissions import actor_for

    intro = build_introduction(world.home, hires=1)
    today = timezone.localdate()
    soon = services.cohort_create(
        actor=actor_for(world.home.user(Role.COORDINATOR)),
        programme=intro["programme"],
        name="Snart",
        starts_on=today + timedelta(days=7 - today.weekday()),
    )
    body = world.home.client(Role.COORDINATOR).get("/").content.decode()
    assert "Snart startar utan schema" in body
    assert f"/introduktion/kull/{soon.pk}/" in body


# --- the API ---------------------------------------------------------------------------------


def _api(client, method, path, body=None):
    return getattr(client, method)(
        "/api/introduction" + path,
        json.dumps(body) if body is not None else None,
        content_type="application/json",
    )


def test_the_api_builds_and_plans_a_cohort(world):
    intro = build_introduction(world.home, hires=0)
    client = world.home.client(Role.COORDINATOR)
    departments = [a.department_id for a in intro["programme"].areas.all()]
    created = _api(
        client,
        "post",
        "/programmes",
        {"name": "API", "weeks": 6, "department_ids": departments, "block_weeks": 2},
    )
    assert created.status_code == 201, created.content
    programme = created.json()
    assert [a["weeks"] for a in programme["areas"]] == [2, 2, 2]
    for unit in intro["units"]:
        response = _api(
            client,
            "put",
            f"/programmes/{programme['id']}/places",
            {"unit_id": unit.pk, "places": 2},
        )
        assert response.status_code == 200
    cohort = _api(
        client,
        "post",
        f"/programmes/{programme['id']}/cohorts",
        {"name": "API-kull", "starts_on": "2099-01-05"},
    )
    assert cohort.status_code == 201
    cohort_id = cohort.json()["id"]
    hire = f.StaffMemberFactory(unit=intro["units"][0], is_trained_supervisor=False)
    added = _api(client, "post", f"/cohorts/{cohort_id}/members", {"staff_id": hire.pk})
    assert added.status_code == 201 and added.json()["members"][0]["staff_id"] == hire.pk
    # 2099 has no supervision capacity: the answer names what is short, nothing planned
    planned = _api(client, "post", f"/cohorts/{cohort_id}/plan", {})
    assert planned.status_code == 200
    answer = planned.json()
    assert answer["plan_status"] == "infeasible" and answer["shortages"]
    assert answer["members"][0]["blocks"] == []


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("post", "/programmes", {"name": "X", "weeks": 16, "block_weeks": 5}, 400),
        ("post", "/programmes", {"name": "X", "weeks": "16"}, 422),
        ("post", "/programmes", {"name": "X", "department_ids": [999999]}, 400),
        ("put", "/programmes/{p}/places", {"unit_id": "{u}", "places": -1}, 422),
        ("put", "/programmes/{p}/places", {"unit_id": 999999, "places": 1}, 400),
        ("post", "/programmes/{p}/cohorts", {"name": "X", "starts_on": "2026-09-08"}, 400),
        ("post", "/programmes/{p}/cohorts", {"name": "X", "starts_on": "8/9"}, 422),
        ("post", "/cohorts/{c}/members", {"staff_id": "{m}"}, 400),
        (
            "post",
            "/cohorts/{c}/absences",
            {"staff_id": "{s}", "starts_on": "2025-01-01", "ends_on": "2025-01-02"},
            400,
        ),
        ("post", "/cohorts/{c}/plan", {"from_date": "2026-09-07"}, 400),
        ("post", "/cohorts/{c}/plan", {"extra": 1}, 422),
        ("get", "/cohorts/999999", None, 404),
    ],
)
def test_bad_api_input_is_a_json_error_and_nothing_written(
    intro, world, method, path, body, status
):
    ids = {
        "{p}": intro["programme"].pk,
        "{c}": intro["cohort"].pk,
        "{u}": intro["units"][0].pk,
        "{m}": intro["members"][0].staff_id,
        "{s}": intro["supervisors"][0].pk,
    }
    for key, value in ids.items():
        path = path.replace(key, str(value))
    if body is not None:
        body = json.loads(
            json.dumps(body)
            .replace('"{u}"', str(ids["{u}"]))
            .replace('"{m}"', str(ids["{m}"]))
            .replace('"{s}"', str(ids["{s}"]))
        )
    before = _counts()
    response = _api(world.home.client(Role.COORDINATOR), method, path, body)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
    assert _counts() == before


def test_the_pages_run_a_fixed_number_of_queries_whatever_the_cohort_size(world):
    """The cohort, unit, programme and list pages, the API's cohort and a new hire's home
    page: the same queries for 3 new hires as for 12 (and twice the cohorts)."""
    intro = build_introduction(world.home, hires=3, places=4)
    actor, cohort = intro["actor"], intro["cohort"]
    services.plan(actor=actor, cohort=cohort, today=START)
    user = f.UserFactory(email="ny-query@sodertalje.test")
    f.MembershipFactory(user=user, municipality=world.home.municipality, role=Role.NEW_HIRE)
    with scopes_disabled():
        hire = intro["members"][0].staff
        hire.user = user
        hire.save()
    coordinator = world.home.client(Role.COORDINATOR)
    new_hire = signed_in_client(user)
    pages = [
        (coordinator, f"/introduktion/kull/{cohort.pk}/"),
        (coordinator, f"/introduktion/enhet/{intro['units'][0].pk}/?fran={START}"),
        (coordinator, f"/introduktion/program/{intro['programme'].pk}/"),
        (coordinator, "/introduktion/"),
        (coordinator, "/introduktion/enheter/"),
        (coordinator, f"/api/introduction/cohorts/{cohort.pk}"),
        (coordinator, f"/api/introduction/programmes/{intro['programme'].pk}"),
        (new_hire, "/"),
    ]

    small = query_counts(pages)
    for n in range(9):
        staff = f.StaffMemberFactory(
            unit=intro["units"][n % 6], last_name=f"Fler{n}", is_trained_supervisor=False
        )
        services.member_add(actor=actor, cohort=cohort, staff=staff)
    services.cohort_create(
        actor=actor,
        programme=intro["programme"],
        name="Nästa",
        starts_on=START + timedelta(weeks=8),
    )
    assert services.plan(actor=actor, cohort=cohort, today=START).status in ("optimal", "feasible")
    assert query_counts(pages) == small
