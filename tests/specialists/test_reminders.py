"""Reminders of updates not yet confirmed: the daily command queues one per reader; the
worker's task e-mails each the updates due within a week (or past), and nothing once read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from bryggan.specialists import services
from bryggan.specialists.tasks import remind_unread, users_to_remind
from tests.specialists_data import build_specialists

pytestmark = pytest.mark.django_db


def test_the_worker_reminds_of_updates_due_and_stops_once_read(world):
    spec = build_specialists(world.home)
    today = timezone.localdate()
    later = services.update_publish(
        actor=actor_for(world.home.user(Role.SPECIALIST)),
        title="Långt fram",
        summary="Inget brådskande",
        read_by=today + timedelta(days=60),
        units=[],
        roles=[],
        everyone=True,
        today=today,
    )
    user = world.home.user(Role.SUPERVISOR)
    mail.outbox.clear()
    assert remind_unread.call(user.pk) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    assert spec["everyone"].title in mail.outbox[0].body and later.title not in mail.outbox[0].body
    assert mail.outbox[0].subject == "Uppdateringar att läsa och bekräfta"
    services.update_acknowledge(actor=actor_for(user), update=spec["everyone"])
    mail.outbox.clear()
    assert remind_unread.call(user.pk) == 0 and mail.outbox == []
    # The DPO reads no updates; the national analyst belongs to no municipality.
    assert remind_unread.call(world.home.user(Role.DPO).pk) == 0
    assert remind_unread.call(world.analyst.pk) == 0


def test_the_daily_command_queues_a_reminder_per_reader(world):
    from django_tasks_db.models import DBTaskResult

    build_specialists(world.home)
    before = DBTaskResult.objects.count()
    call_command("specialists_daily", stdout=open("/dev/null", "w"))  # noqa: SIM115
    queued = DBTaskResult.objects.order_by("enqueued_at")[before:]
    readers = users_to_remind()
    assert world.home.user(Role.SUPERVISOR).pk in readers
    assert world.analyst.pk not in readers  # no municipality, no updates
    assert sorted(t.args_kwargs["args"][0] for t in queued) == readers
    assert {t.task_path for t in queued} == {"bryggan.specialists.tasks.remind_unread"}


def test_a_specialist_may_take_one_e_mail_a_day_instead_of_one_per_question(
    world, django_capture_on_commit_callbacks
):
    from django_scopes import scopes_disabled

    from bryggan.specialists.tasks import send_digest, users_with_digest

    spec = build_specialists(world.home)
    with scopes_disabled():
        spec["specialist"].email = "specialist@kommun.test"
        spec["specialist"].save()
    specialist = world.home.client(Role.SPECIALIST)
    response = specialist.post("/specialister/", {"action": "digest", "daily": "yes"}, follow=True)
    assert "Du får ett mejl om dagen med nya frågor." in response.content.decode()
    assert users_with_digest() == [world.home.user(Role.SPECIALIST).pk]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.consultation_ask(
            actor=actor_for(world.home.user(Role.SUPERVISOR)),
            topic=spec["children"],
            unit=spec["unit"],
            question="Hur gör vi med en sen anmälan?",
            today=timezone.localdate(),
        )
    assert mail.outbox == []  # no e-mail per question
    assert send_digest.call(world.home.user(Role.SPECIALIST).pk) == 2  # today's two open
    assert mail.outbox[-1].subject == "Nya frågor till specialisterna"
    assert "Hur gör vi med en sen anmälan?" in mail.outbox[-1].body
    # someone who did not choose it gets no digest
    assert send_digest.call(world.home.user(Role.SUPERVISOR).pk) == 0
    specialist.post("/specialister/", {"action": "digest", "daily": "no"})
    assert users_with_digest() == []
