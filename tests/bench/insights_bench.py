"""The insights at national scale, on PostgreSQL: a generator of synthetic history (290
municipalities, a million applications over ten years, with interviews, placements,
offers, hires, leavers, staff hired outside the programme and each unit's sick leave and
caseload), then every insights page and endpoint of one municipality and the national view,
timed (median and 95th percentile of N requests) with their query counts — first with a
tenth of the nation, then with all of it, in one run.

The goal (issue 17): every page and endpoint under 300 ms median, with query counts that do
not grow with the data. The municipality measured (the demo's Södertälje, given the same
ten years as the others) is the same size in both phases: what grows is everyone else.

Run with `make bench-insights` (part of `make bench`). Knobs: BENCH_INSIGHTS_MUNICIPALITIES
(290), BENCH_INSIGHTS_APPLICATIONS (1,000,000), BENCH_INSIGHTS_REQUESTS (15),
BENCH_INSIGHTS_DATABASE_URL (a PostgreSQL database it may empty; default
postgres://postgres@127.0.0.1:5432/bryggan_bench_insights, created when missing).
Nothing is asserted: speed is reported.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time

MUNICIPALITIES = int(os.environ.get("BENCH_INSIGHTS_MUNICIPALITIES", "290"))
APPLICATIONS = int(os.environ.get("BENCH_INSIGHTS_APPLICATIONS", "1000000"))
REQUESTS = int(os.environ.get("BENCH_INSIGHTS_REQUESTS", "15"))
YEARS = 10
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bryggan_bench_insights"


def _database() -> str:
    """A PostgreSQL database of its own, emptied: the generator fills it from scratch."""
    url = os.environ.get("BENCH_INSIGHTS_DATABASE_URL", DEFAULT_URL)
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url


def _setup() -> None:
    os.environ["BRYGGAN_VAR_DIR"] = tempfile.mkdtemp(prefix="bryggan-bench-insights-")
    os.environ["DATABASE_URL"] = _database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bryggan.config.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _generate(first: int, last: int, per_year: int, today) -> float:
    """Municipalities number ``first``..``last - 1`` (made when missing), ten years each."""
    from bryggan.core.models import Municipality
    from bryggan.insights import synthetic

    start = time.perf_counter()
    years = list(range(today.year - YEARS, today.year))
    for n in range(first, last):
        municipality, _made = Municipality.objects.get_or_create(
            slug=f"syntet-{n:03d}",
            defaults={"name": f"Syntetkommun {n:03d}", "kommunkod": f"{9000 + n:04d}"},
        )
        synthetic.generate(
            municipality,
            years=years,
            applications_per_year=per_year,
            today=today,
            seed=n,
            outside_hires_per_year=8,
            unit_months=24,
            introduction=n % 3 == 0,
        )
    return time.perf_counter() - start


def _time(client, path: str) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        client.get(path)  # warm templates, imports (lifelines, matplotlib) and connections
    samples = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    samples.sort()
    p95 = samples[int(0.95 * (len(samples) - 1))]
    return statistics.median(samples), p95, len(queries.captured_queries), status


def _pages(today) -> list[tuple[str, str, str]]:
    year = today.year - 2
    return [
        ("funnel, since the start", "coordinator", "/insikter/"),
        ("funnel, one year", "coordinator", f"/insikter/?year={year}"),
        ("staying on (Kaplan-Meier)", "coordinator", "/insikter/kvarstannande/"),
        ("workforce health", "coordinator", f"/insikter/personal/?year={today.year - 1}"),
        ("supervisor load", "coordinator", "/insikter/handledare/"),
        ("forecast", "coordinator", "/insikter/prognos/"),
        ("surveys", "coordinator", "/insikter/enkater/"),
        ("funnel export (XLSX)", "coordinator", "/insikter/export/funnel/funnel.xlsx"),
        ("funnel chart (PNG)", "coordinator", "/insikter/diagram/funnel.png"),
        ("API funnel", "coordinator", f"/api/insights/funnel?year={year}"),
        ("API retention", "coordinator", "/api/insights/retention"),
        ("API workforce", "coordinator", f"/api/insights/workforce?year={today.year - 1}"),
        ("API supervisor load", "coordinator", "/api/insights/supervisor-load"),
        ("API forecast", "coordinator", "/api/insights/forecast"),
        ("national comparison (analyst)", "analyst", "/insikter/nationellt/"),
        ("national, one year (analyst)", "analyst", f"/insikter/nationellt/?year={year}"),
        ("API national (analyst)", "analyst", "/api/insights/national"),
    ]


def _measure(clients, today) -> dict[str, tuple[float, float, int, int]]:
    return {label: _time(clients[who], path) for label, who, path in _pages(today)}


def main() -> None:
    _setup()
    from django.utils import timezone

    from bryggan.core.models import Municipality, User
    from bryggan.insights import services, synthetic
    from tests.clients import signed_in_client

    today = timezone.localdate()
    per_year = max(1, APPLICATIONS // (MUNICIPALITIES * YEARS))
    # The municipality measured: Södertälje, the same ten years as every other.
    sodertalje = Municipality.objects.get(slug="sodertalje")
    synthetic.generate(
        sodertalje,
        years=list(range(today.year - YEARS, today.year - 7)),
        applications_per_year=per_year,
        today=today,
        seed=1,
        unit_months=0,
    )
    clients = {
        "coordinator": signed_in_client(User.objects.get(email="coordinator@sodertalje.demo")),
        "analyst": signed_in_client(User.objects.get(email="analyst@national.demo")),
    }
    tenth = max(2, MUNICIPALITIES // 10)
    print(
        f"Insights at national scale (PostgreSQL): {per_year} applications per municipality "
        f"and year, {YEARS} years; {REQUESTS} requests per page.\n"
    )
    generated = _generate(2, tenth, per_year, today)
    start = time.perf_counter()
    services.refresh_national(today=today)
    refresh_small = time.perf_counter() - start
    small = _measure(clients, today)
    applications_small = _count_applications()
    generated += _generate(tenth, MUNICIPALITIES, per_year, today)
    start = time.perf_counter()
    services.refresh_national(today=today)
    refresh_large = time.perf_counter() - start
    large = _measure(clients, today)
    applications_large = _count_applications()
    print(
        f"Generated {applications_large:,} applications in {MUNICIPALITIES} municipalities "
        f"in {generated:.0f} s; the nightly refresh took {refresh_small:.1f} s at "
        f"{applications_small:,} applications and {refresh_large:.1f} s at "
        f"{applications_large:,}.\n"
    )
    header = (
        f"{'page or endpoint':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}"
        f" | {'median ms':>10} {'p95 ms':>8} {'queries':>8}  status"
    )
    print(f"{'':34} {f'{tenth} municipalities':>28} | {f'{MUNICIPALITIES} municipalities':>28}")
    print(header)
    print("-" * len(header))
    for label, _who, _path in _pages(today):
        a, b = small[label], large[label]
        flag = "" if b[0] < 300 and a[2] == b[2] else "  <-- over the goal"
        print(
            f"{label:34} {a[0]:10.1f} {a[1]:8.1f} {a[2]:8d} | {b[0]:10.1f} {b[1]:8.1f} "
            f"{b[2]:8d}  {b[3]}{flag}"
        )
    worst = max(v[0] for v in large.values())
    same = all(small[k][2] == large[k][2] for k in small)
    print(
        f"\nSlowest median at national scale: {worst:.1f} ms (goal < 300 ms); query counts "
        f"{'the same' if same else 'NOT the same'} at both sizes."
    )


def _count_applications() -> int:
    from django_scopes import scopes_disabled

    from bryggan.recruitment.models import Application

    with scopes_disabled():
        return Application.objects.count()


if __name__ == "__main__":
    main()
