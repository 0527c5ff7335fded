"""Joint rounds through the pages and the API: creating, joining, the public application and
the matching, each fed bad input (a clear message or a 4xx with a JSON error, nothing
written), and the demo's joint rounds."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scopes_disabled

from bryggan.core.roles import Role
from bryggan.recruitment.models import Application
from bryggan.regional.models import JointApplication, JointRound, JointStatus
from tests.recruitment_data import PDF_BYTES
from tests.regional_data import build_applied, build_joint

pytestmark = pytest.mark.django_db


def _rows() -> tuple:
    with scopes_disabled():
        return (
            JointRound.objects.count(),
            JointApplication.objects.count(),
            Application.objects.count(),
        )


def test_the_coordinator_creates_a_joint_round_and_bad_input_is_refused(world):
    client = world.home.client(Role.COORDINATOR)
    today = timezone.localdate()
    good = {
        "name": "Länets VFU",
        "kind": "practicum",
        "term_kind": "HT",
        "term_year": 2026,
        "rank_deadline": (today + timedelta(10)).isoformat(),
        "publication_on": (today + timedelta(20)).isoformat(),
        "partners": [world.foreign.municipality.pk],
    }
    before = _rows()
    for bad, message in (
        ({"name": " "}, "obligatoriskt"),
        ({"rank_deadline": (today - timedelta(1)).isoformat()}, "kan inte ha passerat"),
        ({"publication_on": today.isoformat()}, "Publiceringsdagen kommer"),
        ({"partners": []}, "obligatoriskt"),
        ({"partners": [world.home.municipality.pk]}, "Välj ett giltigt"),
        ({"kind": "summer_job"}, "Välj ett giltigt"),
        ({"term_year": "tjugo"}, "heltal"),
    ):
        response = client.post("/gemensamma-omgangar/", {**good, **bad})
        assert response.status_code == 400, bad
        assert message in response.content.decode(), (bad, message)
    assert _rows() == before
    response = client.post("/gemensamma-omgangar/", good)
    assert response.status_code == 302
    created = JointRound.objects.get(name="Länets VFU")
    page = client.get(response["Location"]).content.decode()
    assert "Länets VFU" in page and "Norrköping" in page
    assert created.members.count() == 2
    # a posting of another kind and term is not offered, and refused if sent anyway
    from tests.recruitment_data import build_recruitment

    rec = build_recruitment(world.home)
    response = client.post(
        f"/gemensamma-omgangar/{created.pk}/", {"action": "join", "posting": rec["posting"].pk}
    )
    assert response.status_code == 400
    assert "Välj en av era annonser" in response.content.decode()
    response = client.post(f"/gemensamma-omgangar/{created.pk}/", {"action": "explode"})
    assert response.status_code == 400
    assert "Välj vad som ska göras" in response.content.decode()


def _apply_data(world, joint, email: str, wishes: list) -> dict:
    def pdf(name):
        upload = io.BytesIO(PDF_BYTES)
        upload.name = name
        return upload

    data = {
        "first_name": "Tove",
        "last_name": "Sökande",
        "email": email,
        "programme": "Socionomprogrammet",
        "current_term": "5",
        "expected_graduation": "VT 2027",
        "source": "careers_page",
        "consent": "on",
        "cv": pdf("cv.pdf"),
        "letter": pdf("brev.pdf"),
    }
    for rank, unit in enumerate(wishes, start=1):
        data[f"wish_{rank}"] = str(unit)
    return data


def test_the_public_application_refuses_bad_wishes_and_a_second_application(world):
    from django.test import Client

    joint = build_joint(world)
    slug = joint["round"].slug
    h1 = joint["home"]["units"][0].pk
    f1 = joint["foreign"]["units"][0].pk
    public = Client()
    page = public.get(f"/region/{slug}/ansok/").content.decode()
    assert "Norrköping" in page and "Södertälje" in page
    before = _rows()
    with scopes_disabled():
        from tests import factories as f

        stray = f.UnitFactory(department=world.home.objects["department"], name="Utanför")
    for wishes, message in (
        ([], "obligatoriskt"),
        ([stray.pk], "Välj ett giltigt"),
        ([h1, h1], "Du har redan valt den här enheten"),
        (["abc"], "Välj ett giltigt"),
    ):
        response = public.post(
            f"/region/{slug}/ansok/", _apply_data(world, joint, "tove@example.se", wishes)
        )
        assert response.status_code == 400, wishes
        assert message in response.content.decode(), (wishes, message)
    assert _rows() == before
    response = public.post(
        f"/region/{slug}/ansok/", _apply_data(world, joint, "tove@example.se", [f1, h1])
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    result = public.get(response["Location"]).content.decode()
    assert "Norrköping, Södertälje" in result
    after = _rows()
    response = public.post(
        f"/region/{slug}/ansok/", _apply_data(world, joint, "TOVE@example.se", [h1])
    )
    assert response.status_code == 400
    assert "redan sökt till den här gemensamma omgången" in response.content.decode()
    assert _rows() == after
    assert public.get("/region/finns-inte/ansok/").status_code == 404


def test_applications_close_at_the_rank_deadline(world):
    from django.test import Client

    joint = build_joint(world)
    JointRound.objects.filter(pk=joint["round"].pk).update(
        rank_deadline=timezone.localdate() - timedelta(1)
    )
    response = Client().get(f"/region/{joint['round'].slug}/ansok/")
    assert response.status_code == 410
    assert "tar inte emot fler ansökningar" in response.content.decode()


def test_the_api_runs_a_joint_round_and_answers_bad_input_with_json(world):
    joint = build_applied(world)
    jr = joint["round"]
    client = world.home.client(Role.COORDINATOR)
    listed = client.get("/api/regional/rounds")
    assert listed.status_code == 200
    assert [r["name"] for r in listed.json()] == [jr.name]
    page = client.get("/gemensamma-omgangar/").content.decode()
    assert f"{jr.name}</a></td><td>Södertälje</td><td>2</td>" in page  # both take part
    assert {m["municipality"] for m in listed.json()[0]["members"]} == {"Norrköping", "Södertälje"}
    public = client.get(f"/api/regional/public/{jr.slug}/postings")
    assert public.status_code == 200 and len(public.json()) == 2
    # nothing to approve or publish before the matching; an unknown round is 404
    early_approval = client.post(f"/api/regional/rounds/{jr.pk}/approve")
    assert early_approval.status_code == 400 and "inget gemensamt resultat" in str(
        early_approval.json()
    )
    assert client.post(f"/api/regional/rounds/{jr.pk}/publish").status_code == 400
    assert client.get("/api/regional/rounds/999999/results").status_code == 404
    assert client.get("/api/regional/public/finns-inte/postings").status_code == 404
    # before the deadline the matching is refused with the reason
    refused = client.post(f"/api/regional/rounds/{jr.pk}/match", content_type="application/json")
    assert refused.status_code == 400
    assert "rankningen är klar" in str(refused.json())
    before = _rows()
    for body in (
        {
            "name": "x" * 151,
            "kind": "practicum",
            "term_kind": "HT",
            "term_year": 2026,
            "rank_deadline": "2099-01-01",
            "publication_on": "2099-02-01",
            "partner_slugs": ["norrkoping"],
        },
        {
            "name": "x",
            "kind": "summer_job",
            "term_kind": "HT",
            "term_year": 2026,
            "rank_deadline": "2099-01-01",
            "publication_on": "2099-02-01",
            "partner_slugs": ["norrkoping"],
        },
        {
            "name": "x",
            "kind": "practicum",
            "term_kind": "XX",
            "term_year": 2026,
            "rank_deadline": "2099-01-01",
            "publication_on": "2099-02-01",
            "partner_slugs": ["nowhere"],
        },
        {
            "name": "x",
            "kind": "practicum",
            "term_kind": "HT",
            "term_year": 2026,
            "rank_deadline": "1 januari",
            "publication_on": "2099-02-01",
            "partner_slugs": [],
        },
        {
            "name": "x",
            "kind": "practicum",
            "term_kind": "HT",
            "term_year": 2026,
            "rank_deadline": "2099-03-01",
            "publication_on": "2099-02-01",
            "partner_slugs": ["norrkoping"],
        },
    ):
        response = client.post("/api/regional/rounds", body, content_type="application/json")
        assert response.status_code in (400, 422), body
        assert response["Content-Type"].startswith("application/json")
    assert _rows() == before
    with scopes_disabled():
        foreign_posting = joint["foreign"]["posting"].pk
    response = client.post(
        f"/api/regional/rounds/{jr.pk}/join",
        {"posting_id": foreign_posting},
        content_type="application/json",
    )
    assert response.status_code == 404
    # after the deadline: match, approve both, publish on the day
    JointRound.objects.filter(pk=jr.pk).update(
        rank_deadline=timezone.localdate() - timedelta(1), publication_on=timezone.localdate()
    )
    matched = client.post(f"/api/regional/rounds/{jr.pk}/match", content_type="application/json")
    assert matched.status_code == 200, matched.content
    assert matched.json()["status"] == JointStatus.MATCHED and matched.json()["stable"] is True
    results = client.get(f"/api/regional/rounds/{jr.pk}/results").json()
    assert {r["result"] for r in results} <= {"placed", "elsewhere", "unplaced"}
    assert "Regional" in results[0]["applicant"]
    early = client.post(f"/api/regional/rounds/{jr.pk}/publish", content_type="application/json")
    assert early.status_code == 400 and "godkänt" in str(early.json())
    assert client.post(f"/api/regional/rounds/{jr.pk}/approve").status_code == 200
    other = world.foreign.client(Role.COORDINATOR)
    assert other.post(f"/api/regional/rounds/{jr.pk}/approve").status_code == 200
    published = other.post(f"/api/regional/rounds/{jr.pk}/publish")
    assert published.status_code == 200 and published.json() == {"placements": 5}
    left = client.post(f"/api/regional/rounds/{jr.pk}/leave")
    assert left.status_code == 400


def test_the_demo_runs_a_matched_and_an_open_joint_round_of_both_municipalities():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        rounds = {r.status: r for r in JointRound.objects.all()}
        assert set(rounds) == {JointStatus.MATCHED, JointStatus.OPEN}
        matched = rounds[JointStatus.MATCHED]
        assert matched.stable is True
        assert {m.municipality.slug for m in matched.members.all() if m.active} == {
            "sodertalje",
            "norrkoping",
        }
        shared = [a for a in matched.applications.all() if a.parts.count() == 2]
        assert len(shared) >= 10
        assert matched.publication_on == timezone.localdate()
    # idempotent: seeding again adds nothing
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert JointRound.objects.count() == 2


def test_the_coordinators_home_page_says_what_a_joint_round_waits_for(world):
    from bryggan.core.permissions import actor_for
    from bryggan.regional import services

    joint = build_applied(world)
    jr = joint["round"]
    home = world.home.client(Role.COORDINATOR)
    today = timezone.localdate()
    JointRound.objects.filter(pk=jr.pk).update(rank_deadline=today - timedelta(1))
    jr.refresh_from_db()
    assert "Rankningen i Sydöstra regionen HT 2026 är klar" in home.get("/").content.decode()
    services.match(actor=actor_for(world.home.user(Role.COORDINATOR)), joint_round=jr, today=today)
    page = home.get("/").content.decode()
    assert "Godkänn er del av den gemensamma omgången Sydöstra regionen HT 2026" in page
    # the joint part is not offered as a proposal to publish on its own
    assert "är klar att publicera" not in page
