"""Crash safety: an import, a matching publish or an application killed half-way (an
exception injected in the middle of the write) leaves the database exactly as it was, and no
file behind."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import serializers
from django.db.models import QuerySet
from django.test import Client
from django.utils import timezone

from bryggan.core.errors import InvalidInputError
from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from bryggan.matching import services as matching
from bryggan.programme.models import HoursEntry
from bryggan.programme.services_hours import hours_import
from tests.recruitment.test_apply import _apply_url, _form, _stored_files

pytestmark = pytest.mark.django_db


class Killed(Exception):
    """The power cut in the middle of a write."""


def database_state() -> dict[str, str]:
    """Every table of Bryggan: its rows, serialised in key order, as a checksum."""
    state = {}
    for model in apps.get_models():
        if not model.__module__.startswith("bryggan."):
            continue
        rows = model._default_manager.order_by("pk")
        data = serializers.serialize("json", rows)
        state[model._meta.label] = f"{rows.count()}:{hashlib.sha256(data.encode()).hexdigest()}"
    return state


def test_an_hours_import_killed_half_way_writes_nothing(rworld, monkeypatch):
    home = rworld.home
    email = home.rec["participant"].person.email
    today = timezone.localdate()
    lines = [f"{email},{(today - timedelta(days=20 + i)).isoformat()},2,Möte" for i in range(6)]
    text = "email,date,hours,activity\n" + "\n".join(lines) + "\n"
    before = database_state()
    real = QuerySet.bulk_create

    def half_then_die(self, objs, *args, **kwargs):
        objs = list(objs)
        real(self, objs[: len(objs) // 2], *args, **kwargs)  # half is written ...
        raise Killed  # ... then the process dies

    monkeypatch.setattr(QuerySet, "bulk_create", half_then_die)
    with pytest.raises(Killed):
        hours_import(actor=actor_for(home.user(Role.COORDINATOR)), text=text)
    monkeypatch.undo()
    assert database_state() == before
    assert hours_import(actor=actor_for(home.user(Role.COORDINATOR)), text=text) == 6
    assert HoursEntry.objects.filter(participant=home.rec["participant"]).count() >= 6


def test_a_matching_publish_killed_half_way_places_nobody(scene, monkeypatch):
    from bryggan.matching import services as matching_services

    anna = scene["apps"]["anna"]
    anna.stage = "assessed"  # everyone placed is assessed, so every placement is published
    anna.save(update_fields=["stage"])
    run = matching.run_start(actor=scene["actor"], posting=scene["posting"], seed=1)
    placed = [s for s in run.result["assignment"].values() if s]
    assert len(placed) >= 2
    before = database_state()
    real = matching_services.placement_create
    calls = {"n": 0}

    def second_one_dies(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise Killed
        return real(**kwargs)

    monkeypatch.setattr(matching_services, "placement_create", second_one_dies)
    with pytest.raises(Killed):
        matching.run_publish(actor=scene["actor"], run=run)
    monkeypatch.undo()
    assert calls["n"] == 2  # one placement was made before the crash ...
    assert database_state() == before  # ... and is gone with the rest
    # And the same run publishes cleanly afterwards.
    assert len(matching.run_publish(actor=scene["actor"], run=run)) == len(placed)


def test_an_application_killed_after_its_files_were_written_leaves_no_file(
    rworld, settings, monkeypatch
):
    from bryggan.recruitment import emails

    files_before = _stored_files(settings)
    before = database_state()
    written = {}

    def die_after_the_documents(application, stage):
        written["files"] = _stored_files(settings)
        raise Killed

    monkeypatch.setattr(emails, "queue_stage_email", die_after_the_documents)
    with pytest.raises(Killed):
        Client(raise_request_exception=True).post(_apply_url(rworld), _form(rworld))
    assert len(written["files"]) == len(files_before) + 2  # CV and letter were on disk ...
    assert _stored_files(settings) == files_before  # ... and are gone
    assert database_state() == before


def test_a_refused_import_is_not_a_crash_and_writes_nothing(rworld):
    before = database_state()
    with pytest.raises(InvalidInputError):
        hours_import(
            actor=actor_for(rworld.home.user(Role.COORDINATOR)),
            text="email,date,hours,activity\nnobody@example.se,2026-01-01,2,x\n",
        )
    assert database_state() == before
