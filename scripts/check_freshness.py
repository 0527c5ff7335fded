"""Dependency freshness: every pinned package is the newest patch release of its minor series.

No advisory database is reachable from every machine Bryggan is built on, but the package index
is (pip installs from it). A security fix reaches a maintained series as a patch release, so a
pin that lags behind its series' newest patch is the likeliest way to ship a known hole. This
check asks the package index for every pin in requirements/*.txt and fails on a lagging one,
printing the command that updates it. Usage:

    python scripts/check_freshness.py [requirements/base.txt requirements/dev.txt ...]

The index is PyPI's JSON API unless FRESHNESS_INDEX_URL names another (a mirror with the same
API). Yanked releases, pre-releases and releases that do not support this Python are ignored.
"""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
INDEX = os.environ.get("FRESHNESS_INDEX_URL", "https://pypi.org/pypi").rstrip("/")
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*([^\s;#]+)")
PYTHON = Version(".".join(str(part) for part in sys.version_info[:3]))


@dataclass(frozen=True)
class Pin:
    name: str
    version: Version
    source: str  # the requirements file


@dataclass(frozen=True)
class Verdict:
    pin: Pin
    newest_patch: Version | None
    problem: str = ""

    @property
    def lagging(self) -> bool:
        return self.newest_patch is not None and self.newest_patch > self.pin.version


def read_pins(paths: list[Path]) -> list[Pin]:
    pins: dict[str, Pin] = {}
    for path in paths:
        for line in path.read_text().splitlines():
            match = PIN.match(line)
            if match:
                name = canonicalize_name(match.group(1))
                pins[name] = Pin(name, Version(match.group(2)), path.name)
    return list(pins.values())


def _supports_this_python(files: list[dict]) -> bool:
    if not files:
        return False
    for file in files:
        if file.get("yanked"):
            continue
        spec = file.get("requires_python") or ""
        try:
            if not spec or PYTHON in SpecifierSet(spec):
                return True
        except InvalidSpecifier:
            return True
    return False


def newest_patch(pin: Pin, releases: dict[str, list[dict]]) -> Version | None:
    """The newest release in the pin's major.minor series that this Python can install."""
    best: Version | None = None
    for text, files in releases.items():
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        if version.is_prerelease or version.is_devrelease:
            continue
        if version.release[:2] != pin.version.release[:2]:
            continue
        if not _supports_this_python(files):
            continue
        if best is None or version > best:
            best = version
    return best


def check(pin: Pin) -> Verdict:
    url = f"{INDEX}/{pin.name}/json"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (fixed https URL)
            data = json.load(response)
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        return Verdict(pin, None, f"the index did not answer ({error})")
    return Verdict(pin, newest_patch(pin, data.get("releases", {})))


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "requirements").glob("*.txt"))
    pins = read_pins(paths)
    with ThreadPoolExecutor(max_workers=8) as pool:
        verdicts = list(pool.map(check, pins))
    lagging = [v for v in verdicts if v.lagging]
    unknown = [v for v in verdicts if v.problem]
    for verdict in sorted(lagging, key=lambda v: v.pin.name):
        pin = verdict.pin
        print(
            f"LAGGING {pin.name}=={pin.version} ({pin.source}): {verdict.newest_patch} is the "
            f"newest patch of {pin.version.major}.{pin.version.minor}"
        )
    for verdict in unknown:
        print(f"UNKNOWN {verdict.pin.name}: {verdict.problem}")
    if lagging:
        names = " ".join(f"'{v.pin.name}=={v.newest_patch}'" for v in lagging)
        print(
            "\nUpdate with:\n"
            f"  .venv/bin/python -m pip install --no-deps {names}\n"
            "then change the pins in requirements/*.txt to match, and run make test."
        )
    print(
        f"Dependency freshness: {len(pins)} pins checked, {len(lagging)} lagging, "
        f"{len(unknown)} not answered."
    )
    # A pin the index cannot tell about is a failure too: never a silent pass.
    return 1 if lagging or unknown else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
