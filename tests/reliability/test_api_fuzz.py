"""API fuzzing: schemathesis generates requests for every operation in /api/openapi.json and
sends them, signed in, through the whole Django stack. No server error, no response that
breaks the schema. Hooks point generated ids at real objects of the user's municipality, so
the requests reach the code behind the validator; the test reports how many were sent and
what share of the writes were accepted."""

from __future__ import annotations

import zlib
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from bryggan.core.services import api_token_create

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 20
MIN_REQUESTS = 1000
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _pick(pool: list, seed: object):
    """The same generated value always maps to the same real id (Hypothesis replays)."""
    if not pool:
        return seed
    return pool[zlib.crc32(repr(seed).encode()) % len(pool)]


def _pools(tenant) -> dict[str, list]:
    from bryggan.matching.models import MatchingRun
    from bryggan.organisation.resources import RESOURCES
    from bryggan.programme.models import Offer, Participant
    from bryggan.recruitment.models import Application, Posting

    m = tenant.municipality
    pools: dict[str, list] = {
        "posting_id": list(Posting.objects.filter(municipality=m).values_list("pk", flat=True)),
        "application_id": list(
            Application.objects.filter(municipality=m).values_list("pk", flat=True)
        ),
        "run_id": list(MatchingRun.objects.filter(municipality=m).values_list("pk", flat=True)),
        "participant_id": list(
            Participant.objects.filter(municipality=m).values_list("pk", flat=True)
        ),
        "offer_id": list(Offer.objects.filter(municipality=m).values_list("pk", flat=True)),
        "slug": [m.slug],
    }
    for res in RESOURCES.values():
        ids = list(res.model.objects.filter(municipality=m).values_list("pk", flat=True))
        pools[f"record:{res.api_path}"] = ids
        pools[f"{res.key}_id"] = ids
        pools[res.key] = ids
    for alias in ("supervisor", "supervisor_id", "staff_id", "staff_member_id", "mentor_id"):
        pools[alias] = pools.get("staff", [])
    pools["application_ids"] = pools["application_id"]
    # The broad introduction: a programme and a planned cohort to aim at.
    from bryggan.introduction.models import Area, Cohort, IntroductionProgramme

    pools["introduction_programme_id"] = list(
        IntroductionProgramme.objects.filter(municipality=m).values_list("pk", flat=True)
    )
    pools["cohort_id"] = list(Cohort.objects.filter(municipality=m).values_list("pk", flat=True))
    pools["final_area_id"] = list(Area.objects.filter(municipality=m).values_list("pk", flat=True))
    pools["department_ids"] = pools.get("department", [])
    pools["avoid_unit_id"] = pools.get("unit", [])
    pools["trainer_id"] = pools.get("staff", [])
    pools["entry_ids"] = []
    return pools


def _record_pool(pools: dict, path: str) -> list:
    segments = [s for s in path.split("/") if s and not s.startswith("{")]
    for key in pools:
        if key.startswith("record:") and key.split(":", 1)[1] in segments:
            return pools[key]
    return []


def _map_body(pools: dict, body):
    if isinstance(body, dict):
        out = {}
        for key, value in body.items():
            if key in pools and isinstance(value, int) and not isinstance(value, bool):
                out[key] = _pick(pools[key], value)
            elif key in pools and isinstance(value, list):
                out[key] = [_pick(pools[key], v) for v in value]
            else:
                out[key] = _map_body(pools, value)
        return out
    if isinstance(body, list):
        return [_map_body(pools, item) for item in body]
    return body


def test_the_api_never_fails_or_breaks_its_schema(rworld):
    from bryggan.config.wsgi import application
    from bryggan.programme.models import HoursEntry

    home = rworld.home
    user = home.user(Role.COORDINATOR)
    raw = api_token_create(actor=actor_for(user), name="fuzz", days=30).raw
    from tests.introduction_data import START, build_introduction

    intro = build_introduction(home, hires=3)
    from bryggan.introduction import services

    services.plan(actor=intro["actor"], cohort=intro["cohort"], today=START)
    # and a cohort still to come, whenever the test runs: what planning is for
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    future = services.cohort_create(
        actor=intro["actor"],
        programme=intro["programme"],
        name="Kommande",
        starts_on=today + timedelta(days=7 - today.weekday()),
    )
    services.member_add(actor=intro["actor"], cohort=future, staff=intro["supervisors"][0])
    from tests.specialists_data import build_specialists

    spec = build_specialists(home)
    pools = _pools(home)
    pools["cohort_id"] = [future.pk]
    pools["topic_id"] = [spec["children"].pk]
    pools["consultation_id"] = [spec["waiting"].pk]
    pools["update_id"] = [spec["everyone"].pk]
    pools["unit_ids"] = pools.get("unit", [])
    pools["entry_ids"] = list(
        HoursEntry.objects.filter(municipality=home.municipality).values_list("pk", flat=True)
    )
    # Insights: a survey to ask for, the kinds of import, and a year and need to plan.
    from tests.insights_data import build_insights

    insights = build_insights(home)
    pools["survey_id"] = [insights["survey"].pk]
    pools["kind"] = ["staff", "unit_months"]
    pools["year"] = [today.year + 1, today.year + 2]
    pools["need"] = list(range(0, 12))
    # Joint rounds: one the home municipality hosts with the other.
    from tests.regional_data import build_joint

    pools["round_id"] = [build_joint(rworld)["round"].pk]
    # As Django's test client does: the requests run inside the test's transaction, which
    # closing "old" connections at the end of each request would break.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
        _register_hooks(schema, pools)
        stats: Counter = Counter()
        failures: list[str] = []
        _fuzz(schema, raw, stats, failures)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)

    share = stats["writes accepted"] / max(1, stats["writes"])
    print(
        f"\nAPI fuzzing: {stats['operations']} operations, {stats['requests']} requests, "
        f"{stats['writes']} writes of which {stats['writes accepted']} accepted "
        f"({share:.0%}); statuses: "
        + ", ".join(
            f"{k.split()[1]}={v}" for k, v in sorted(stats.items()) if k.startswith("status")
        )
    )
    assert not failures, "\n".join(failures[:20])
    assert stats["requests"] >= MIN_REQUESTS, stats
    assert stats["status 5xx"] == 0
    assert share >= 0.30, f"only {share:.0%} of generated writes reached the code and succeeded"


def _register_hooks(schema, pools: dict) -> None:
    @schema.hook("map_path_parameters")
    def real_ids(context, path_parameters):
        if not path_parameters:
            return path_parameters
        path = context.operation.path if context.operation else ""
        mapped = {}
        for name, value in path_parameters.items():
            pool = _record_pool(pools, path) if name == "record_id" else pools.get(name, [])
            mapped[name] = _pick(pool, value)
        return mapped

    @schema.hook("map_body")
    def real_body_ids(context, body):
        return _map_body(pools, body)


def _fuzz(schema, raw: str, stats: Counter, failures: list[str]) -> None:
    checks = [not_a_server_error, response_schema_conformance, content_type_conformance]
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
        def run(case):
            response = case.call(headers={"Authorization": f"Bearer {raw}"})
            stats["requests"] += 1
            write = case.method.upper() in WRITES
            if write:
                stats["writes"] += 1
                if 200 <= response.status_code < 300:
                    stats["writes accepted"] += 1
            stats[f"status {response.status_code // 100}xx"] += 1
            try:
                case.validate_response(response, checks=checks)
            except Exception as error:
                failures.append(f"{case.method} {case.formatted_path}: {error}"[:600])

        run()
        stats["operations"] += 1
