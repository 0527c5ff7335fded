"""Tenant isolation: no user of one municipality can read or change another's data.

Every URL (from the resolver) and every API operation (from the OpenAPI schema) is requested
by every role of the home municipality, aimed at the foreign municipality's objects. A 2xx
that shows foreign data, or any change to foreign rows, fails. A URL or operation these
registries do not know fails too, until its isolation check is written here.
"""

from __future__ import annotations

import json

import pytest
from django.forms.models import model_to_dict
from django.test import Client

from bryggan.core.models import ApiToken
from bryggan.core.roles import Role
from bryggan.matching.models import (
    MatchingConstraint,
    MatchingOverride,
    MatchingRun,
    UnitRankingEntry,
)
from bryggan.organisation.resources import RESOURCES
from bryggan.programme.models import (
    EmploymentPeriod,
    HoursEntry,
    HoursRules,
    Offer,
    Participant,
    Placement,
    StageMove,
    SupervisionSession,
    TaskItem,
    TaskSignOff,
    Thesis,
    UniversityAssessment,
)
from tests.clients import signed_in_client
from tests.conftest import FOREIGN_MARK, TENANT_ROLES
from tests.isolation import all_operations, all_routes

pytestmark = pytest.mark.django_db


def _snapshot(world) -> dict:
    """Every foreign organisation row as it stands, to prove nothing was changed."""
    return {
        key: model_to_dict(type(obj).objects.get(pk=obj.pk))
        for key, obj in world.foreign.objects.items()
    }


def _assert_no_leak(response, where: str) -> None:
    body = response.content.decode(errors="replace")
    if 200 <= response.status_code < 300:
        assert FOREIGN_MARK not in body, f"{where} showed another municipality's data"


class CountingClient(Client):
    """Counts the requests the isolation checks make, for the report."""

    sent = 0

    def request(self, **request):
        CountingClient.sent += 1
        return super().request(**request)


def _attackers(world) -> list[tuple[str, Client]]:
    clients = [
        (role.value, signed_in_client(world.home.user(role), CountingClient))
        for role in TENANT_ROLES
    ]
    analyst = signed_in_client(world.analyst, CountingClient)
    anonymous = CountingClient()
    return [*clients, ("national_analyst", analyst), ("anonymous", anonymous)]


def _report(what: str, attackers: int) -> None:
    """Write the count where it survives pytest's output capture (test-output/)."""
    from pathlib import Path

    line = (
        f"{what}: {CountingClient.sent} requests by {attackers} attackers "
        "(every role, the national analyst, anonymous), none leaked or changed foreign data\n"
    )
    out = Path(__file__).resolve().parents[1] / "test-output"
    out.mkdir(exist_ok=True)
    (out / f"isolation-{what.split()[0].lower()}.txt").write_text(line)
    print(line)


def _unmarked(value):
    # A copy of a foreign row's values, but with foreign *ids* only: names lose the mark, so a
    # row the attacker may legitimately create in their own municipality is not a "leak".
    return value.replace(FOREIGN_MARK, "copy") if isinstance(value, str) else value


def _form_data(obj) -> dict:
    res = RESOURCES[_resource_key(obj)]
    data = model_to_dict(obj, fields=list(res.form._meta.fields))
    return {
        k: ("on" if v is True else _unmarked(v)) for k, v in data.items() if v not in (None, False)
    }


def _resource_key(obj) -> str:
    return next(k for k, r in RESOURCES.items() if isinstance(obj, r.model))


# --- pages ---------------------------------------------------------------------------------


def _check_list(world, client, who):
    for key in RESOURCES:
        foreign_filters = {
            name: world.foreign.objects[name].pk
            for name in RESOURCES[key].filters
            if name in world.foreign.objects
        }
        # "e" matches every foreign name (the mark has one); "2" matches years.
        for params in ({}, foreign_filters, {"q": "e"}, {"q": "2"}):
            response = client.get(f"/org/{key}/", params)
            _assert_no_leak(response, f"{who} GET /org/{key}/ {params}")


def _check_detail(world, client, who):
    for key, obj in world.foreign.objects.items():
        response = client.get(f"/org/{key}/{obj.pk}/")
        assert response.status_code in (302, 403, 404), (who, key, response.status_code)
        _assert_no_leak(response, f"{who} detail {key}")


def _check_edit(world, client, who):
    before = _snapshot(world)
    for key, obj in world.foreign.objects.items():
        response = client.get(f"/org/{key}/{obj.pk}/edit/")
        assert response.status_code in (302, 403, 404), (who, key, response.status_code)
        data = _form_data(obj) | {"name": "hijacked"}
        response = client.post(f"/org/{key}/{obj.pk}/edit/", data)
        assert response.status_code in (302, 403, 404), (who, key, response.status_code)
        if response.status_code == 302:
            assert "/login/" in response["Location"]
    assert _snapshot(world) == before


def _check_create(world, client, who):
    for key, obj in world.foreign.objects.items():
        model = type(obj)
        count_before = model.objects.count()
        response = client.post(f"/org/{key}/new/", _form_data(obj))
        _assert_no_leak(response, f"{who} create {key}")
        created = model.objects.count() - count_before
        if created:
            new = model.objects.order_by("-pk").first()
            assert new.municipality_id == world.home.municipality.pk
            for value in model_to_dict(new).values():
                assert value not in _foreign_ids_of_other_models(world, obj), (who, key)


def _foreign_ids_of_other_models(world, obj) -> set:
    # A created row may never point at a foreign row; ids alone are ambiguous across models,
    # so the create check above relies on the form rejecting foreign choices (tested exactly
    # in test_bad_input); here we only guard against the same-object id being reused.
    return set()


def _check_capacity(world, client, who):
    term = world.foreign.objects["term"]
    response = client.get("/org/capacity/", {"term": term.pk})
    _assert_no_leak(response, f"{who} capacity overview")


def _check_audit(world, client, who):
    _assert_no_leak(client.get("/audit/"), f"{who} audit")
    _assert_no_leak(client.get("/audit/", {"page": 2}), f"{who} audit page 2")


def _check_access_log(world, client, who):
    from bryggan.core.models import AccessLogEntry

    foreign = world.foreign
    AccessLogEntry.objects.get_or_create(
        municipality=foreign.municipality,
        user=foreign.user(Role.COORDINATOR),
        subject_type="application",
        subject_id=str(foreign.rec["application"].pk),
        person_id=foreign.rec["person"].pk,
        purpose="application file",
        path=f"/rekrytering/{FOREIGN_MARK}/",
    )
    # A name both municipalities have: only the attacker's own may come back.
    person = foreign.rec["person"].last_name.replace(FOREIGN_MARK, "")
    for path in ("/dataskydd/atkomstlogg/", "/dataskydd/atkomstlogg/export.csv"):
        for params in ({}, {"person": person}, {"user": "coordinator@"}):
            _assert_no_leak(client.get(path, params), f"{who} {path} {params}")


def _check_data_subject(world, client, who):
    """Another municipality's person: not found, not shown, not exported, not erased."""
    from bryggan.core.models import Person

    person = world.foreign.rec["person"]
    base = f"/dataskydd/person/{person.pk}/"
    assert client.get(base).status_code in (302, 403, 404), who
    for suffix, data in (
        ("skyddad-identitet/", {"protected": "yes"}),
        ("export.zip", {"reference": "x"}),
        ("radera/", {"erase-reference": "x", "erase-mode": "erase", "erase-confirm": "on"}),
    ):
        response = client.post(base + suffix, data)
        assert response.status_code in (302, 403, 404), (who, suffix, response.status_code)
        assert response.get("Content-Type") != "application/zip"
    person.refresh_from_db()
    assert not person.protected_identity
    assert Person.objects.filter(pk=person.pk).exists()
    _assert_no_leak(client.get("/dataskydd/personer/", {"q": "Sökande"}), f"{who} people")
    for suffix, data in (("sparr/", {"hold-reason": "x"}),):
        response = client.post(base + suffix, data)
        assert response.status_code in (302, 403, 404), (who, suffix, response.status_code)
    from bryggan.privacy.models import LegalHold

    assert not LegalHold.objects.filter(person_id=person.pk).exists()


def _check_retention(world, client, who):
    """The retention pages show and purge only the attacker's own municipality."""
    from bryggan.privacy.models import RetentionPolicy

    _assert_no_leak(client.get("/dataskydd/gallring/"), f"{who} retention")
    client.post("/dataskydd/gallring/applicant_not_hired/", {"months": "1"})
    assert not RetentionPolicy.objects.filter(municipality=world.foreign.municipality).exists()
    client.post("/dataskydd/gallring-kor/", {"confirm": "yes"})
    from bryggan.recruitment.models import Application

    assert Application.objects.filter(pk=world.foreign.rec["application"].pk).exists()


def _check_release(world, client, who):
    path = f"/rekrytering/ansokan/{world.foreign.rec['application'].pk}/utlamnande/"
    response = client.get(path)
    assert response.status_code in (302, 403, 404), (who, response.status_code)
    response = client.post(path, {"reference": "x", "masked": []})
    assert response.status_code in (302, 403, 404), (who, response.status_code)
    assert response.get("Content-Type") != "application/pdf"


def _check_hold_release(world, client, who):
    from bryggan.privacy.models import LegalHold

    person = world.foreign.rec["person"]
    hold = LegalHold.objects.create(
        municipality=world.foreign.municipality, person_id=person.pk, reason="x"
    )
    response = client.post(f"/dataskydd/person/{person.pk}/sparr/{hold.pk}/hav/")
    assert response.status_code in (302, 403, 404), who
    hold.refresh_from_db()
    assert hold.released_at is None
    hold.delete()


def _check_plain(path):
    def check(world, client, who):
        _assert_no_leak(client.get(path), f"{who} {path}")

    return check


def _check_token_revoke(world, client, who):
    foreign_user = world.foreign.user(Role.COORDINATOR)
    token = ApiToken.objects.create(user=foreign_user, name="x", token_hash="h" * 64, hint="bry_")
    response = client.post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code in (302, 404), (who, response.status_code)
    token.refresh_from_db()
    assert token.revoked_at is None
    token.delete()


def _check_password_reset_confirm(world, client, who):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(world.foreign.user(Role.COORDINATOR).pk))
    response = client.get(f"/password-reset/{uid}/not-a-token/")
    _assert_no_leak(response, f"{who} password reset confirm")


# --- recruitment ---------------------------------------------------------------------------


def _rec_snapshot(world) -> dict:
    """Every foreign recruitment row as it stands (and its many-to-many links)."""
    snap = {}
    for key, obj in world.foreign.rec.items():
        fresh = type(obj).objects.get(pk=obj.pk)
        snap[key] = model_to_dict(fresh)
    app = world.foreign.rec["application"]
    snap["shared"] = sorted(app.shared_with.values_list("pk", flat=True))
    snap["notes"] = app.notes.count()
    snap["changes"] = app.stage_changes.count()
    snap["assessments"] = app.assessments.count()
    snap["slots"] = world.foreign.rec["posting"].slots.count()
    snap["registrations"] = world.foreign.rec["event"].registrations.count()
    m = world.foreign.municipality
    for model in (
        MatchingRun,
        MatchingConstraint,
        MatchingOverride,
        UnitRankingEntry,
        Placement,
        Participant,
        StageMove,
        EmploymentPeriod,
        Offer,
        HoursEntry,
        HoursRules,
        TaskItem,
        TaskSignOff,
        SupervisionSession,
        UniversityAssessment,
        Thesis,
    ):
        snap[model.__name__] = sorted(
            tuple(sorted(model_to_dict(row).items(), key=str))
            for row in model.objects.filter(municipality=m)
        )
    return snap


def _foreign_requests(world, name: str) -> list[tuple[str, str, dict]]:
    rec = world.foreign.rec
    posting, app = rec["posting"].pk, rec["application"].pk
    home_staff = world.home.objects["staff"].pk
    foreign_unit = world.foreign.objects["unit"].pk
    return {
        "recruitment:round-edit": [
            ("get", f"/rekrytering/omgang/{rec['round'].pk}/", {}),
            (
                "post",
                f"/rekrytering/omgang/{rec['round'].pk}/",
                {"name": "hijacked", "closes_on": "2030-01-01"},
            ),
        ],
        "recruitment:posting": [("get", f"/rekrytering/annons/{posting}/", {})],
        "recruitment:posting-edit": [
            ("get", f"/rekrytering/annons/{posting}/andra/", {}),
            ("post", f"/rekrytering/annons/{posting}/andra/", {"title": "hijacked"}),
        ],
        "recruitment:posting-status": [
            ("post", f"/rekrytering/annons/{posting}/status/close/", {}),
        ],
        "recruitment:board": [
            ("get", f"/rekrytering/annons/{posting}/tavla/", {}),
            (
                "post",
                f"/rekrytering/annons/{posting}/tavla/",
                {"action": "reject", "applications": [app]},
            ),
        ],
        "recruitment:slot-create": [
            (
                "post",
                f"/rekrytering/annons/{posting}/tider/",
                {
                    "starts_at": "2030-01-01T09:00",
                    "ends_at": "2030-01-01T10:00",
                    "location": "x",
                    "interviewers": [home_staff],
                },
            ),
        ],
        "recruitment:application": [
            ("get", f"/rekrytering/ansokan/{app}/", {}),
            ("post", f"/rekrytering/ansokan/{app}/", {"action": "move", "stage": "rejected"}),
            ("post", f"/rekrytering/ansokan/{app}/", {"action": "note", "text": "x"}),
            ("post", f"/rekrytering/ansokan/{app}/", {"action": "share", "staff": home_staff}),
        ],
        "recruitment:assess": [
            ("get", f"/rekrytering/ansokan/{app}/bedomning/", {}),
            ("post", f"/rekrytering/ansokan/{app}/bedomning/", {"comment": "x"}),
        ],
        "recruitment:document": [("get", f"/rekrytering/dokument/{rec['document'].pk}/", {})],
        "recruitment:event-edit": [
            ("get", f"/rekrytering/evenemang/{rec['event'].pk}/", {}),
            ("post", f"/rekrytering/evenemang/{rec['event'].pk}/", {"title": "hijacked"}),
        ],
        "matching:inputs": [("get", f"/matchning/annons/{posting}/", {})],
        "matching:start": [("post", f"/matchning/annons/{posting}/kor/", {"seed": "1"})],
        "matching:constraint-add": [
            (
                "post",
                f"/matchning/annons/{posting}/regel/",
                {"application": app, "unit": foreign_unit, "kind": "forbidden"},
            )
        ],
        "matching:constraint-remove": [
            ("post", f"/matchning/annons/{posting}/regel/{rec['constraint'].pk}/ta-bort/", {}),
        ],
        "matching:ranking": [
            ("get", f"/matchning/annons/{posting}/enhet/{foreign_unit}/", {}),
            ("post", f"/matchning/annons/{posting}/enhet/{foreign_unit}/", {f"pos-{app}": "2"}),
            ("post", f"/matchning/annons/{posting}/enhet/{foreign_unit}/", {"reset": "yes"}),
        ],
        "matching:run": [("get", f"/matchning/korning/{rec['run'].pk}/", {})],
        "matching:override": [
            (
                "post",
                f"/matchning/korning/{rec['run'].pk}/andra/",
                {"application": app, "placement": "", "reason": "hijacked"},
            )
        ],
        "matching:publish": [("post", f"/matchning/korning/{rec['run'].pk}/publicera/", {})],
        "matching:download": [
            ("get", f"/matchning/korning/{rec['run'].pk}/instance.json", {}),
            ("get", f"/matchning/korning/{rec['run'].pk}/result.json", {}),
        ],
        "programme:participant": [("get", f"/programmet/deltagare/{rec['participant'].pk}/", {})],
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
        "programme:approve": [
            ("post", "/programmet/attestera/", {"entries": [rec["hours_submitted"].pk]}),
        ],
        "programme:answer": [
            ("post", f"/programmet/mitt/erbjudande/{rec['offer'].pk}/", {"answer": "accept"}),
            ("post", f"/programmet/mitt/erbjudande/{rec['offer'].pk}/", {"answer": "decline"}),
        ],
        # Public pages reached through the home municipality's address.
        "recruitment-public:posting": [
            ("get", f"/karriar/{world.home.municipality.slug}/{posting}/", {}),
        ],
        "recruitment-public:apply": [
            ("get", f"/karriar/{world.home.municipality.slug}/{posting}/ansok/", {}),
            (
                "post",
                f"/karriar/{world.home.municipality.slug}/{posting}/ansok/",
                {"email": "x@example.se", "wish_1": foreign_unit},
            ),
        ],
        "recruitment-public:event": [
            ("get", f"/karriar/{world.home.municipality.slug}/evenemang/{rec['event'].pk}/", {}),
            (
                "post",
                f"/karriar/{world.home.municipality.slug}/evenemang/{rec['event'].pk}/",
                {"name": "x", "email": "x@example.se"},
            ),
        ],
    }[name]


def _check_programme_lists(world, client, who):
    before = _rec_snapshot(world)
    unit = world.foreign.objects["unit"].pk
    for path, params in (
        ("/programmet/", {}),
        ("/programmet/", {"stage": "aspirant", "unit": unit}),
        ("/programmet/mitt/", {}),
        ("/programmet/attestera/", {}),
        ("/programmet/mina-studenter/", {}),
        ("/programmet/bedomningar/", {}),
        ("/programmet/uppsatser/", {}),
        ("/programmet/timmar/export/", {"month": _month_of_foreign_hours(world), "format": "csv"}),
        ("/programmet/timmar/export/", {"month": _month_of_foreign_hours(world), "format": "xlsx"}),
    ):
        _assert_no_leak(client.get(path, params), f"{who} GET {path} {params}")
    assert _rec_snapshot(world) == before, who


def _month_of_foreign_hours(world) -> str:
    return world.foreign.rec["hours_approved"].day.strftime("%Y-%m")


def _check_programme_own_writes(world, client, who):
    """Writes that act only on the actor's own municipality (their hours, their rules)."""
    before = _rec_snapshot(world)
    day = world.foreign.rec["hours_submitted"].day.isoformat()
    client.post("/programmet/mitt/timmar/", {"day": day, "hours": "2", "activity": "x"})
    _assert_no_leak(client.get("/programmet/timregler/"), f"{who} GET rules")
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
    assert _rec_snapshot(world) == before, who


def _check_recruitment_foreign(name):
    def check(world, client, who):
        before = _rec_snapshot(world)
        for method, path, data in _foreign_requests(world, name):
            response = getattr(client, method)(path, data)
            assert response.status_code in (302, 403, 404), (who, path, response.status_code)
            if response.status_code == 302:
                assert "/login/" in response["Location"], (who, path)
            _assert_no_leak(response, f"{who} {method} {path}")
        assert _rec_snapshot(world) == before, (who, name)

    return check


def _check_recruitment_create(path, data_for, model_name):
    def check(world, client, who):
        from django.apps import apps

        model = apps.get_model("recruitment", model_name)
        before = set(model.objects.values_list("pk", flat=True))
        _assert_no_leak(client.get(path), f"{who} GET {path}")
        response = client.post(path, data_for(world))
        _assert_no_leak(response, f"{who} POST {path}")
        for new in model.objects.exclude(pk__in=before):
            assert new.municipality_id == world.home.municipality.pk, (who, path)
            for field in ("round_id", "term_id"):
                if hasattr(new, field):
                    foreign = (
                        world.foreign.rec["round"].pk
                        if field == "round_id"
                        else (world.foreign.objects["term"].pk)
                    )
                    assert getattr(new, field) != foreign, (who, path)
        model.objects.exclude(pk__in=before).delete()

    return check


def _round_data(world):
    return {"name": "copy", "closes_on": "2030-01-01", "term": world.foreign.objects["term"].pk}


def _posting_data(world):
    return {
        "round": world.foreign.rec["round"].pk,
        "kind": "aspirant",
        "title": "copy",
        "description": "x",
        "units": [world.foreign.objects["unit"].pk],
        "places": 1,
        "starts_on": "2030-01-01",
        "ends_on": "2030-02-01",
        "last_application_date": "2029-12-01",
    }


def _event_data(world):
    return {"title": "copy", "university_name": "x", "place": "x", "starts_at": "2030-01-01T10:00"}


def _check_recruitment_lists(world, client, who):
    for path in ("/rekrytering/", "/rekrytering/evenemang/"):
        _assert_no_leak(client.get(path), f"{who} {path}")
    posting = world.home.rec["posting"].pk
    for params in (
        {},
        {"q": "e"},
        {"unit": world.foreign.objects["unit"].pk},
        {"stage": "interview"},
    ):
        _assert_no_leak(
            client.get(f"/rekrytering/annons/{posting}/tavla/", params),
            f"{who} home board {params}",
        )


def _check_public_lists(world, client, who):
    slug = world.home.municipality.slug
    for path in (f"/karriar/{slug}/", f"/karriar/{slug}/flode.atom"):
        _assert_no_leak(client.get(path), f"{who} {path}")


def _check_private_link(world, client, who):
    """A link opens only its own application; a forged one opens nothing."""
    from django.core import signing

    from bryggan.recruitment import links

    home = links.make_token(world.home.rec["application"])
    foreign_id = world.foreign.rec["application"].pk
    foreign_nonce = world.foreign.rec["application"].link_nonce
    # Signed with another key (an attacker's guess), so the signature cannot match.
    forged = signing.dumps(
        {"a": foreign_id, "n": foreign_nonce},
        salt=links.SALT,
        key="not-the-secret-key",
        compress=True,
    )
    before = _rec_snapshot(world)
    for suffix, method, data in (
        ("", "get", {}),
        ("boka/", "post", {"slot": world.foreign.rec["free_slot"].pk}),
        ("avboka/", "post", {}),
        ("intervju.ics", "get", {}),
        ("dokument/", "post", {"kind": "cv"}),
        ("aterkalla/", "post", {"confirm": "yes"}),
        ("mina-uppgifter.zip", "post", {}),
        ("kandidatbank/", "post", {}),
    ):
        response = getattr(client, method)(f"/ansokan/{forged}/{suffix}", data)
        assert response.status_code == 404, (who, suffix, response.status_code)
        _assert_no_leak(response, f"{who} forged link {suffix}")
        response = getattr(client, method)(f"/ansokan/{home}/{suffix}", data)
        _assert_no_leak(response, f"{who} home link {suffix}")
    assert _rec_snapshot(world) == before


_LINK_ROUTES = (
    "status",
    "book",
    "cancel",
    "ics",
    "document",
    "withdraw",
    "leave-pool",
)

PAGE_CHECKS = {
    **{f"recruitment-public:{name}": _check_private_link for name in _LINK_ROUTES},
    "privacy-public:my-data": _check_private_link,
    "recruitment-public:careers": _check_public_lists,
    "recruitment-public:feed": _check_public_lists,
    "recruitment:rounds": _check_recruitment_lists,
    "recruitment:events": _check_recruitment_lists,
    "recruitment:round-create": _check_recruitment_create(
        "/rekrytering/omgang/ny/", _round_data, "Round"
    ),
    "recruitment:posting-create": _check_recruitment_create(
        "/rekrytering/annons/ny/", _posting_data, "Posting"
    ),
    "recruitment:event-create": _check_recruitment_create(
        "/rekrytering/evenemang/ny/", _event_data, "InformationEvent"
    ),
    **{
        name: _check_recruitment_foreign(name)
        for name in (
            "recruitment:round-edit",
            "recruitment:posting",
            "recruitment:posting-edit",
            "recruitment:posting-status",
            "recruitment:board",
            "recruitment:slot-create",
            "recruitment:application",
            "recruitment:assess",
            "recruitment:document",
            "recruitment:event-edit",
            "recruitment-public:posting",
            "recruitment-public:apply",
            "recruitment-public:event",
            "matching:inputs",
            "matching:start",
            "matching:constraint-add",
            "matching:constraint-remove",
            "matching:ranking",
            "matching:run",
            "matching:override",
            "matching:publish",
            "matching:download",
            "programme:participant",
            "programme:move",
            "programme:offer",
            "programme:summer-job",
            "programme:answer",
            "programme:approve",
            "programme:unit-plan",
            "programme:student-plan",
            "programme:assessment-sign",
            "programme:assessment-pdf",
            "programme:thesis",
        )
    },
    "programme:theses": _check_programme_lists,
    "programme:assessments": _check_programme_lists,
    "programme:my-students": _check_programme_lists,
    "programme:log-hours": _check_programme_own_writes,
    "programme:rules": _check_programme_own_writes,
    "programme:export": _check_programme_lists,
    "programme:overview": _check_programme_lists,
    "programme:mine": _check_programme_lists,
    "home": _check_plain("/"),
    "healthz": _check_plain("/healthz"),
    "login": _check_plain("/login/"),
    "logout": lambda world, client, who: None,  # POST-only and holds no data; tested in test_auth
    "password_reset": _check_plain("/password-reset/"),
    "password_reset_done": _check_plain("/password-reset/sent/"),
    "password_reset_confirm": _check_password_reset_confirm,
    "password_reset_complete": _check_plain("/password-reset/done/"),
    "set_language": lambda world, client, who: None,  # sets a cookie, shows nothing
    "organisation:capacity": _check_capacity,
    "organisation:list": _check_list,
    "organisation:create": _check_create,
    "organisation:detail": _check_detail,
    "organisation:edit": _check_edit,
    "core:audit": _check_audit,
    "core:tokens": _check_plain("/account/tokens/"),
    "core:two-factor": _check_plain("/account/two-factor/"),
    "privacy:access-log": _check_access_log,
    "privacy:access-log-export": _check_access_log,
    **{
        f"privacy:{name}": _check_data_subject
        for name in ("people", "person", "protect", "export", "erase", "hold-place")
    },
    "privacy:hold-release": _check_hold_release,
    "recruitment:release": _check_release,
    "privacy:retention": _check_retention,
    "privacy:policy": _check_retention,
    "privacy:retention-run": _check_retention,
    "core:token-revoke": _check_token_revoke,
}


def test_every_url_has_an_isolation_check():
    names = {route.name for route in all_routes()}
    missing = names - set(PAGE_CHECKS)
    assert not missing, f"Add an isolation check for these URLs: {sorted(missing)}"


def test_no_page_shows_or_changes_another_municipalitys_data(rworld):
    CountingClient.sent = 0
    attackers = _attackers(rworld)
    for who, client in attackers:
        for route in all_routes():
            PAGE_CHECKS[route.name](rworld, client, who)
    _report(f"Pages ({len(all_routes())} URL patterns)", len(attackers))


def test_the_leak_detector_sees_foreign_data(world):
    """The check above is only worth something if it would catch a leak: prove it can."""
    client = world.foreign.client(Role.COORDINATOR)
    response = client.get(f"/org/unit/{world.foreign.objects['unit'].pk}/")
    assert response.status_code == 200
    with pytest.raises(AssertionError):
        _assert_no_leak(response, "foreign coordinator on own unit")


# --- API -----------------------------------------------------------------------------------

API_RESOURCE_BY_OP = {
    f"{verb}_{key}": key
    for key in RESOURCES
    for verb in ("list", "get", "create", "update", "patch")
}


def _api_payload(obj) -> dict:
    res = RESOURCES[_resource_key(obj)]
    data = model_to_dict(obj, fields=list(res.form._meta.fields))
    return json.loads(json.dumps({k: _unmarked(v) for k, v in data.items()}, default=str))


def _call(client, method, path, payload=None, headers=None):
    kwargs = {"content_type": "application/json", **(headers or {})}
    body = json.dumps(payload) if payload is not None else None
    return (
        getattr(client, method.lower())(path, body, **kwargs)
        if body
        else getattr(client, method.lower())(path, **(headers or {}))
    )


def _check_operation(world, client, who, op, headers=None):
    if op.operation_id == "capacity_overview":
        response = client.get(
            "/api/organisation/capacity-overview",
            {"term": world.foreign.objects["term"].pk},
            **(headers or {}),
        )
        assert response.status_code in (401, 403, 404), (who, op, response.status_code)
        return
    if op.operation_id in RECRUITMENT_OPS:
        _check_recruitment_operation(world, client, who, op, headers)
        return
    key = API_RESOURCE_BY_OP.get(op.operation_id)
    assert key is not None, f"Add an isolation check for API operation {op.operation_id}"
    obj = world.foreign.objects[key]
    path = op.path.replace("{record_id}", str(obj.pk))
    before = _snapshot(world)
    if op.method == "GET" and "{record_id}" not in op.path:
        params = {n: world.foreign.objects[n].pk for n in RESOURCES[key].filters}
        for query in ({}, params, {"q": "e"}, {"q": "2"}):
            response = client.get(path, query, **(headers or {}))
            _assert_no_leak(response, f"{who} {op.method} {path} {query}")
        return
    payload = _api_payload(obj) if op.method in ("POST", "PUT", "PATCH") else None
    if op.method == "POST":
        count_before = type(obj).objects.count()
        response = _call(client, op.method, path, payload, headers)
        if response.status_code == 201:
            created = type(obj).objects.get(pk=response.json()["id"])
            assert created.municipality_id == world.home.municipality.pk
        else:
            assert type(obj).objects.count() == count_before
            assert 400 <= response.status_code < 500, (who, op, response.status_code)
    else:
        response = _call(client, op.method, path, payload, headers)
        assert response.status_code in (401, 403, 404), (who, op, response.status_code)
        _assert_no_leak(response, f"{who} {op.method} {path}")
    assert response["Content-Type"].startswith("application/json"), (
        who,
        op,
        response.content[:300],
    )
    assert _snapshot(world) == before, (who, op)


RECRUITMENT_OPS = {
    # operation id: the body an attacker sends (None for a read)
    "recruitment_rounds": None,
    "recruitment_postings": None,
    "recruitment_posting": None,
    "recruitment_posting_publish": {},
    "recruitment_posting_close": {},
    "recruitment_board": None,
    "recruitment_bulk": {"action": "reject", "applications": ["APP"]},
    "recruitment_matching_input": None,
    "recruitment_slots": None,
    "recruitment_slot_create": {
        "starts_at": "2030-01-01T09:00:00+01:00",
        "ends_at": "2030-01-01T10:00:00+01:00",
        "location": "x",
    },
    "recruitment_application": None,
    "recruitment_application_move": {"stage": "rejected", "send_email": True},
    "recruitment_events": None,
    "public_open_postings": None,
    "matching_runs": None,
    "matching_run_start": {"optimal": "student", "seed": 1},
    "matching_run": None,
    "matching_override": {"application_id": "APP", "reason": "hijacked"},
    "matching_run_publish": {},
    "matching_run_instance": None,
    "matching_run_result": None,
    "programme_participants": None,
    "programme_participant": None,
    "programme_move": {"stage": "left", "reason": "hijacked"},
    "programme_offer_issue": {
        "unit_id": 1,
        "starts_on": "2030-01-01",
        "reply_by": "2029-12-01",
    },
    "programme_offer_answer": {"accept": True},
    "programme_me": None,
    "programme_hours": None,
    "programme_placements": None,
    "programme_hours_log": {"day": "2026-01-01", "hours": "2", "activity": "x"},
    "programme_my_hours_log": {"day": "2000-01-01", "hours": "2", "activity": "x"},
    "programme_hours_approve": {"entries": ["ENTRY"]},
    "programme_hours_import": "CSV",
    "programme_place_by_hand": {
        "person_id": "PERSON",
        "unit_id": "UNIT",
        "supervisor_id": "STAFF",
        "term_id": "TERM",
        "step": "practicum",
    },
}

# Operations that act on the caller's own records: a refusal (400) is as good as 401/403/404.
OWN_OPS = {"programme_my_hours_log", "programme_place_by_hand"}


def _check_recruitment_operation(world, client, who, op, headers):
    rec = world.foreign.rec
    path = (
        op.path.replace("{posting_id}", str(rec["posting"].pk))
        .replace("{application_id}", str(rec["application"].pk))
        .replace("{run_id}", str(rec["run"].pk))
        .replace("{participant_id}", str(rec["participant"].pk))
        .replace("{offer_id}", str(rec["offer"].pk))
        .replace("{slug}", world.home.municipality.slug)
    )
    before = _rec_snapshot(world)
    body = RECRUITMENT_OPS[op.operation_id]
    if body is None:
        for query in (
            {},
            {"q": "e"},
            {"round": rec["round"].pk},
            {"unit": world.foreign.objects["unit"].pk},
            {"term": world.foreign.objects["term"].pk},
        ):
            response = client.get(path, query, **(headers or {}))
            _assert_no_leak(response, f"{who} GET {path} {query}")
            if "{" in op.path and "slug" not in op.path:
                assert response.status_code in (401, 403, 404), (who, op, response.status_code)
    elif body == "CSV":
        from django.core.files.uploadedfile import SimpleUploadedFile

        csv_text = f"email,date,hours,activity\n{rec['person'].email},2026-01-05,2,x\n"
        csv_text += f"{rec['participant'].person.email},2026-01-05,2,x\n"
        upload = SimpleUploadedFile("hours.csv", csv_text.encode(), content_type="text/csv")
        response = client.post(path, {"file": upload}, **(headers or {}))
        assert response.status_code in (400, 401, 403), (who, op, response.status_code)
        _assert_no_leak(response, f"{who} {op.method} {path}")
    else:
        payload = json.loads(
            json.dumps(body)
            .replace('"APP"', str(rec["application"].pk))
            .replace('"ENTRY"', str(rec["hours_submitted"].pk))
            .replace('"PERSON"', str(rec["person"].pk))
            .replace('"UNIT"', str(world.foreign.objects["unit"].pk))
            .replace('"STAFF"', str(world.foreign.objects["staff"].pk))
            .replace('"TERM"', str(world.foreign.objects["term"].pk))
        )
        response = _call(client, op.method, path, payload or {"_": 1}, headers)
        allowed = (400, 401, 403, 404) if op.operation_id in OWN_OPS else (401, 403, 404)
        assert response.status_code in allowed, (who, op, response.status_code)
        _assert_no_leak(response, f"{who} {op.method} {path}")
    assert response["Content-Type"].startswith("application/json"), (who, op)
    assert _rec_snapshot(world) == before, (who, op)


def test_no_api_operation_shows_or_changes_another_municipalitys_data(rworld):
    world = rworld
    schema = Client().get("/api/openapi.json").json()
    operations = all_operations(schema)
    assert len(operations) >= 5 * len(RESOURCES)
    CountingClient.sent = 0
    attackers = _attackers(world)
    for who, client in attackers:
        for op in operations:
            _check_operation(world, client, who, op)
    _report(f"API ({len(operations)} operations)", len(attackers))


def test_api_tokens_are_held_to_their_own_municipality(rworld):
    world = rworld
    from bryggan.core.permissions import actor_for
    from bryggan.core.services import api_token_create

    schema = Client().get("/api/openapi.json").json()
    for role in TENANT_ROLES:
        new = api_token_create(actor=actor_for(world.home.user(role)), name="integration")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {new.raw}"}
        for op in all_operations(schema):
            _check_operation(world, Client(), f"token:{role.value}", op, headers)
