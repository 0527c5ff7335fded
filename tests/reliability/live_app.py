"""Bryggan served for real, for tools that talk to it over HTTP (schemathesis' command line):
a fresh database (on the PostgreSQL server of DATABASE_URL when that is PostgreSQL, else a
SQLite file), migrated and seeded with the demo municipalities, gunicorn with two workers on
a free loopback port, and an API token for the demo's coordinator."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
TOKEN_SCRIPT = """
from bryggan.core.models import User
from bryggan.core.permissions import actor_for
from bryggan.core.services import api_token_create
user = User.objects.get(email="coordinator@sodertalje.demo")
print("TOKEN=" + api_token_create(actor=actor_for(user), name="schemathesis", days=30).raw)
"""


@dataclass
class Served:
    base_url: str
    token: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def served_demo():
    work = Path(tempfile.mkdtemp(prefix="bryggan-served-"))
    server = os.environ.get("DATABASE_URL", "")
    database = ""
    if server.startswith("postgres"):
        import psycopg

        base = server.rsplit("/", 1)[0]
        database = f"bryggan_served_{os.getpid()}_{secrets.token_hex(3)}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{database}"')
        url = f"{base}/{database}"
    else:
        url = f"sqlite:///{work / 'bryggan.sqlite3'}"
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "bryggan.config.settings",
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "BRYGGAN_VAR_DIR": str(work / "var"),
        "PRIVATE_STORAGE_ROOT": str(work / "private"),
        "REMOVAL_JOURNAL": str(work / "removal-journal.jsonl"),
        "LOG_LEVEL": "ERROR",
    }
    process = None
    try:
        for command in (["migrate", "--noinput", "-v", "0"], ["seed_demo"]):
            subprocess.run(
                [PY, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
            )
        made = subprocess.run(
            [PY, "manage.py", "shell", "-c", TOKEN_SCRIPT],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        token = next(
            line.split("=", 1)[1] for line in made.stdout.splitlines() if line.startswith("TOKEN=")
        )
        process = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "bryggan.config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--error-logfile",
                str(work / "gunicorn-error.log"),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base_url = f"http://127.0.0.1:{port}"
        _wait_for(f"{base_url}/healthz")
        yield Served(base_url=base_url, token=token)
    finally:
        if process is not None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        if database:
            import psycopg

            with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)
