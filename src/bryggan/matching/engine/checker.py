"""An independent check of any result: within capacities, rules honoured, and stable.

Written apart from the algorithm and sharing none of its code beyond the parsed instance, so
it can audit results from anywhere (this engine, another tool, a hand-made plan). Stability is
weak stability under the units' rankings as written: a tie never makes a blocking pair.

Like the solver it works on whole arrays (a national result is checked in a few hundredths of
a second); the messages are written only for what is found wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import repeat

import numpy as np

from bryggan.matching.engine.model import INDEX, Instance, Result, gc_paused


@dataclass
class CheckReport:
    blocking_pairs: list[tuple[str, str]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    @property
    def stable(self) -> bool:
        return not self.blocking_pairs

    @property
    def ok(self) -> bool:
        return self.stable and not self.violations

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "stable": self.stable,
            "blocking_pairs": [list(p) for p in self.blocking_pairs],
            "violations": self.violations,
        }


def check(instance: Instance, result: Result, *, max_listed: int = 1000) -> CheckReport:
    with gc_paused():
        return _check(instance, result, max_listed)


def _check(instance: Instance, result: Result, max_listed: int) -> CheckReport:
    report = CheckReport()
    sid, uid = instance.student_ids, instance.unit_ids
    unit_of = _read_assignment(instance, result, report)
    if report.violations:
        return report
    places = instance.places_array()
    counts = np.bincount(unit_of[unit_of >= 0], minlength=len(uid))
    for u in np.flatnonzero(counts > places).tolist():
        report.violations.append(
            f"unit {uid[u]!r} holds {counts[u]} students but has {places[u]} places"
        )
    for s, u in instance.pinned.items():
        if unit_of[s] != u:
            report.violations.append(f"student {sid[s]!r} is pinned to {uid[u]!r}")
    edge_student = instance.pref_student
    # The preference entry of each student's own unit, if they listed it
    own = instance.pref_unit == unit_of[edge_student]
    own_edge = np.full(len(sid), len(own), dtype=INDEX)
    own_edge[edge_student[own]] = np.flatnonzero(own)
    entry = instance.pref_entry
    mutual = np.zeros(len(sid), dtype=bool)
    mutual[edge_student[own & (entry >= 0)]] = True
    pinned_here = np.zeros(len(sid), dtype=bool)
    for s, u in instance.pinned.items():
        pinned_here[s] = unit_of[s] == u
    problems = []
    for s, u in instance.forbidden:
        if unit_of[s] == u and not pinned_here[s]:
            problems.append((s, f"forbidden pair ({sid[s]!r}, {uid[u]!r}) was used"))
    for s in np.flatnonzero((unit_of >= 0) & ~mutual & ~pinned_here).tolist():
        if (s, int(unit_of[s])) not in instance.forbidden:
            problems.append((s, f"({sid[s]!r}, {uid[unit_of[s]]!r}) is not a mutually ranked pair"))
    report.violations.extend(text for _s, text in sorted(problems))
    _check_supervisors(instance, result, unit_of, report)
    _find_blocking_pairs(instance, unit_of, own, own_edge, places, counts, report, max_listed)
    return report


_MISSING = object()


def _read_assignment(instance: Instance, result: Result, report: CheckReport) -> np.ndarray:
    """Each student's unit index (-1 for none); unknown or missing names are violations."""
    sid = instance.student_ids
    assignment = result.assignment
    units = list(map(assignment.get, sid, repeat(_MISSING)))
    if _MISSING in units:
        missing = sorted(s for s, u in zip(sid, units, strict=True) if u is _MISSING)
        report.violations.append(f"students missing from the result: {missing[:10]}")
    listed = len(sid) - units.count(_MISSING)
    if len(assignment) != listed:
        known = set(sid)
        for s in assignment:
            if s not in known:
                report.violations.append(f"unknown student {s!r} in the result")
    lookup: dict = {u: i for i, u in enumerate(instance.unit_ids)}
    lookup[None] = lookup[_MISSING] = -1
    codes = list(map(lookup.get, units))
    if None in codes:
        for u in units:
            if u not in lookup:
                report.violations.append(f"unknown unit {u!r} in the result")
        return np.full(len(sid), -1, dtype=INDEX)
    return np.asarray(codes, dtype=INDEX)


def _check_supervisors(instance, result, unit_of, report) -> None:
    if not instance.has_supervisors:
        return
    h_index = {h: i for i, h in enumerate(instance.supervisor_ids)}
    placed = np.flatnonzero(unit_of >= 0)
    names = list(map(instance.student_ids.__getitem__, placed.tolist()))
    chosen = np.asarray(
        list(map(h_index.get, map(result.supervisor.get, names, repeat("")), repeat(-1))),
        dtype=INDEX,
    )
    sup_unit = np.asarray(instance.supervisor_unit, dtype=INDEX)
    capacity = np.asarray(instance.supervisor_capacity, dtype=INDEX)
    has = chosen >= 0
    right = has.copy()
    right[has] = sup_unit[chosen[has]] == unit_of[placed[has]]
    for n in np.flatnonzero(~right).tolist():
        what = "has a supervisor of another unit" if has[n] else "has no supervisor"
        report.violations.append(f"student {names[n]!r} {what}")
    load = np.bincount(chosen[right], minlength=len(capacity))
    for h in np.flatnonzero(load > capacity).tolist():
        report.violations.append(
            f"supervisor {instance.supervisor_ids[h]!r} has {load[h]} students, "
            f"capacity {capacity[h]}"
        )


def _find_blocking_pairs(
    instance, unit_of, own, own_edge, places, counts, report, max_listed
) -> None:
    """(s, u) blocks when both rank each other, it is allowed, s prefers u to what s has, and
    u has a free place or holds someone it ranks strictly below s. Pinned students and their
    pinned places are fixed by the coordinator and never block.

    Each unit gets a threshold: a student blocks with it when the unit ranks them strictly
    better than the threshold (every ranked student when the unit has room).
    """
    n_students = len(instance.student_ids)
    entry, group = instance.pref_entry, instance.rank_group
    edge_student = instance.pref_student
    pinned = np.zeros(n_students, dtype=bool)
    pinned_here = np.zeros(n_students, dtype=bool)
    for s, u in instance.pinned.items():
        pinned[s] = True
        pinned_here[s] = unit_of[s] == u
    # The tie group of each placed student in their own unit (-1 when it did not rank them)
    group_of = np.full(n_students, -1, dtype=INDEX)
    ranked_own = own & (entry >= 0)
    group_of[edge_student[ranked_own]] = group[entry[ranked_own]]
    room = int(group.max()) + 1 if len(group) else 0
    threshold = np.full(len(instance.unit_ids), -1, dtype=INDEX)
    members = np.flatnonzero((unit_of >= 0) & ~pinned_here)
    np.maximum.at(threshold, unit_of[members], group_of[members])
    threshold[counts < places] = room
    edge = np.arange(len(entry), dtype=INDEX)
    ranked = entry >= 0
    blocks = ranked & (edge < own_edge[edge_student]) & ~pinned[edge_student]
    blocks[ranked] &= group[entry[ranked]] < threshold[instance.pref_unit[ranked]]
    if instance.forbidden:
        blocks &= ~instance.forbidden_mask()
    for e in np.flatnonzero(blocks)[:max_listed].tolist():
        report.blocking_pairs.append(
            (instance.student_ids[edge_student[e]], instance.unit_ids[instance.pref_unit[e]])
        )
