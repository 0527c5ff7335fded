"""The API's contract: /api/openapi.json is a valid OpenAPI document that says precisely what
the API takes and answers, a client generated from it by a well-kept generator
(openapi-python-client) works, every operation answers a malformed request with a 4xx JSON
error, and schemathesis finds nothing with every phase and every check against a running
server (schemathesis.toml beside this file)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from openapi_spec_validator import OpenAPIV31SpecValidator

from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from bryggan.core.services import api_token_create
from tests.reliability.live_app import served_demo

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
BODY_METHODS = {"post", "put", "patch"}

pytestmark = pytest.mark.django_db


def _schema(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(schema: dict):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_the_published_schema_is_valid_and_precise(client):
    schema = _schema(client)
    errors = [e.message for e in OpenAPIV31SpecValidator(schema).iter_errors()]
    assert not errors, errors[:10]

    # Both ways to sign in are declared, as alternatives.
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerTokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionCookieAuth"]["in"] == "cookie"
    hours_log = schema["paths"]["/api/programme/me/hours"]["post"]
    assert hours_log["security"] == [{"BearerTokenAuth": []}, {"SessionCookieAuth": []}]

    # Dates are dates, numbers are numbers with their bounds, bodies take no unknown field.
    hours_in = schema["components"]["schemas"]["HoursIn"]
    assert hours_in["properties"]["day"] == {"format": "date", "title": "Day", "type": "string"}
    hours = hours_in["properties"]["hours"]
    assert (hours["type"], hours["exclusiveMinimum"], hours["maximum"]) == ("number", 0, 24)
    programme = schema["components"]["schemas"]["ProgrammeOut"]["properties"]
    assert programme["credits"]["type"] == "number"
    term_in = schema["components"]["schemas"]["TermIn"]["properties"]
    assert (term_in["year"]["minimum"], term_in["year"]["maximum"]) == (2000, 2100)
    assert term_in["kind"]["enum"] == ["VT", "HT"]
    for path, method, operation in _operations(schema):
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body:
            ref = body["schema"]["$ref"].rsplit("/", 1)[1]
            component = schema["components"]["schemas"][ref]
            assert component["additionalProperties"] is False, (method, path)

        # Every answer an operation can give is in the schema, errors with their body.
        responses = operation["responses"]
        expected = {"400", "404", "413", "429", "500"}
        if operation.get("security"):
            expected |= {"401", "403"}
        if operation.get("requestBody"):
            expected |= {"415", "422"}
        assert expected <= set(responses), (method, path, sorted(responses))
        for code in expected:
            content = responses[code]["content"]["application/json"]["schema"]
            assert content == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, code)


@pytest.fixture
def in_process():
    """Requests to the WSGI application run inside the test's transaction (as Django's test
    client does): closing "old" connections at the end of a request would break it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield httpx.WSGITransport(app=_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _application():
    from bryggan.config.wsgi import application

    return application


def _generate_client(schema: dict, where: Path):
    (where / "schema.json").write_text(json.dumps(schema))
    (where / "config.yaml").write_text("post_hooks: []\nproject_name_override: bryggan_client\n")
    result = subprocess.run(
        [
            str(VENV_BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(where / "schema.json"),
            "--meta",
            "none",
            "--output-path",
            str(where / "bryggan_client"),
            "--config",
            str(where / "config.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(where))
    try:
        return importlib.import_module("bryggan_client")
    finally:
        sys.path.remove(str(where))


def test_a_client_generated_from_the_schema_calls_the_api(rworld, tmp_path, in_process):
    # Everything through the in-process transport: Django's test client would reconnect the
    # connection closing that in_process turned off, and on PostgreSQL close the test's.
    with httpx.Client(transport=in_process, base_url="http://testserver") as plain:
        schema = plain.get("/api/openapi.json").json()
    generated = _generate_client(schema, tmp_path)
    from bryggan_client.api.organisation import list_department
    from bryggan_client.api.programme import (
        programme_hours_approve,
        programme_my_hours_log,
        programme_participant,
    )
    from bryggan_client.models import ApproveIn, ErrorOut, HoursIn, HoursOut

    home = rworld.home

    def as_user(role: Role):
        raw = api_token_create(actor=actor_for(home.user(role)), name="client", days=30).raw
        return generated.AuthenticatedClient(
            base_url="http://testserver",
            token=raw,
            httpx_args={"transport": in_process},
            raise_on_unexpected_status=True,
        )

    coordinator = as_user(Role.COORDINATOR)
    departments = list_department.sync(client=coordinator)
    assert departments.count == len(departments.items) >= 1
    assert {d.name for d in departments.items} >= {home.objects["department"].name}

    student = as_user(Role.STUDENT)
    day = timezone.localdate() - timedelta(days=4)
    created = programme_my_hours_log.sync_detailed(
        client=student, body=HoursIn(day=day, hours=6.5, activity="Journalföring")
    )
    assert created.status_code == 201
    assert isinstance(created.parsed, HoursOut)
    assert (created.parsed.day, created.parsed.hours) == (day, 6.5)  # a date and a number

    again = programme_my_hours_log.sync_detailed(
        client=student, body=HoursIn(day=day, hours=6.5, activity="Journalföring")
    )
    assert again.status_code == 400 and isinstance(again.parsed, ErrorOut)
    assert "day" in again.parsed.errors.additional_properties

    approved = programme_hours_approve.sync(
        client=as_user(Role.SUPERVISOR), body=ApproveIn(entries=[created.parsed.id])
    )
    assert approved.count == 1

    participant = programme_participant.sync(
        client=coordinator, participant_id=created.parsed.participant_id
    )
    assert participant.id == created.parsed.participant_id
    assert participant.first_name == home.rec["participant"].person.first_name


def test_every_operation_answers_a_malformed_request_with_a_json_4xx(rworld):
    from django.test import Client

    user = rworld.home.user(Role.COORDINATOR)
    raw = api_token_create(actor=actor_for(user), name="malformed", days=30).raw
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    schema = _schema(api)
    malformed = [
        ("text/plain", '{"name": "x"}'),  # JSON, but not said to be
        ("application/xml", "<name>x</name>"),
        ("application/json", '{"name": '),  # broken JSON
        ("application/json", ""),  # no body at all
        ("application/json", "[1, 2, 3]"),  # not an object
        ("application/json", '{"name": NaN}'),  # not JSON
        ("application/json", json.dumps({"anything": {"nested": [True]}})),
        ("multipart/form-data", "--x\r\n"),  # no boundary
    ]
    checked = 0
    for path, method, operation in _operations(schema):
        if method not in BODY_METHODS:
            continue
        url = path.replace("{", "").replace("}", "")
        for name in [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]:
            url = url.replace(name, "1")
        for content_type, body in malformed:
            if body == "" and "requestBody" not in operation:
                continue  # no body is the right request for an operation that takes none
            before = _row_count()
            response = api.generic(method.upper(), url, body, content_type=content_type)
            where = (method, path, content_type, body[:20], response.status_code)
            assert 400 <= response.status_code < 500, where
            assert response["Content-Type"].startswith("application/json"), where
            assert response.json()["detail"], where
            assert _row_count() == before, where
            checked += 1
    assert checked >= 8 * 30


def _row_count() -> int:
    from bryggan.programme.models import HoursEntry
    from bryggan.recruitment.models import Application

    return HoursEntry.objects.count() + Application.objects.count()


def test_schemathesis_finds_nothing_with_every_phase_and_every_check(tmp_path):
    """The schemathesis command line, as anyone would run it, against Bryggan served by
    gunicorn on loopback with the demo data and a coordinator's API token."""
    with served_demo() as server:
        result = subprocess.run(
            [
                str(VENV_BIN / "schemathesis"),
                "--config-file",
                str(Path(__file__).with_name("schemathesis.toml")),
                "run",
                f"{server.base_url}/api/openapi.json",
                "--header",
                f"Authorization: Bearer {server.token}",
                "--checks",
                "all",
                "--phases",
                "examples,coverage,fuzzing,stateful",
                "--max-examples",
                os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "10"),
                # One worker: with two threads, hypothesis's ast.parse of a filter's
                # source can crash CPython 3.11 ("AST constructor recursion depth
                # mismatch", gh-106905) — a crash of the tool, not a finding about Bryggan.
                "--workers",
                "1",
                "--seed",
                "20261202",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=1500,
            cwd=tmp_path,  # its cache stays out of the repository
        )
    output = result.stdout + result.stderr
    summary = output[output.rfind("SUMMARY") :]
    print(summary)
    assert result.returncode == 0, output[-8000:]
    assert "Tested: " in summary and "Failures:" not in summary, summary
    for phase in ("Examples", "Coverage", "Fuzzing", "Stateful"):
        assert f"✅ {phase}" in summary, (phase, summary)
