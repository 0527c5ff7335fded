"""Do the programme's pages follow the page or the municipality? Each page is timed at a
municipality of SMALL and then LARGE participants (default 1,000 and 5,000, each with a year
of hours), in one run, as a ratio to a trivial view through the same middleware, and as the
growth from the small to the large municipality (the goal: at most 1.3×).

Run with `make bench-scale` (part of `make bench`). Nothing is asserted: speed is reported.
"""

from __future__ import annotations

import os
import statistics
import time

from tests.bench.run import _big_programme, _setup

SMALL = int(os.environ.get("BENCH_SMALL", "1000"))
LARGE = int(os.environ.get("BENCH_LARGE", "5000"))
REQUESTS = int(os.environ.get("BENCH_SCALE_REQUESTS", "7"))


def _median(client, path: str, n: int) -> tuple[float, int]:
    client.get(path)  # warm templates and connections
    samples, status = [], 0
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        status = response.status_code
    return statistics.median(samples), status


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
        one = Participant.unscoped.filter(municipality__slug="sodertalje").order_by("pk").first()
    clients = {
        "coordinator": signed_in_client(coordinator),
        "student": signed_in_client(student),
        "mentor": signed_in_client(mentor),
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


def main() -> None:
    _setup()
    from django.conf import settings
    from django.db import connection

    settings.THROTTLES_ENABLED = False
    results: dict[int, dict[str, tuple[float, int]]] = {}
    for size in (SMALL, LARGE):
        started = time.perf_counter()
        added = _big_programme(size)
        print(
            f"grew to {size} participants (+{added} days of hours) in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
        pages, clients = _pages()
        results[size] = {label: _median(clients[who], path, REQUESTS) for label, who, path in pages}
    print(
        f"\nProgramme pages at {SMALL} and {LARGE} participants — {connection.vendor}, "
        f"median of {REQUESTS} requests, in-process"
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


if __name__ == "__main__":
    main()
