"""A plain, deterministic generator of random instances with a popularity skew.

A few units are wanted by many (Zipf-like weights); each unit ranks exactly the students who
ranked it, by a shared merit score plus the unit's own noise; supervisors' capacities add up
to at least their unit's capacity. Used by the benchmark and the property tests.
"""

from __future__ import annotations

import itertools
import random


def random_instance(
    students: int,
    units: int,
    wishes: int,
    *,
    seed: int = 1,
    skew: float = 0.8,
    seats_per_student: float = 0.9,
    supervisors: bool = True,
) -> dict:
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    unit_ids = [f"u{j}" for j in range(units)]
    weights = [1 / (j + 1) ** skew for j in range(units)]
    rng.shuffle(weights)
    cumulative = list(itertools.accumulate(weights))
    wishes = min(wishes, units)
    applicants: list[list[tuple[float, str]]] = [[] for _ in range(units)]
    student_rows = []
    for i in range(students):
        sid = f"s{i}"
        merit = rng.random()
        chosen: list[int] = []
        seen: set[int] = set()
        while len(chosen) < wishes:
            for j in rng.choices(range(units), cum_weights=cumulative, k=wishes * 2):
                if j not in seen:
                    seen.add(j)
                    chosen.append(j)
                    if len(chosen) == wishes:
                        break
        for j in chosen:
            applicants[j].append((merit + rng.random() * 0.3, sid))
        student_rows.append({"id": sid, "preferences": [unit_ids[j] for j in chosen]})
    seats = max(1, int(students * seats_per_student / units))
    unit_rows, supervisor_rows = [], []
    for j, uid in enumerate(unit_ids):
        capacity = rng.randint(1, 2 * seats)
        ranking = [sid for _score, sid in sorted(applicants[j], reverse=True)]
        unit_rows.append({"id": uid, "capacity": capacity, "ranking": ranking})
        if supervisors:
            total, k = 0, 0
            while total < capacity:
                cap = rng.randint(1, 3)
                supervisor_rows.append({"id": f"h{j}_{k}", "unit": uid, "capacity": cap})
                total, k = total + cap, k + 1
    instance: dict = {"students": student_rows, "units": unit_rows}
    if supervisors:
        instance["supervisors"] = supervisor_rows
    return instance
