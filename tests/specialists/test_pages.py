"""The specialists' pages as each role uses them: a case worker asks and is answered, a
specialist answers and makes a knowledge note, an update waits on the home page until it is
confirmed and managers see who has not read it; bad input is a message, nothing written."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree as ET
from django_scopes import scopes_disabled

from bryggan.core.roles import Role
from bryggan.specialists import feeds
from bryggan.specialists.models import Acknowledgement, Consultation, KnowledgeNote, LegalUpdate
from tests.clients import query_counts
from tests.specialists_data import build_specialists

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec(world):
    return build_specialists(world.home)


def _counts():
    with scopes_disabled():
        return (
            Consultation.objects.count(),
            KnowledgeNote.objects.count(),
            LegalUpdate.objects.count(),
            Acknowledgement.objects.count(),
        )


def test_a_case_worker_asks_and_a_specialist_answers(spec, world):
    asker = world.home.client(Role.SUPERVISOR)
    page = asker.get("/specialister/").content.decode()
    assert "Dina specialister" in page and str(spec["specialist"]) in page
    response = asker.post(
        "/specialister/",
        {
            "topic": spec["children"].pk,
            "unit": spec["unit"].pk,
            "question": "Hur länge sparas en anmälan?",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        asked = Consultation.objects.get(question="Hur länge sparas en anmälan?")
    specialist = world.home.client(Role.SPECIALIST)
    queue = specialist.get("/specialister/").content.decode()
    assert "Frågor för dig att besvara" in queue and "Hur länge sparas en anmälan?" in queue
    home = specialist.get("/").content.decode()
    assert "frågor väntar på en specialist" in home
    specialist.post(f"/specialister/fraga/{asked.pk}/", {"action": "take"})
    specialist.post(f"/specialister/fraga/{asked.pk}/", {"action": "answer", "answer": "I fem år."})
    answered = asker.get(f"/specialister/fraga/{asked.pk}/").content.decode()
    assert "I fem år." in answered and "Hjälpte svaret?" in answered
    asker.post(f"/specialister/fraga/{asked.pk}/", {"action": "helped", "helped": "yes"})
    asked.refresh_from_db()
    assert asked.helped is True
    response = specialist.post(
        f"/specialister/fraga/{asked.pk}/",
        {
            "action": "note",
            "topic": spec["children"].pk,
            "title": "Gallring av anmälningar",
            "body": "Fem år.",
        },
    )
    assert response.status_code == 302
    notes = asker.get("/specialister/kunskap/?q=gallring").content.decode()
    assert "Gallring av anmälningar" in notes and "Förhandsbedömning" not in notes


def test_bad_questions_answers_and_notes_are_messages(spec, world):
    asker = world.home.client(Role.SUPERVISOR)
    specialist = world.home.client(Role.SPECIALIST)
    before = _counts()
    cases = [
        (
            asker,
            "/specialister/",
            {
                "topic": spec["children"].pk,
                "unit": spec["unit"].pk,
                "question": "Klienten 850709-9805",
            },
            "personnumret",
        ),
        (
            asker,
            "/specialister/",
            {"topic": "x", "unit": spec["unit"].pk, "question": "Fråga"},
            "listan",
        ),
        (
            asker,
            "/specialister/",
            {"topic": spec["money"].pk, "unit": spec["unit"].pk, "question": "Fråga"},
            "Ingen specialist stöttar",
        ),
        (
            specialist,
            f"/specialister/fraga/{spec['waiting'].pk}/",
            {"action": "answer", "answer": "Barnet 850709-9805"},
            "personnumret",
        ),
        (
            specialist,
            "/specialister/kunskap/",
            {"topic": spec["children"].pk, "title": "", "body": "x"},
            "obligatoriskt",
        ),
    ]
    for client, path, data, message in cases:
        response = client.post(path, data)
        assert response.status_code == 400, (path, data, response.status_code)
        assert message in response.content.decode(), (path, message)
    # answering a question one does not serve: refused before anything about it is said
    assert (
        asker.post(
            f"/specialister/fraga/{spec['waiting'].pk}/", {"action": "answer", "answer": "x"}
        ).status_code
        == 403
    )
    assert _counts() == before


def test_an_update_waits_on_the_home_page_until_confirmed(spec, world):
    reader = world.home.client(Role.SUPERVISOR)
    home = reader.get("/").content.decode()
    assert f"Läs och bekräfta: {spec['everyone'].title}" in home
    assert spec["elsewhere"].title not in home  # another unit's routine
    page = reader.get(f"/specialister/uppdateringar/{spec['elsewhere'].pk}/").content.decode()
    assert "gäller inte din enhet" in page
    before = _counts()
    response = reader.post(f"/specialister/uppdateringar/{spec['elsewhere'].pk}/", follow=True)
    assert "gäller inte dig" in response.content.decode()
    assert _counts() == before
    reader.post(f"/specialister/uppdateringar/{spec['everyone'].pk}/")
    assert f"Läs och bekräfta: {spec['everyone'].title}" not in reader.get("/").content.decode()
    # HR sees who has not read it yet; the supervisor has.
    missing = world.home.client(Role.HR).get(f"/specialister/uppdateringar/{spec['everyone'].pk}/")
    body = missing.content.decode()
    assert "Inte läst än av" in body
    assert world.home.user(Role.SUPERVISOR).full_name not in body
    assert world.home.user(Role.MENTOR).full_name in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"title": "Dom", "summary": "HFD", "read_by": "2099-01-01"},
            "Välj vilka uppdateringen gäller",
        ),
        (
            {"title": "Dom", "summary": "HFD", "read_by": "2000-01-01", "everyone": "on"},
            "har passerat",
        ),
        ({"title": "Dom", "summary": "HFD", "read_by": "igår", "everyone": "on"}, "datum"),
        (
            {"title": "Dom", "summary": "HFD", "read_by": "2099-01-01", "roles": ["kung"]},
            "Välj roller i listan",
        ),
    ],
)
def test_a_bad_update_is_a_message(spec, world, data, message):
    before = _counts()
    response = world.home.client(Role.SPECIALIST).post("/specialister/uppdateringar/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _counts() == before


def test_the_atom_feed_lists_the_updates(spec, world):
    from django.test import Client

    token = feeds.token_for(world.home.municipality.pk)
    response = Client().get(f"/specialister/uppdateringar/{token}.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    titles = [
        e.text for e in ET.fromstring(response.content).iter("{http://www.w3.org/2005/Atom}title")
    ]
    assert spec["everyone"].title in titles and spec["elsewhere"].title in titles
    assert Client().get(f"/specialister/uppdateringar/{token[:-3]}abc.atom").status_code == 404


def test_hr_keeps_the_roles_and_others_may_not(spec, world):
    hr = world.home.client(Role.HR)
    response = hr.post("/specialister/roller/", {"action": "topic", "name": "LVU"})
    assert response.status_code == 302
    response = hr.post(
        "/specialister/roller/",
        {
            "action": "role",
            "title": "Metodstödjare",
            "serves": "unit",
            "topics": [spec["money"].pk],
        },
    )
    assert (
        response.status_code == 400
        and "Välj enheten som rollen stöttar." in response.content.decode()
    )
    assert world.home.client(Role.SUPERVISOR).get("/specialister/roller/").status_code == 403


def test_hr_ends_a_role_holding(spec, world):
    from datetime import timedelta

    from django.utils import timezone

    hr = world.home.client(Role.HR)
    holder = spec["holder"]
    for until, message in (
        ("2024-12-31", "Rollen kan inte sluta innan den började."),
        ("igår", "datum"),
    ):
        response = hr.post(
            "/specialister/roller/",
            {"action": "end", "holder": holder.pk, "until": until},
            follow=True,
        )
        assert message in response.content.decode()
        holder.refresh_from_db()
        assert holder.until is None
    assert (
        hr.post(
            "/specialister/roller/", {"action": "end", "holder": 999999, "until": "2026-01-01"}
        ).status_code
        == 404
    )
    yesterday = timezone.localdate() - timedelta(days=1)
    hr.post(
        "/specialister/roller/",
        {"action": "end", "holder": holder.pk, "until": yesterday.isoformat()},
    )
    holder.refresh_from_db()
    assert holder.until == yesterday
    # no longer serving: the question goes nowhere, and their queue is empty
    response = world.home.client(Role.SUPERVISOR).post(
        "/specialister/",
        {"topic": spec["children"].pk, "unit": spec["unit"].pk, "question": "Fråga"},
    )
    assert response.status_code == 400 and "Ingen specialist stöttar" in response.content.decode()
    assert (
        "Frågor för dig att besvara"
        not in world.home.client(Role.SPECIALIST).get("/specialister/").content.decode()
    )


def test_a_unit_manager_sees_the_queues_and_response_times(spec, world):
    body = world.home.client(Role.UNIT_MANAGER).get("/specialister/").content.decode()
    assert "Frågor per område och enhet" in body and spec["children"].name in body


def test_the_pages_run_a_fixed_number_of_queries(spec, world):
    """Questions, notes and updates grow; the pages' queries do not."""
    pages = [
        (world.home.client(Role.SPECIALIST), "/specialister/"),
        (world.home.client(Role.SUPERVISOR), "/specialister/"),
        (world.home.client(Role.SUPERVISOR), "/specialister/kunskap/"),
        (world.home.client(Role.SUPERVISOR), "/specialister/uppdateringar/"),
        (world.home.client(Role.HR), f"/specialister/uppdateringar/{spec['everyone'].pk}/"),
        (world.home.client(Role.HR), "/specialister/roller/"),
    ]

    small = query_counts(pages)
    from datetime import date, timedelta

    from django.utils import timezone

    from bryggan.core.permissions import actor_for
    from bryggan.specialists import services
    from bryggan.specialists.models import Serves
    from tests import factories as f

    today = timezone.localdate()
    asking = actor_for(world.home.user(Role.SUPERVISOR))
    answering = actor_for(world.home.user(Role.SPECIALIST))
    hr = actor_for(world.home.user(Role.HR))
    for i in range(5):
        topic = services.topic_add(actor=hr, name=f"Område {i}")
        role = services.role_save(
            actor=hr, title=f"Roll {i}", topics=[topic, spec["children"]], serves=Serves.ALL
        )
        services.holder_add(
            actor=hr,
            role=role,
            staff=f.StaffMemberFactory(unit=spec["other"]),
            since=date(2025, 1, 1),
        )
        services.holder_add(actor=hr, role=role, staff=spec["specialist"], since=date(2025, 1, 1))
        asked = services.consultation_ask(
            actor=asking, topic=topic, unit=spec["unit"], question=f"Fråga {i}", today=today
        )
        services.consultation_answer(actor=answering, consultation=asked, answer=f"Svar {i}")
        services.consultation_ask(
            actor=asking, topic=topic, unit=spec["unit"], question=f"Öppen {i}", today=today
        )
        services.note_save(actor=answering, topic=topic, title=f"Notis {i}", body="Text")
        services.update_publish(
            actor=answering,
            title=f"Uppdatering {i}",
            summary="S",
            read_by=today + timedelta(days=i),
            units=[spec["unit"]],
            roles=[],
            today=today,
        )
    assert query_counts(pages) == small


# --- the API ---------------------------------------------------------------------------------


def _api(client, method, path, body=None):
    import json

    return getattr(client, method)(
        "/api/specialists" + path,
        json.dumps(body) if body is not None else None,
        content_type="application/json",
    )


def test_the_api_asks_answers_publishes_and_acknowledges(spec, world):
    asker = world.home.client(Role.SUPERVISOR)
    specialist = world.home.client(Role.SPECIALIST)
    topics = _api(asker, "get", "/topics").json()
    assert {t["name"] for t in topics} >= {spec["children"].name}
    roles = _api(asker, "get", "/roles").json()
    assert roles[0]["holders"][0]["staff_id"] == spec["specialist"].pk
    asked = _api(
        asker,
        "post",
        "/consultations",
        {"topic_id": spec["children"].pk, "unit_id": spec["unit"].pk, "question": "Vad gäller?"},
    )
    assert asked.status_code == 201, asked.content
    queue = _api(specialist, "get", "/consultations").json()["queue"]
    assert asked.json()["id"] in {c["id"] for c in queue}
    answered = _api(
        specialist, "post", f"/consultations/{asked.json()['id']}/answer", {"answer": "Så här."}
    )
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert _api(asker, "get", "/notes?q=Förhandsbedömning").json()[0]["title"] == spec["note"].title
    published = _api(
        specialist,
        "post",
        "/updates",
        {"title": "Dom", "summary": "HFD", "read_by": "2099-01-01", "unit_ids": [spec["unit"].pk]},
    )
    assert published.status_code == 201, published.content
    done = _api(asker, "post", f"/updates/{published.json()['id']}/acknowledge")
    assert done.status_code == 200 and done.json()["acknowledged"] is True
    listed = {u["id"]: u for u in _api(asker, "get", "/updates").json()}
    assert listed[published.json()["id"]]["acknowledged"] is True
    assert listed[spec["elsewhere"].pk]["concerns_me"] is False


@pytest.mark.parametrize(
    ("role", "method", "path", "body", "status"),
    [
        (
            Role.SUPERVISOR,
            "post",
            "/consultations",
            {"topic_id": "{t}", "unit_id": "{u}", "question": "Klient 850709-9805"},
            400,
        ),
        (
            Role.SUPERVISOR,
            "post",
            "/consultations",
            {"topic_id": 999999, "unit_id": "{u}", "question": "x"},
            400,
        ),
        (Role.SUPERVISOR, "post", "/consultations", {"topic_id": "{t}", "unit_id": "{u}"}, 422),
        (Role.SUPERVISOR, "post", "/consultations/{c}/answer", {"answer": "x"}, 403),
        (
            Role.SPECIALIST,
            "post",
            "/consultations/{c}/answer",
            {"answer": "Barnet 850709-9805"},
            400,
        ),
        (
            Role.SPECIALIST,
            "post",
            "/updates",
            {"title": "x", "summary": "y", "read_by": "2099-01-01"},
            400,
        ),
        (
            Role.SPECIALIST,
            "post",
            "/updates",
            {"title": "x", "summary": "y", "read_by": "2000-01-01", "everyone": True},
            400,
        ),
        (
            Role.SPECIALIST,
            "post",
            "/updates",
            {"title": "x", "summary": "y", "read_by": "2099-01-01", "roles": ["kung"]},
            400,
        ),
        (
            Role.SUPERVISOR,
            "post",
            "/updates",
            {"title": "x", "summary": "y", "read_by": "2099-01-01", "everyone": True},
            403,
        ),
        (Role.SUPERVISOR, "post", "/updates/{e}/acknowledge", None, 400),
        (Role.DPO, "get", "/consultations", None, 403),
    ],
)
def test_bad_api_input_is_a_json_error_and_nothing_written(
    spec, world, role, method, path, body, status
):
    import json

    ids = {
        "{t}": spec["children"].pk,
        "{u}": spec["unit"].pk,
        "{c}": spec["waiting"].pk,
        "{e}": spec["elsewhere"].pk,
    }
    for key, value in ids.items():
        path = path.replace(key, str(value))
    if body is not None:
        text = json.dumps(body)
        for key, value in ids.items():
            text = text.replace(f'"{key}"', str(value))
        body = json.loads(text)
    before = _counts()
    response = _api(world.home.client(role), method, path, body)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json") and response.json()["detail"]
    assert _counts() == before


def test_the_national_analyst_counts_titles_without_naming_a_municipality(spec, world):
    from tests.clients import signed_in_client

    body = signed_in_client(world.analyst).get("/").content.decode()
    assert "1 av 2 kommuner har en specialistroll" in body
    assert spec["role"].title.lower() in body
    assert world.home.municipality.name not in body.split("<main")[1]


def test_a_unit_manager_sees_who_of_their_unit_has_not_read_an_update(spec, world):
    body = (
        world.home.client(Role.UNIT_MANAGER)
        .get(f"/specialister/uppdateringar/{spec['everyone'].pk}/")
        .content.decode()
    )
    missing = body.split('id="missing"')[1].split("</ul>")[0]
    assert world.home.user(Role.SUPERVISOR).full_name in missing  # works at their unit
    assert world.home.user(Role.SPECIALIST).full_name not in missing  # works elsewhere
    # a case worker sees no such list
    assert (
        'id="missing"'
        not in world.home.client(Role.MENTOR)
        .get(f"/specialister/uppdateringar/{spec['everyone'].pk}/")
        .content.decode()
    )


def test_the_mean_time_to_an_answer_is_counted_by_the_database(spec, world):
    from datetime import timedelta

    from bryggan.core.permissions import actor_for
    from bryggan.specialists.selectors import volumes

    answered = spec["answered"]
    with scopes_disabled():
        Consultation.objects.filter(pk=answered.pk).update(
            answered_at=answered.created_at + timedelta(hours=3)
        )
    rows = volumes(actor=actor_for(world.home.user(Role.HR)))
    row = next(r for r in rows if r.topic == spec["children"].name)
    assert (row.open, row.answered, row.hours) == (1, 1, 3.0)
