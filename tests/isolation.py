"""Enumerate every URL and API operation, so tests can prove each one keeps tenants apart.

A new URL or API operation that has no entry in the registries of test_isolation.py makes
that test fail until someone says how to request another municipality's data through it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.forms.models import model_to_dict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from bryggan.matching.models import (
    MatchingConstraint,
    MatchingOverride,
    MatchingRun,
    UnitRankingEntry,
)
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

# URL namespaces that are not Bryggan's own pages: the API is enumerated from its OpenAPI
# schema instead; the Django admin is for site administrators only (tested separately).
SKIPPED_NAMESPACES = {"api", "admin"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # the pattern, e.g. "org/<slug:resource>/<id:pk>/"
    params: tuple[str, ...]


def _walk(resolvers, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in SKIPPED_NAMESPACES:
                continue
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            if not entry.name:
                continue
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(
                name=name,
                route=prefix + str(entry.pattern),
                params=tuple(entry.pattern.regex.groupindex),
            )


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str


def all_operations(schema: dict) -> list[Operation]:
    return [
        Operation(method=method.upper(), path=path, operation_id=op["operationId"])
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]


# --- what every app's isolation test shares ------------------------------------------------
# Each app's tests/<app>/test_isolation.py registers a check for each of its URLs and API
# operations; tests/test_isolation.py proves every URL and operation has exactly one.


def org_snapshot(world) -> dict:
    """Every foreign organisation row as it stands, to prove nothing was changed."""
    return {
        key: model_to_dict(type(obj).objects.get(pk=obj.pk))
        for key, obj in world.foreign.objects.items()
    }


def assert_no_leak(response, where: str) -> None:
    body = response.getvalue().decode(errors="replace")
    if 200 <= response.status_code < 300:
        assert FOREIGN_MARK not in body, f"{where} showed another municipality's data"


class CountingClient(Client):
    """Counts the requests the isolation checks make, for the report, and fails on any
    server error: no attacker — a role of another municipality, the national analyst without
    one, or anonymous — ever gets a 500 (a 5xx answer the view returned itself included)."""

    sent = 0

    def request(self, **request):
        CountingClient.sent += 1
        response = super().request(**request)
        assert response.status_code < 500, (
            request.get("REQUEST_METHOD"),
            request.get("PATH_INFO"),
            response.status_code,
        )
        return response


def attackers(world) -> list[tuple[str, Client]]:
    clients = [
        (role.value, signed_in_client(world.home.user(role), CountingClient))
        for role in TENANT_ROLES
    ]
    analyst = signed_in_client(world.analyst, CountingClient)
    anonymous = CountingClient()
    return [*clients, ("national_analyst", analyst), ("anonymous", anonymous)]


def report(what: str, attackers: int) -> None:
    """Write the count where it survives pytest's output capture (test-output/)."""
    from pathlib import Path

    line = (
        f"{what}: {CountingClient.sent} requests by {attackers} attackers "
        "(every role, the national analyst, anonymous), none leaked or changed foreign data\n"
    )
    out = Path(__file__).resolve().parents[1] / "test-output"
    out.mkdir(exist_ok=True)
    name = what.split(" (")[0].lower().replace(" ", "-")
    (out / f"isolation-{name}.txt").write_text(line)
    print(line)


def unmarked(value):
    # A copy of a foreign row's values, but with foreign *ids* only: names lose the mark, so a
    # row the attacker may legitimately create in their own municipality is not a "leak".
    return value.replace(FOREIGN_MARK, "copy") if isinstance(value, str) else value


def rec_snapshot(world) -> dict:
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
            (
                tuple(sorted(model_to_dict(row).items(), key=str))
                for row in model.objects.filter(municipality=m)
            ),
            key=str,
        )
    return snap


def check_plain(path):
    def check(world, client, who):
        assert_no_leak(client.get(path), f"{who} {path}")

    return check


def call(client, method, path, payload=None, headers=None):
    kwargs = {"content_type": "application/json", **(headers or {})}
    body = json.dumps(payload) if payload is not None else None
    return (
        getattr(client, method.lower())(path, body, **kwargs)
        if body
        else getattr(client, method.lower())(path, **(headers or {}))
    )


def check_private_link(world, client, who):
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
    before = rec_snapshot(world)
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
        assert_no_leak(response, f"{who} forged link {suffix}")
        response = getattr(client, method)(f"/ansokan/{home}/{suffix}", data)
        assert_no_leak(response, f"{who} home link {suffix}")
    assert rec_snapshot(world) == before


def check_foreign_requests(requests_of):
    """A check that sends each of ``requests_of(world)`` — (method, path, data) aimed at the
    foreign municipality's records — and requires a refusal, no leak and no change."""

    def check(world, client, who):
        before = rec_snapshot(world)
        for method, path, data in requests_of(world):
            response = getattr(client, method)(path, data)
            assert response.status_code in (302, 403, 404), (who, path, response.status_code)
            if response.status_code == 302:
                assert "/login/" in response["Location"], (who, path)
            assert_no_leak(response, f"{who} {method} {path}")
        assert rec_snapshot(world) == before, (who, method, path)

    return check


def check_pages(world, checks: dict, what: str) -> None:
    """Every route named in ``checks``, requested by every attacker."""
    CountingClient.sent = 0
    everyone = attackers(world)
    routes = [route for route in all_routes() if route.name in checks]
    for who, client in everyone:
        for route in routes:
            checks[route.name](world, client, who)
    report(f"{what} ({len(routes)} URL patterns)", len(everyone))


def operations_of(names) -> list[Operation]:
    from django.test import Client

    schema = Client().get("/api/openapi.json").json()
    return [op for op in all_operations(schema) if op.operation_id in names]


def check_operations(world, checks: dict, what: str) -> None:
    """Every API operation named in ``checks``, called by every attacker."""
    CountingClient.sent = 0
    everyone = attackers(world)
    operations = operations_of(checks)
    for who, client in everyone:
        for op in operations:
            checks[op.operation_id](world, client, who, op, None)
    report(f"{what} ({len(operations)} operations)", len(everyone))


def check_record_operation(body, *, own: bool = False):
    """An API operation on recruitment, matching or programme records, aimed at the foreign
    municipality's: ``body`` is what an attacker sends (None for a read; "CSV" for an
    upload); ``own`` for operations on the caller's own records, where a 400 refusal is as
    good as 401/403/404."""

    def check(world, client, who, op, headers):
        rec = world.foreign.rec
        path = (
            op.path.replace("{posting_id}", str(rec["posting"].pk))
            .replace("{application_id}", str(rec["application"].pk))
            .replace("{run_id}", str(rec["run"].pk))
            .replace("{participant_id}", str(rec["participant"].pk))
            .replace("{offer_id}", str(rec["offer"].pk))
            .replace("{rejection_id}", str(rec["rejection"].pk))
            .replace("{slug}", world.home.municipality.slug)
        )
        before = rec_snapshot(world)
        if body is None:
            for query in (
                {},
                {"q": "e"},
                {"round": rec["round"].pk},
                {"unit": world.foreign.objects["unit"].pk},
                {"term": world.foreign.objects["term"].pk},
            ):
                response = client.get(path, query, **(headers or {}))
                assert_no_leak(response, f"{who} GET {path} {query}")
                if "{" in op.path and "slug" not in op.path:
                    assert response.status_code in (401, 403, 404), (who, op, response.status_code)
        elif body == "CSV":
            from django.core.files.uploadedfile import SimpleUploadedFile

            csv_text = f"email,date,hours,activity\n{rec['person'].email},2026-01-05,2,x\n"
            csv_text += f"{rec['participant'].person.email},2026-01-05,2,x\n"
            upload = SimpleUploadedFile("hours.csv", csv_text.encode(), content_type="text/csv")
            response = client.post(path, {"file": upload}, **(headers or {}))
            assert response.status_code in (400, 401, 403), (who, op, response.status_code)
            assert_no_leak(response, f"{who} {op.method} {path}")
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
            response = call(client, op.method, path, payload, headers)
            allowed = (400, 401, 403, 404) if own else (401, 403, 404)
            assert response.status_code in allowed, (who, op, response.status_code)
            assert_no_leak(response, f"{who} {op.method} {path}")
        assert response["Content-Type"].startswith("application/json"), (who, op)
        assert rec_snapshot(world) == before, (who, op)

    return check


def tenant_rows(world, models) -> dict:
    """Every row of ``models`` in the other municipality, to prove nothing was changed."""
    m = world.foreign.municipality
    return {
        model.__name__: sorted(
            (
                tuple(sorted(model_to_dict(row).items(), key=str))
                for row in model.unscoped.filter(municipality=m)
            ),
            key=str,  # rows with an empty date beside rows with one still sort
        )
        for model in models
    }


def api_refusal(body, *, ids, snapshot, own: bool = False):
    """A check for an API operation aimed at the other municipality's records. ``ids(world)``
    maps the path's ``{name}`` parameters and the body's ``"NAME"`` placeholders to that
    municipality's ids; ``snapshot(world)`` is what must not change. A list of the caller's
    own (no path parameter, no body) may answer 200 with nothing foreign in it; ``own``
    operations may also refuse with 400."""

    def check(world, client, who, op, headers):
        found = ids(world)
        path = op.path
        text = json.dumps(body)
        for key, value in found.items():
            if key.isupper():  # a placeholder in the body
                text = text.replace(f'"{key}"', str(value))
            else:  # a parameter of the path
                path = path.replace("{" + key + "}", str(value))
        payload = json.loads(text) if body is not None else None
        before = snapshot(world)
        response = call(client, op.method, path, payload, headers)
        allowed = (400, 401, 403, 404) if own else (401, 403, 404)
        if body is not None or "{" in op.path:
            assert response.status_code in allowed, (who, op, response.status_code)
        assert_no_leak(response, f"{who} {op.method} {path}")
        assert response["Content-Type"].startswith("application/json"), (who, op)
        assert snapshot(world) == before, (who, op)

    return check
