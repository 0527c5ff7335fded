"""Deferred acceptance (Gale–Shapley) for the hospitals/residents problem with capacities.

Student-optimal (students propose) by default, unit-optimal (units propose) on request. A pair
is acceptable only when each lists the other and it is not forbidden; pinned students are
placed first and take places from their unit. Ties in a unit's ranking are broken by one
lottery over all students, drawn from the seed, so a run repeats exactly.

Speed matters (a national instance has a million preference entries). The student-optimal
solve runs in rounds on whole arrays (McVitie and Wilson's parallel form, which reaches the
same student-optimal matching): every free student proposes down their list past the units
they cannot win now, each unit keeps its best ``places`` among what it held and what it was
offered, and the rest are free again. Each round costs what it touches, not the instance.
"""

from __future__ import annotations

import itertools
import random

import numpy as np

from bryggan.matching.engine.model import (
    INDEX,
    Instance,
    Result,
    gc_paused,
    ranges,
    sort_order,
)

STUDENT = "student"
UNIT = "unit"


def strict_ranks(instance: Instance, seed: int) -> np.ndarray:
    """Every ranking entry's place in its unit's strict ranking (0 = best).

    Tie groups keep their order; within a group the lottery decides. Without ties this is
    the ranking as written.
    """
    if not instance.has_ties:
        return instance.rank_group
    lottery = list(range(len(instance.student_ids)))
    random.Random(seed).shuffle(lottery)  # noqa: S311 - a fair, repeatable draw, not a secret
    unit = instance.rank_unit
    order = np.lexsort(
        (np.asarray(lottery, dtype=INDEX)[instance.rank_student], instance.rank_group, unit)
    )
    strict = np.empty(len(order), dtype=INDEX)
    strict[order] = np.arange(len(order), dtype=INDEX) - instance.rank_start[unit[order]]
    return strict


def strict_ranking(instance: Instance, seed: int) -> tuple[list[dict[int, int]], list[list[int]]]:
    """Each unit's strict ranking as Python objects: the position of each student it ranks,
    and the students in that order (for explanations and the unit-optimal solve)."""
    strict = strict_ranks(instance, seed)
    order = np.lexsort((strict, instance.rank_unit))
    students = instance.rank_student[order].tolist()
    bounds = instance.rank_start.tolist()
    orders = [students[a:b] for a, b in itertools.pairwise(bounds)]
    return [dict(zip(o, range(len(o)), strict=True)) for o in orders], orders


def solve(instance: Instance, *, optimal: str = STUDENT, seed: int = 0) -> Result:
    if optimal not in (STUDENT, UNIT):
        raise ValueError("optimal must be 'student' or 'unit'")
    with gc_paused():
        return _solve(instance, optimal, seed)


def _solve(instance: Instance, optimal: str, seed: int) -> Result:
    strict = strict_ranks(instance, seed)
    places = instance.places_array()
    unit_of = np.full(len(instance.student_ids), -1, dtype=INDEX)
    if instance.pinned:
        pinned_students = np.fromiter(instance.pinned.keys(), INDEX)
        pinned_units = np.fromiter(instance.pinned.values(), INDEX)
        unit_of[pinned_students] = pinned_units
        places = places - np.bincount(pinned_units, minlength=len(places))
    if optimal == STUDENT:
        rank_of = _students_propose(instance, strict, places, unit_of)
    else:
        _units_propose(instance, strict_ranking(instance, seed)[1], places.tolist(), unit_of)
        rank_of = _rank_in_own_unit(instance, strict, unit_of)
    supervisor_of = _assign_supervisors(instance, rank_of, unit_of)
    # The ids are gathered by NumPy from arrays of the id objects (a third faster than a
    # lookup per student); unit -1, the last, is None.
    sid = instance.student_ids
    units = np.array([*instance.unit_ids, None], dtype=object)[unit_of].tolist()
    placed = np.flatnonzero(supervisor_of >= 0)
    supervised = np.array(sid, dtype=object)[placed].tolist()
    supervisors = np.array(instance.supervisor_ids, dtype=object)[supervisor_of[placed]].tolist()
    return Result(
        assignment=dict(zip(sid, units, strict=True)),
        supervisor=dict(zip(supervised, supervisors, strict=True)),
        optimal=optimal,
        seed=seed,
    )


def acceptable(instance: Instance, places: np.ndarray) -> np.ndarray:
    """True for every preference entry the student could be placed by: the unit ranks the
    student, has places left, the pair is not forbidden and the student is not pinned."""
    ok = (instance.pref_entry >= 0) & (places[instance.pref_unit] > 0)
    if instance.forbidden:
        ok &= ~instance.forbidden_mask()
    if instance.pinned:
        pinned = np.zeros(len(instance.student_ids), dtype=bool)
        pinned[np.fromiter(instance.pinned.keys(), INDEX)] = True
        ok &= ~pinned[instance.pref_student]
    return ok


def _students_propose(
    instance: Instance, strict: np.ndarray, places: np.ndarray, unit_of: np.ndarray
) -> np.ndarray:
    """Students propose down their lists in rounds; each unit holds its best so far.

    A unit's places are a block of slots kept sorted by rank (empty slots rank ``worst``), so
    its cut-off, the rank a proposal must beat, is its last slot. Places ``unit_of`` and
    returns each placed student's strict rank in their unit.
    """
    n_students, n_units = len(instance.student_ids), len(instance.unit_ids)
    ok = acceptable(instance, places)
    if ok.all():  # the usual round: every wish answered, every unit with places
        edge_unit, edge_rank = instance.pref_unit, strict[instance.pref_entry]
        start = instance.pref_start
    else:
        edge_unit = instance.pref_unit[ok]
        edge_rank = strict[instance.pref_entry[ok]]
        start = np.zeros(n_students + 1, dtype=INDEX)
        np.cumsum(np.bincount(instance.pref_student[ok], minlength=n_students), out=start[1:])
    end, next_edge = start[1:], start[:-1].copy()

    places = np.maximum(places, 0)
    worst = int(edge_rank.max()) + 1 if len(edge_rank) else 1
    slot_start = np.zeros(n_units + 1, dtype=INDEX)
    np.cumsum(places, out=slot_start[1:])
    slot_rank = np.full(int(slot_start[-1]), worst, dtype=INDEX)
    slot_student = np.full(int(slot_start[-1]), -1, dtype=INDEX)
    cutoff = np.full(n_units, worst, dtype=INDEX)
    key_bound = n_units * (worst + 1)

    free = np.flatnonzero(next_edge < end)
    while len(free):
        # Each free student proposes to the next unit on their list that would hold them now:
        # most win their next wish, so one step for everyone; the rest scan what is left of
        # their lists at once and take the first wish that wins.
        edge = next_edge[free]
        next_edge[free] = edge + 1
        unit, rank = edge_unit[edge], edge_rank[edge]
        wins = rank < cutoff[unit]
        lost = free[~wins]
        lost = lost[next_edge[lost] < end[lost]]
        if len(lost):
            edge = next_edge[lost]
            lengths = end[lost] - edge
            edges = ranges(edge, lengths)
            hit = np.flatnonzero(edge_rank[edges] < cutoff[edge_unit[edges]])
            owner = np.repeat(np.arange(len(lost), dtype=INDEX), lengths)[hit]
            first = np.ones(len(hit), dtype=bool)
            np.not_equal(owner[1:], owner[:-1], out=first[1:])
            next_edge[lost] = end[lost]
            edges = edges[hit[first]]
            later = lost[owner[first]]
            next_edge[later] = edges + 1
            proposer = np.concatenate((free[wins], later))
            unit = np.concatenate((unit[wins], edge_unit[edges]))
            rank = np.concatenate((rank[wins], edge_rank[edges]))
        else:
            proposer, unit, rank = free[wins], unit[wins], rank[wins]
        if not len(proposer):
            break
        # Each unit offered someone keeps its best among its holders and the new proposers.
        offered = np.bincount(unit, minlength=n_units)
        touched = np.flatnonzero(offered)
        slots = ranges(slot_start[touched], places[touched])
        held = places[touched]
        cand_unit = np.concatenate((np.repeat(touched, held), unit))
        cand_rank = np.concatenate((slot_rank[slots], rank))
        cand_student = np.concatenate((slot_student[slots], proposer))
        order, _keys = sort_order(cand_unit * (worst + 1) + cand_rank, key_bound)
        size = held + offered[touched]
        block = np.cumsum(size) - size
        keep = np.arange(len(order), dtype=INDEX) - np.repeat(block, size) < np.repeat(held, size)
        chosen = order[keep]
        slot_rank[slots] = cand_rank[chosen]
        slot_student[slots] = cand_student[chosen]
        cutoff[touched] = slot_rank[slot_start[touched + 1] - 1]
        out = cand_student[order[~keep]]
        out = out[out >= 0]
        free = out[next_edge[out] < end[out]]
    filled = slot_student >= 0
    placed = slot_student[filled]
    unit_of[placed] = np.repeat(np.arange(n_units, dtype=INDEX), places)[filled]
    rank_of = np.zeros(n_students, dtype=INDEX)
    rank_of[placed] = slot_rank[filled]
    return rank_of


def _units_propose(
    instance: Instance, orders: list[list[int]], places: list[int], unit_of: np.ndarray
) -> None:
    banned_for: dict[int, set[int]] = {}
    for s, u in instance.forbidden:
        banned_for.setdefault(s, set()).add(u)
    student_rank = [
        {}
        if s in instance.pinned
        else {u: i for i, u in enumerate(row) if u not in banned_for.get(s, ())}
        for s, row in enumerate(instance.preferences)
    ]
    order = [[s for s in orders[u] if u in student_rank[s]] for u in range(len(orders))]
    count = [0] * len(places)
    pointer = [0] * len(places)
    held = [-1] * len(student_rank)
    queue = [u for u in range(len(places) - 1, -1, -1) if places[u] > 0]
    while queue:
        u = queue.pop()
        candidates, p, c, cap = order[u], pointer[u], count[u], places[u]
        end = len(candidates)
        while c < cap and p < end:
            s = candidates[p]
            p += 1
            current = held[s]
            if current == -1:
                held[s] = u
                c += 1
            elif student_rank[s][u] < student_rank[s][current]:
                held[s] = u
                c += 1
                count[current] -= 1
                queue.append(current)
        pointer[u], count[u] = p, c
    for s, u in enumerate(held):
        if u >= 0:
            unit_of[s] = u


def _rank_in_own_unit(instance: Instance, strict: np.ndarray, unit_of: np.ndarray) -> np.ndarray:
    """Each placed student's strict rank in their unit (0 where it did not rank them)."""
    rank_of = np.zeros(len(instance.student_ids), dtype=INDEX)
    own = (instance.pref_unit == unit_of[instance.pref_student]) & (instance.pref_entry >= 0)
    rank_of[instance.pref_student[own]] = strict[instance.pref_entry[own]]
    return rank_of


def _assign_supervisors(instance: Instance, rank_of: np.ndarray, unit_of: np.ndarray) -> np.ndarray:
    """Give each placed student a supervisor of their unit, spreading the load.

    Students are taken in the unit's order (pinned first); each goes to the supervisor with the
    most places left, the first listed on a tie. That greedy hands out a supervisor's places
    from its most to its least free, so its k-th student (0-based) is taken while it has
    ``capacity - k`` left; sorting every place by (unit, places left descending, supervisor)
    lists the supervisors in exactly the greedy's order. The unit's places never exceed its
    supervisors' total, so everyone placed gets one. Returns the supervisor per student
    (-1 unplaced).
    """
    n_students = len(instance.student_ids)
    supervisor_of = np.full(n_students, -1, dtype=INDEX)
    placed = np.flatnonzero(unit_of >= 0)
    if not instance.has_supervisors or not len(placed):
        return supervisor_of
    key = rank_of[placed] + 1
    for s, u in instance.pinned.items():
        if unit_of[s] == u:
            key[np.searchsorted(placed, s)] = 0  # pinned students first, in id order
    n_units = len(instance.unit_ids)
    # sorted by (unit, key), then student: a stable sort of the students in id order
    width = int(key.max()) + 1
    order, _keys = sort_order(unit_of[placed] * width + key, n_units * width, consume=True)
    placed = placed[order]
    unit = unit_of[placed]
    counts = np.bincount(unit, minlength=n_units)
    position = np.arange(len(placed), dtype=INDEX) - np.repeat(np.cumsum(counts) - counts, counts)

    sup_unit = np.asarray(instance.supervisor_unit, dtype=INDEX)
    capacity = np.asarray(instance.supervisor_capacity, dtype=INDEX)
    sup = np.repeat(np.arange(len(sup_unit), dtype=INDEX), capacity)
    left = capacity[sup] - (
        np.arange(len(sup), dtype=INDEX) - np.repeat(np.cumsum(capacity) - capacity, capacity)
    )
    # sorted by (unit, places left descending), then supervisor: stable, as ``sup`` ascends
    width = int(capacity.max()) + 1 if len(capacity) else 1
    order, _keys = sort_order(sup_unit[sup] * width + (width - 1 - left), n_units * width)
    slots = sup[order]
    per_unit = np.bincount(sup_unit, weights=capacity, minlength=n_units).astype(INDEX)
    first = np.cumsum(per_unit) - per_unit
    supervisor_of[placed] = slots[first[unit] + position]
    return supervisor_of
