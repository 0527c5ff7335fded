"""Matching engine benchmark: identical results to the `matching` package, and the speed-up.

`make bench` runs it. It prints, on this machine:
  1. 10,000 students / 1,000 units / 10 wishes: the `matching` package's resident-optimal
     solution (instance building + solving, same process) against ours (the same), whether
     the two assignments are identical, and the ratio;
  2. 100,000 students / 10,000 units / 10 wishes: our build and solve times, and the whole
     command line (`python -m bryggan.matching solve`) on a JSON file;
  3. peak memory of the 100,000-student solve.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from bryggan.matching.engine import Instance, check, solve  # noqa: E402
from bryggan.matching.engine.generate import random_instance  # noqa: E402


def _ours(data: dict) -> tuple[float, dict]:
    start = time.perf_counter()
    result = solve(Instance.from_dict(data))
    return time.perf_counter() - start, result.assignment


def _theirs(data: dict) -> tuple[float, dict]:
    from matching.games import HospitalResident

    sys.setrecursionlimit(100_000)
    resident_prefs = {s["id"]: s["preferences"] for s in data["students"]}
    hospital_prefs = {u["id"]: u["ranking"] for u in data["units"]}
    places = Instance.from_dict(data).places()
    capacities = {u["id"]: places[i] for i, u in enumerate(data["units"])}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
        solution = game.solve(optimal="resident")
        elapsed = time.perf_counter() - start
    assignment: dict = dict.fromkeys(resident_prefs)
    for hospital, residents in solution.items():
        for resident in residents:
            assignment[resident.name] = hospital.name
    return elapsed, assignment


def compare(students: int, units: int, wishes: int, repeats: int) -> None:
    data = random_instance(students, units, wishes, seed=7)
    ours = [_ours(data) for _ in range(repeats)]
    ours_time = statistics.median(t for t, _ in ours)
    theirs_time, theirs_assignment = _theirs(data)
    identical = ours[0][1] == theirs_assignment
    placed = sum(1 for u in theirs_assignment.values() if u)
    print(f"{students:,} students / {units:,} units / {wishes} wishes ({placed:,} placed)")
    print(f"  matching package (resident-optimal): {theirs_time:8.3f} s")
    print(f"  bryggan engine (median of {repeats}):    {ours_time:8.3f} s")
    print(f"  identical assignments: {'yes' if identical else 'NO'}")
    print(f"  speed-up: {theirs_time / ours_time:,.0f}×")


def national(students: int, units: int, wishes: int) -> None:
    data = random_instance(students, units, wishes, seed=11)
    builds, solves = [], []
    for _ in range(3):
        start = time.perf_counter()
        instance = Instance.from_dict(data)
        built = time.perf_counter()
        result = solve(instance)
        builds.append(built - start)
        solves.append(time.perf_counter() - built)
    report = check(instance, result)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(data, handle)
        path = handle.name
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bryggan.matching", "solve", path],
        check=True,
        stdout=subprocess.DEVNULL,
        env=env,
    )
    cli = time.perf_counter() - start
    size = os.path.getsize(path) / 1e6
    os.unlink(path)
    tracemalloc.start()
    solve(Instance.from_dict(data))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{students:,} students / {units:,} units / {wishes} wishes (national size)")
    print(f"  build the instance (validate, index): {statistics.median(builds):6.3f} s")
    print(f"  solve (student-optimal, supervisors): {statistics.median(solves):6.3f} s")
    print(f"  whole command line on a {size:.0f} MB file (parse, solve, check, print): {cli:.2f} s")
    print(f"  stable and within capacities: {'yes' if report.ok else 'NO'}")
    print(
        f"  peak memory of build + solve: {peak / 1e6:.0f} MB "
        f"({peak / (students * wishes):.0f} bytes per preference entry)"
    )


def main() -> None:
    print(f"Matching benchmark on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    compare(10_000, 1_000, 10, repeats=5)
    national(100_000, 10_000, 10)


if __name__ == "__main__":
    main()
