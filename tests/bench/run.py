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


def main() -> None:
    _setup()
    from django.db import connection
    from django.test import Client
    from django_scopes import scopes_disabled

    from bryggan.core.models import User
    from bryggan.organisation.models import StaffMember, Term

    client = Client()
    with scopes_disabled():
        client.force_login(User.objects.get(email="coordinator@sodertalje.demo"))
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
    ]
    print(f"Bryggan page timings — {connection.vendor}, {REQUESTS} requests each, in-process")
    print(f"{'page':<36}{'median ms':>11}{'p95 ms':>10}{'× ref':>8}  status")
    reference = None
    for label, path in pages:
        median, p95, status = _time(client, path, REQUESTS)
        reference = reference or median
        print(f"{label:<36}{median:>11.2f}{p95:>10.2f}{median / reference:>8.1f}  {status}")


if __name__ == "__main__":
    main()
