"""The programme through the API: participants, moves, offers and answers; bad input is a
4xx JSON and writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bryggan.core.models import Person
from bryggan.core.roles import Role
from bryggan.programme.models import Offer, OfferStatus, Participant, Stage

pytestmark = pytest.mark.django_db


def _d(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _post(client, path, body):
    return client.post(path, body, content_type="application/json")


def test_participants_move_offer_and_answer(rworld):
    home = rworld.home
    alva = home.rec["participant"]
    client = home.client(Role.COORDINATOR)
    listed = client.get("/api/programme/participants").json()["items"]
    assert alva.pk in [p["id"] for p in listed]
    row = next(p for p in listed if p["id"] == alva.pk)
    assert "Inget sommarjobb registrerat ännu (det är garanterat)." in row["needs_action"]
    assert "avvikelser från timreglerna" in row["needs_action"][0]
    detail = client.get(f"/api/programme/participants/{alva.pk}").json()
    assert detail["stage"] == "aspirant" and len(detail["offers"]) == 1
    moved = _post(
        client,
        f"/api/programme/participants/{alva.pk}/move",
        {
            "stage": "student_employee",
            "unit_id": home.objects["unit"].pk,
            "starts_on": _d(1),
            "ends_on": _d(100),
        },
    )
    assert moved.status_code == 200 and moved.json()["stage"] == "student_employee"
    offer = home.rec["offer"]
    answered = _post(
        home.client(Role.STUDENT), f"/api/programme/offers/{offer.pk}/answer", {"accept": False}
    )
    assert answered.status_code == 200 and answered.json()["status"] == "declined"
    issued = _post(
        client,
        f"/api/programme/participants/{alva.pk}/offers",
        {
            "unit_id": home.objects["unit"].pk,
            "starts_on": _d(40),
            "reply_by": _d(7),
            "employment_type": "probation",
            "monthly_salary": 34000,
            "contact_id": home.objects["staff"].pk,
        },
    )
    assert issued.status_code == 201, issued.content
    assert (issued.json()["monthly_salary"], issued.json()["contact_id"]) == (
        34000,
        home.objects["staff"].pk,
    )
    accepted = _post(
        home.client(Role.STUDENT),
        f"/api/programme/offers/{issued.json()['id']}/answer",
        {"accept": True},
    )
    assert accepted.json()["status"] == "accepted" and accepted.json()["staff_member_id"]
    me = home.client(Role.STUDENT).get("/api/programme/me").json()
    assert me["stage"] == "employed"


TERMS = {"monthly_salary": 35000, "contact_id": "STAFF"}


@pytest.mark.parametrize(
    "path, body, status",
    [
        ("move", {"stage": "employed"}, 422),  # not a stage one moves to: the schema says so
        ("move", {"stage": "left"}, 400),
        ("move", {"stage": "nowhere"}, 422),
        (
            "move",
            {
                "stage": "student_employee",
                "unit_id": "FOREIGN_UNIT",
                "starts_on": "+1",
                "ends_on": "+9",
            },
            400,
        ),
        (
            "move",
            {
                "stage": "student_employee",
                "unit_id": "UNIT",
                "starts_on": "31/12/2026",
                "ends_on": "+9",
            },
            422,
        ),
        (
            "move",
            {
                "stage": "aspirant",
                "mentor_id": "FOREIGN_STAFF",
                "unit_id": "UNIT",
                "starts_on": "+1",
                "ends_on": "+9",
            },
            400,
        ),
        ("offers", {"unit_id": "UNIT", "starts_on": "+40", "reply_by": "-1", **TERMS}, 400),
        ("offers", {"unit_id": "FOREIGN_UNIT", "starts_on": "+40", "reply_by": "+1", **TERMS}, 400),
        (
            "offers",
            {"unit_id": "UNIT", "starts_on": "+40", "reply_by": "+1", "monthly_salary": 35000},
            422,  # no contact person
        ),
        (
            "offers",
            {
                "unit_id": "UNIT",
                "starts_on": "+40",
                "reply_by": "+1",
                "monthly_salary": 35000,
                "contact_id": "FOREIGN_STAFF",
            },
            400,
        ),
        ("offers", {"unit_id": "UNIT", "starts_on": "soon", "reply_by": "+1"}, 422),
    ],
)
def test_bad_requests_are_refused_as_json(rworld, path, body, status):
    home = rworld.home
    alva = home.rec["participant"]
    alva.offers.all().delete()
    values = {
        "UNIT": home.objects["unit"].pk,
        "FOREIGN_UNIT": rworld.foreign.objects["unit"].pk,
        "FOREIGN_STAFF": rworld.foreign.objects["staff"].pk,
        "STAFF": home.objects["staff"].pk,
    }

    def value(v):
        if isinstance(v, str) and v in values:
            return values[v]
        if isinstance(v, str) and v[:1] in "+-" and v[1:].isdigit():
            return _d(int(v))
        return v

    payload = {k: value(v) for k, v in body.items()}
    before = (Offer.objects.count(), Participant.objects.get(pk=alva.pk).stage)
    response = _post(
        home.client(Role.COORDINATOR), f"/api/programme/participants/{alva.pk}/{path}", payload
    )
    assert response.status_code == status, response.content
    assert response.json()["detail"]
    assert (Offer.objects.count(), Participant.objects.get(pk=alva.pk).stage) == before


def test_answering_an_expired_or_answered_offer_is_refused(rworld):
    home = rworld.home
    offer = home.rec["offer"]
    Offer.objects.filter(pk=offer.pk).update(reply_by=timezone.localdate() - timedelta(days=2))
    response = _post(
        home.client(Role.STUDENT), f"/api/programme/offers/{offer.pk}/answer", {"accept": True}
    )
    assert response.status_code == 400 and "gick ut" in str(response.json()["errors"])
    Offer.objects.filter(pk=offer.pk).update(status=OfferStatus.DECLINED)
    response = _post(
        home.client(Role.STUDENT), f"/api/programme/offers/{offer.pk}/answer", {"accept": True}
    )
    assert response.status_code == 400
    assert Participant.objects.get(pk=home.rec["participant"].pk).stage == Stage.ASPIRANT


def test_the_overview_uses_a_constant_number_of_queries(rworld):
    home = rworld.home
    client = home.client(Role.COORDINATOR)

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    paths = [
        "/programmet/",
        "/api/programme/participants",
        f"/programmet/deltagare/{home.rec['participant'].pk}/",
    ]
    small = [count(p) for p in paths]
    m = home.municipality
    for i in range(12):
        person = Person.objects.create(municipality=m, first_name=f"P{i}", last_name="Q")
        participant = Participant.objects.create(
            municipality=m, person=person, stage=Stage.ASPIRANT, stage_since=timezone.localdate()
        )
        Offer.objects.create(
            municipality=m,
            participant=participant,
            unit=home.objects["unit"],
            starts_on=timezone.localdate() + timedelta(30),
            reply_by=timezone.localdate() + timedelta(3),
        )
    assert [count(p) for p in paths] == small


def test_the_other_programme_pages_use_a_constant_number_of_queries(rworld):
    """Approvals, my students, a student's plan, assessments, theses, the student's page."""
    from bryggan.programme.models import (
        EmploymentPeriod,
        HoursEntry,
        SupervisionSession,
        TaskItem,
        Thesis,
    )

    home = rworld.home
    alva = home.rec["participant"]
    pages = [
        (Role.SUPERVISOR, "/programmet/attestera/"),
        (Role.SUPERVISOR, "/programmet/mina-studenter/"),
        (Role.SUPERVISOR, f"/programmet/deltagare/{alva.pk}/plan/"),
        (Role.COORDINATOR, "/programmet/attestera/"),
        (Role.COORDINATOR, "/programmet/bedomningar/"),
        (Role.COORDINATOR, "/programmet/uppsatser/"),
        (Role.COORDINATOR, f"/programmet/deltagare/{alva.pk}/"),
        (Role.STUDENT, "/programmet/mitt/"),
    ]

    def counts():
        out = []
        for role, path in pages:
            client = home.client(role)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(path).status_code == 200, path
            out.append(len(ctx.captured_queries))
        return out

    small = counts()
    m = home.municipality
    today = timezone.localdate()
    for i in range(10):
        person = Person.objects.create(municipality=m, first_name=f"M{i}", last_name="Q")
        p = Participant.objects.create(
            municipality=m, person=person, stage=Stage.ASPIRANT, stage_since=today
        )
        EmploymentPeriod.objects.create(
            municipality=m,
            participant=p,
            kind="aspirant",
            unit=home.objects["unit"],
            mentor=home.objects["staff"],
            starts_on=today - timedelta(30),
            ends_on=today + timedelta(30),
        )
        HoursEntry.objects.create(
            municipality=m, participant=p, day=today, hours=2, activity="x", kind="aspirant"
        )
        Thesis.objects.create(
            municipality=m,
            participant=p,
            title=f"T{i}",
            university_supervisor="U",
            unit_contact=home.objects["staff"],
        )
        TaskItem.objects.create(municipality=m, unit=home.objects["unit"], title=f"Task {i}")
        for day in range(3):
            SupervisionSession.objects.create(
                municipality=m,
                participant=alva,
                kind="mentor",
                held_on=today - timedelta(days=day + 10 * i),
                staff=home.objects["staff"],
                topics="x",
            )
        HoursEntry.objects.create(
            municipality=m,
            participant=alva,
            day=today - timedelta(days=2 + i),
            hours=1,
            activity="y",
            kind="aspirant",
        )
    assert counts() == small


def test_placements_are_listed_with_their_participant(rworld):
    from bryggan.core.permissions import actor_for
    from bryggan.programme import services

    home = rworld.home
    services.placement_create(
        actor=actor_for(home.user(Role.COORDINATOR)),
        person=home.rec["person"],
        unit=home.objects["unit"],
        supervisor=home.objects["staff"],
        term=home.objects["term"],
        step="practicum",
    )
    client = home.client(Role.COORDINATOR)
    rows = client.get("/api/programme/placements", {"term": home.objects["term"].pk}).json()
    assert [r["person_id"] for r in rows["items"]] == [home.rec["person"].pk]
    assert (
        rows["items"][0]["participant_id"] == Participant.objects.get(person=home.rec["person"]).pk
    )
    assert client.get("/api/programme/placements", {"term": "x"}).status_code == 422
    assert home.client(Role.SUPERVISOR).get("/api/programme/placements").status_code == 403
