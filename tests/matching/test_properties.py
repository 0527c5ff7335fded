"""Property tests: on random instances every result is stable, within capacities, honours
pinned and forbidden pairs, and the student-optimal one matches a brute-force search."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bryggan.matching.engine import Instance, InstanceError, Result, check, explain, solve
from bryggan.matching.engine.generate import random_arrays, random_instance
from tests.matching import reference


@st.composite
def instances(draw, max_students=6, max_units=4, ties=True, rules=True):
    n_students = draw(st.integers(1, max_students))
    n_units = draw(st.integers(1, max_units))
    students = [f"s{i}" for i in range(n_students)]
    units = [f"u{j}" for j in range(n_units)]
    student_rows = []
    for s in students:
        wished = draw(st.permutations(units))[: draw(st.integers(0, n_units))]
        student_rows.append({"id": s, "preferences": list(wished)})
    unit_rows = []
    for u in units:
        ranked = draw(st.permutations(students))[: draw(st.integers(0, n_students))]
        ranking: list = list(ranked)
        if ties and len(ranking) >= 2 and draw(st.booleans()):
            ranking = [ranking[:2], *ranking[2:]]
        unit_rows.append({"id": u, "capacity": draw(st.integers(0, 3)), "ranking": ranking})
    data: dict = {"students": student_rows, "units": unit_rows}
    if draw(st.booleans()):
        data["supervisors"] = [
            {"id": f"h{j}{k}", "unit": u, "capacity": draw(st.integers(0, 2))}
            for j, u in enumerate(units)
            for k in range(draw(st.integers(0, 2)))
        ]
    if rules:
        pairs = list(itertools.product(students, units))
        forbidden = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=3))
        data["forbidden"] = [list(p) for p in forbidden]
        instance = Instance.from_dict({**data, "forbidden": data["forbidden"]})
        places = instance.places()
        pinned, used, taken = [], [0] * n_units, set()
        for s, u in draw(st.lists(st.sampled_from(pairs), unique=True, max_size=2)):
            j = units.index(u)
            if (s, u) in forbidden or s in taken or used[j] >= places[j]:
                continue
            pinned.append([s, u])
            used[j] += 1
            taken.add(s)
        data["pinned"] = pinned
    return Instance.from_dict(data)


@settings(max_examples=300, deadline=None)
@given(
    instance=instances(), optimal=st.sampled_from(["student", "unit"]), seed=st.integers(0, 2**31)
)
def test_every_result_is_stable_within_capacity_and_honours_the_rules(instance, optimal, seed):
    result = solve(instance, optimal=optimal, seed=seed)
    report = check(instance, result)
    assert report.ok, report.to_dict()
    for s, u in instance.pinned.items():
        assert result.assignment[instance.student_ids[s]] == instance.unit_ids[u]
    for s, u in instance.forbidden:
        if instance.pinned.get(s) != u:
            assert result.assignment[instance.student_ids[s]] != instance.unit_ids[u]
    reasons = explain(instance, result)
    assert all(r.code != "had_room" for rs in reasons.values() for r in rs)


def _textbook_stable(instance: Instance, assignment: dict) -> bool:
    """Stability and feasibility straight from the definition, to audit the checker too."""
    sid, uid = instance.student_ids, instance.unit_ids
    places = instance.places()
    unit_of = {sid.index(s): (uid.index(u) if u else None) for s, u in assignment.items()}
    holders = {u: [s for s, v in unit_of.items() if v == u] for u in range(len(uid))}
    if any(len(holders[u]) > places[u] for u in holders):
        return False
    for s, u in unit_of.items():
        if u is None or instance.pinned.get(s) == u:
            continue
        if (s, u) in instance.forbidden or u not in instance.preferences[s]:
            return False
        if s not in instance.groups[u]:
            return False
    if any(unit_of[s] != u for s, u in instance.pinned.items()):
        return False
    for s, prefs in enumerate(instance.preferences):
        if s in instance.pinned:
            continue
        for u in prefs:
            if u == unit_of[s]:
                break
            if s not in instance.groups[u] or (s, u) in instance.forbidden:
                continue
            rivals = [t for t in holders[u] if instance.pinned.get(t) != u]
            if len(holders[u]) < places[u] or any(
                instance.groups[u][s] < instance.groups[u][t] for t in rivals
            ):
                return False
    return True


def _all_stable(instance: Instance) -> list[dict]:
    sid, uid = instance.student_ids, instance.unit_ids
    options = []
    for s in range(len(sid)):
        if s in instance.pinned:
            options.append([uid[instance.pinned[s]]])
        else:
            options.append([None, *(uid[u] for u in instance.preferences[s])])
    stable = []
    for combo in itertools.product(*options):
        result = Result(
            assignment=dict(zip(sid, combo, strict=True)), supervisor={}, optimal="x", seed=0
        )
        report = check(instance, result)
        assert report.ok == _textbook_stable(instance, result.assignment)
        if report.ok:
            stable.append(result.assignment)
    return stable


def _better_or_equal(instance, s, a, b) -> bool:
    prefs = [instance.unit_ids[u] for u in instance.preferences[s]]
    rank = {u: i for i, u in enumerate(prefs)} | {None: len(prefs)}
    return rank[a] <= rank[b]


@settings(max_examples=200, deadline=None)
@given(
    instance=instances(max_students=4, max_units=3, ties=False).filter(
        lambda i: not i.has_supervisors
    )
)
def test_student_optimal_matches_brute_force(instance):
    result = solve(instance)
    stable = _all_stable(instance)
    assert result.assignment in stable
    for s, name in enumerate(instance.student_ids):
        if s in instance.pinned:
            continue
        for other in stable:
            assert _better_or_equal(instance, s, result.assignment[name], other[name])


@settings(max_examples=200, deadline=None)
@given(
    instance=instances(max_students=4, max_units=3, ties=False).filter(
        lambda i: not i.has_supervisors
    )
)
def test_unit_optimal_is_the_students_worst_stable_matching(instance):
    # The unit-optimal stable matching is the one every student likes least (lattice theorem).
    result = solve(instance, optimal="unit")
    stable = _all_stable(instance)
    assert result.assignment in stable
    for s, name in enumerate(instance.student_ids):
        if s in instance.pinned:
            continue
        for other in stable:
            assert _better_or_equal(instance, s, other[name], result.assignment[name])


@settings(max_examples=300, deadline=None)
@given(
    instance=instances(), optimal=st.sampled_from(["student", "unit"]), seed=st.integers(0, 2**31)
)
def test_the_array_engine_gives_the_reference_engines_result(instance, optimal, seed):
    # The engine's first version, pure Python, kept in tests/matching/reference.py.
    ours = solve(instance, optimal=optimal, seed=seed)
    theirs = reference.solve(instance, optimal=optimal, seed=seed)
    assert ours.assignment == theirs.assignment
    assert ours.supervisor == theirs.supervisor


def _with_rules(data: dict, seed: int) -> dict:
    """Ties in some rankings, a few forbidden pairs and pinned students, as coordinators do."""
    rng = random.Random(seed)
    for unit in data["units"][::7]:
        ranking = unit["ranking"]
        if len(ranking) >= 3:
            unit["ranking"] = [ranking[:3], *ranking[3:]]
    students = data["students"]
    data["forbidden"] = [
        [s["id"], s["preferences"][0]] for s in rng.sample(students, 20) if s["preferences"]
    ]
    forbidden = {tuple(pair) for pair in data["forbidden"]}
    instance = Instance.from_dict(data)
    room = dict(zip(instance.unit_ids, instance.places(), strict=True))
    pinned = []
    for student in rng.sample(students, 30):
        unit = rng.choice(instance.unit_ids)
        if room[unit] > 0 and (student["id"], unit) not in forbidden:
            room[unit] -= 1
            pinned.append([student["id"], unit])
    data["pinned"] = pinned
    return data


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("optimal", ["student", "unit"])
def test_on_thousands_of_students_the_array_engine_gives_the_reference_result(seed, optimal):
    data = _with_rules(random_instance(3000, 150, 6, seed=seed), seed)
    instance = Instance.from_dict(data)
    ours = solve(instance, optimal=optimal, seed=seed)
    theirs = reference.solve(instance, optimal=optimal, seed=seed)
    assert sum(u is not None for u in ours.assignment.values()) > 2000
    assert ours.assignment == theirs.assignment
    assert ours.supervisor == theirs.supervisor
    assert check(instance, ours).ok


def test_instances_drawn_into_arrays_solve_like_the_reference():
    instance = random_arrays(2000, 200, 5, seed=4)
    ours = solve(instance)
    theirs = reference.solve(instance)
    assert sum(u is not None for u in ours.assignment.values()) > 1500
    assert ours.assignment == theirs.assignment
    assert ours.supervisor == theirs.supervisor
    assert check(instance, ours).ok


def test_arrays_out_of_range_are_refused():
    good = random_arrays(50, 5, 3, seed=1)
    bad_unit = good.pref_unit.copy()
    bad_unit[0] = 5  # there are units 0..4
    with pytest.raises(InstanceError, match="pref_unit holds a value out of range"):
        Instance.from_arrays(
            pref_start=good.pref_start,
            pref_unit=bad_unit,
            rank_start=good.rank_start,
            rank_student=good.rank_student,
            unit_capacity=np.asarray(good.unit_capacity),
        )
    with pytest.raises(InstanceError, match="unit_capacity holds a value out of range"):
        Instance.from_arrays(
            pref_start=good.pref_start,
            pref_unit=good.pref_unit,
            rank_start=good.rank_start,
            rank_student=good.rank_student,
            unit_capacity=-np.ones(5, dtype=np.int64),
        )
