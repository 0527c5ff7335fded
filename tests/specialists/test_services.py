"""The specialists' services: whom a role serves, questions with no client in them, answers
only by those who serve, knowledge notes in versions, updates with a target and a date to
come, and acknowledgement only by those concerned — each refusal a clear message with
nothing written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_scopes import scopes_disabled

from bryggan.core.errors import InvalidInputError
from bryggan.core.permissions import PermissionDeniedError, actor_for
from bryggan.core.roles import Role
from bryggan.specialists import rules, services
from bryggan.specialists.models import (
    Acknowledgement,
    Consultation,
    KnowledgeNote,
    LegalUpdate,
    NoteVersion,
    Serves,
)
from tests import factories as f
from tests.specialists_data import build_specialists

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec(world):
    return build_specialists(world.home)


def _counts() -> tuple:
    with scopes_disabled():
        return (
            Consultation.objects.count(),
            KnowledgeNote.objects.count(),
            NoteVersion.objects.count(),
            LegalUpdate.objects.count(),
            Acknowledgement.objects.count(),
            tuple(Consultation.objects.values_list("status", "answer").order_by("pk")),
        )


@pytest.mark.parametrize(
    "question",
    [
        "Mamman, 850709-9805, vill inte ta emot hjälp. Hur gör vi?",
        "Barnet 19850709-9805 bor växelvis",  # the long form
        "Samordningsnummer 701063-2391 saknar adress",  # day + 60
    ],
)
def test_a_question_with_an_identity_number_is_refused_and_not_stored(spec, world, question):
    before = _counts()
    mail.outbox.clear()
    with pytest.raises(InvalidInputError) as refused:
        services.consultation_ask(
            actor=actor_for(world.home.user(Role.SUPERVISOR)),
            topic=spec["children"],
            unit=spec["unit"],
            question=question,
            today=timezone.localdate(),
        )
    assert "personnumret" in str(refused.value.errors["question"])
    assert _counts() == before
    assert mail.outbox == []


def test_a_question_reaches_the_specialists_who_serve_the_unit(
    spec, world, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with scopes_disabled():
        spec["specialist"].email = "specialist@kommun.test"
        spec["specialist"].save()
    with django_capture_on_commit_callbacks(execute=True):
        asked = services.consultation_ask(
            actor=actor_for(world.home.user(Role.SUPERVISOR)),
            topic=spec["children"],
            unit=spec["unit"],
            question="Hur dokumenterar vi en skyddsbedömning?",
            today=today,
        )
    assert asked.status == "open"
    assert [m.to for m in mail.outbox] == [["specialist@kommun.test"]]
    # No one serves the other area: refused with a message, nothing stored.
    before = _counts()
    with pytest.raises(InvalidInputError) as refused:
        services.consultation_ask(
            actor=actor_for(world.home.user(Role.SUPERVISOR)),
            topic=spec["money"],
            unit=spec["unit"],
            question="Hur räknas retroaktiv ersättning?",
            today=today,
        )
    assert "topic" in refused.value.errors
    assert _counts() == before


def test_roles_serve_all_a_department_or_one_unit(spec, world):
    today = timezone.localdate()
    hr = actor_for(world.home.user(Role.HR))
    unit, other = spec["unit"], spec["other"]
    third_department = f.DepartmentFactory(municipality=world.home.municipality)
    far = f.UnitFactory(department=third_department)
    local = services.role_save(
        actor=hr,
        title="Specialisthandläggare",
        topics=[spec["money"]],
        serves=Serves.UNIT,
        unit=unit,
    )
    person = f.StaffMemberFactory(unit=unit)
    services.holder_add(actor=hr, role=local, staff=person, since=date(2025, 1, 1))
    with scopes_disabled():
        assert rules.serves(person, spec["money"], unit, today)
        assert not rules.serves(person, spec["money"], other, today)
        assert rules.serves(spec["specialist"], spec["children"], far, today)  # serves all
        dept = services.role_save(
            actor=hr,
            title="Metodstöd",
            topics=[spec["money"]],
            serves=Serves.DEPARTMENT,
            department=third_department,
        )
        services.holder_add(actor=hr, role=dept, staff=person, since=date(2025, 1, 1))
        assert rules.serves(person, spec["money"], far, today)
    with pytest.raises(InvalidInputError):  # the same role twice
        services.holder_add(actor=hr, role=local, staff=person, since=date(2025, 1, 1))
    for bad in (
        {"title": "", "topics": [spec["money"]], "serves": Serves.ALL},
        {"title": "X", "topics": [], "serves": Serves.ALL},
        {"title": "X", "topics": [spec["money"]], "serves": Serves.UNIT},
        {"title": "X", "topics": [spec["money"]], "serves": Serves.DEPARTMENT},
        {"title": "X", "topics": [spec["money"]], "serves": "everywhere"},
    ):
        with pytest.raises(InvalidInputError):
            services.role_save(actor=hr, **bad)
    with pytest.raises(PermissionDeniedError):
        services.topic_add(actor=actor_for(world.home.user(Role.SPECIALIST)), name="Nytt")


def test_only_a_specialist_who_serves_may_take_or_answer(spec, world):
    waiting = spec["waiting"]
    before = _counts()
    for role in (Role.SUPERVISOR, Role.MENTOR, Role.COORDINATOR, Role.STUDENT):
        for call in (
            lambda a: services.consultation_take(actor=a, consultation=waiting),
            lambda a: services.consultation_answer(actor=a, consultation=waiting, answer="Så här."),
        ):
            with pytest.raises(PermissionDeniedError):
                call(actor_for(world.home.user(role)))
    assert _counts() == before
    specialist = actor_for(world.home.user(Role.SPECIALIST))
    services.consultation_take(actor=specialist, consultation=waiting)
    with pytest.raises(InvalidInputError):  # taken already
        services.consultation_take(actor=specialist, consultation=waiting)
    with pytest.raises(InvalidInputError) as refused:
        services.consultation_answer(
            actor=specialist, consultation=waiting, answer="Barnet 850709-9805 ska placeras."
        )
    assert "answer" in refused.value.errors
    answered = services.consultation_answer(
        actor=specialist, consultation=waiting, answer="Läs 2 § LVU."
    )
    assert answered.status == "answered" and answered.taken_by_id == spec["specialist"].pk
    # Only the asker says whether it helped.
    with pytest.raises(PermissionDeniedError):
        services.consultation_helped(actor=specialist, consultation=answered, helped=True)
    services.consultation_helped(
        actor=actor_for(world.home.user(Role.SUPERVISOR)), consultation=answered, helped=False
    )
    answered.refresh_from_db()
    assert answered.helped is False


def test_notes_keep_every_version_and_refuse_identity_numbers(spec, world):
    specialist = actor_for(world.home.user(Role.SPECIALIST))
    note = spec["note"]
    services.note_save(
        actor=specialist, note=note, topic=spec["children"], title="Ny titel", body="Nytt innehåll"
    )
    note.refresh_from_db()
    assert note.version == 2 and note.title == "Ny titel"
    with scopes_disabled():
        assert list(note.versions.values_list("version", flat=True)) == [2, 1]
    before = _counts()
    with pytest.raises(InvalidInputError):
        services.note_save(
            actor=specialist, note=note, topic=spec["children"], title="X", body="850709-9805"
        )
    with pytest.raises(PermissionDeniedError):  # a case worker is not a specialist
        services.note_save(
            actor=actor_for(world.home.user(Role.SUPERVISOR)),
            topic=spec["children"],
            title="X",
            body="Y",
        )
    assert _counts() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"units": [], "roles": [], "everyone": False}, "units"),  # no target
        ({"read_by": "yesterday"}, "read_by"),  # a deadline in the past
        ({"title": " "}, "title"),
        ({"summary": ""}, "summary"),
        ({"links": "javascript:alert(1)"}, "links"),
        ({"roles": ["king"], "everyone": False}, "roles"),
    ],
)
def test_a_bad_update_is_refused_and_not_published(spec, world, change, field):
    today = timezone.localdate()
    arguments = {
        "title": "Ny dom",
        "summary": "HFD 2026 ref. 1",
        "read_by": today + timedelta(days=3),
        "units": [],
        "roles": [],
        "everyone": True,
        "today": today,
        **change,
    }
    if arguments["read_by"] == "yesterday":
        arguments["read_by"] = today - timedelta(days=1)
    before = _counts()
    with pytest.raises(InvalidInputError) as refused:
        services.update_publish(actor=actor_for(world.home.user(Role.SPECIALIST)), **arguments)
    assert field in refused.value.errors
    assert _counts() == before


def test_only_those_concerned_acknowledge(spec, world):
    supervisor = actor_for(world.home.user(Role.SUPERVISOR))
    before = _counts()
    # the update for another unit does not concern a supervisor at this one
    with pytest.raises(InvalidInputError) as refused:
        services.update_acknowledge(actor=supervisor, update=spec["elsewhere"])
    assert "does not concern" in str(refused.value.errors) or "gäller inte" in str(
        refused.value.errors
    )
    assert _counts() == before
    services.update_acknowledge(actor=supervisor, update=spec["everyone"])
    services.update_acknowledge(actor=supervisor, update=spec["everyone"])  # twice is once
    with scopes_disabled():
        assert Acknowledgement.objects.filter(update=spec["everyone"]).count() == 1
    with pytest.raises(PermissionDeniedError):  # the DPO reads no updates
        services.update_acknowledge(
            actor=actor_for(world.home.user(Role.DPO)), update=spec["everyone"]
        )
