#!/usr/bin/env python3
"""Start Bryggan's production configuration on loopback, check it, and stop it again.

    .venv/bin/python scripts/production_trial.py            start, check, stop
    .venv/bin/python scripts/production_trial.py --serve    start and keep serving (Ctrl-C)

What runs is what the README's production section describes, on this one machine:
PostgreSQL (a new database on the local server, dropped afterwards), migrations,
collectstatic, gunicorn with two workers, the background worker (db_worker), and nginx in
front terminating TLS (a self-signed certificate) and serving the static files. Settings come
from the environment exactly as in production: HTTPS=1, a generated SECRET_KEY, DEBUG off.
The check then talks to it only through nginx, over HTTPS, as a browser would.

``running()`` is also used by the load benchmark (tests/bench/load.py).
"""

# ruff: noqa: S603, S310 - runs only our own commands against our own loopback server

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
SERVER = os.environ.get("TRIAL_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

NGINX_CONF = """\
{user}worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log {work}/nginx-access.log;
    client_body_temp_path {work}/nginx-tmp/body;
    proxy_temp_path {work}/nginx-tmp/proxy;
    fastcgi_temp_path {work}/nginx-tmp/fastcgi;
    uwsgi_temp_path {work}/nginx-tmp/uwsgi;
    scgi_temp_path {work}/nginx-tmp/scgi;
    server_tokens off;
    upstream bryggan {{ server 127.0.0.1:{app_port}; keepalive 32; }}
    server {{
        listen 127.0.0.1:{http_port};
        location = /healthz {{ proxy_pass http://bryggan; proxy_set_header Host $http_host; }}
        location / {{ return 301 https://$host:{https_port}$request_uri; }}
    }}
    server {{
        listen 127.0.0.1:{https_port} ssl;
        ssl_certificate {work}/tls.crt;
        ssl_certificate_key {work}/tls.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        # Two 10 MB documents and the form around them.
        client_max_body_size 25m;
        location /static/ {{
            alias {static}/;
            expires 30d;
            add_header Cache-Control "public";
            add_header X-Content-Type-Options nosniff;
        }}
        location / {{
            proxy_pass http://bryggan;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


@dataclass
class Trial:
    base_url: str  # https, through nginx
    http_url: str
    env: dict[str, str]
    work: Path


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args: list[str], env: dict[str, str], **kwargs) -> None:
    subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)


def _wait_for(url: str, timeout: float = 60) -> None:
    context = ssl._create_unverified_context()  # noqa: S323 - our own self-signed certificate
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, context=context, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


THREADS = 4


@contextlib.contextmanager
def running(*, demo: bool = True, workers: int = 2, quiet: bool = True):
    """Start the whole production configuration; yield a Trial; stop and clean up."""
    import psycopg

    work = Path(tempfile.mkdtemp(prefix="bryggan-prod-"))
    database = f"bryggan_trial_{os.getpid()}_{secrets.token_hex(3)}"
    app_port, http_port, https_port = _free_port(), _free_port(), _free_port()
    base_url = f"https://127.0.0.1:{https_port}"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)},
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "bryggan.config.settings",
        "DATABASE_URL": f"{SERVER}/{database}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "HTTPS": "1",
        "TRUSTED_PROXY_HOPS": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": base_url,
        "SITE_URL": base_url,
        "BRYGGAN_VAR_DIR": str(work / "var"),
        "STATIC_ROOT": str(work / "static"),
        "PRIVATE_STORAGE_ROOT": str(work / "private"),
        "REMOVAL_JOURNAL": str(work / "removal-journal.jsonl"),
        "LOG_LEVEL": "WARNING",
    }
    output = subprocess.DEVNULL if quiet else None
    processes: list[subprocess.Popen] = []
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    try:
        _run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env)
        _run([PY, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
        _run(["chmod", "-R", "a+rX", str(work)], env)
        if demo:
            _run([PY, "manage.py", "seed_demo"], env, stdout=output)
        _run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                str(work / "tls.key"),
                "-out",
                str(work / "tls.crt"),
            ],
            env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        (work / "nginx-tmp").mkdir()
        (work / "nginx.conf").write_text(
            NGINX_CONF.format(
                user="user root;\n" if os.geteuid() == 0 else "",
                work=work,
                static=work / "static",
                app_port=app_port,
                http_port=http_port,
                https_port=https_port,
            )
        )
        web_env = {**env, "DB_STATEMENT_TIMEOUT_MS": "20000"}
        processes.append(
            subprocess.Popen(
                [
                    str(ROOT / ".venv" / "bin" / "gunicorn"),
                    "bryggan.config.wsgi",
                    "--bind",
                    f"127.0.0.1:{app_port}",
                    "--workers",
                    str(workers),
                    # Threads: a slow request holds one thread, not the worker, so quick
                    # requests (and /healthz) still get through; a request past the timeout
                    # is stopped rather than left to hold its worker (README, Production).
                    "--worker-class",
                    "gthread",
                    "--threads",
                    str(THREADS),
                    "--timeout",
                    "30",
                    "--access-logfile",
                    str(work / "gunicorn-access.log"),
                    "--error-logfile",
                    str(work / "gunicorn-error.log"),
                ],
                cwd=ROOT,
                env=web_env,
            )
        )
        processes.append(
            subprocess.Popen(
                [PY, "manage.py", "db_worker", "--no-reload", "--interval", "2", "-v", "0"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=output,
            )
        )
        processes.append(
            subprocess.Popen(
                [NGINX, "-c", str(work / "nginx.conf"), "-p", str(work), "-g", "daemon off;"],
                cwd=ROOT,
                env=env,
            )
        )
        _wait_for(f"{base_url}/healthz")
        yield Trial(base_url=base_url, http_url=f"http://127.0.0.1:{http_port}", env=env, work=work)
    finally:
        for process in reversed(processes):
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)


_WORKER_PROBE = """
import time
from bryggan.recruitment.tasks import send_interview_reminder
result = send_interview_reminder.enqueue(0, 0)
for _ in range(150):
    result.refresh()
    if result.status.name in ("SUCCESSFUL", "FAILED"):
        break
    time.sleep(0.2)
print(result.status.name)
"""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check(trial: Trial) -> list[str]:
    """Talk to the running configuration as a browser would; return what was seen."""
    context = ssl._create_unverified_context()  # noqa: S323 - our own self-signed certificate
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context),
        urllib.request.HTTPCookieProcessor(jar),
        _NoRedirect(),
    )
    seen = []

    def get(url: str):
        try:
            return opener.open(url, timeout=30)
        except urllib.error.HTTPError as error:
            return error

    health = get(f"{trial.base_url}/healthz")
    body = json.loads(health.read())
    assert health.status == 200 and body == {
        "status": "ok",
        "database": "ok",
        "vendor": "postgresql",
    }, body
    seen.append("healthz over HTTPS through nginx: PostgreSQL ok")

    plain = get(f"{trial.http_url}/login/")
    assert plain.status == 301 and plain.headers["Location"].startswith("https://"), plain.status
    seen.append("plain http is redirected to https")

    login = get(f"{trial.base_url}/login/")
    page = login.read().decode()
    assert login.status == 200 and "Logga in" in page
    headers = login.headers
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    cookies = {c.name: c for c in jar}
    assert cookies["csrftoken"].secure
    seen.append("login page: HSTS, CSP, secure CSRF cookie")

    css = get(f"{trial.base_url}/static/core/bryggan.css")
    assert css.status == 200 and "max-age" in (css.headers["Cache-Control"] or "")
    assert "gunicorn" not in (css.headers.get("Server") or "")
    seen.append("static files served by nginx with caching")

    token = cookies["csrftoken"].value
    form = urllib.parse.urlencode(
        {
            "username": "supervisor@sodertalje.demo",
            "password": "bryggan-demo",
            "csrfmiddlewaretoken": token,
        }
    ).encode()
    request = urllib.request.Request(
        f"{trial.base_url}/login/",
        data=form,
        headers={"Referer": f"{trial.base_url}/login/", "Origin": trial.base_url},
    )
    try:
        signed_in = opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        signed_in = error
    assert signed_in.status == 302, signed_in.status
    assert any(c.name == "sessionid" and c.secure for c in jar)
    home = get(f"{trial.base_url}/")
    assert home.status == 200 and "Översikt" in home.read().decode()
    seen.append("a supervisor signs in over HTTPS (secure session cookie) and sees the overview")

    worker = subprocess.run(
        [PY, "manage.py", "shell", "-c", _WORKER_PROBE],
        cwd=ROOT,
        env=trial.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert worker.stdout.strip().endswith("SUCCESSFUL"), worker.stdout + worker.stderr
    seen.append("the background worker ran a queued task")

    hostile = get(f"{trial.base_url}/org/unit/{'9' * 30}/")
    assert hostile.status in (302, 404), hostile.status
    seen.append("a hostile id is a 404, not a 500")
    return seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--serve", action="store_true", help="keep serving until Ctrl-C")
    args = parser.parse_args()
    started = time.monotonic()
    with running(quiet=not args.serve) as trial:
        print(f"Production configuration up in {time.monotonic() - started:.1f} s:", trial.base_url)
        for line in check(trial):
            print("  ok:", line)
        if args.serve:
            print("Serving; Ctrl-C stops.")
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(1)
    print("Stopped and cleaned up.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
