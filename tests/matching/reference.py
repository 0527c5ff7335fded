"""The engine's first, pure-Python deferred acceptance, kept as the reference the array
version is tested against (same results, supervisors included, on random instances).

Deferred acceptance (Gale–Shapley) for the hospitals/residents problem with capacities.

Student-optimal (students propose) by default, unit-optimal (units propose) on request. A pair
is acceptable only when each lists the other and it is not forbidden; pinned students are
placed first and take places from their unit. Ties in a unit's ranking are broken by one
lottery over all students, drawn from the seed, so a run repeats exactly.

Speed matters (a national instance has a million preference entries), so the inner loops work
on integer indices, and a unit's held students live in a heap of their (negated) positions in
the unit's strict ranking.
"""

from __future__ import annotations

import heapq
import random
import sys

# The unit-proposing loop was kept as it was written (the engine's own, unchanged); only
# the student-proposing solve and the supervisors were rewritten, and are compared here.
from bryggan.matching.engine.algorithm import _units_propose
from bryggan.matching.engine.model import Instance, Result, gc_paused

STUDENT = "student"
UNIT = "unit"


def strict_ranking(instance: Instance, seed: int) -> tuple[list[dict[int, int]], list[list[int]]]:
    """Each unit's strict ranking: its tie groups, ties broken by one lottery over all students.

    Returns, per unit, the position of each student it ranks and the students in that order.
    Without ties this is the ranking as written.
    """
    if not instance.has_ties:
        return instance.groups, instance.order
    n = len(instance.student_ids)
    lottery = list(range(n))
    random.Random(seed).shuffle(lottery)
    positions, orders = [], []
    for groups in instance.groups:
        order = sorted(groups, key=lambda s, g=groups: g[s] * n + lottery[s])  # type: ignore[misc]
        orders.append(order)
        positions.append(dict(zip(order, range(len(order)), strict=True)))
    return positions, orders


def solve(instance: Instance, *, optimal: str = STUDENT, seed: int = 0) -> Result:
    if optimal not in (STUDENT, UNIT):
        raise ValueError("optimal must be 'student' or 'unit'")
    with gc_paused():
        return _solve(instance, optimal, seed)


def _solve(instance: Instance, optimal: str, seed: int) -> Result:
    n_students = len(instance.student_ids)
    ranks, orders = strict_ranking(instance, seed)
    places = instance.places()
    for u in instance.pinned.values():
        places[u] -= 1
    unit_of = [-1] * n_students
    for s, u in instance.pinned.items():
        unit_of[s] = u
    if optimal == STUDENT:
        _students_propose(instance, ranks, orders, places, unit_of)
    else:
        _units_propose(instance, orders, places, unit_of)
    supervisor_of = _assign_supervisors(instance, ranks, unit_of)
    sid, uid = instance.student_ids, instance.unit_ids
    return Result(
        assignment={sid[s]: (uid[u] if u >= 0 else None) for s, u in enumerate(unit_of)},
        supervisor={sid[s]: instance.supervisor_ids[h] for s, h in supervisor_of.items()},
        optimal=optimal,
        seed=seed,
    )


def _forbidden_by_student(instance: Instance) -> dict[int, set[int]]:
    banned: dict[int, set[int]] = {}
    for s, u in instance.forbidden:
        banned.setdefault(s, set()).add(u)
    return banned


_EMPTY = sys.maxsize  # the rank of an empty place: worse than any student's


def _students_propose(
    instance: Instance,
    ranks: list[dict[int, int]],
    orders: list[list[int]],
    places: list[int],
    unit_of: list[int],
) -> None:
    """Students propose down their lists; each unit holds its best ``places[u]`` so far.

    A unit's heap holds the negated positions of the students it holds, and starts full of
    empty places (rank ``_EMPTY``), so one comparison with its worst holder decides a proposal.
    """
    n = len(instance.student_ids)
    # A unit without places ranks no one, so proposals to it fall through at once.
    rank_of = [r if places[u] > 0 else {} for u, r in enumerate(ranks)]
    banned_for = _forbidden_by_student(instance)
    prefs = instance.preferences
    pinned = instance.pinned
    held = [[-_EMPTY] * max(p, 0) for p in places]
    next_choice = [0] * n
    free = [s for s in range(n - 1, -1, -1) if prefs[s] and s not in pinned]
    replace = heapq.heapreplace
    while free:
        s = free.pop()
        row = prefs[s]
        i = next_choice[s]
        end = len(row)
        banned = banned_for.get(s)
        while i < end:
            u = row[i]
            i += 1
            try:
                r = rank_of[u][s]
            except KeyError:
                continue  # the unit did not rank s (or has no places)
            if banned and u in banned:
                continue  # a forbidden pair
            heap = held[u]
            if r < -heap[0]:  # a free place, or the unit prefers s to its worst holder
                out = -replace(heap, -r)
                if out != _EMPTY:
                    free.append(orders[u][out])
                break
        next_choice[s] = i
    for u, heap in enumerate(held):
        order = orders[u]
        for key in heap:
            if key != -_EMPTY:
                unit_of[order[-key]] = u


def _assign_supervisors(
    instance: Instance, ranks: list[dict[int, int]], unit_of: list[int]
) -> dict[int, int]:
    """Give each placed student a supervisor of their unit, spreading the load.

    Students are taken in the unit's order (pinned first); each goes to the supervisor with the
    most places left, the first listed on a tie. The unit's places never exceed its
    supervisors' total, so everyone placed gets one.
    """
    if not instance.has_supervisors:
        return {}
    by_unit: dict[int, list[int]] = {}
    for h, u in enumerate(instance.supervisor_unit):
        by_unit.setdefault(u, []).append(h)
    placed: dict[int, list[int]] = {}
    for s, u in enumerate(unit_of):
        if u >= 0:
            placed.setdefault(u, []).append(s)
    big = len(instance.student_ids) ** 2 + 1
    pinned = instance.pinned
    result: dict[int, int] = {}
    for u, students in placed.items():
        unit_rank = ranks[u]
        in_order = sorted(
            (-1 if pinned.get(s) == u else unit_rank.get(s, big), s) for s in students
        )
        heap = [(-instance.supervisor_capacity[h], h) for h in by_unit.get(u, [])]
        heapq.heapify(heap)
        for _rank, s in in_order:
            free, h = heapq.heappop(heap)
            result[s] = h
            heapq.heappush(heap, (free + 1, h))
    return result
