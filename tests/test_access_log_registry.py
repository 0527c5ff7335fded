"""The access log's registry: every URL and API operation either writes exactly the entries
listed here when it shows a person's data, or is listed with the reason it shows none.

A URL or operation this file does not know fails ``test_every_url_and_operation_is_known``,
as the isolation test does, so a new page cannot silently skip the log. Each read listed is
visited as the role that uses it, on the home municipality's records, and the entries it
wrote — kind, record, whose data, why and where — must be exactly the expected ones. The
entries are written by the selectors (core/gate.py), never by the views.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client

from bryggan.core.models import AccessLogEntry
from bryggan.core.roles import Role
from tests.isolation import all_operations, all_routes

pytestmark = pytest.mark.django_db

Entry = tuple[str, str, int | None, str]  # kind, record id ("*" for a list), person, why


@dataclass(frozen=True)
class Visit:
    """One request that reads personal data, and the entries it must write."""

    role: Role
    path: Callable[[dict], str]
    expect: Callable[[dict, object], list[Entry]]
    method: str = "get"
    data: Callable[[dict], dict] = field(default=lambda h: {})
    json: bool = False  # send ``data`` as a JSON body (the API's writes)


def _ids(world) -> dict:
    """The home municipality's records, by the names the visits use."""
    rec, objects = world.home.rec, world.home.objects
    return {
        "staff": objects["staff"].pk,
        "unit": objects["unit"].pk,
        "posting": rec["posting"].pk,
        "application": rec["application"].pk,
        "applicant": rec["person"].pk,
        "document": rec["document"].pk,
        "run": rec["run"].pk,
        "participant": rec["participant"].pk,
        "aspirant": rec["participant"].person_id,
        "practicum": rec["practicum_participant"].pk,
        "student": rec["practicum_participant"].person_id,
        "assessment": rec["assessment"].pk,
        "month": rec["hours_approved"].day.strftime("%Y-%m"),
        **_intro_ids(world),
        "update": _specialists_update(world),
        "joint_round": _joint_round(world),
    }


def _joint_round(world) -> int:
    """A matched joint round of both municipalities (built once per world)."""
    found = getattr(world.home, "joint_round", None)
    if found is None:
        from datetime import timedelta

        from django.utils import timezone

        from bryggan.core.permissions import actor_for
        from bryggan.regional import services
        from tests.regional_data import DEADLINE_DAYS, build_applied

        found = build_applied(world)["round"]
        services.match(
            actor=actor_for(world.home.user(Role.COORDINATOR)),
            joint_round=found,
            today=timezone.localdate() + timedelta(days=DEADLINE_DAYS + 1),
        )
        world.home.joint_round = found
    return found.pk


def _specialists_update(world) -> int:
    """An update for everyone in the home municipality (built once per world)."""
    from tests.specialists_data import build_specialists

    spec = getattr(world.home, "spec", None)
    if spec is None:
        spec = world.home.spec = build_specialists(world.home)
    return spec["everyone"].pk


def _intro_ids(world) -> dict:
    """A planned introduction in the home municipality (built once per world)."""
    from bryggan.introduction import services
    from tests.introduction_data import START, build_introduction

    intro = getattr(world.home, "intro", None)
    if intro is None:
        intro = build_introduction(world.home, hires=3)
        services.plan(actor=intro["actor"], cohort=intro["cohort"], today=START)
        # One still to come, whenever the tests run: the API plans it for real.
        from datetime import timedelta

        from django.utils import timezone

        today = timezone.localdate()
        intro["future"] = services.cohort_create(
            actor=intro["actor"],
            programme=intro["programme"],
            name="Kommande kull",
            starts_on=today + timedelta(days=7 - today.weekday()),
        )
        services.member_add(
            actor=intro["actor"], cohort=intro["future"], staff=intro["supervisors"][0]
        )
        world.home.intro = intro
    return {
        "cohort": intro["cohort"].pk,
        "future_cohort": intro["future"].pk,
        "intro_programme": intro["programme"].pk,
        "intro_unit": intro["units"][0].pk,
    }


def _list(kind: str, why: str) -> Callable[[dict, object], list[Entry]]:
    return lambda h, response: [(kind, "*", None, why)]


def _one(kind: str, record: str, person: str | None, why: str):
    return lambda h, response: [(kind, str(h[record]), h[person] if person else None, why)]


PAGE_READS: dict[str, list[Visit]] = {
    # The home page names the people whose offers, hours and assessments wait: one list read
    # of participants for those it names them to; the others see counts or their own.
    "home": [
        Visit(Role.COORDINATOR, lambda h: "/", _list("participant", "home page")),
        Visit(Role.SUPERVISOR, lambda h: "/", _list("participant", "home page")),
        Visit(Role.HR, lambda h: "/", _list("participant", "home page")),
        Visit(Role.STUDENT, lambda h: "/", lambda h, r: []),
        Visit(Role.UNIVERSITY_CONTACT, lambda h: "/", lambda h, r: []),
        Visit(Role.UNIT_MANAGER, lambda h: "/", lambda h, r: []),
    ],
    "organisation:list": [
        Visit(Role.COORDINATOR, lambda h: "/org/staff/", _list("staff", "list")),
        Visit(Role.COORDINATOR, lambda h: "/org/unit/", lambda h, r: []),
    ],
    "organisation:detail": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/org/staff/{h['staff']}/",
            _one("staff", "staff", None, "detail"),
        ),
        Visit(Role.COORDINATOR, lambda h: f"/org/unit/{h['unit']}/", lambda h, r: []),
    ],
    "organisation:edit": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/org/staff/{h['staff']}/edit/",
            _one("staff", "staff", None, "edit form"),
        )
    ],
    "recruitment:posting": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/rekrytering/annons/{h['posting']}/",
            _list("application", "interview times"),
        )
    ],
    "recruitment:board": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/rekrytering/annons/{h['posting']}/tavla/",
            _list("application", "board"),
        )
    ],
    "recruitment:application": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/rekrytering/ansokan/{h['application']}/",
            _one("application", "application", "applicant", "application file"),
        )
    ],
    "recruitment:assess": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/rekrytering/ansokan/{h['application']}/bedomning/",
            _one("application", "application", "applicant", "assessment form"),
        )
    ],
    "recruitment:document": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/rekrytering/dokument/{h['document']}/",
            _one("document", "document", "applicant", "document download"),
        )
    ],
    "recruitment:document-preview": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/rekrytering/dokument/{h['document']}/forhandsvisning/",
            _one("document", "document", "applicant", "document preview"),
        )
    ],
    "recruitment:release": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/rekrytering/ansokan/{h['application']}/utlamnande/",
            _one("application", "application", "applicant", "release copy Dnr 7; masked: none"),
            method="post",
            data=lambda h: {"reference": "Dnr 7"},
        )
    ],
    "matching:inputs": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/matchning/annons/{h['posting']}/",
            lambda h, r: [("application", "*", None, f"matching inputs {h['posting']}")],
        )
    ],
    "matching:ranking": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/matchning/annons/{h['posting']}/enhet/{h['unit']}/",
            lambda h, r: [("application", "*", None, f"unit ranking {h['posting']}")],
        )
    ],
    "matching:run": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/matchning/korning/{h['run']}/",
            lambda h, r: [("application", "*", None, f"matching run {h['run']}")],
        )
    ],
    "matching:publish": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/matchning/korning/{h['run']}/publicera/",
            lambda h, r: [("application", "*", None, f"matching publish {h['run']}")],
        )
    ],
    "programme:overview": [
        Visit(
            Role.COORDINATOR, lambda h: "/programmet/", _list("participant", "programme overview")
        )
    ],
    "programme:participant": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/programmet/deltagare/{h['participant']}/",
            _one("participant", "participant", "aspirant", "participant page"),
        )
    ],
    "programme:theses": [
        Visit(Role.COORDINATOR, lambda h: "/programmet/uppsatser/", _list("participant", "theses"))
    ],
    "programme:approve": [
        Visit(
            Role.COORDINATOR,
            lambda h: "/programmet/attestera/",
            _list("participant", "hours to approve"),
        )
    ],
    "programme:export": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/programmet/timmar/export/?month={h['month']}&format=csv",
            lambda h, r: [("participant", "*", None, f"hours export {h['month']}")],
        )
    ],
    "programme:student-plan": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/programmet/deltagare/{h['participant']}/plan/",
            _one("participant", "participant", "aspirant", "task plan"),
        )
    ],
    "programme:my-students": [
        Visit(
            Role.SUPERVISOR,
            lambda h: "/programmet/mina-studenter/",
            _list("participant", "my students"),
        )
    ],
    "programme:assessment-sign": [
        Visit(
            Role.SUPERVISOR,
            lambda h: f"/programmet/deltagare/{h['practicum']}/bedomning/",
            _one("participant", "practicum", "student", "assessment sign page"),
        )
    ],
    "programme:assessments": [
        Visit(
            Role.COORDINATOR,
            lambda h: "/programmet/bedomningar/",
            _list("assessment", "assessment list"),
        )
    ],
    "programme:assessment": [
        Visit(
            Role.UNIVERSITY_CONTACT,
            lambda h: f"/programmet/bedomning/{h['assessment']}/",
            _one("assessment", "assessment", "student", "assessment page"),
        )
    ],
    "programme:assessment-pdf": [
        Visit(
            Role.UNIVERSITY_CONTACT,
            lambda h: f"/programmet/bedomning/{h['assessment']}/pdf/",
            _one("assessment", "assessment", "student", "assessment pdf"),
        )
    ],
    "introduction:cohort": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/introduktion/kull/{h['cohort']}/",
            lambda h, r: [("new hire", "*", None, f"introduction cohort {h['cohort']}")],
        )
    ],
    "introduction:export": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/introduktion/kull/{h['cohort']}/schema.csv",
            lambda h, r: [
                ("new hire", "*", None, f"introduction export {h['cohort']}"),
                ("export", str(h["cohort"]), None, "introduction schedule csv"),
            ],
        )
    ],
    "introduction:unit": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/introduktion/enhet/{h['intro_unit']}/",
            lambda h, r: [("new hire", "*", None, f"introduction unit {h['intro_unit']}")],
        )
    ],
    "specialists:update": [
        # HR sees who has not read it (names from the staff register); a reader does not.
        Visit(
            Role.HR,
            lambda h: f"/specialister/uppdateringar/{h['update']}/",
            lambda h, r: [("staff", "*", None, f"update readers {h['update']}")],
        ),
        Visit(
            Role.SUPERVISOR,
            lambda h: f"/specialister/uppdateringar/{h['update']}/",
            lambda h, r: [],
        ),
    ],
    "privacy:people": [
        Visit(
            Role.COORDINATOR,
            lambda h: "/dataskydd/personer/?q=Aspirant",
            _list("person", "people search"),
        )
    ],
    "privacy:person": [
        Visit(
            Role.DPO,
            lambda h: f"/dataskydd/person/{h['aspirant']}/",
            _one("person", "aspirant", "aspirant", "data subject page"),
        )
    ],
    "privacy:export": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/dataskydd/person/{h['aspirant']}/export.zip",
            _one("export", "aspirant", "aspirant", "data subject export"),
            method="post",
            data=lambda h: {"reference": "Dnr 8"},
        )
    ],
    "privacy:access-log-export": [
        Visit(
            Role.DPO,
            lambda h: "/dataskydd/atkomstlogg/export.csv",
            lambda h, r: [("export", "access_log", None, "access log export")],
        )
    ],
    "regional:round": [
        Visit(
            Role.COORDINATOR,
            lambda h: f"/gemensamma-omgangar/{h['joint_round']}/",
            lambda h, r: [("application", "*", None, f"joint round results {h['joint_round']}")],
        )
    ],
    "privacy:retention": [
        Visit(
            Role.COORDINATOR,
            lambda h: "/dataskydd/gallring/",
            _list("application", "retention dry run"),
        )
    ],
}

# Pages that show no one's personal data but the reader's own, each group with its reason.
PAGES_WITHOUT_PERSONAL_DATA: dict[str, tuple[str, ...]] = {
    "insights: counts of people grouped by the database, never a person; anonymous survey "
    "answers from five up; an import's preview shows the file its uploader has just sent": (
        "insights:funnel",
        "insights:retention",
        "insights:workforce",
        "insights:load",
        "insights:forecast",
        "insights:import",
        "insights:import_preview",
        "insights:template",
        "insights:surveys",
        "insights:survey",
        "insights:national",
        "insights:chart",
        "insights:export",
        "insights:report",
        "survey_answer",
    ),
    "the organisation's set-up, counts and planning (no one's file)": (
        "healthz",
        "organisation:create",
        "organisation:capacity",
        "recruitment:rounds",
        "recruitment:round-create",
        "recruitment:round-edit",
        "recruitment:posting-create",
        "recruitment:posting-edit",
        "recruitment:events",
        "recruitment:event-create",
        "recruitment:event-edit",
        "programme:unit-plan",
        "programme:rules",
        "privacy:policy",
        "introduction:index",
        "introduction:programme",
        "introduction:units",
    ),
    "colleagues' questions, knowledge and updates: no client in them (a personnummer is "
    "refused), the askers and specialists are staff shown to each other by design": (
        "specialists:index",
        "specialists:consultation",
        "specialists:notes",
        "specialists:note",
        "specialists:updates",
        "specialists:feed",
        "specialists:roles",
    ),
    "public pages: postings and events, no applicant's data": (
        "core:brand-css",
        "core:logo",
        "recruitment-public:careers",
        "recruitment-public:feed",
        "recruitment-public:posting",
        "recruitment-public:apply",
        "recruitment-public:event",
        "regional-public:round",
        "regional-public:apply",
    ),
    "joint rounds: their days and the municipalities taking part (no applicant)": (
        "regional:rounds",
    ),
    "the reader's own data (an applicant's link, a student's own page, one's account)": (
        "regional-public:result",
        "recruitment-public:status",
        "recruitment-public:book",
        "recruitment-public:cancel",
        "recruitment-public:ics",
        "recruitment-public:document",
        "recruitment-public:withdraw",
        "recruitment-public:leave-pool",
        "privacy-public:my-data",
        "programme:mine",
        "programme:answer",
        "programme:log-hours",
        "introduction:feed",
        "introduction:wish",
        "core:tokens",
        "core:two-factor",
        "core:token-revoke",
        "login",
        "identity:start",
        "identity:callback",
        "identity:saml-acs",
        "identity:saml-sls",
        "identity:saml-metadata",
        "unlock-request",
        "unlock",
        "recruitment-public:resend-link",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "set_language",
    ),
    "writes that answer with a redirect; a page shown again with errors reads like the page": (
        "recruitment:posting-status",
        "recruitment:slot-create",
        "matching:start",
        "matching:constraint-add",
        "matching:constraint-remove",
        "matching:override",
        "recruitment:rejection-undo",
        "programme:move",
        "programme:invite",
        "programme:offer",
        "programme:summer-job",
        "programme:thesis",
        "privacy:protect",
        "privacy:erase",
        "privacy:hold-place",
        "privacy:hold-release",
        "privacy:retention-run",
        "privacy:token-revoke",
    ),
    "pseudonymous: a matching run's files hold application ids only": ("matching:download",),
    "the municipality's sign-in set-up: its providers, groups and a break-glass account": (
        "identity:settings",
        "identity:provider-new",
        "identity:provider",
        "identity:mapping-add",
        "identity:mapping-delete",
    ),
    "the demo's outbox: e-mails to made-up people, for the site administrator, demo only": (
        "demo:outbox",
        "demo:outbox-message",
    ),
    "the DPO's and coordinator's audit tools (who did what); only exports leave Bryggan": (
        "privacy:access-log",
        "core:audit",
        "privacy:tokens",
    ),
}


def _api(path: str) -> Callable[[dict], str]:
    return lambda h: "/api" + path.format(**h)


API_READS: dict[str, list[Visit]] = {
    "list_staff": [
        Visit(Role.COORDINATOR, _api("/organisation/staff"), _list("staff", "api list"))
    ],
    "get_staff": [
        Visit(
            Role.COORDINATOR,
            _api("/organisation/staff/{staff}"),
            _one("staff", "staff", None, "api detail"),
        )
    ],
    "recruitment_board": [
        Visit(
            Role.COORDINATOR,
            _api("/recruitment/postings/{posting}/applications"),
            _list("application", "api board"),
        )
    ],
    "recruitment_application": [
        Visit(
            Role.COORDINATOR,
            _api("/recruitment/applications/{application}"),
            _one("application", "application", "applicant", "api application"),
        )
    ],
    "matching_run": [
        Visit(
            Role.COORDINATOR,
            _api("/matching/runs/{run}"),
            lambda h, r: [("application", "*", None, f"api matching run {h['run']}")],
        )
    ],
    "programme_participants": [
        Visit(
            Role.COORDINATOR,
            _api("/programme/participants"),
            _list("participant", "api participants"),
        )
    ],
    "programme_participant": [
        Visit(
            Role.COORDINATOR,
            _api("/programme/participants/{participant}"),
            _one("participant", "participant", "aspirant", "api participant"),
        )
    ],
    "programme_hours": [
        Visit(
            Role.COORDINATOR,
            _api("/programme/participants/{participant}/hours"),
            _one("participant", "participant", "aspirant", "api hours"),
        )
    ],
    "programme_placements": [
        Visit(
            Role.COORDINATOR,
            _api("/programme/placements"),
            _list("participant", "api placements"),
        )
    ],
    # Writes that answer with the person's file: the answer is a read.
    "recruitment_application_move": [
        Visit(
            Role.COORDINATOR,
            _api("/recruitment/applications/{application}/stage"),
            _one("application", "application", "applicant", "api application move"),
            method="post",
            data=lambda h: {"stage": "offered"},
            json=True,
        )
    ],
    "matching_override": [
        Visit(
            Role.COORDINATOR,
            _api("/matching/runs/{run}/overrides"),
            lambda h, r: [("application", "*", None, f"api matching run {h['run']}")],
            method="post",
            data=lambda h: {"application_id": h["application"], "reason": "Byter enhet"},
            json=True,
        )
    ],
    "matching_run_start": [
        Visit(
            Role.COORDINATOR,
            _api("/matching/postings/{posting}/runs"),
            lambda h, r: [("application", "*", None, f"api matching run {r.json()['id']}")],
            method="post",
            data=lambda h: {"optimal": "student", "seed": 3},
            json=True,
        )
    ],
    "introduction_cohort": [
        Visit(
            Role.COORDINATOR,
            _api("/introduction/cohorts/{cohort}"),
            lambda h, r: [("new hire", "*", None, f"api introduction cohort {h['cohort']}")],
        )
    ],
    "introduction_member_add": [
        Visit(
            Role.COORDINATOR,
            _api("/introduction/cohorts/{cohort}/members"),
            lambda h, r: [("new hire", "*", None, f"api introduction cohort {h['cohort']}")],
            method="post",
            data=lambda h: {"staff_id": h["staff"]},
            json=True,
        )
    ],
    "introduction_absence_add": [
        Visit(
            Role.COORDINATOR,
            _api("/introduction/cohorts/{cohort}/absences"),
            lambda h, r: [("new hire", "*", None, f"api introduction cohort {h['cohort']}")],
            method="post",
            data=lambda h: {
                "staff_id": h["staff"],
                "starts_on": "2026-09-08",
                "ends_on": "2026-09-09",
            },
            json=True,
        )
    ],
    "introduction_plan": [
        Visit(
            Role.COORDINATOR,
            _api("/introduction/cohorts/{future_cohort}/plan"),
            lambda h, r: [("new hire", "*", None, f"api introduction cohort {h['future_cohort']}")],
            method="post",
            data=lambda h: {},
            json=True,
        )
    ],
    "introduction_cohort_create": [
        Visit(
            Role.COORDINATOR,
            _api("/introduction/programmes/{intro_programme}/cohorts"),
            lambda h, r: [("new hire", "*", None, f"api introduction cohort {r.json()['id']}")],
            method="post",
            data=lambda h: {"name": "Vårkull", "starts_on": "2027-01-18"},
            json=True,
        )
    ],
    "regional_round_results": [
        Visit(
            Role.COORDINATOR,
            _api("/regional/rounds/{joint_round}/results"),
            lambda h, r: [("application", "*", None, f"joint round results {h['joint_round']}")],
        )
    ],
    "programme_move": [
        Visit(
            Role.COORDINATOR,
            _api("/programme/participants/{participant}/move"),
            _one("participant", "participant", "aspirant", "api move"),
            method="post",
            data=lambda h: {"stage": "left", "reason": "Flyttar"},
            json=True,
        )
    ],
}

OPERATIONS_WITHOUT_PERSONAL_DATA: dict[str, tuple[str, ...]] = {
    "insights: counts grouped by the database, never a person; anonymous survey answers "
    "from five up; an import writes the caller's own file and answers with counts": (
        "insights_funnel",
        "insights_retention",
        "insights_workforce",
        "insights_supervisor_load",
        "insights_forecast",
        "insights_need_set",
        "insights_import",
        "insights_surveys",
        "insights_survey_results",
        "insights_national",
    ),
    "the organisation's set-up and planning (every resource but the staff register)": (
        "capacity_overview",
    ),
    "recruitment's set-up: rounds, postings, times and events (no applicant's name)": (
        "recruitment_rounds",
        "recruitment_postings",
        "recruitment_posting",
        "recruitment_posting_publish",
        "recruitment_posting_close",
        "recruitment_slots",
        "recruitment_slot_create",
        "recruitment_events",
        "recruitment_bulk",
        "recruitment_rejection_undo",
        "public_open_postings",
    ),
    "joint rounds: days, status and the municipalities taking part; the joint matching and "
    "publication answer with the round's status or a count, and their reads of every "
    "municipality's applications are logged in each one's access log (tests/regional)": (
        "regional_rounds",
        "regional_round",
        "regional_round_create",
        "regional_round_join",
        "regional_round_leave",
        "regional_round_match",
        "regional_round_approve",
        "regional_round_publish",
        "regional_public_postings",
    ),
    "pseudonymous: application and unit ids only": (
        "recruitment_matching_input",
        "matching_runs",
        "matching_run_instance",
        "matching_run_result",
        "matching_run_publish",
    ),
    "the broad introduction's set-up: programmes, areas and places (no new hire's name)": (
        "introduction_programmes",
        "introduction_programme",
        "introduction_programme_create",
        "introduction_places_set",
    ),
    "colleagues' questions, knowledge and updates: no client in them (a personnummer is "
    "refused); askers and specialists are staff shown to each other by design": (
        "specialists_topics",
        "specialists_roles",
        "specialists_consultations",
        "specialists_ask",
        "specialists_answer",
        "specialists_notes",
        "specialists_updates",
        "specialists_publish",
        "specialists_acknowledge",
    ),
    "the caller's own data (the student's own page and hours)": (
        "programme_me",
        "programme_my_hours_log",
    ),
    "writes that answer with the record written (an offer, hours, a placement, a count)": (
        "programme_offer_issue",
        "programme_offer_answer",
        "programme_hours_log",
        "programme_hours_approve",
        "programme_hours_return",
        "programme_hours_import",
        "programme_place_by_hand",
    ),
}


def _resource_operations() -> set[str]:
    """The organisation's generic endpoints of every resource except the staff register."""
    from bryggan.organisation.resources import RESOURCES

    return {
        f"{verb}_{key}"
        for key in RESOURCES
        for verb in ("list", "get", "create", "update", "patch")
        if key != "staff"
    } | {"create_staff", "update_staff", "patch_staff"}


def _known(reads: dict, without: dict[str, tuple[str, ...]]) -> tuple[set[str], set[str]]:
    listed = [name for names in without.values() for name in names]
    assert len(listed) == len(set(listed)), "a name listed twice"
    assert not set(reads) & set(listed), set(reads) & set(listed)
    return set(reads), set(listed)


def test_every_url_and_operation_is_known():
    reads, without = _known(PAGE_READS, PAGES_WITHOUT_PERSONAL_DATA)
    routes = {route.name for route in all_routes()}
    assert routes - reads - without == set(), "Say what these URLs write to the access log"
    assert (reads | without) - routes == set(), "No such URLs"
    reads, without = _known(API_READS, OPERATIONS_WITHOUT_PERSONAL_DATA)
    without |= _resource_operations()
    operations = {
        op.operation_id for op in all_operations(Client().get("/api/openapi.json").json())
    }
    assert operations - reads - without == set(), "Say what these operations write to the log"
    assert (reads | without) - operations == set(), "No such operations"


def _entries_after(client, visit: Visit, h: dict) -> tuple[object, list[tuple]]:
    before = set(AccessLogEntry.objects.values_list("pk", flat=True))
    path = visit.path(h)
    data = visit.data(h)
    if visit.json:
        response = client.post(path, json.dumps(data), content_type="application/json")
    else:
        response = getattr(client, visit.method)(path, data)
    written = AccessLogEntry.objects.exclude(pk__in=before).order_by("pk")
    return response, [
        (e.subject_type, e.subject_id, e.person_id, e.purpose, e.path, e.user_id) for e in written
    ]


def _visit_all(world, reads: dict[str, list[Visit]]) -> list[str]:
    h = _ids(world)
    clients = {}
    failures = []
    for name, visits in reads.items():
        for visit in visits:
            if visit.role not in clients:
                clients[visit.role] = world.home.client(visit.role)
            response, written = _entries_after(clients[visit.role], visit, h)
            assert response.status_code < 400, (name, visit.path(h), response.status_code)
            user = world.home.user(visit.role).pk
            path = visit.path(h).split("?")[0]
            expected = [(*entry, path, user) for entry in visit.expect(h, response)]
            if written != expected:
                failures.append(f"{name} {visit.path(h)}: wrote {written}, expected {expected}")
            failures += _untranslated(written)
    return failures


def _untranslated(written: list[tuple]) -> list[str]:
    """Every kind and purpose written is shown to the DPO in Swedish (privacy/reads.py)."""
    from django.utils import translation

    from bryggan.privacy.reads import kind_label, purpose_label

    with translation.override("sv"):
        return [
            f"no Swedish for {kind!r} / {purpose!r}"
            for kind, _id, _person, purpose, *_rest in written
            if kind_label(kind) == kind or purpose_label(purpose) == purpose
        ]


def test_each_page_that_shows_personal_data_writes_exactly_its_entries(rworld):
    assert _visit_all(rworld, PAGE_READS) == []


def test_each_api_read_of_personal_data_writes_exactly_its_entries(rworld):
    assert _visit_all(rworld, API_READS) == []
