"""Do the programme's pages follow the page or the municipality? Each page is timed at a
municipality of SMALL and then LARGE participants (default 1,000 and 5,000, each with a year
of hours), in one run, as a ratio to a trivial view through the same middleware, and as the
growth from the small to the large municipality (the goal: at most 1.3×).

Then the exports of a month — payroll CSV and XLSX, and the access log with 20 entries per
participant — read through to the last byte: the time, the bytes, and the peak of memory
allocated by Python while they stream (tracemalloc, in a second pass), at both sizes.

Run with `make bench-scale` (part of `make bench`). Nothing is asserted: speed is reported.
"""

from __future__ import annotations

import os
import statistics
import time
import tracemalloc

from tests.bench.run import _big_programme, _setup

SMALL = int(os.environ.get("BENCH_SMALL", "1000"))
LARGE = int(os.environ.get("BENCH_LARGE", "5000"))
REQUESTS = int(os.environ.get("BENCH_SCALE_REQUESTS", "11"))


def _medians(pages: list[tuple[str, str, str]], clients: dict, n: int) -> dict:
    """Each page's median time (ms) and last status over ``n`` rounds. The pages take turns
    within each round, so every page and the trivial view are timed across the same moments:
    a shared machine that slows down for a while slows them all alike, not one page's run."""
    samples: dict[str, list[float]] = {label: [] for label, _who, _path in pages}
    status: dict[str, int] = {}
    for _label, who, path in pages:
        clients[who].get(path)  # warm templates and connections
    for _ in range(n):
        for label, who, path in pages:
            start = time.perf_counter()
            response = clients[who].get(path)
            samples[label].append((time.perf_counter() - start) * 1000)
            status[label] = response.status_code
    return {label: (statistics.median(samples[label]), status[label]) for label in samples}


def _pages() -> tuple[list[tuple[str, str, str]], dict]:
    """(label, who, path) of each page a coordinator, mentor or student uses daily."""
    from django_scopes import scopes_disabled

    from bryggan.core.models import User
    from bryggan.programme.models import Participant
    from tests.clients import signed_in_client

    with scopes_disabled():
        coordinator = User.objects.get(email="coordinator@sodertalje.demo")
        student = User.objects.get(email="student@sodertalje.demo")
        mentor = User.objects.get(email="mentor@sodertalje.demo")
        dpo = User.objects.get(email="dpo@sodertalje.demo")
        one = Participant.unscoped.filter(municipality__slug="sodertalje").order_by("pk").first()
    clients = {
        "coordinator": signed_in_client(coordinator),
        "student": signed_in_client(student),
        "mentor": signed_in_client(mentor),
        "dpo": signed_in_client(dpo),
    }
    pages = [
        ("trivial view (reference)", "coordinator", "/bench/trivial"),
        ("home page (coordinator)", "coordinator", "/"),
        ("programme overview", "coordinator", "/programmet/"),
        ("programme overview, one step", "coordinator", "/programmet/?stage=aspirant"),
        ("API participants", "coordinator", "/api/programme/participants"),
        ("one participant's page", "coordinator", f"/programmet/deltagare/{one.pk}/"),
        ("one participant's API", "coordinator", f"/api/programme/participants/{one.pk}"),
        (
            "one participant's hours API",
            "coordinator",
            f"/api/programme/participants/{one.pk}/hours",
        ),
        ("hours to approve (coordinator)", "coordinator", "/programmet/attestera/"),
        ("hours to approve (mentor)", "mentor", "/programmet/attestera/"),
        ("home page (mentor)", "mentor", "/"),
        ("the student's own page", "student", "/programmet/mitt/"),
        ("home page (student)", "student", "/"),
    ]
    return pages, clients


def _grow_access_log(size: int) -> int:
    """Twenty access-log entries per participant (what a year of reads leaves)."""
    import random
    from datetime import timedelta

    from django.utils import timezone
    from django_scopes import scopes_disabled

    from bryggan.core.models import AccessLogEntry, Municipality, Person, User

    rng = random.Random(size)
    with scopes_disabled():
        m = Municipality.objects.get(slug="sodertalje")
        reader = User.objects.get(email="coordinator@sodertalje.demo")
        people = list(Person.objects.filter(municipality=m).values_list("pk", flat=True)[:size])
        have = AccessLogEntry.objects.filter(municipality=m).count()
        now = timezone.now()
        AccessLogEntry.objects.bulk_create(
            (
                AccessLogEntry(
                    municipality=m,
                    user=reader,
                    at=now - timedelta(minutes=rng.randrange(525_600)),
                    subject_type="participant",
                    subject_id=str(rng.randrange(1, size)),
                    person_id=rng.choice(people) if people else None,
                    purpose="participant page",
                    path="/programmet/deltagare/1/",
                )
                for _ in range(max(0, 20 * size - have))
            ),
            batch_size=5000,
        )
        return AccessLogEntry.objects.filter(municipality=m).count()


def _refresh_everyone() -> float:
    """Seconds for the daily job's refresh of every participant's kept state."""
    from django_scopes import scopes_disabled

    from bryggan.programme import state

    with scopes_disabled():
        start = time.perf_counter()
        state.refresh_all()
        return time.perf_counter() - start


def _export(client, path: str) -> tuple[float, int, float, int]:
    """(ms to the last byte, bytes, peak MB allocated while streaming, status)."""
    start = time.perf_counter()
    response = client.get(path)
    size = sum(len(piece) for piece in response.streaming_content)
    elapsed = (time.perf_counter() - start) * 1000
    tracemalloc.start()
    response = client.get(path)
    for _piece in response.streaming_content:
        pass
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return elapsed, size, peak, response.status_code


def _exports() -> list[tuple[str, str, str]]:
    from datetime import timedelta

    from django.utils import timezone

    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    return [
        ("payroll CSV, a month", "coordinator", f"/programmet/timmar/export/?month={month}"),
        (
            "payroll XLSX, a month",
            "coordinator",
            f"/programmet/timmar/export/?month={month}&format=xlsx",
        ),
        ("access log CSV", "dpo", "/dataskydd/atkomstlogg/export.csv"),
    ]


def main() -> None:
    _setup()
    from django.conf import settings
    from django.db import connection

    settings.THROTTLES_ENABLED = False
    results: dict[int, dict[str, tuple[float, int]]] = {}
    exported: dict[int, dict[str, tuple]] = {}
    refreshed: dict[int, float] = {}
    alone: dict[int, float] = {}  # the trivial view timed back to back, caches warm
    for size in (SMALL, LARGE):
        started = time.perf_counter()
        added = _big_programme(size)
        print(
            f"grew to {size} participants (+{added} days of hours) in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
        refreshed[size] = _refresh_everyone()
        logged = _grow_access_log(size)
        pages, clients = _pages()
        results[size] = _medians(pages, clients, REQUESTS)
        alone[size] = _medians(pages[:1], clients, REQUESTS)[pages[0][0]][0]
        exported[size] = {label: _export(clients[who], path) for label, who, path in _exports()}
        exported[size]["access log CSV"] += (logged,)
    print(
        f"\nProgramme pages at {SMALL} and {LARGE} participants — {connection.vendor}, "
        f"median of {REQUESTS} rounds of every page in turn, in-process"
    )
    header = f"{'page':<34}{SMALL:>9} ms{'× ref':>7}{LARGE:>9} ms{'× ref':>7}{'growth':>8}"
    print(header)
    ref_small = results[SMALL]["trivial view (reference)"][0]
    ref_large = results[LARGE]["trivial view (reference)"][0]
    for label, _who, _path in pages:
        small, status_small = results[SMALL][label]
        large, status_large = results[LARGE][label]
        status = "" if status_small == status_large == 200 else f"  {status_small}/{status_large}"
        print(
            f"{label:<34}{small:>12.1f}{small / ref_small:>7.1f}{large:>12.1f}"
            f"{large / ref_large:>7.1f}{large / small:>7.2f}×{status}"
        )
    worst = max((results[LARGE][label][0], label) for label, _who, _path in pages[1:])
    print(
        f"The trivial view timed alone, back to back (its caches warm): {alone[SMALL]:.1f} ms at "
        f"{SMALL}, {alone[LARGE]:.1f} ms at {LARGE}; against it the slowest page at {LARGE} "
        f"({worst[1]}) is {worst[0] / alone[LARGE]:.1f}×"
    )

    print(
        f"\nThe daily refresh of everyone's kept state: {refreshed[SMALL]:.1f} s at {SMALL}, "
        f"{refreshed[LARGE]:.1f} s at {LARGE} participants"
    )
    print(f"\nExports at {SMALL} and {LARGE} participants, to the last byte, streamed")
    print(
        f"{'export':<26}{'rows':>8}{'ms':>8}{'MB out':>8}{'peak MB':>9}"
        f"{'rows':>9}{'ms':>8}{'MB out':>8}{'peak MB':>9}"
    )
    for label, _who, _path in _exports():
        cells = []
        for size in (SMALL, LARGE):
            elapsed, size_bytes, peak, status = exported[size][label][:4]
            rows = exported[size][label][4] if len(exported[size][label]) > 4 else ""
            flag = "" if status == 200 else f" ({status})"
            cells.append(f"{rows!s:>8}{elapsed:>8.0f}{size_bytes / 1e6:>8.1f}{peak:>9.1f}{flag}")
        print(f"{label:<26}{''.join(cells)}")


if __name__ == "__main__":
    main()
