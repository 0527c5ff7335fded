"""What every PostgreSQL connection Bryggan opens is told: no JIT compilation (it cost the
insights seconds per grouped count over a million rows), and the web processes' ceiling on
one statement when production sets it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own settings"),
]


def test_a_connection_runs_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_the_statement_timeout_is_set_beside_jit_when_production_asks_for_it():
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'bryggan.config.settings'); from django.conf import settings; "
        "print(settings.DATABASES['default']['OPTIONS']['options'])"
    )
    env = {**os.environ, "DB_STATEMENT_TIMEOUT_MS": "15000", "PYTHONPATH": str(ROOT / "src")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["-c", "jit=off", "-c", "statement_timeout=15000"]
