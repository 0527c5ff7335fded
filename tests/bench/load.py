"""Load benchmark: the production configuration on loopback (scripts/production_trial.py:
nginx with TLS, gunicorn, PostgreSQL), a large demo municipality, and Locust driving signed-in
coordinators and supervisors and public visitors for two minutes. Prints throughput, median
and p95 per page and overall, and the number of errors. Run with `make bench-load`.

    BENCH_LOAD_USERS (default 30), BENCH_LOAD_SECONDS (120), BENCH_LOAD_WORKERS (gunicorn, 4)
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

USERS = int(os.environ.get("BENCH_LOAD_USERS", "30"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "120"))
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", "4"))

# Runs inside the trial's environment: grows Södertälje as the page benchmark does, and
# signs users in (sessions past the second factor, as after a real sign-in).
PREPARE = r"""
import json, sys
sys.path.insert(0, ".")
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled
from django.utils import timezone
from bryggan.core.models import User
from bryggan.organisation.models import Term, StaffMember
from tests.bench.run import _big_round, _big_programme, BOARD_SIZE, PARTICIPANTS

def session(user, verified):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    now = int(timezone.now().timestamp())
    store["bryggan_signed_in_at"] = now
    store["bryggan_last_seen"] = now
    if verified:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return store.session_key

with scopes_disabled():
    posting, application, unit = _big_round()
    _big_programme()
    coordinator = User.objects.get(email="coordinator@sodertalje.demo")
    supervisor = User.objects.get(email="supervisor@sodertalje.demo")
    term = Term.unscoped.filter(municipality__slug="sodertalje", year=2026, kind="HT").get()
    staff = StaffMember.unscoped.filter(municipality__slug="sodertalje").first()
    board = f"/rekrytering/annons/{posting}/tavla/"
    print(json.dumps({
        "coordinator_sessions": [session(coordinator, True) for _ in range(20)],
        "supervisor_sessions": [session(supervisor, False) for _ in range(20)],
        "coordinator_pages": [
            ("overview", "/"),
            (f"board, {BOARD_SIZE} applications", board),
            ("board, search", f"{board}?q=nilsson"),
            ("application file", f"/rekrytering/ansokan/{application}/"),
            (f"programme overview, {PARTICIPANTS} participants", "/programmet/"),
            ("hours to approve", "/programmet/attestera/"),
            ("staff list", "/org/staff/"),
            ("capacity overview", f"/org/capacity/?term={term.pk}"),
            ("API board page", f"/api/recruitment/postings/{posting}/applications"),
        ],
        "supervisor_pages": [
            ("overview (supervisor)", "/"),
            ("my students", "/programmet/mina-studenter/"),
            ("units list (supervisor)", "/org/unit/"),
        ],
        "careers": "/karriar/sodertalje/",
    }))
"""


def main() -> None:
    from production_trial import PY, running

    with running(demo=True, workers=WORKERS) as trial:
        prepared = subprocess.run(
            [PY, "manage.py", "shell", "-c", PREPARE],
            cwd=ROOT,
            env=trial.env,
            capture_output=True,
            text=True,
            check=True,
        )
        setup = json.loads(prepared.stdout.strip().splitlines()[-1])
        work = Path(tempfile.mkdtemp(prefix="bryggan-load-"))
        (work / "setup.json").write_text(json.dumps(setup))
        env = {**os.environ, "BENCH_LOAD_SETUP": str(work / "setup.json")}
        print(
            f"Load: {USERS} users (3 coordinators : 2 supervisors : 1 visitor) for {SECONDS} s "
            f"against nginx → gunicorn ({WORKERS} workers) → PostgreSQL, {trial.base_url}"
        )
        subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "locust"),
                "-f", str(ROOT / "tests" / "bench" / "locustfile.py"),
                "--headless", "--users", str(USERS), "--spawn-rate", "10",
                "--run-time", f"{SECONDS}s", "--host", trial.base_url,
                "--csv", str(work / "load"), "--only-summary", "--loglevel", "WARNING",
            ],
            cwd=ROOT,
            env=env,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=open(work / "locust.log", "w"),  # noqa: SIM115
        )  # fmt: skip
        if not (work / "load_stats.csv").exists():
            sys.exit("Locust produced no figures:\n" + (work / "locust.log").read_text()[-3000:])
        rows = list(csv.DictReader(open(work / "load_stats.csv")))  # noqa: SIM115
    print(f"{'page':48} {'requests':>9} {'errors':>7} {'median ms':>10} {'p95 ms':>8} {'req/s':>7}")
    for row in rows:
        print(
            f"{row['Name'][:48]:48} {row['Request Count']:>9} {row['Failure Count']:>7} "
            f"{row['Median Response Time']:>10} {row['95%']:>8} "
            f"{float(row['Requests/s']):>7.1f}"
        )
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(
        f"\nThroughput {float(total['Requests/s']):.1f} requests/s, median "
        f"{total['Median Response Time']} ms, p95 {total['95%']} ms, "
        f"{total['Failure Count']} errors in {total['Request Count']} requests."
    )


if __name__ == "__main__":
    main()
