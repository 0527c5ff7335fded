"""The production configuration, started on loopback and tried over HTTPS: PostgreSQL,
gunicorn, the background worker and nginx terminating TLS and serving static files
(scripts/production_trial.py, which the README's production section describes)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the production trial runs on PostgreSQL",
)


def test_the_production_configuration_starts_and_serves_over_https():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [sys.executable, "scripts/production_trial.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.count("  ok: ") == 7, result.stdout
    assert "Stopped and cleaned up." in result.stdout
