"""An independent check of any result: within capacities, rules honoured, and stable.

Written apart from the algorithm and sharing none of its code beyond the parsed instance, so
it can audit results from anywhere (this engine, another tool, a hand-made plan). Stability is
weak stability under the units' rankings as written: a tie never makes a blocking pair.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from bryggan.matching.engine.model import Instance, Result, gc_paused


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
    s_index = {s: i for i, s in enumerate(sid)}
    u_index = {u: i for i, u in enumerate(uid)}
    unit_of = _read_assignment(result, s_index, u_index, report)
    if report.violations:
        return report
    places = instance.places()
    members: list[list[int]] = [[] for _ in uid]
    for s, u in enumerate(unit_of):
        if u is not None:
            members[u].append(s)
    for u, students in enumerate(members):
        if len(students) > places[u]:
            report.violations.append(
                f"unit {uid[u]!r} holds {len(students)} students but has {places[u]} places"
            )
    for s, u in instance.pinned.items():
        if unit_of[s] != u:
            report.violations.append(f"student {sid[s]!r} is pinned to {uid[u]!r}")
    for s, u in enumerate(unit_of):
        if u is None or instance.pinned.get(s) == u:
            continue
        if (s, u) in instance.forbidden:
            report.violations.append(f"forbidden pair ({sid[s]!r}, {uid[u]!r}) was used")
        elif u not in instance.preferences[s] or s not in instance.groups[u]:
            report.violations.append(f"({sid[s]!r}, {uid[u]!r}) is not a mutually ranked pair")
    _check_supervisors(instance, result, unit_of, report)
    _find_blocking_pairs(instance, unit_of, members, places, report, max_listed)
    return report


def _read_assignment(result, s_index, u_index, report) -> list[int | None]:
    unit_of: list[int | None] = [None] * len(s_index)
    missing = set(s_index) - set(result.assignment)
    if missing:
        report.violations.append(f"students missing from the result: {sorted(missing)[:10]}")
    for s, u in result.assignment.items():
        if s not in s_index:
            report.violations.append(f"unknown student {s!r} in the result")
        elif u is not None and u not in u_index:
            report.violations.append(f"unknown unit {u!r} in the result")
        elif u is not None:
            unit_of[s_index[s]] = u_index[u]
    return unit_of


def _check_supervisors(instance, result, unit_of, report) -> None:
    if not instance.has_supervisors:
        return
    h_index = {h: i for i, h in enumerate(instance.supervisor_ids)}
    load = [0] * len(h_index)
    for s, u in enumerate(unit_of):
        name = instance.student_ids[s]
        if u is None:
            continue
        h = h_index.get(result.supervisor.get(name, ""))
        if h is None:
            report.violations.append(f"student {name!r} has no supervisor")
        elif instance.supervisor_unit[h] != u:
            report.violations.append(f"student {name!r} has a supervisor of another unit")
        else:
            load[h] += 1
    for h, count in enumerate(load):
        if count > instance.supervisor_capacity[h]:
            report.violations.append(
                f"supervisor {instance.supervisor_ids[h]!r} has {count} students, "
                f"capacity {instance.supervisor_capacity[h]}"
            )


def _find_blocking_pairs(instance, unit_of, members, places, report, max_listed) -> None:
    """(s, u) blocks when both rank each other, it is allowed, s prefers u to what s has, and
    u has a free place or holds someone it ranks strictly below s. Pinned students and their
    pinned places are fixed by the coordinator and never block.

    Each unit gets a threshold: a student blocks with it when the unit ranks them strictly
    better than the threshold (every ranked student when the unit has room).
    """
    groups, pinned, forbidden = instance.groups, instance.pinned, instance.forbidden
    room = sys.maxsize
    threshold = []
    for u, students in enumerate(members):
        if len(students) < places[u]:
            threshold.append(room)
            continue
        ranked = [groups[u].get(s, -1) for s in students if pinned.get(s) != u]
        threshold.append(max(ranked) if ranked else -1)
    for s, prefs in enumerate(instance.preferences):
        if s in pinned:
            continue
        current = unit_of[s]
        for u in prefs:
            if u == current:
                break
            g = groups[u].get(s)
            if g is None or g >= threshold[u] or (forbidden and (s, u) in forbidden):
                continue
            report.blocking_pairs.append((instance.student_ids[s], instance.unit_ids[u]))
            if len(report.blocking_pairs) >= max_listed:
                return
