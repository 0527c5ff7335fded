"""The instance and result formats, parsed and validated into compact integer form.

Instance (JSON)::

    {"students": [{"id": "s1", "preferences": ["u2", "u1"]}],
     "units": [{"id": "u1", "capacity": 2, "ranking": ["s3", ["s1", "s2"]]}],
     "supervisors": [{"id": "h1", "unit": "u1", "capacity": 1}],
     "pinned": [["s1", "u1"]], "forbidden": [["s2", "u2"]]}

A nested list in a unit's ranking is a tie; ties are broken by a seeded lottery. With
supervisors given, a unit's places are the smaller of its capacity and the sum of its
supervisors' capacities.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


class InstanceError(ValueError):
    """The instance is malformed; the message says what and where."""


class ResultError(ValueError):
    """A result file is malformed (not a verdict on stability: that is the checker's)."""


@dataclass
class Instance:
    student_ids: list[str]
    unit_ids: list[str]
    # preferences[s] = unit indices in the student's order (as written, unfiltered)
    preferences: list[list[int]]
    # groups[u] = {student index: tie-group position in the unit's ranking}; without ties the
    # position is simply the student's place in the ranking
    groups: list[dict[int, int]]
    unit_capacity: list[int]
    has_ties: bool = False
    # order[u] = the students the unit ranks, best first (ties in the order written)
    order: list[list[int]] = field(default_factory=list)
    supervisor_ids: list[str] = field(default_factory=list)
    supervisor_unit: list[int] = field(default_factory=list)
    supervisor_capacity: list[int] = field(default_factory=list)
    has_supervisors: bool = False
    pinned: dict[int, int] = field(default_factory=dict)  # student -> unit
    forbidden: set[tuple[int, int]] = field(default_factory=set)  # (student, unit)

    def places(self) -> list[int]:
        """Each unit's places: its capacity, limited by its supervisors' when given."""
        if not self.has_supervisors:
            return list(self.unit_capacity)
        totals = [0] * len(self.unit_ids)
        for unit, capacity in zip(self.supervisor_unit, self.supervisor_capacity, strict=True):
            totals[unit] += capacity
        return [min(c, t) for c, t in zip(self.unit_capacity, totals, strict=True)]

    @classmethod
    def from_dict(cls, data: Any) -> Instance:
        with gc_paused():
            return _parse_instance(data)


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while building or solving a large instance.

    A national instance allocates a million small lists and dicts, none of which form
    cycles; left on, the collector rescans them again and again and doubles the run time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise InstanceError(message)


def _ids(items: Any, kind: str) -> list[str]:
    _require(isinstance(items, list), f"'{kind}' must be a list")
    ids = []
    for n, item in enumerate(items):
        _require(isinstance(item, dict), f"{kind}[{n}] must be an object")
        ident = item.get("id")
        _require(isinstance(ident, str) and ident != "", f"{kind}[{n}] needs a non-empty 'id'")
        ids.append(ident)
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        duplicate = next(i for i in ids if i in seen or seen.add(i))  # type: ignore[func-returns-value]
        raise InstanceError(f"duplicate id in '{kind}': {duplicate!r}")
    return ids


def _capacity(value: Any, where: str) -> int:
    _require(
        isinstance(value, int) and not isinstance(value, bool),
        f"{where}: capacity must be a whole number",
    )
    _require(value >= 0, f"{where}: capacity cannot be negative ({value})")
    return value


def _parse_instance(data: Any) -> Instance:
    _require(isinstance(data, dict), "the instance must be a JSON object")
    unknown = set(data) - {"students", "units", "supervisors", "pinned", "forbidden"}
    _require(not unknown, f"unknown keys in the instance: {sorted(unknown)}")
    _require("students" in data and "units" in data, "the instance needs 'students' and 'units'")
    students, units = data["students"], data["units"]
    student_ids = _ids(students, "students")
    unit_ids = _ids(units, "units")
    s_index = {s: i for i, s in enumerate(student_ids)}
    u_index = {u: i for i, u in enumerate(unit_ids)}

    preferences: list[list[int]] = []
    lookup_unit = u_index.__getitem__
    for student in students:
        prefs = student.get("preferences", [])
        _require(isinstance(prefs, list), f"student {student['id']!r}: preferences must be a list")
        try:
            row = list(map(lookup_unit, prefs))
        except (KeyError, TypeError):
            bad = next(u for u in prefs if not isinstance(u, str) or u not in u_index)
            raise InstanceError(f"student {student['id']!r} ranks unknown unit {bad!r}") from None
        _require(
            len(set(row)) == len(row), f"student {student['id']!r} ranks a unit more than once"
        )
        preferences.append(row)

    groups: list[dict[int, int]] = []
    orders: list[list[int]] = []
    capacity: list[int] = []
    has_ties = False
    lookup_student = s_index.__getitem__
    for unit in units:
        uid = unit["id"]
        capacity.append(_capacity(unit.get("capacity"), f"unit {uid!r}"))
        raw = unit.get("ranking", [])
        _require(isinstance(raw, list), f"unit {uid!r}: ranking must be a list")
        try:
            order = list(map(lookup_student, raw))  # the common case: no ties
            position = dict(zip(order, range(len(order)), strict=True))
            listed = len(order)
        except TypeError:  # a nested list: a tie group
            position, listed = _ranking_with_ties(uid, raw, s_index)
            order = list(position)
            has_ties = True
        except KeyError:
            bad = _unknown(raw, s_index)
            raise InstanceError(f"unit {uid!r} ranks unknown student {bad!r}") from None
        _require(len(position) == listed, f"unit {uid!r} ranks a student more than once")
        groups.append(position)
        orders.append(order)

    instance = Instance(
        student_ids=student_ids,
        unit_ids=unit_ids,
        preferences=preferences,
        groups=groups,
        unit_capacity=capacity,
        has_ties=has_ties,
        order=orders,
    )
    _parse_supervisors(data, instance, u_index)
    instance.forbidden = set(_pairs(data.get("forbidden", []), "forbidden", s_index, u_index))
    pinned = _pairs(data.get("pinned", []), "pinned", s_index, u_index)
    for s, u in pinned:
        _require(
            (s, u) not in instance.forbidden,
            f"pair ({student_ids[s]!r}, {unit_ids[u]!r}) is both pinned and forbidden",
        )
        _require(s not in instance.pinned, f"student {student_ids[s]!r} is pinned twice")
        instance.pinned[s] = u
    places = instance.places()
    counts = [0] * len(unit_ids)
    for u in instance.pinned.values():
        counts[u] += 1
    for u, count in enumerate(counts):
        _require(
            count <= places[u],
            f"unit {unit_ids[u]!r} has {count} pinned students but only {places[u]} places",
        )
    return instance


def _unknown(raw: list, s_index: dict[str, int]) -> object:
    flat = [x for e in raw for x in (e if isinstance(e, list) else [e])]
    return next(s for s in flat if not isinstance(s, str) or s not in s_index)


def _ranking_with_ties(uid: str, raw: list, s_index: dict[str, int]) -> tuple[dict, int]:
    position: dict[int, int] = {}
    listed = 0
    for g, entry in enumerate(raw):
        tier = entry if isinstance(entry, list) else [entry]
        _require(bool(tier), f"unit {uid!r}: an empty tie in its ranking")
        for student in tier:
            if not isinstance(student, str) or student not in s_index:
                raise InstanceError(f"unit {uid!r} ranks unknown student {student!r}")
            position[s_index[student]] = g
            listed += 1
    return position, listed


def _parse_supervisors(data: dict, instance: Instance, u_index: dict[str, int]) -> None:
    if "supervisors" not in data:
        return
    supervisors = data["supervisors"]
    instance.supervisor_ids = _ids(supervisors, "supervisors")
    instance.has_supervisors = True
    for sup in supervisors:
        unit = sup.get("unit")
        _require(
            isinstance(unit, str) and unit in u_index,
            f"supervisor {sup['id']!r} belongs to unknown unit {unit!r}",
        )
        instance.supervisor_unit.append(u_index[unit])
        instance.supervisor_capacity.append(
            _capacity(sup.get("capacity"), f"supervisor {sup['id']!r}")
        )


def _pairs(raw: Any, kind: str, s_index: dict, u_index: dict) -> list[tuple[int, int]]:
    _require(isinstance(raw, list), f"'{kind}' must be a list of [student, unit] pairs")
    pairs = []
    for pair in raw:
        _require(isinstance(pair, list) and len(pair) == 2, f"'{kind}': {pair!r} is not a pair")
        s, u = pair
        _require(isinstance(s, str) and s in s_index, f"'{kind}': unknown student {s!r}")
        _require(isinstance(u, str) and u in u_index, f"'{kind}': unknown unit {u!r}")
        pairs.append((s_index[s], u_index[u]))
    _require(len(set(pairs)) == len(pairs), f"'{kind}' lists a pair more than once")
    return pairs


@dataclass
class Result:
    """A matching: unit (or None) and supervisor per student, as ids."""

    assignment: dict[str, str | None]
    supervisor: dict[str, str]
    optimal: str
    seed: int
    stable: bool | None = None

    def to_dict(self) -> dict:
        return {
            "assignment": self.assignment,
            "supervisor": self.supervisor,
            "optimal": self.optimal,
            "stable": self.stable,
            "seed": self.seed,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Result:
        if not isinstance(data, dict) or not isinstance(data.get("assignment"), dict):
            raise ResultError("the result must be an object with an 'assignment' object")
        supervisor = data.get("supervisor", {})
        if not isinstance(supervisor, dict):
            raise ResultError("'supervisor' must be an object")
        for s, u in data["assignment"].items():
            if u is not None and not isinstance(u, str):
                raise ResultError(f"assignment of {s!r} must be a unit id or null")
        seed = data.get("seed", 0)
        return cls(
            assignment=dict(data["assignment"]),
            supervisor=dict(supervisor),
            optimal=str(data.get("optimal", "student")),
            seed=seed if isinstance(seed, int) else 0,
            stable=data.get("stable"),
        )
