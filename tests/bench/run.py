"""Page timings on the demo data: median and p95 over N requests per page, in-process.

Run with `make bench`. Uses a fresh SQLite file in a temporary folder (or BENCH_DATABASE_URL,
e.g. a PostgreSQL database you can throw away), loads the demo, logs in as Södertälje's
coordinator and times each page against a trivial Django view that passes through the same
middleware. Prints a table; nothing is asserted (speed is reported, not unit-tested).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))


def _setup() -> None:
    tmp = tempfile.mkdtemp(prefix="bryggan-bench-")
    os.environ["BRYGGAN_VAR_DIR"] = tmp
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bryggan.config.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "tests.bench.urls"
    settings.ALLOWED_HOSTS = ["testserver"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _time(client, path: str, n: int) -> tuple[float, float, int]:
    for _ in range(5):
        client.get(path)  # warm caches, templates and connections
    samples = []
    status = 0
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        status = response.status_code
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))], status


BOARD_SIZE = int(os.environ.get("BENCH_BOARD_SIZE", "2000"))


def _big_round() -> tuple[int, int, int]:
    """One posting of Södertälje's current round grown to BOARD_SIZE applications, each with
    three ranked wishes, a stage history and (for a third) two assessments."""
    import random

    from django.utils import timezone
    from django_scopes import scopes_disabled

    from bryggan.core.models import Person, User
    from bryggan.recruitment.models import (
        Application,
        ApplicationWish,
        Assessment,
        Posting,
        Stage,
        StageChange,
    )

    rng = random.Random(7)
    with scopes_disabled():
        # Södertälje's own practicum posting (the demo's joint round has one of its own too)
        posting = Posting.unscoped.filter(
            municipality__slug="sodertalje",
            status="published",
            kind="practicum",
            joint_members__isnull=True,
        ).get()
        m = posting.municipality
        units = list(posting.units.all())
        criteria = list(posting.round.criteria.all())
        assessor = User.objects.get(email="coordinator@sodertalje.demo")
        missing = BOARD_SIZE - posting.applications.count()
        people = Person.objects.bulk_create(
            Person(
                municipality=m,
                first_name=f"Student{i}",
                last_name=rng.choice(
                    ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson"]
                ),
                email=f"bench{i}@student.example.se",
            )
            for i in range(missing)
        )
        stages = [Stage.RECEIVED, Stage.SCREENING, Stage.INTERVIEW, Stage.ASSESSED, Stage.REJECTED]
        applications = Application.objects.bulk_create(
            Application(
                municipality=m,
                posting=posting,
                person=p,
                current_term=5,
                expected_graduation="VT 2027",
                consent_version="2026-1",
                consented_at=timezone.now(),
                stage=rng.choice(stages),
                interests="Barn och unga, utredning" if i % 4 == 0 else "",
            )
            for i, p in enumerate(people)
        )
        ApplicationWish.objects.bulk_create(
            ApplicationWish(municipality=m, application=a, unit=u, rank=r)
            for a in applications
            for r, u in enumerate(rng.sample(units, k=min(3, len(units))), start=1)
        )
        StageChange.objects.bulk_create(
            StageChange(municipality=m, application=a, from_stage="", to_stage=Stage.RECEIVED)
            for a in applications
        )
        Assessment.objects.bulk_create(
            Assessment(
                municipality=m,
                application=a,
                interviewer=assessor,
                scores={str(c.pk): rng.randint(1, 5) for c in criteria},
            )
            for a in applications[::3]
        )
        return posting.pk, applications[0].pk, units[0].pk


PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "1000"))


def _big_programme(target: int | None = None) -> int:
    """Södertälje grown to ``target`` (default PARTICIPANTS) participants in step 2 or
    aspirant posts, each with a year of hours (two days a week; the last week waiting for
    approval). Returns the days of hours added."""
    import random
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone
    from django_scopes import scopes_disabled

    from bryggan.core.models import Person, User
    from bryggan.organisation.models import StaffMember, Unit
    from bryggan.programme import state
    from bryggan.programme.models import EmploymentPeriod, HoursEntry, Participant

    rng = random.Random(11)
    today = timezone.localdate()
    with scopes_disabled():
        units = list(Unit.unscoped.filter(municipality__slug="sodertalje"))
        m = units[0].municipality
        # The grown participants get mentors other than the demo mentor's login: a mentor's
        # pages are measured with the same students at both sizes (they follow the page).
        mentors = list(
            StaffMember.unscoped.filter(municipality=m, is_mentor=True).exclude(
                user__email="mentor@sodertalje.demo"
            )
        )
        approver = User.objects.get(email="coordinator@sodertalje.demo")
        have = Participant.unscoped.filter(municipality=m).count()
        missing = (target or PARTICIPANTS) - have
        people = Person.objects.bulk_create(
            Person(
                municipality=m,
                first_name=f"Deltagare{have + i}",
                last_name="Bench",
                email=f"deltagare{have + i}@example.se",
            )
            for i in range(max(0, missing))
        )
        participants = Participant.objects.bulk_create(
            Participant(
                municipality=m,
                person=p,
                stage=rng.choice(["aspirant", "student_employee"]),
                stage_since=today - timedelta(days=400),
            )
            for p in people
        )
        EmploymentPeriod.objects.bulk_create(
            EmploymentPeriod(
                municipality=m,
                participant=p,
                kind=p.stage,
                unit=rng.choice(units),
                mentor=rng.choice(mentors),
                starts_on=today - timedelta(days=380),
                ends_on=today + timedelta(days=200),
            )
            for p in participants
        )
        entries = []
        for p in participants:
            day = today - timedelta(days=365)
            while day < today:
                if day.weekday() in (1, 3):
                    recent = day > today - timedelta(days=7)
                    entries.append(
                        HoursEntry(
                            municipality=m,
                            participant=p,
                            day=day,
                            hours=Decimal(rng.choice(["4", "6", "8", "9"])),
                            activity="Arbete",
                            kind=p.stage,
                            status="submitted" if recent else "approved",
                            approved_by=None if recent else approver,
                        )
                    )
                day += timedelta(days=1)
        HoursEntry.objects.bulk_create(entries, batch_size=5000)
        # Bulk writes skip the services: recount the breaches they would have kept current.
        state.refresh(p.pk for p in participants)
    _analyze()
    return len(entries)


def _analyze() -> None:
    """Fresh planner statistics after a bulk load, as autovacuum leaves them in a running
    system (without them PostgreSQL plans for the empty tables it last saw)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _matching_run(posting_id: int) -> tuple[int, int, float]:
    """Run the matching on the grown posting five times; the last run is timed as pages."""
    from django_scopes import scopes_disabled

    from bryggan.core.models import User
    from bryggan.core.permissions import actor_for
    from bryggan.matching import services
    from bryggan.recruitment.models import Posting

    with scopes_disabled():
        posting = Posting.unscoped.get(pk=posting_id)
        actor = actor_for(User.objects.get(email="coordinator@sodertalje.demo"))
        samples = []
        for seed in range(5):
            start = time.perf_counter()
            run = services.run_start(actor=actor, posting=posting, seed=seed)
            samples.append((time.perf_counter() - start) * 1000)
        return run.pk, len(run.instance["students"]), statistics.median(samples)


def main() -> None:
    _setup()
    from django.db import connection
    from django_scopes import scopes_disabled

    from bryggan.core.models import User
    from bryggan.organisation.models import StaffMember, Term
    from tests.clients import signed_in_client

    with scopes_disabled():
        client = signed_in_client(User.objects.get(email="coordinator@sodertalje.demo"))
        term = Term.unscoped.filter(municipality__slug="sodertalje", year=2026, kind="HT").get()
        staff = StaffMember.unscoped.filter(municipality__slug="sodertalje").first()
    pages = [
        ("trivial Django view (reference)", "/bench/trivial"),
        ("overview", "/"),
        ("departments list", "/org/department/"),
        ("units list", "/org/unit/"),
        ("staff list (300 staff, page 1)", "/org/staff/"),
        ("staff search", "/org/staff/?q=social"),
        ("staff detail", f"/org/staff/{staff.pk}/"),
        ("staff edit form", f"/org/staff/{staff.pk}/edit/"),
        ("capacity overview HT 2026", f"/org/capacity/?term={term.pk}"),
        ("API staff list", "/api/organisation/staff"),
        ("API capacity overview", f"/api/organisation/capacity-overview?term={term.pk}"),
        ("careers page (public)", "/karriar/sodertalje/"),
        ("open postings feed (public)", "/karriar/sodertalje/flode.atom"),
        ("recruitment rounds", "/rekrytering/"),
    ]
    posting, application, unit = _big_round()
    board = f"/rekrytering/annons/{posting}/tavla/"
    pages += [
        (f"board, {BOARD_SIZE} applications", board),
        ("board, one stage", f"{board}?stage=interview"),
        ("board, search", f"{board}?q=nilsson"),
        ("board, wished unit", f"{board}?unit={unit}"),
        ("board, last page", f"{board}?page=20"),
        ("posting with stage counts", f"/rekrytering/annons/{posting}/"),
        ("application file", f"/rekrytering/ansokan/{application}/"),
        ("API board page", f"/api/recruitment/postings/{posting}/applications"),
        ("API matching input", f"/api/recruitment/postings/{posting}/matching-input"),
    ]
    run_id, matched, run_ms = _matching_run(posting)
    pages += [
        (f"matching inputs, {matched} applicants", f"/matchning/annons/{posting}/"),
        ("matching proposal page", f"/matchning/korning/{run_id}/"),
        ("API matching run (proposal)", f"/api/matching/runs/{run_id}"),
        ("matching instance download", f"/matchning/korning/{run_id}/instance.json"),
    ]
    print(
        f"Matching run on the {BOARD_SIZE}-application posting ({matched} applicants from the "
        f"interview stage on): gather, solve, check, explain and save — median {run_ms:.0f} ms "
        "over 5 runs"
    )
    hours = _big_programme()
    last_month = (date.today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    pages += [
        (f"programme overview, {PARTICIPANTS} participants", "/programmet/"),
        ("programme overview, one step", "/programmet/?stage=aspirant"),
        ("API participants", "/api/programme/participants"),
        ("hours to approve (coordinator)", "/programmet/attestera/"),
        (
            "payroll export CSV, one month",
            f"/programmet/timmar/export/?month={last_month}&format=csv",
        ),
        (
            "payroll export XLSX, one month",
            f"/programmet/timmar/export/?month={last_month}&format=xlsx",
        ),
    ]
    print(f"Programme: {PARTICIPANTS} participants with {hours} days of hours over a year")
    print(f"Bryggan page timings — {connection.vendor}, {REQUESTS} requests each, in-process")
    n = REQUESTS
    print(f"{'page':<36}{'median ms':>11}{'p95 ms':>10}{'× ref':>8}  status")
    reference = None
    for label, path in pages:
        median, p95, status = _time(client, path, n)
        reference = reference or median
        print(f"{label:<36}{median:>11.2f}{p95:>10.2f}{median / reference:>8.1f}  {status}")


if __name__ == "__main__":
    main()
