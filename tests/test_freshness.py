"""The dependency-freshness check (scripts/check_freshness.py, run by make test): which release
it takes for the newest patch of a pin's series, and that it fails on a lagging pin."""

from __future__ import annotations

from packaging.version import Version
from scripts import check_freshness as fresh

PIN = fresh.Pin("django", Version("5.2.3"), "base.txt")


def _file(requires_python: str = "", yanked: bool = False) -> dict:
    return {"requires_python": requires_python, "yanked": yanked}


def test_the_newest_patch_is_taken_from_the_pins_own_series_only():
    releases = {
        "5.2.3": [_file()],
        "5.2.4": [_file()],
        "5.2.10": [_file()],  # 10 > 4 as a version, not as text
        "5.3.0": [_file()],  # a new minor series: not a patch
        "6.0": [_file()],
        "5.2.11rc1": [_file()],  # pre-release
        "5.2.12": [_file(yanked=True)],  # withdrawn by its authors
        "5.2.13": [_file(requires_python=">=3.99")],  # not installable on this Python
        "5.2.14": [],  # no files at all
        "not-a-version": [_file()],
    }
    assert fresh.newest_patch(PIN, releases) == Version("5.2.10")


def test_a_pin_at_its_newest_patch_passes_and_a_lagging_one_fails(monkeypatch, capsys):
    fresh_pin = fresh.Pin("django", Version("5.2.10"), "base.txt")
    lagging_pin = fresh.Pin("pypdf", Version("7.1.0"), "base.txt")
    verdicts = {
        "django": fresh.Verdict(fresh_pin, Version("5.2.10")),
        "pypdf": fresh.Verdict(lagging_pin, Version("7.1.1")),
    }
    monkeypatch.setattr(fresh, "read_pins", lambda paths: [fresh_pin, lagging_pin])
    monkeypatch.setattr(fresh, "check", lambda pin: verdicts[pin.name])

    assert fresh.main([]) == 1
    out = capsys.readouterr().out
    assert "LAGGING pypdf==7.1.0" in out
    assert "7.1.1 is the newest patch of 7.1" in out
    assert "pip install --no-deps 'pypdf==7.1.1'" in out  # the command that updates it
    assert "LAGGING django" not in out

    verdicts["pypdf"] = fresh.Verdict(lagging_pin, Version("7.1.0"))
    assert fresh.main([]) == 0


def test_a_package_the_index_cannot_answer_for_is_a_failure_not_a_silent_pass(monkeypatch):
    monkeypatch.setattr(fresh, "read_pins", lambda paths: [PIN])
    monkeypatch.setattr(fresh, "check", lambda pin: fresh.Verdict(pin, None, "timed out"))
    assert fresh.main([]) == 1


def test_the_pins_are_read_from_every_requirements_file(tmp_path):
    (tmp_path / "a.txt").write_text("# comment\n-r b.txt\nDjango==5.2.19\npsycopg[binary]==3.3.9\n")
    (tmp_path / "b.txt").write_text("types-PyYAML==6.0.12.20261122  # stubs\n")
    pins = fresh.read_pins([tmp_path / "a.txt", tmp_path / "b.txt"])
    assert {(p.name, str(p.version)) for p in pins} == {
        ("django", "5.2.19"),
        ("psycopg", "3.3.9"),
        ("types-pyyaml", "6.0.12.20261122"),
    }
