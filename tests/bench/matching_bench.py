"""Matching engine benchmark: identical results to the `matching` package, and the speed-up.

`make bench` runs it (alone: `make bench-matching`). It prints, on this machine:
  1. 10,000 students / 1,000 units / 10 wishes: the `matching` package's resident-optimal
     solution (instance building + solving, same process) against ours (the same), whether
     the two assignments are identical, and the ratio;
  2. 100,000 students / 10,000 units / 10 wishes: our build and solve times, the deferred
     acceptance alone against the same algorithm compiled with Numba (same assignment), the
     whole command line (`python -m bryggan.matching solve`) on a JSON file with its peak
     memory, and the peak memory of build + solve in-process;
  3. growth: the solve at 100,000, 300,000 and 1,000,000 students (a tenth as many units),
     drawn straight into arrays, with the time per student.
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

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from bryggan.matching.engine import Instance, check, reader, solve  # noqa: E402
from bryggan.matching.engine.algorithm import _students_propose, strict_ranks  # noqa: E402
from bryggan.matching.engine.generate import random_arrays, random_instance  # noqa: E402
from tests.bench import compiled_reference  # noqa: E402


def _ours(data: dict) -> tuple[float, dict]:
    start = time.perf_counter()
    result = solve(Instance.from_dict(data))
    return time.perf_counter() - start, result.assignment


def _ours_from_text(text: bytes) -> tuple[float, dict]:
    start = time.perf_counter()
    result = solve(reader.instance_from_json(text))
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
    text = json.dumps(data).encode()
    ours = [_ours(data) for _ in range(repeats)]
    ours_time = statistics.median(t for t, _ in ours)
    from_text = [_ours_from_text(text) for _ in range(repeats)]
    text_time = statistics.median(t for t, _ in from_text)
    theirs_time, theirs_assignment = _theirs(data)
    identical = ours[0][1] == theirs_assignment == from_text[0][1]
    placed = sum(1 for u in theirs_assignment.values() if u)
    print(f"{students:,} students / {units:,} units / {wishes} wishes ({placed:,} placed)")
    print(f"  matching package (resident-optimal, from Python dicts): {theirs_time:8.3f} s")
    print(f"  bryggan engine from the same dicts (median of {repeats}):  {ours_time:8.3f} s")
    print(f"  bryggan engine from the JSON text (median of {repeats}):    {text_time:8.3f} s")
    print(f"  identical assignments: {'yes' if identical else 'NO'}")
    print(
        f"  speed-up: {theirs_time / text_time:,.0f}× from the text, "
        f"{theirs_time / ours_time:,.0f}× from dicts (goal 500×)"
    )


def _engine_rounds(instance: Instance):
    unit_of = np.full(len(instance.student_ids), -1, dtype=np.int64)
    places = instance.places_array()
    start = time.perf_counter()
    _students_propose(instance, strict_ranks(instance, 0), places, unit_of)
    return time.perf_counter() - start, unit_of


def _compiled(instance: Instance):
    arrays = compiled_reference.prepare(instance)
    compiled_reference.deferred_acceptance(*arrays)  # compile
    times = []
    for _ in range(3):
        start = time.perf_counter()
        unit_of = compiled_reference.deferred_acceptance(*arrays)
        times.append(time.perf_counter() - start)
    return statistics.median(times), unit_of


# `python -m bryggan.matching` exactly, then the process's own peak memory (KB) on stderr. It
# is read from /proc (VmHWM, which starts afresh at exec): getrusage's maxrss would also count
# the benchmark's own pages, shared with the child between fork and exec.
_CLI_WITH_MEMORY = (
    "import sys; from bryggan.matching.engine.cli import main; code = main(); "
    "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]; "
    "print(peak.split()[1], file=sys.stderr); sys.exit(code)"
)


def _timed(make, repeats: int = 3) -> tuple[float, object]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        made = make()
        times.append(time.perf_counter() - start)
    return statistics.median(times), made


def national(students: int, units: int, wishes: int) -> None:
    data = random_instance(students, units, wishes, seed=11)
    text = json.dumps(data).encode()
    dict_build, instance = _timed(lambda: Instance.from_dict(data))
    text_build, from_text = _timed(lambda: reader.instance_from_json(text))
    arrays_build, from_arrays = _timed(
        lambda: Instance.from_arrays(
            pref_start=instance.pref_start,
            pref_unit=instance.pref_unit,
            rank_start=instance.rank_start,
            rank_student=instance.rank_student,
            unit_capacity=np.asarray(instance.unit_capacity),
            supervisor_unit=np.asarray(instance.supervisor_unit),
            supervisor_capacity=np.asarray(instance.supervisor_capacity),
        )
    )
    solved, result = _timed(lambda: solve(instance))
    assert (from_text.pref_entry == instance.pref_entry).all()
    assert (from_arrays.pref_entry == instance.pref_entry).all()
    report = check(instance, result)
    ours = [_engine_rounds(instance) for _ in range(3)]
    compiled_time, compiled_unit_of = _compiled(instance)
    rounds_time = statistics.median(t for t, _ in ours)
    same = (ours[0][1] == compiled_unit_of).all()
    with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as handle:
        handle.write(text)
        path = handle.name
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    clis, memories = [], []
    for _ in range(3):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _CLI_WITH_MEMORY, "solve", path],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        clis.append(time.perf_counter() - start)
        memories.append(int(done.stderr.decode().strip().splitlines()[-1]) / 1024)
    cli_memory = statistics.median(memories)
    size = os.path.getsize(path) / 1e6
    os.unlink(path)
    del from_text, from_arrays
    tracemalloc.start()
    solve(reader.instance_from_json(text))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{students:,} students / {units:,} units / {wishes} wishes (national size)")
    print("  build the instance (validate, index, join each wish to its ranking entry):")
    mb = f"{len(text) / 1e6:.0f} MB"
    print(f"    from the JSON text ({mb}, the fast reader):           {text_build:6.3f} s")
    print(f"    from Python dicts of id strings (Instance.from_dict):   {dict_build:6.3f} s")
    print(f"    from integer arrays (Instance.from_arrays):             {arrays_build:6.3f} s")
    print(f"  solve (student-optimal, supervisors): {solved:6.3f} s")
    print(
        f"  build + solve: {text_build + solved:.3f} s from the text, "
        f"{dict_build + solved:.3f} s from dicts, {arrays_build + solved:.3f} s from arrays "
        f"(goal 0.25 s)"
    )
    print(
        f"  deferred acceptance alone: {rounds_time:.3f} s; compiled with Numba: "
        f"{compiled_time:.3f} s ({rounds_time / compiled_time:.1f}× the compiled; "
        f"same assignment: {'yes' if same else 'NO'})"
    )
    print(
        f"  whole command line on a {size:.0f} MB file (parse, solve, check, print): "
        f"{statistics.median(clis):.2f} s (goal 1.0 s), peak memory {cli_memory:.0f} MB "
        f"(goal 150 MB)"
    )
    print(f"  stable and within capacities: {'yes' if report.ok else 'NO'}")
    print(
        f"  peak memory of build + solve in-process: {peak / 1e6:.0f} MB "
        f"({peak / (students * wishes):.0f} bytes per preference entry)"
    )


def growth(sizes: list[int], wishes: int) -> None:
    print(f"Growth: solve (student-optimal, supervisors), {wishes} wishes, units = students / 10")
    for students in sizes:
        instance = random_arrays(students, students // 10, wishes, seed=3)
        times = []
        for _ in range(2):
            start = time.perf_counter()
            result = solve(instance)
            times.append(time.perf_counter() - start)
        elapsed = min(times)
        placed = sum(1 for u in result.assignment.values() if u)
        print(
            f"  {students:>9,} students: {elapsed:6.3f} s, "
            f"{elapsed / students * 1e6:.2f} µs per student ({placed:,} placed)"
        )
        del instance, result


def main() -> None:
    print(f"Matching benchmark on {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    compare(10_000, 1_000, 10, repeats=5)
    national(100_000, 10_000, 10)
    growth([100_000, 300_000, 1_000_000], 10)
    print("  goal: 1,000,000 students in 3 s or less")


if __name__ == "__main__":
    main()
