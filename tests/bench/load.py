"""Load benchmark: the production configuration on loopback (scripts/production_trial.py:
nginx with TLS, gunicorn with threads and timeouts, PostgreSQL), the large municipality (5,000
participants with a year of hours, 2,000 applications on one posting), and Locust driving
signed-in coordinators, supervisors, mentors and students and public visitors — each reading
a page for 5–15 s, as people at work do — for five minutes. Every user also asks /healthz
now and then: each page's p99 is printed as a ratio to the trivial view's p99 in the same
run. Prints throughput, median, p95 and p99 per page and overall, and the errors. Run with
`make bench-load`.

    BENCH_LOAD_USERS (default 200), BENCH_LOAD_SECONDS (300), BENCH_LOAD_WORKERS (gunicorn,
    2 — one per core, each with threads), BENCH_LOAD_PARTICIPANTS (5000)
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

USERS = int(os.environ.get("BENCH_LOAD_USERS", "200"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "300"))
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", "2"))
PARTICIPANTS = int(os.environ.get("BENCH_LOAD_PARTICIPANTS", "5000"))

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
from bryggan.programme.models import Participant
from tests.bench.run import _big_round, _big_programme, BOARD_SIZE
PARTICIPANTS = int(sys.argv[1]) if len(sys.argv) > 1 else 5000

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
    _big_programme(PARTICIPANTS)
    coordinator = User.objects.get(email="coordinator@sodertalje.demo")
    supervisor = User.objects.get(email="supervisor@sodertalje.demo")
    mentor = User.objects.get(email="mentor@sodertalje.demo")
    student = User.objects.get(email="student@sodertalje.demo")
    one = Participant.unscoped.filter(municipality__slug="sodertalje").order_by("pk").first()
    term = Term.unscoped.filter(municipality__slug="sodertalje", year=2026, kind="HT").get()
    staff = StaffMember.unscoped.filter(municipality__slug="sodertalje").first()
    board = f"/rekrytering/annons/{posting}/tavla/"
    print(json.dumps({
        "coordinator_sessions": [session(coordinator, True) for _ in range(20)],
        "supervisor_sessions": [session(supervisor, False) for _ in range(20)],
        "mentor_sessions": [session(mentor, True) for _ in range(20)],
        "student_sessions": [session(student, True) for _ in range(20)],
        "coordinator_pages": [
            ("overview", "/"),
            (f"board, {BOARD_SIZE} applications", board),
            ("board, search", f"{board}?q=nilsson"),
            ("application file", f"/rekrytering/ansokan/{application}/"),
            (f"programme overview, {PARTICIPANTS} participants", "/programmet/"),
            ("programme overview, needs action", "/programmet/?action=1"),
            ("API participants", "/api/programme/participants"),
            ("one participant's page", f"/programmet/deltagare/{one.pk}/"),
            ("one participant's hours API", f"/api/programme/participants/{one.pk}/hours"),
            ("hours to approve", "/programmet/attestera/"),
            ("staff list", "/org/staff/"),
            ("capacity overview", f"/org/capacity/?term={term.pk}"),
            ("API board page", f"/api/recruitment/postings/{posting}/applications"),
        ],
        "supervisor_pages": [
            ("overview (supervisor)", "/"),
            ("my students", "/programmet/mina-studenter/"),
            ("units list (supervisor)", "/org/unit/"),
            ("hours to approve (supervisor)", "/programmet/attestera/"),
        ],
        "mentor_pages": [
            ("overview (mentor)", "/"),
            ("hours to approve (mentor)", "/programmet/attestera/"),
            ("my students (mentor)", "/programmet/mina-studenter/"),
        ],
        "student_pages": [
            ("overview (student)", "/"),
            ("the student's own page", "/programmet/mitt/"),
        ],
        "careers": "/karriar/sodertalje/",
    }))
"""


def main() -> None:
    from production_trial import PY, running

    with running(demo=True, workers=WORKERS) as trial:
        prepared = subprocess.run(
            [PY, "-c", "import django; django.setup(); exec(open(0).read())", str(PARTICIPANTS)],
            input=PREPARE,
            cwd=ROOT,
            env=trial.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if prepared.returncode:
            sys.exit("Preparing the municipality failed:\n" + prepared.stderr[-3000:])
        setup = json.loads(prepared.stdout.strip().splitlines()[-1])
        work = Path(tempfile.mkdtemp(prefix="bryggan-load-"))
        (work / "setup.json").write_text(json.dumps(setup))
        env = {**os.environ, "BENCH_LOAD_SETUP": str(work / "setup.json")}
        print(
            f"Load: {USERS} users (3 coordinators : 2 supervisors : 2 mentors : 2 students : "
            f"1 visitor, 5–15 s on a page) for {SECONDS} s at {PARTICIPANTS} participants "
            f"against nginx → gunicorn ({WORKERS} workers × threads) → PostgreSQL, "
            f"{trial.base_url}"
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
    healthz = next(r for r in rows if r["Name"] == "healthz (reference)")
    reference = max(float(healthz["99%"]), 1.0)
    print(
        f"{'page':44} {'requests':>8} {'errors':>6} {'median':>7} {'p95':>6} {'p99':>6} "
        f"{'p99 × ref':>9} {'req/s':>6}"
    )
    for row in rows:
        print(
            f"{row['Name'][:44]:44} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{row['Median Response Time']:>7} {row['95%']:>6} {row['99%']:>6} "
            f"{float(row['99%']) / reference:>9.1f} {float(row['Requests/s']):>6.1f}"
        )
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(
        f"\nThroughput {float(total['Requests/s']):.1f} requests/s, median "
        f"{total['Median Response Time']} ms, p95 {total['95%']} ms, p99 {total['99%']} ms, "
        f"{total['Failure Count']} errors in {total['Request Count']} requests "
        "(goal: p95 ≤ 200 ms, no errors, every page's p99 within 20× /healthz's)."
    )


if __name__ == "__main__":
    main()
