"""Tenant isolation of joint rounds. A round the other municipality runs with a third one is
invisible to every role of this municipality and the national analyst (404, nothing
changed); the public regional pages show postings and units, never an applicant; the
student's link opens only its own result. And inside a round both municipalities share,
each sees only the applicants who ranked its own units, never the other's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.forms.models import model_to_dict
from django.utils import timezone
from django_scopes import scopes_disabled

from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from tests.conftest import FOREIGN_MARK, build_tenant
from tests.isolation import assert_no_leak, check_operations, check_pages, tenant_rows
from tests.regional_data import DEADLINE_DAYS, _posting, screen, student_data

pytestmark = pytest.mark.django_db

# The foreign round's applicant: a name no page outside the foreign municipality may show.
SECRET = "Hemlig"


def foreign_round(world) -> dict:
    """A joint round hosted by the foreign municipality with a third one, one applicant,
    matched (built once per world)."""
    found = getattr(world.foreign, "joint", None)
    if found is not None:
        return found
    from bryggan.regional import services

    third = build_tenant("Linköping", "linkoping", "0580", mark="")
    today = timezone.localdate()
    foreign = _posting(world.foreign, FOREIGN_MARK)
    other = _posting(third, "")
    joint_round = services.round_create(
        actor=actor_for(world.foreign.user(Role.COORDINATOR)),
        name="Östra regionen",
        kind="practicum",
        term_kind=world.foreign.objects["term"].kind,
        term_year=world.foreign.objects["term"].year,
        rank_deadline=today + timedelta(DEADLINE_DAYS),
        publication_on=today + timedelta(DEADLINE_DAYS + 5),
        partners=[third.municipality],
        posting=foreign["posting"],
    )
    services.round_join(
        actor=actor_for(third.user(Role.COORDINATOR)),
        joint_round=joint_round,
        posting=other["posting"],
    )
    application = services.apply(
        joint_round=joint_round,
        data=student_data(
            "hemlig@example.se",
            [foreign["units"][0].pk, other["units"][0].pk],
            name=f"{SECRET}{FOREIGN_MARK}",
        ),
        consent_version="2026-1",
    )
    screen(world.foreign, foreign, {"hemlig@example.se": 5})
    services.match(
        actor=actor_for(world.foreign.user(Role.COORDINATOR)),
        joint_round=joint_round,
        today=today + timedelta(DEADLINE_DAYS + 1),
    )
    joint_round.refresh_from_db()
    world.foreign.joint = {
        "round": joint_round,
        "posting": foreign["posting"],
        "application": application,
        "third": third,
    }
    return world.foreign.joint


def snapshot(world) -> dict:
    from bryggan.matching.models import MatchingRun
    from bryggan.programme.models import Placement
    from bryggan.recruitment.models import Application
    from bryggan.regional.models import (
        JointApplication,
        JointMember,
        JointPart,
        JointRound,
        JointWish,
    )

    found = foreign_round(world)
    regional = {
        model.__name__: sorted(
            (tuple(sorted(model_to_dict(row).items(), key=str)) for row in model.objects.all()),
            key=str,
        )
        for model in (JointRound, JointMember, JointApplication, JointPart, JointWish)
    }
    regional["round"] = [str(found["round"].pk)]
    return {**regional, **tenant_rows(world, (Application, MatchingRun, Placement))}


def _no_secret(response, where: str) -> None:
    body = response.getvalue().decode(errors="replace")
    assert SECRET not in body and "hemlig@" not in body, f"{where} showed an applicant"


def _check_round(world, client, who):
    found = foreign_round(world)
    pk = found["round"].pk
    before = snapshot(world)
    assert client.get(f"/gemensamma-omgangar/{pk}/").status_code in (302, 403, 404), who
    for action in ("join", "leave", "match", "approve", "publish"):
        data = {"action": action, "posting": found["posting"].pk}
        response = client.post(f"/gemensamma-omgangar/{pk}/", data)
        assert response.status_code in (302, 403, 404), (who, action, response.status_code)
        if response.status_code == 302:
            assert "/login/" in response["Location"], (who, action)
        assert_no_leak(response, f"{who} {action}")
    assert snapshot(world) == before, who


def _check_rounds(world, client, who):
    """The list names the rounds the attacker's municipality is in; creating one that
    names the other municipality's posting is refused."""
    found = foreign_round(world)
    before = snapshot(world)
    response = client.get("/gemensamma-omgangar/")
    assert response.status_code in (200, 302, 403), (who, response.status_code)
    assert_no_leak(response, f"{who} list")
    assert "Östra regionen" not in response.getvalue().decode()
    today = timezone.localdate()
    response = client.post(
        "/gemensamma-omgangar/",
        {
            "name": "",
            "kind": "practicum",
            "term_kind": "HT",
            "term_year": 2026,
            "rank_deadline": today.isoformat(),
            "publication_on": (today - timedelta(1)).isoformat(),
            "partners": [found["third"].municipality.pk],
        },
    )
    assert response.status_code in (302, 400, 403), (who, response.status_code)
    assert_no_leak(response, f"{who} create")
    assert snapshot(world) == before, who


def _check_public(world, client, who):
    """Public: every taking-part municipality's posting and units, never an applicant."""
    found = foreign_round(world)
    slug = found["round"].slug
    for path in (f"/region/{slug}/", f"/region/{slug}/ansok/", "/region/ingen-sadan/"):
        response = client.get(path)
        assert response.status_code in (200, 404, 410), (who, path, response.status_code)
        _no_secret(response, f"{who} {path}")


def _check_link(world, client, who):
    """The student's link opens only their own result; a forged one opens nothing."""
    from bryggan.regional import links

    found = foreign_round(world)
    application = found["application"]
    forged = signing.dumps(
        {"j": application.pk, "n": application.link_nonce}, salt=links.SALT, key="not-the-key"
    )
    for token in (forged, "x", "%00", "a" * 300):
        response = client.get(f"/region/resultat/{token}/")
        assert response.status_code == 404, (who, token)
        _no_secret(response, f"{who} forged link")


PAGE_CHECKS = {
    "regional:rounds": _check_rounds,
    "regional:round": _check_round,
    "regional-public:round": _check_public,
    "regional-public:apply": _check_public,
    "regional-public:result": _check_link,
}


def _api(body, *, own: bool = False):
    def check(world, client, who, op, headers):
        import json

        from tests.isolation import call

        found = foreign_round(world)
        path = op.path.replace("{round_id}", str(found["round"].pk)).replace(
            "{slug}", found["round"].slug
        )
        text = json.dumps(body).replace('"POSTING"', str(found["posting"].pk))
        payload = json.loads(text) if body is not None else None
        before = snapshot(world)
        response = call(client, op.method, path, payload, headers)
        if op.operation_id == "regional_public_postings":
            assert response.status_code == 200, (who, response.status_code)
            _no_secret(response, f"{who} public postings")
        elif op.operation_id == "regional_rounds":
            assert response.status_code in (200, 401, 403), (who, response.status_code)
            assert "Östra regionen" not in response.getvalue().decode(), who
        else:
            allowed = (400, 401, 403, 404) if own else (401, 403, 404)
            assert response.status_code in allowed, (who, op, response.status_code)
        if op.operation_id != "regional_public_postings":  # public: units, by design
            assert_no_leak(response, f"{who} {op.method} {path}")
        assert response["Content-Type"].startswith("application/json"), (who, op)
        assert snapshot(world) == before, (who, op)

    return check


API_CHECKS = {
    "regional_rounds": _api(None),
    "regional_round": _api(None),
    "regional_round_create": _api(
        {
            "name": "Kapning",
            "kind": "practicum",
            "term_kind": "HT",
            "term_year": 2026,
            "rank_deadline": "2099-01-01",
            "publication_on": "2099-02-01",
            "partner_slugs": ["linkoping"],
            "posting_id": "POSTING",
        },
        own=True,
    ),
    "regional_round_join": _api({"posting_id": "POSTING"}),
    "regional_round_leave": _api(None),
    "regional_round_match": _api(None),
    "regional_round_approve": _api(None),
    "regional_round_publish": _api(None),
    "regional_round_results": _api(None),
    "regional_public_postings": _api(None),
}


def test_no_joint_round_page_shows_or_changes_another_municipalitys_round(world):
    check_pages(world, PAGE_CHECKS, "Joint round pages")


def test_no_joint_round_api_operation_shows_or_changes_another_municipalitys_round(world):
    check_operations(world, API_CHECKS, "Joint round API")


def test_in_a_shared_round_each_municipality_sees_only_its_own_applicants(world):
    """Both municipalities in one round: a student who ranked only the other municipality's
    units is not in this one's view, its API results or its proposal; the joint matching's
    read of each municipality's applications is in that municipality's access log."""
    from bryggan.core.models import AccessLogEntry
    from bryggan.regional import services
    from tests.regional_data import build_joint

    joint = build_joint(world)
    only_foreign = student_data(
        "bara@example.se", [joint["foreign"]["units"][0].pk], name=f"Bara{FOREIGN_MARK}"
    )
    services.apply(joint_round=joint["round"], data=only_foreign, consent_version="1")
    both = student_data(
        "bada@example.se", [joint["home"]["units"][0].pk, joint["foreign"]["units"][0].pk]
    )
    services.apply(joint_round=joint["round"], data=both, consent_version="1")
    screen(world.home, joint["home"], {"bada@example.se": 4})
    screen(world.foreign, joint["foreign"], {"bara@example.se": 5, "bada@example.se": 3})
    home = actor_for(world.home.user(Role.COORDINATOR))
    services.match(
        actor=home,
        joint_round=joint["round"],
        today=timezone.localdate() + timedelta(DEADLINE_DAYS + 1),
    )
    client = world.home.client(Role.COORDINATOR)
    page = client.get(f"/gemensamma-omgangar/{joint['round'].pk}/")
    assert page.status_code == 200
    assert_no_leak(page, "shared round page")
    assert "Sara Regional" in page.content.decode()
    api = client.get(f"/api/regional/rounds/{joint['round'].pk}/results")
    assert api.status_code == 200
    assert_no_leak(api, "shared round results")
    assert [r["result"] for r in api.json()] == ["placed"]
    with scopes_disabled():
        member = joint["round"].members.get(municipality=world.home.municipality)
        run_page = client.get(f"/matchning/korning/{member.run_id}/")
    assert run_page.status_code == 200
    assert_no_leak(run_page, "home proposal of the shared round")
    # approved and published from the joint round, not from here
    shown = run_page.content.decode()
    assert "Det här är er del av den gemensamma omgången" in shown
    assert "Ändra placeringen" not in shown and "/publicera/" not in shown
    with scopes_disabled():
        logged = AccessLogEntry.objects.filter(purpose__startswith="joint matching")
        assert {e.municipality_id for e in logged} == {
            world.home.municipality.pk,
            world.foreign.municipality.pk,
        }
        assert {e.user_id for e in logged} == {world.home.user(Role.COORDINATOR).pk}
