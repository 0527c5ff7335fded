"""A plain, deterministic generator of random instances with a popularity skew.

A few units are wanted by many (Zipf-like weights); each unit ranks exactly the students who
ranked it, by a shared merit score plus the unit's own noise; supervisors' capacities add up
to at least their unit's capacity. Used by the benchmark and the property tests.
"""

from __future__ import annotations

import itertools
import random

import numpy as np

from bryggan.matching.engine.model import Instance


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


def random_arrays(
    students: int,
    units: int,
    wishes: int,
    *,
    seed: int = 1,
    skew: float = 0.8,
    seats_per_student: float = 0.9,
) -> Instance:
    """The same kind of instance as ``random_instance``, drawn with NumPy straight into the
    engine's integer form: national and larger sizes in seconds, without a million dicts."""
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, units + 1) ** skew
    rng.shuffle(weights)
    wishes = min(wishes, units)
    # Draw three times the wishes per student and keep the first distinct ones, in order.
    drawn = rng.choice(units, size=(students, 3 * wishes), p=weights / weights.sum())
    order = np.argsort(drawn, axis=1, kind="stable")
    in_order = np.take_along_axis(drawn, order, axis=1)
    first = np.ones_like(drawn, dtype=bool)
    first[:, 1:] = in_order[:, 1:] != in_order[:, :-1]
    distinct = np.empty_like(first)
    np.put_along_axis(distinct, order, first, axis=1)
    distinct &= np.cumsum(distinct, axis=1) <= wishes
    pref_unit = drawn[distinct]
    pref_start = np.zeros(students + 1, dtype=np.int64)
    np.cumsum(distinct.sum(axis=1), out=pref_start[1:])
    # Each unit ranks exactly those who ranked it: shared merit plus the unit's own noise.
    pref_student = np.repeat(np.arange(students), np.diff(pref_start))
    score = rng.random(students)[pref_student] + rng.random(len(pref_unit)) * 0.3
    by_unit = np.lexsort((-score, pref_unit))
    rank_student = pref_student[by_unit]
    rank_start = np.zeros(units + 1, dtype=np.int64)
    np.cumsum(np.bincount(pref_unit, minlength=units), out=rank_start[1:])
    seats = max(1, int(students * seats_per_student / units))
    capacity = rng.integers(1, 2 * seats + 1, size=units)
    # Supervisors of two or three places each, enough for the unit's capacity
    per_unit = (capacity + 1) // 2
    supervisor_unit = np.repeat(np.arange(units), per_unit)
    supervisor_capacity = rng.integers(2, 4, size=len(supervisor_unit))
    return Instance.from_arrays(
        pref_start=pref_start,
        pref_unit=pref_unit,
        rank_start=rank_start,
        rank_student=rank_student,
        unit_capacity=capacity,
        supervisor_unit=supervisor_unit,
        supervisor_capacity=supervisor_capacity,
    )
