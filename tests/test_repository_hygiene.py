"""Nothing that must stay on a server is committed: no secret key, no database file, no
applicant's document, no private key. (A secret key and a database file once were.)"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = re.compile(
    r"(^|/)(secret_key|\.env|id_rsa|id_ed25519)$"
    r"|\.(sqlite3?|db|pem|key|p12|pfx)$"
    r"|(^|/)var/|(^|/)private/|(^|/)removal-journal\.jsonl$",
    re.IGNORECASE,
)
PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")


def _tracked() -> list[str]:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    result = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True, text=True
    )
    return [name for name in result.stdout.split("\0") if name]


def test_no_secret_database_or_document_is_committed():
    assert [name for name in _tracked() if FORBIDDEN.search(name)] == []


def test_no_private_key_is_committed():
    found = []
    for name in _tracked():
        path = ROOT / name
        small = path.is_file() and path.stat().st_size < 1_000_000
        if small and PRIVATE_KEY.search(path.read_text(errors="ignore")):
            found.append(name)
    assert found == []


@pytest.mark.parametrize(
    "name", ["secret_key", "bryggan.sqlite3", "var/bryggan.sqlite3", "x/private/cv.pdf", "a.pem"]
)
def test_the_check_knows_what_it_refuses(name):
    assert FORBIDDEN.search(name)


@pytest.mark.parametrize("name", ["src/bryggan/core/gate.py", "README.md", "docs/dpia.md"])
def test_the_check_lets_the_code_pass(name):
    assert not FORBIDDEN.search(name)
