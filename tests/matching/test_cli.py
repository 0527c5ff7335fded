"""The command line, run as a user would: `python -m bryggan.matching …`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

INSTANCE = {
    "students": [
        {"id": "s1", "preferences": ["u2", "u1"]},
        {"id": "s2", "preferences": ["u2"]},
        {"id": "s3", "preferences": ["u1", "u2"]},
    ],
    "units": [
        {"id": "u1", "capacity": 2, "ranking": ["s3", "s1"]},
        {"id": "u2", "capacity": 1, "ranking": ["s2", "s1"]},
    ],
    "supervisors": [
        {"id": "h1", "unit": "u1", "capacity": 1},
        {"id": "h2", "unit": "u2", "capacity": 1},
        {"id": "h3", "unit": "u1", "capacity": 1},
    ],
    "pinned": [],
    "forbidden": [],
}


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the engine needs no Django
    return subprocess.run(
        [sys.executable, "-m", "bryggan.matching", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.fixture
def files(tmp_path):
    def write(name, content):
        path = tmp_path / name
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        return str(path)

    return write


def test_solve_prints_the_result_as_json(files):
    result = run("solve", files("i.json", INSTANCE), "--seed", "4")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "assignment": {"s1": "u1", "s2": "u2", "s3": "u1"},
        "supervisor": {"s1": "h3", "s2": "h2", "s3": "h1"},
        "optimal": "student",
        "stable": True,
        "seed": 4,
    }


def test_solve_unit_optimal(files):
    result = run("solve", files("i.json", INSTANCE), "--optimal", "unit")
    assert json.loads(result.stdout)["optimal"] == "unit"


def test_check_accepts_a_stable_result_with_exit_0(files):
    instance = files("i.json", INSTANCE)
    solved = run("solve", instance)
    result = run("check", instance, files("r.json", solved.stdout))
    assert result.returncode == 0
    assert json.loads(result.stdout)["ok"] is True


def test_check_lists_blocking_pairs_with_exit_1(files):
    bad = {
        "assignment": {"s1": None, "s2": "u2", "s3": "u1"},
        "supervisor": {"s2": "h2", "s3": "h1"},
    }
    result = run("check", files("i.json", INSTANCE), files("r.json", bad))
    assert result.returncode == 1
    assert "blocking pair: student s1 and unit u1" in result.stderr
    assert json.loads(result.stdout)["blocking_pairs"] == [["s1", "u1"]]


def test_explain_says_why(files):
    instance = files("i.json", INSTANCE)
    solved = files("r.json", run("solve", instance).stdout)
    reasons = json.loads(run("explain", instance, solved).stdout)
    assert reasons["s1"][0]["code"] == "full"
    assert reasons["s1"][0]["unit"] == "u2"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("this is not json", "is not JSON"),
        ({"students": [{"id": "a"}, {"id": "a"}], "units": []}, "duplicate id"),
        ({"students": [{"id": "a", "preferences": ["x"]}], "units": []}, "unknown unit 'x'"),
        ({"students": [], "units": [{"id": "u", "capacity": -3}]}, "cannot be negative"),
        (
            {
                "students": [{"id": "a"}],
                "units": [{"id": "u", "capacity": 1}],
                "pinned": [["a", "u"]],
                "forbidden": [["a", "u"]],
            },
            "both pinned and forbidden",
        ),
    ],
)
def test_malformed_instances_exit_2_with_the_reason_on_stderr(files, content, message):
    result = run("solve", files("i.json", content))
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_a_missing_file_exits_2(tmp_path):
    result = run("solve", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert "cannot read instance" in result.stderr


def test_a_malformed_result_exits_2(files):
    result = run("check", files("i.json", INSTANCE), files("r.json", {"assignment": [1]}))
    assert result.returncode == 2
    assert "assignment" in result.stderr


def test_any_layout_of_the_same_instance_gives_the_same_result(files):
    """The usual file is read by the fast reader; one with an escape by the general parser."""
    compact = run("solve", files("c.json", json.dumps(INSTANCE, separators=(",", ":"))))
    indented = run("solve", files("i.json", json.dumps(INSTANCE, indent=4) + "\n"))
    escaped_text = json.dumps(INSTANCE).replace('"s1"', '"\\u0073\\u0031"')  # "s1", escaped
    escaped = run("solve", files("e.json", escaped_text))
    assert compact.returncode == indented.returncode == escaped.returncode == 0
    assert json.loads(compact.stdout) == json.loads(indented.stdout) == json.loads(escaped.stdout)


@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xfe{}", b'{"students": [], "units": []', b'{"students":[{"id":"s\x00"}]}'],
)
def test_empty_broken_or_binary_files_exit_2(tmp_path, content):
    path = tmp_path / "i.json"
    path.write_bytes(content)
    result = run("solve", str(path))
    assert result.returncode == 2
    assert "error:" in result.stderr
    assert result.stdout == ""
