"""Tenant isolation of recruitment: the coordinator's pages, the public careers pages, the
applicant's private link and the recruitment API, attacked by every role of the other
municipality (the registry of checks is proven complete by tests/test_isolation.py)."""

from __future__ import annotations

import pytest

from tests.isolation import (
    assert_no_leak,
    check_foreign_requests,
    check_operations,
    check_pages,
    check_private_link,
    check_record_operation,
)

pytestmark = pytest.mark.django_db


def _staff_requests(world) -> dict[str, list[tuple[str, str, dict]]]:
    """Rounds, postings, the board and interview times, aimed at the foreign municipality."""
    rec = world.foreign.rec
    posting, app = rec["posting"].pk, rec["application"].pk
    home_staff = world.home.objects["staff"].pk
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
        "recruitment:rejection-undo": [
            ("post", f"/rekrytering/annons/{posting}/avslag/{rec['rejection'].pk}/angra/", {}),
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
    }


def _application_requests(world) -> dict[str, list[tuple[str, str, dict]]]:
    """An applicant's file, assessment and documents, and an event, of the foreign municipality."""
    rec = world.foreign.rec
    app = rec["application"].pk
    home_staff = world.home.objects["staff"].pk
    return {
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
        "recruitment:document-preview": [
            ("get", f"/rekrytering/dokument/{rec['document'].pk}/forhandsvisning/", {})
        ],
        "recruitment:event-edit": [
            ("get", f"/rekrytering/evenemang/{rec['event'].pk}/", {}),
            ("post", f"/rekrytering/evenemang/{rec['event'].pk}/", {"title": "hijacked"}),
        ],
    }


def _public_requests(world) -> dict[str, list[tuple[str, str, dict]]]:
    """Public pages reached through the home municipality's address."""
    rec = world.foreign.rec
    posting = rec["posting"].pk
    foreign_unit = world.foreign.objects["unit"].pk
    return {
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
    }


def _check_recruitment_create(path, data_for, model_name):
    def check(world, client, who):
        from django.apps import apps

        model = apps.get_model("recruitment", model_name)
        before = set(model.objects.values_list("pk", flat=True))
        assert_no_leak(client.get(path), f"{who} GET {path}")
        response = client.post(path, data_for(world))
        assert_no_leak(response, f"{who} POST {path}")
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
        assert_no_leak(client.get(path), f"{who} {path}")
    posting = world.home.rec["posting"].pk
    for params in (
        {},
        {"q": "e"},
        {"unit": world.foreign.objects["unit"].pk},
        {"stage": "interview"},
    ):
        assert_no_leak(
            client.get(f"/rekrytering/annons/{posting}/tavla/", params),
            f"{who} home board {params}",
        )


def _check_public_lists(world, client, who):
    slug = world.home.municipality.slug
    for path in (f"/karriar/{slug}/", f"/karriar/{slug}/flode.atom"):
        assert_no_leak(client.get(path), f"{who} {path}")


def _check_release(world, client, who):
    path = f"/rekrytering/ansokan/{world.foreign.rec['application'].pk}/utlamnande/"
    response = client.get(path)
    assert response.status_code in (302, 403, 404), (who, response.status_code)
    response = client.post(path, {"reference": "x", "masked": []})
    assert response.status_code in (302, 403, 404), (who, response.status_code)
    assert response.get("Content-Type") != "application/pdf"


_LINK_ROUTES = (
    "status",
    "book",
    "cancel",
    "ics",
    "document",
    "withdraw",
    "leave-pool",
)


def _check_resend_link(world, client, who):
    """The home municipality's "send my link again" never sends another municipality's
    applicant their link, and shows nothing of them."""
    from django.core import mail

    sent = len(mail.outbox)
    foreign = world.foreign.rec["application"].person.email
    path = f"/karriar/{world.home.municipality.slug}/min-ansokan/"
    assert_no_leak(client.get(path), f"{who} resend link")
    assert_no_leak(client.post(path, {"email": foreign}), f"{who} resend link")
    assert len(mail.outbox) == sent, who


PAGE_CHECKS = {
    **{f"recruitment-public:{name}": check_private_link for name in _LINK_ROUTES},
    "recruitment-public:resend-link": _check_resend_link,
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
    "recruitment:release": _check_release,
    "recruitment:round-edit": check_foreign_requests(
        lambda world: _staff_requests(world)["recruitment:round-edit"]
    ),
    "recruitment:posting": check_foreign_requests(
        lambda world: _staff_requests(world)["recruitment:posting"]
    ),
    "recruitment:posting-edit": check_foreign_requests(
        lambda world: _staff_requests(world)["recruitment:posting-edit"]
    ),
    "recruitment:posting-status": check_foreign_requests(
        lambda world: _staff_requests(world)["recruitment:posting-status"]
    ),
    "recruitment:board": check_foreign_requests(
        lambda world: _staff_requests(world)["recruitment:board"]
    ),
    "recruitment:rejection-undo": check_foreign_requests(
        lambda world: _staff_requests(world)["recruitment:rejection-undo"]
    ),
    "recruitment:slot-create": check_foreign_requests(
        lambda world: _staff_requests(world)["recruitment:slot-create"]
    ),
    "recruitment:application": check_foreign_requests(
        lambda world: _application_requests(world)["recruitment:application"]
    ),
    "recruitment:assess": check_foreign_requests(
        lambda world: _application_requests(world)["recruitment:assess"]
    ),
    "recruitment:document": check_foreign_requests(
        lambda world: _application_requests(world)["recruitment:document"]
    ),
    "recruitment:document-preview": check_foreign_requests(
        lambda world: _application_requests(world)["recruitment:document-preview"]
    ),
    "recruitment:event-edit": check_foreign_requests(
        lambda world: _application_requests(world)["recruitment:event-edit"]
    ),
    "recruitment-public:posting": check_foreign_requests(
        lambda world: _public_requests(world)["recruitment-public:posting"]
    ),
    "recruitment-public:apply": check_foreign_requests(
        lambda world: _public_requests(world)["recruitment-public:apply"]
    ),
    "recruitment-public:event": check_foreign_requests(
        lambda world: _public_requests(world)["recruitment-public:event"]
    ),
}

# operation id: the body an attacker sends (None for a read)
API_BODIES = {
    "recruitment_rounds": None,
    "recruitment_postings": None,
    "recruitment_posting": None,
    "recruitment_posting_publish": {},
    "recruitment_posting_close": {},
    "recruitment_board": None,
    "recruitment_bulk": {"action": "reject", "applications": ["APP"]},
    "recruitment_rejection_undo": {},
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
}
API_CHECKS = {op: check_record_operation(body) for op, body in API_BODIES.items()}


def test_no_recruitment_page_shows_or_changes_another_municipalitys_data(rworld):
    check_pages(rworld, PAGE_CHECKS, "Recruitment pages")


def test_no_recruitment_api_operation_shows_or_changes_another_municipalitys_data(rworld):
    check_operations(rworld, API_CHECKS, "Recruitment API")
