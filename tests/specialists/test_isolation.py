"""Tenant isolation of the specialists: another municipality's questions, answers, notes,
updates and roles, aimed at by every role of this one (and the national analyst and
anonymous), show and change nothing; the Atom feed opens only with this server's token."""

from __future__ import annotations

import pytest
from django.core import signing

from bryggan.specialists import feeds
from tests.conftest import FOREIGN_MARK
from tests.isolation import (
    api_refusal,
    assert_no_leak,
    check_operations,
    check_pages,
    tenant_rows,
)
from tests.specialists_data import build_specialists

pytestmark = pytest.mark.django_db


def foreign_specialists(world) -> dict:
    found = getattr(world.foreign, "spec", None)
    if found is None:
        found = build_specialists(world.foreign, FOREIGN_MARK)
        world.foreign.spec = found
    return found


def snapshot(world) -> dict:
    from bryggan.specialists.models import (
        Acknowledgement,
        Consultation,
        DigestSetting,
        KnowledgeNote,
        LegalUpdate,
        NoteVersion,
        RoleHolder,
        SpecialistRole,
        Topic,
    )

    return tenant_rows(
        world,
        (
            Topic,
            SpecialistRole,
            RoleHolder,
            Consultation,
            KnowledgeNote,
            NoteVersion,
            LegalUpdate,
            Acknowledgement,
            DigestSetting,
        ),
    )


def _foreign_requests(world) -> list[tuple[str, str, dict]]:
    spec = foreign_specialists(world)
    asked, note, update = spec["waiting"], spec["note"], spec["everyone"]
    return [
        ("get", f"/specialister/fraga/{asked.pk}/", {}),
        ("post", f"/specialister/fraga/{asked.pk}/", {"action": "take"}),
        ("post", f"/specialister/fraga/{asked.pk}/", {"action": "answer", "answer": "x"}),
        (
            "post",
            f"/specialister/fraga/{spec['answered'].pk}/",
            {"action": "helped", "helped": "no"},
        ),
        (
            "post",
            f"/specialister/fraga/{spec['answered'].pk}/",
            {"action": "note", "topic": spec["children"].pk, "title": "x", "body": "y"},
        ),
        ("get", f"/specialister/kunskap/{note.pk}/", {}),
        (
            "post",
            f"/specialister/kunskap/{note.pk}/",
            {"topic": spec["children"].pk, "title": "x", "body": "y"},
        ),
        ("get", f"/specialister/uppdateringar/{update.pk}/", {}),
        ("post", f"/specialister/uppdateringar/{update.pk}/", {}),
        (
            "post",
            "/specialister/roller/",
            {"action": "end", "holder": spec["holder"].pk, "until": "2026-01-01"},
        ),
    ]


def _check_foreign(world, client, who):
    before = snapshot(world)
    for method, path, data in _foreign_requests(world):
        response = getattr(client, method)(path, data)
        assert response.status_code in (302, 403, 404), (who, method, path, response.status_code)
        if response.status_code == 302:
            assert "/login/" in response["Location"], (who, path)
        assert_no_leak(response, f"{who} {method} {path}")
    assert snapshot(world) == before, who


def _check_own(world, client, who):
    """The attacker's own lists and forms: nothing foreign shows, and a form naming the
    other municipality's areas, units, staff or roles is refused."""
    spec = foreign_specialists(world)
    before = snapshot(world)
    for path in (
        "/specialister/",
        "/specialister/kunskap/",
        "/specialister/uppdateringar/",
        "/specialister/roller/",
        "/specialister/kunskap/?q=ZZ",
        "/specialister/uppdateringar/?q=ZZ",
    ):
        assert_no_leak(client.get(path), f"{who} {path}")
    for path, data in (
        (
            "/specialister/",
            {"topic": spec["children"].pk, "unit": spec["unit"].pk, "question": "x"},
        ),
        ("/specialister/kunskap/", {"topic": spec["children"].pk, "title": "x", "body": "y"}),
        (
            "/specialister/uppdateringar/",
            {"title": "x", "summary": "y", "read_by": "2099-01-01", "units": [spec["unit"].pk]},
        ),
        (
            "/specialister/roller/",
            {
                "action": "holder",
                "role": spec["role"].pk,
                "staff": spec["specialist"].pk,
                "since": "2026-01-01",
            },
        ),
        (
            "/specialister/roller/",
            {"action": "role", "title": "x", "topics": [spec["children"].pk], "serves": "all"},
        ),
    ):
        response = client.post(path, data)
        assert response.status_code in (302, 400, 403), (who, path, response.status_code)
        if response.status_code == 302:
            assert "/login/" in response["Location"], (who, path)
        assert_no_leak(response, f"{who} post {path}")
    assert snapshot(world) == before, who


def _check_feed(world, client, who):
    spec = foreign_specialists(world)
    forged = signing.dumps(
        {"m": world.foreign.municipality.pk}, salt=feeds.SALT, key="not-the-secret"
    )
    assert client.get(f"/specialister/uppdateringar/{forged}.atom").status_code == 404, who
    own = feeds.token_for(world.home.municipality.pk)
    response = client.get(f"/specialister/uppdateringar/{own}.atom")
    assert FOREIGN_MARK not in response.content.decode(errors="replace"), who
    assert spec["everyone"].title not in response.content.decode(errors="replace")


PAGE_CHECKS = {
    "specialists:index": _check_own,
    "specialists:notes": _check_own,
    "specialists:updates": _check_own,
    "specialists:roles": _check_own,
    "specialists:consultation": _check_foreign,
    "specialists:note": _check_foreign,
    "specialists:update": _check_foreign,
    "specialists:feed": _check_feed,
}


def _ids(world) -> dict:
    spec = foreign_specialists(world)
    return {
        "consultation_id": spec["waiting"].pk,
        "update_id": spec["everyone"].pk,
        "TOPIC": spec["children"].pk,
        "UNIT": spec["unit"].pk,
    }


def _api_check(body, *, own: bool = False):
    return api_refusal(body, ids=_ids, snapshot=snapshot, own=own)


API_CHECKS = {
    "specialists_topics": _api_check(None),
    "specialists_roles": _api_check(None),
    "specialists_consultations": _api_check(None),
    "specialists_notes": _api_check(None),
    "specialists_updates": _api_check(None),
    "specialists_ask": _api_check(
        {"topic_id": "TOPIC", "unit_id": "UNIT", "question": "Kapad"}, own=True
    ),
    "specialists_answer": _api_check({"answer": "Kapat"}),
    "specialists_publish": _api_check(
        {"title": "x", "summary": "y", "read_by": "2099-01-01", "unit_ids": ["UNIT"]}, own=True
    ),
    "specialists_acknowledge": _api_check({}),
}


def test_no_specialist_page_shows_or_changes_another_municipalitys_data(world):
    check_pages(world, PAGE_CHECKS, "Specialist pages")


def test_no_specialist_api_operation_shows_or_changes_another_municipalitys_data(world):
    check_operations(world, API_CHECKS, "Specialist API")
