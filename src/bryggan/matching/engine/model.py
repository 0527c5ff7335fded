"""The instance and result formats, parsed and validated into compact integer arrays.

Instance (JSON)::

    {"students": [{"id": "s1", "preferences": ["u2", "u1"]}],
     "units": [{"id": "u1", "capacity": 2, "ranking": ["s3", ["s1", "s2"]]}],
     "supervisors": [{"id": "h1", "unit": "u1", "capacity": 1}],
     "pinned": [["s1", "u1"]], "forbidden": [["s2", "u2"]]}

A nested list in a unit's ranking is a tie; ties are broken by a seeded lottery. With
supervisors given, a unit's places are the smaller of its capacity and the sum of its
supervisors' capacities.

A national instance has a million preference entries, so they live in flat NumPy arrays
(compressed rows: one row per student, one per unit) and are validated as whole arrays; the
loops that name the offending student or unit run only once something is known to be wrong.
Each preference entry is joined once to the unit's ranking entry for the same student, so the
solver and the checker never look a pair up again. The per-student lists and per-unit
dictionaries of earlier versions are still offered (built on first use) for small instances
and the explanations.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, pairwise
from typing import Any

import numpy as np

INDEX = np.int64


class InstanceError(ValueError):
    """The instance is malformed; the message says what and where."""


class ResultError(ValueError):
    """A result file is malformed (not a verdict on stability: that is the checker's)."""


@dataclass(eq=False)
class Instance:
    student_ids: list[str]
    unit_ids: list[str]
    # Each student's preferences, best first: pref_unit[pref_start[s]:pref_start[s + 1]]
    pref_start: np.ndarray
    pref_unit: np.ndarray
    # Each unit's ranking as written: rank_student[rank_start[u]:rank_start[u + 1]], with the
    # tie group of every entry (its position in the ranking when there are no ties)
    rank_start: np.ndarray
    rank_student: np.ndarray
    rank_group: np.ndarray
    # For every preference entry, the index of the same pair in the ranking arrays, or -1 when
    # the unit does not rank the student
    pref_entry: np.ndarray
    unit_capacity: list[int]
    has_ties: bool = False
    supervisor_ids: list[str] = field(default_factory=list)
    supervisor_unit: list[int] = field(default_factory=list)
    supervisor_capacity: list[int] = field(default_factory=list)
    has_supervisors: bool = False
    pinned: dict[int, int] = field(default_factory=dict)  # student -> unit
    forbidden: set[tuple[int, int]] = field(default_factory=set)  # (student, unit)

    def places(self) -> list[int]:
        """Each unit's places: its capacity, limited by its supervisors' when given."""
        return self.places_array().tolist()

    def places_array(self) -> np.ndarray:
        capacity = np.asarray(self.unit_capacity, dtype=INDEX)
        if not self.has_supervisors:
            return capacity
        totals = np.bincount(
            np.asarray(self.supervisor_unit, dtype=INDEX),
            weights=np.asarray(self.supervisor_capacity, dtype=INDEX),
            minlength=len(self.unit_ids),
        ).astype(INDEX)
        return np.minimum(capacity, totals)

    @cached_property
    def pref_student(self) -> np.ndarray:
        """The student of every preference entry."""
        return np.repeat(np.arange(len(self.student_ids), dtype=INDEX), np.diff(self.pref_start))

    @cached_property
    def rank_unit(self) -> np.ndarray:
        """The unit of every ranking entry."""
        return np.repeat(np.arange(len(self.unit_ids), dtype=INDEX), np.diff(self.rank_start))

    def forbidden_mask(self) -> np.ndarray:
        """True for every preference entry whose pair is forbidden."""
        mask = np.zeros(len(self.pref_unit), dtype=bool)
        if self.forbidden:
            n_units = len(self.unit_ids)
            keys = self.pref_student * n_units + self.pref_unit
            banned = np.fromiter((s * n_units + u for s, u in self.forbidden), INDEX)
            mask = np.isin(keys, banned)
        return mask

    # Views of earlier versions, built on first use (small instances, explanations, tests)

    @cached_property
    def preferences(self) -> list[list[int]]:
        """preferences[s] = unit indices in the student's order (as written, unfiltered)."""
        return _rows(self.pref_unit, self.pref_start)

    @cached_property
    def order(self) -> list[list[int]]:
        """order[u] = the students the unit ranks, best first (ties in the order written)."""
        return _rows(self.rank_student, self.rank_start)

    @cached_property
    def groups(self) -> list[dict[int, int]]:
        """groups[u] = {student index: tie-group position in the unit's ranking}."""
        return [
            dict(zip(students, groups, strict=True))
            for students, groups in zip(
                self.order, _rows(self.rank_group, self.rank_start), strict=True
            )
        ]

    @classmethod
    def from_dict(cls, data: Any) -> Instance:
        with gc_paused():
            return _parse_instance(data)

    @classmethod
    def from_arrays(
        cls,
        *,
        pref_start: np.ndarray,
        pref_unit: np.ndarray,
        rank_start: np.ndarray,
        rank_student: np.ndarray,
        unit_capacity: np.ndarray,
        supervisor_unit: np.ndarray | None = None,
        supervisor_capacity: np.ndarray | None = None,
    ) -> Instance:
        """An instance already in integer form (no ties, pins or forbidden pairs), with ids
        made from the indices; for generated national-size instances."""
        n_students, n_units = len(pref_start) - 1, len(rank_start) - 1
        for name, start, values in (
            ("pref_start", pref_start, pref_unit),
            ("rank_start", rank_start, rank_student),
        ):
            if start[0] != 0 or start[-1] != len(values) or (np.diff(start) < 0).any():
                raise InstanceError(f"{name} does not delimit its rows")
        if len(unit_capacity) != n_units:
            raise InstanceError("unit_capacity needs one value per unit")
        for name, values, bound in (
            ("pref_unit", pref_unit, n_units),
            ("rank_student", rank_student, n_students),
            ("unit_capacity", unit_capacity, None),
        ):
            if len(values) and (values.min() < 0 or (bound is not None and values.max() >= bound)):
                raise InstanceError(f"{name} holds a value out of range")
        instance = cls(
            student_ids=[f"s{i}" for i in range(n_students)],
            unit_ids=[f"u{j}" for j in range(n_units)],
            pref_start=np.asarray(pref_start, dtype=INDEX),
            pref_unit=np.asarray(pref_unit, dtype=INDEX),
            rank_start=np.asarray(rank_start, dtype=INDEX),
            rank_student=np.asarray(rank_student, dtype=INDEX),
            rank_group=np.arange(len(rank_student), dtype=INDEX)
            - np.repeat(rank_start[:-1], np.diff(rank_start)),
            pref_entry=np.empty(0, dtype=INDEX),
            unit_capacity=np.asarray(unit_capacity).tolist(),
        )
        instance.pref_entry = _join(instance)
        if supervisor_unit is not None and supervisor_capacity is not None:
            instance.has_supervisors = True
            instance.supervisor_unit = np.asarray(supervisor_unit).tolist()
            instance.supervisor_capacity = np.asarray(supervisor_capacity).tolist()
            instance.supervisor_ids = [f"h{k}" for k in range(len(instance.supervisor_unit))]
        return instance


def _rows(values: np.ndarray, start: np.ndarray) -> list[list[int]]:
    flat = values.tolist()
    bounds = start.tolist()
    return [flat[a:b] for a, b in pairwise(bounds)]


@contextmanager
def gc_paused() -> Iterator[None]:
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


def _ids(items: Any, kind: str) -> tuple[list[str], dict[str, int]]:
    """The ids of a list of objects, and each id's index; refuses anything else."""
    _require(isinstance(items, list), f"'{kind}' must be a list")
    try:
        ids = [item["id"] for item in items]  # TypeError for anything but an object
        well_formed = set(map(type, ids)) <= {str}
    except (TypeError, KeyError):
        well_formed = False
    if not well_formed:
        for n, item in enumerate(items):
            _require(isinstance(item, dict), f"{kind}[{n}] must be an object")
            ident = item.get("id")
            _require(isinstance(ident, str), f"{kind}[{n}] needs a non-empty 'id'")
    index = dict(zip(ids, range(len(ids)), strict=True))
    if "" in index:
        raise InstanceError(f"{kind}[{ids.index('')}] needs a non-empty 'id'")
    if len(index) != len(ids):
        seen: set[str] = set()
        duplicate = next(i for i in ids if i in seen or seen.add(i))  # type: ignore[func-returns-value]
        raise InstanceError(f"duplicate id in '{kind}': {duplicate!r}")
    return ids, index


def _capacities(items: list[dict], owner: str, ids: list[str]) -> list[int]:
    """Every item's capacity: a whole number, not negative."""
    values: list[Any] = [item.get("capacity") for item in items]
    if set(map(type, values)) <= {int} and (not values or min(values) >= 0):
        return values
    for ident, value in zip(ids, values, strict=True):
        _require(
            isinstance(value, int) and not isinstance(value, bool),
            f"{owner} {ident!r}: capacity must be a whole number",
        )
        _require(value >= 0, f"{owner} {ident!r}: capacity cannot be negative ({value})")
    raise AssertionError("unreachable: a capacity was refused above")


_NONE: list = []


def _lists(items: list[dict], key: str, owner: str, ids: list[str]) -> list[list]:
    rows = [item.get(key, _NONE) for item in items]
    if not set(map(type, rows)) <= {list}:
        bad = next(n for n, row in enumerate(rows) if not isinstance(row, list))
        raise InstanceError(f"{owner} {ids[bad]!r}: {key} must be a list")
    return rows


def _starts(rows: list[list]) -> np.ndarray:
    start = np.zeros(len(rows) + 1, dtype=INDEX)
    np.cumsum(np.fromiter(map(len, rows), INDEX, len(rows)), out=start[1:])
    return start


def _parse_instance(data: Any) -> Instance:
    _require(isinstance(data, dict), "the instance must be a JSON object")
    unknown = set(data) - {"students", "units", "supervisors", "pinned", "forbidden"}
    _require(not unknown, f"unknown keys in the instance: {sorted(unknown)}")
    _require("students" in data and "units" in data, "the instance needs 'students' and 'units'")
    students, units = data["students"], data["units"]
    student_ids, s_index = _ids(students, "students")
    unit_ids, u_index = _ids(units, "units")

    preferences = _lists(students, "preferences", "student", student_ids)
    pref_start = _starts(preferences)
    try:
        pref_unit = np.fromiter(
            map(u_index.get, chain.from_iterable(preferences)), INDEX, int(pref_start[-1])
        )
    except (KeyError, TypeError):
        for sid, row in zip(student_ids, preferences, strict=True):
            for unit in row:
                if not isinstance(unit, str) or unit not in u_index:
                    raise InstanceError(f"student {sid!r} ranks unknown unit {unit!r}") from None
        raise

    capacity = _capacities(units, "unit", unit_ids)
    rankings = _lists(units, "ranking", "unit", unit_ids)
    rank_start = _starts(rankings)
    has_ties = False
    try:
        rank_student = np.fromiter(
            map(s_index.get, chain.from_iterable(rankings)), INDEX, int(rank_start[-1])
        )
        rank_group = np.arange(len(rank_student), dtype=INDEX) - np.repeat(
            rank_start[:-1], np.diff(rank_start)
        )
    except (KeyError, TypeError):  # a nested list (a tie group), or an unknown student
        rank_start, rank_student, rank_group = _rankings_with_ties(unit_ids, rankings, s_index)
        has_ties = True

    return assemble(
        data,
        student_ids=student_ids,
        unit_ids=unit_ids,
        pref_start=pref_start,
        pref_unit=pref_unit,
        capacity=capacity,
        rank_start=rank_start,
        rank_student=rank_student,
        rank_group=rank_group,
        has_ties=has_ties,
        u_index=u_index,
        s_index=s_index,
    )


def assemble(
    data: dict,
    *,
    student_ids: list[str],
    unit_ids: list[str],
    pref_start: np.ndarray,
    pref_unit: np.ndarray,
    capacity: list[int],
    rank_start: np.ndarray,
    rank_student: np.ndarray,
    rank_group: np.ndarray | None = None,
    has_ties: bool,
    u_index: dict[str, int] | None = None,
    s_index: dict[str, int] | None = None,
    supervisors: tuple[list[str], list[int], list[int]] | None = None,
) -> Instance:
    """The instance from its validated students and units (as arrays), with the supervisors
    (of ``data``, or already read: ids, units, capacities) and the pinned and forbidden pairs
    of ``data`` checked and added; shared by both readers. Without ``rank_group`` (no ties)
    each entry's group is its place in the ranking."""
    instance = Instance(
        student_ids=student_ids,
        unit_ids=unit_ids,
        pref_start=pref_start,
        pref_unit=pref_unit,
        rank_start=rank_start,
        rank_student=rank_student,
        rank_group=np.empty(0, dtype=INDEX) if rank_group is None else rank_group,
        pref_entry=np.empty(0, dtype=INDEX),
        unit_capacity=capacity,
        has_ties=has_ties,
    )
    instance.pref_entry = _join(instance)
    if rank_group is None:  # made after the join, whose peak it would add to
        instance.rank_group = np.arange(len(rank_student), dtype=INDEX)
        instance.rank_group -= np.repeat(rank_start[:-1], np.diff(rank_start))
    if u_index is None and ("supervisors" in data or data.get("pinned") or data.get("forbidden")):
        u_index = dict(zip(unit_ids, range(len(unit_ids)), strict=True))
    if s_index is None and (data.get("pinned") or data.get("forbidden")):
        s_index = dict(zip(student_ids, range(len(student_ids)), strict=True))
    if supervisors is not None:
        instance.has_supervisors = True
        ids, units, capacities = supervisors
        instance.supervisor_ids, instance.supervisor_unit, instance.supervisor_capacity = (
            ids,
            units,
            capacities,
        )
    else:
        _parse_supervisors(data, instance, u_index or {})
    instance.forbidden = set(_pairs(data.get("forbidden", []), "forbidden", s_index, u_index))
    pinned = _pairs(data.get("pinned", []), "pinned", s_index, u_index)
    for s, u in pinned:
        _require(
            (s, u) not in instance.forbidden,
            f"pair ({student_ids[s]!r}, {unit_ids[u]!r}) is both pinned and forbidden",
        )
        _require(s not in instance.pinned, f"student {student_ids[s]!r} is pinned twice")
        instance.pinned[s] = u
    if instance.pinned:
        places = instance.places()
        counts = np.bincount(list(instance.pinned.values()), minlength=len(unit_ids))
        for u in np.flatnonzero(counts > places).tolist():
            raise InstanceError(
                f"unit {unit_ids[u]!r} has {counts[u]} pinned students but only {places[u]} places"
            )
    return instance


def _rankings_with_ties(
    unit_ids: list[str], rankings: list[list], s_index: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    students: list[int] = []
    groups: list[int] = []
    counts: list[int] = []
    for uid, raw in zip(unit_ids, rankings, strict=True):
        before = len(students)
        for g, entry in enumerate(raw):
            tier = entry if isinstance(entry, list) else [entry]
            _require(bool(tier), f"unit {uid!r}: an empty tie in its ranking")
            for student in tier:
                if not isinstance(student, str) or student not in s_index:
                    raise InstanceError(f"unit {uid!r} ranks unknown student {student!r}")
                students.append(s_index[student])
                groups.append(g)
        counts.append(len(students) - before)
    start = np.zeros(len(counts) + 1, dtype=INDEX)
    np.cumsum(np.asarray(counts, dtype=INDEX), out=start[1:])
    return start, np.asarray(students, dtype=INDEX), np.asarray(groups, dtype=INDEX)


def ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The indices start..start+length-1 of every range, concatenated."""
    ends = np.cumsum(lengths)
    return np.repeat(starts - (ends - lengths), lengths) + np.arange(ends[-1], dtype=INDEX)


def sort_order(
    keys: np.ndarray, key_bound: int, *, consume: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """The permutation that sorts non-negative ``keys`` (all below ``key_bound``) stably, and
    the sorted keys.

    Sorting the keys with their index packed into the low bits is three times faster than
    ``argsort``; keys too wide to share ``_PACKED_BITS`` with an index fall back to it. With
    ``consume`` the keys' own array is sorted in place (it becomes the sorted keys), which
    saves two copies of a national instance's million entries.
    """
    n = len(keys)
    index_bits = max(n - 1, 1).bit_length()
    if max(key_bound - 1, 1).bit_length() + index_bits > _PACKED_BITS:
        order = np.argsort(keys, kind="stable")
        return order, keys[order]
    packed = keys if consume else keys.copy()
    packed <<= index_bits
    packed |= np.arange(n, dtype=INDEX)
    packed.sort()
    order = packed & ((1 << index_bits) - 1)
    packed >>= index_bits
    return order, packed


_PACKED_BITS = 63  # a non-negative int64


def _join(instance: Instance) -> np.ndarray:
    """Pair every preference entry with the unit's ranking entry for the same student.

    Both sides' (unit, student) keys go into one array, rankings first, and are sorted once:
    a pair both list becomes two equal neighbours, the ranking entry first (the sort is
    stable); two equal neighbours from the same side are a pair listed twice, which is how
    repeats are found.
    """
    n_students, n_units = len(instance.student_ids), len(instance.unit_ids)
    n_rank, n_pref = len(instance.rank_student), len(instance.pref_unit)
    keys = np.empty(n_rank + n_pref, dtype=INDEX)
    keys[:n_rank] = np.repeat(
        np.arange(n_units, dtype=INDEX) * n_students, np.diff(instance.rank_start)
    )
    keys[:n_rank] += instance.rank_student
    np.multiply(instance.pref_unit, n_students, out=keys[n_rank:])
    keys[n_rank:] += instance.pref_student
    bound = max(n_units, 1) * max(n_students, 1)
    order, keys = sort_order(keys, bound, consume=True)
    equal = np.flatnonzero(keys[1:] == keys[:-1])
    first, second = order[equal], order[equal + 1]
    del order
    _refuse_repeats(
        instance, keys[equal[first >= n_rank]], "student {student!r} ranks a unit more than once"
    )
    _refuse_repeats(
        instance, keys[equal[second < n_rank]], "unit {unit!r} ranks a student more than once"
    )
    entry = np.full(n_pref, -1, dtype=INDEX)
    second -= n_rank
    entry[second] = first
    return entry


def _refuse_repeats(instance: Instance, repeated: np.ndarray, message: str) -> None:
    """Refuses the pairs listed twice (their (unit, student) keys), naming the lowest student
    or unit among them."""
    if len(repeated):
        n_students = len(instance.student_ids)
        pairs = sorted(divmod(int(k), n_students) for k in repeated)
        by_student = min(pairs, key=lambda pair: pair[1])
        raise InstanceError(
            message.format(
                student=instance.student_ids[by_student[1]],
                unit=instance.unit_ids[pairs[0][0]],
            )
        )


def _parse_supervisors(data: dict, instance: Instance, u_index: dict[str, int]) -> None:
    if "supervisors" not in data:
        return
    supervisors = data["supervisors"]
    instance.supervisor_ids, _index = _ids(supervisors, "supervisors")
    instance.has_supervisors = True
    units = [sup.get("unit") for sup in supervisors]
    try:
        instance.supervisor_unit = list(map(u_index.__getitem__, units))
    except (KeyError, TypeError):
        for ident, unit in zip(instance.supervisor_ids, units, strict=True):
            _require(
                isinstance(unit, str) and unit in u_index,
                f"supervisor {ident!r} belongs to unknown unit {unit!r}",
            )
        raise
    instance.supervisor_capacity = _capacities(supervisors, "supervisor", instance.supervisor_ids)


def _pairs(
    raw: Any, kind: str, s_index: dict | None, u_index: dict | None
) -> list[tuple[int, int]]:
    _require(isinstance(raw, list), f"'{kind}' must be a list of [student, unit] pairs")
    if not raw:
        return []
    if s_index is None or u_index is None:  # built by the caller whenever pairs are given
        raise TypeError("_pairs needs both indexes")
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
