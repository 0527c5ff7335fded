"""Fifty parallel requests race for a supervisor's last places, twenty rounds over, on
PostgreSQL with real transactions: publishing a matching proposal, overriding a proposal by
hand and publishing it, and placing a student by hand. Every round exactly the capacity is
filled and every other request gets a clear refusal (400 with a JSON message)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from bryggan.core.models import Person
from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from bryggan.core.services import api_token_create
from bryggan.matching import services as matching
from bryggan.matching.models import MatchingOverride, MatchingRun, RunStatus
from bryggan.programme.models import Placement
from bryggan.recruitment.models import (
    Application,
    ApplicationWish,
    Posting,
    PostingStatus,
    Round,
    Stage,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent sessions"),
]

ROUNDS = 20
PUBLISHERS = OVERRIDERS = BY_HAND = 50
# Who races in a round: all three kinds, two of them, or fifty of one kind (so every path is
# shown to hold under contention); always fifty requests.
MIXES = [(17, 17, 16), (50, 0, 0), (0, 50, 0), (0, 0, 50), (25, 25, 0)]


def _posting(home, round_, i: int) -> Application:
    m = home.municipality
    today = timezone.localdate()
    posting = Posting.objects.create(
        municipality=m,
        round=round_,
        kind="practicum",
        title=f"VFU {i}",
        description="VFU",
        places=1,
        starts_on=today,
        ends_on=today + timezone.timedelta(days=100),
        last_application_date=today,
        status=PostingStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    posting.units.add(home.objects["unit"])
    person = Person.objects.create(
        municipality=m, first_name=f"Student{i}", last_name="Parallell", email=f"p{i}@example.se"
    )
    application = Application.objects.create(
        municipality=m,
        posting=posting,
        person=person,
        programme="Socionomprogrammet",
        current_term=5,
        expected_graduation="VT 2027",
        consent_version="2026-1",
        consented_at=timezone.now(),
        stage=Stage.ASSESSED,
    )
    ApplicationWish.objects.create(
        municipality=m, application=application, unit=home.objects["unit"], rank=1
    )
    return application


def _contend(barrier, lock, outcomes, job, argument) -> None:
    try:
        barrier.wait()
        response = job(argument)
        body = response.json()
        with lock:
            outcomes.append((job.__name__, response.status_code, body))
    finally:
        connections.close_all()


def test_fifty_requests_race_for_the_last_places_twenty_times(world):
    home = world.home
    helena = home.objects["staff"]
    term = home.objects["term"]
    unit = home.objects["unit"]
    capacity = home.objects["capacity"]
    coordinator = home.user(Role.COORDINATOR)
    actor = actor_for(coordinator)
    token = api_token_create(actor=actor, name="race", days=30).raw
    round_ = Round.objects.create(
        municipality=home.municipality, name="VFU HT", term=term, closes_on=timezone.localdate()
    )

    # Proposals that place their student with Helena (she has one place) ...
    capacity.capacity = 1
    capacity.save()
    publish_runs = []
    for i in range(PUBLISHERS):
        application = _posting(home, round_, i)
        run = matching.run_start(actor=actor, posting=application.posting, seed=1)
        assert run.status == RunStatus.PROPOSED
        assert run.result["assignment"][f"a{application.pk}"] is not None
        publish_runs.append(run.pk)
    # ... and proposals made while she had none, which a coordinator overrides by hand.
    capacity.capacity = 0
    capacity.save()
    override_runs = []
    for i in range(PUBLISHERS, PUBLISHERS + OVERRIDERS):
        application = _posting(home, round_, i)
        run = matching.run_start(actor=actor, posting=application.posting, seed=1)
        assert run.result["assignment"][f"a{application.pk}"] is None
        override_runs.append((run.pk, application.pk))
    by_hand = [
        Person.objects.create(
            municipality=home.municipality, first_name=f"Hand{i}", last_name="Parallell"
        ).pk
        for i in range(BY_HAND)
    ]
    capacity.capacity = 1
    capacity.save()
    headers = {"Authorization": f"Bearer {token}"}

    def publish(run_id):
        return Client(headers=headers).post(
            f"/api/matching/runs/{run_id}/publish", {}, content_type="application/json"
        )

    def override_and_publish(run_and_app):
        run_id, application_id = run_and_app
        client = Client(headers=headers)
        response = client.post(
            f"/api/matching/runs/{run_id}/overrides",
            {
                "application_id": application_id,
                "unit_id": unit.pk,
                "supervisor_id": helena.pk,
                "reason": "Placeras för hand",
            },
            content_type="application/json",
        )
        if response.status_code != 201:
            return response
        return client.post(
            f"/api/matching/runs/{run_id}/publish", {}, content_type="application/json"
        )

    def place(person_id):
        return Client(headers=headers).post(
            "/api/programme/placements",
            {
                "person_id": person_id,
                "unit_id": unit.pk,
                "supervisor_id": helena.pk,
                "term_id": term.pk,
                "step": "practicum",
            },
            content_type="application/json",
        )

    winners: Counter = Counter()
    for number in range(ROUNDS):
        n_publish, n_override, n_hand = MIXES[number % len(MIXES)]
        jobs = (
            [(publish, r) for r in publish_runs[:n_publish]]
            + [(override_and_publish, r) for r in override_runs[:n_override]]
            + [(place, p) for p in by_hand[:n_hand]]
        )
        assert len(jobs) == 50
        free = 1 + number % 3  # one, two or three places left
        capacity.capacity = free
        capacity.save()
        barrier = threading.Barrier(len(jobs))
        outcomes: list[tuple[str, int, dict]] = []
        lock = threading.Lock()
        threads = [
            threading.Thread(target=_contend, args=(barrier, lock, outcomes, job, argument))
            for job, argument in jobs
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        statuses = Counter(status for _name, status, _body in outcomes)
        assert len(outcomes) == 50
        assert Placement.objects.filter(supervisor=helena, term=term).count() == free
        assert statuses[200] + statuses[201] == free, statuses
        assert statuses[400] == 50 - free, statuses
        for _name, status, body in outcomes:
            if status == 400:
                assert body["detail"] and body.get("errors"), body
        winners.update(name for name, status, _ in outcomes if status in (200, 201))

        # Empty again for the next round.
        Placement.objects.filter(supervisor=helena, term=term).delete()
        MatchingRun.objects.filter(pk__in=publish_runs + [r for r, _a in override_runs]).update(
            status=RunStatus.PROPOSED, published_at=None, published_by=None
        )
        MatchingOverride.objects.all().delete()
        Application.objects.filter(posting__round=round_).update(stage=Stage.ASSESSED)

    print(f"\nConcurrency: {ROUNDS} rounds × 50 requests for 1–3 places; winners: {dict(winners)}")
    assert set(winners) == {"publish", "override_and_publish", "place"}
