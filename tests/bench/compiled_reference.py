"""A compiled reference for the matching benchmark: the textbook deferred acceptance (one
student proposes at a time, each unit keeps a heap of its holders) compiled with Numba.

It reads the same acceptable preference entries as the engine and must give the same
assignment; the benchmark prints both times, so the engine's distance from compiled code
is measured rather than guessed. Numba is a development dependency only.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from bryggan.matching.engine import Instance
from bryggan.matching.engine.algorithm import acceptable, strict_ranks


def prepare(instance: Instance) -> tuple[np.ndarray, ...]:
    """The acceptable entries per student, their units and ranks, and each unit's places."""
    places = np.maximum(instance.places_array(), 0)
    ok = acceptable(instance, places)
    edge_unit = instance.pref_unit[ok]
    edge_rank = strict_ranks(instance, 0)[instance.pref_entry[ok]]
    n = len(instance.student_ids)
    start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(instance.pref_student[ok], minlength=n), out=start[1:])
    return start, edge_unit, edge_rank, places


@njit(cache=False)
def deferred_acceptance(start, edge_unit, edge_rank, places):  # pragma: no cover - compiled
    n = len(start) - 1
    n_units = len(places)
    slot_start = np.zeros(n_units + 1, dtype=np.int64)
    for u in range(n_units):
        slot_start[u + 1] = slot_start[u] + places[u]
    worst = np.iinfo(np.int64).max
    heap_rank = np.full(slot_start[n_units], worst, dtype=np.int64)  # max-heap per unit
    heap_student = np.full(slot_start[n_units], -1, dtype=np.int64)
    next_edge = start[:-1].copy()
    stack = np.empty(n, dtype=np.int64)
    top = 0
    for s in range(n - 1, -1, -1):
        stack[top] = s
        top += 1
    while top > 0:
        top -= 1
        s = stack[top]
        i = next_edge[s]
        end = start[s + 1]
        while i < end:
            u = edge_unit[i]
            r = edge_rank[i]
            i += 1
            size = places[u]
            base = slot_start[u]
            if size == 0 or r >= heap_rank[base]:
                continue
            out = heap_student[base]
            # Replace the worst holder and sift the newcomer down.
            j = 0
            while True:
                child = 2 * j + 1
                if child >= size:
                    break
                if child + 1 < size and heap_rank[base + child + 1] > heap_rank[base + child]:
                    child += 1
                if heap_rank[base + child] <= r:
                    break
                heap_rank[base + j] = heap_rank[base + child]
                heap_student[base + j] = heap_student[base + child]
                j = child
            heap_rank[base + j] = r
            heap_student[base + j] = s
            if out >= 0:
                stack[top] = out
                top += 1
            break
        next_edge[s] = i
    unit_of = np.full(n, -1, dtype=np.int64)
    for u in range(n_units):
        for k in range(slot_start[u], slot_start[u + 1]):
            if heap_student[k] >= 0:
                unit_of[heap_student[k]] = u
    return unit_of
