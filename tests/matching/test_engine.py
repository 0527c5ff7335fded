"""The matching engine on instances small enough to reason about by hand."""

from __future__ import annotations

import itertools

import pytest

from bryggan.matching.engine import Instance, InstanceError, check, explain, solve


def inst(**data) -> Instance:
    return Instance.from_dict(data)


# A classic: two students, two units, opposite preferences. Students get their first choice
# in the student-optimal matching, units theirs in the unit-optimal one.
OPPOSED = {
    "students": [
        {"id": "anna", "preferences": ["u1", "u2"]},
        {"id": "bo", "preferences": ["u2", "u1"]},
    ],
    "units": [
        {"id": "u1", "capacity": 1, "ranking": ["bo", "anna"]},
        {"id": "u2", "capacity": 1, "ranking": ["anna", "bo"]},
    ],
}


def test_students_get_their_first_choice_when_students_are_optimal():
    result = solve(inst(**OPPOSED))
    assert result.assignment == {"anna": "u1", "bo": "u2"}
    assert check(inst(**OPPOSED), result).ok


def test_units_get_their_first_choice_when_units_are_optimal():
    result = solve(inst(**OPPOSED), optimal="unit")
    assert result.assignment == {"anna": "u2", "bo": "u1"}
    assert check(inst(**OPPOSED), result).ok


def test_a_full_unit_keeps_the_students_it_ranks_higher():
    instance = inst(
        students=[{"id": f"s{i}", "preferences": ["pop", "calm"]} for i in range(4)],
        units=[
            {"id": "pop", "capacity": 2, "ranking": ["s3", "s1", "s0", "s2"]},
            {"id": "calm", "capacity": 1, "ranking": ["s0", "s2"]},
        ],
    )
    result = solve(instance)
    assert result.assignment == {"s0": "calm", "s1": "pop", "s2": None, "s3": "pop"}
    reasons = explain(instance, result)
    assert [(r.unit, r.code, r.your_rank, r.last_admitted_rank) for r in reasons["s0"]] == [
        ("pop", "full", 3, 2)
    ]
    assert "rank 2, you were its rank 3" in reasons["s0"][0].text
    assert [r.code for r in reasons["s2"]] == ["full", "full"]
    assert reasons["s3"] == []


def test_a_pair_counts_only_when_both_rank_each_other():
    instance = inst(
        students=[{"id": "s1", "preferences": ["u1", "u2"]}],
        units=[
            {"id": "u1", "capacity": 5, "ranking": []},
            {"id": "u2", "capacity": 5, "ranking": ["s1"]},
        ],
    )
    result = solve(instance)
    assert result.assignment == {"s1": "u2"}
    assert explain(instance, result)["s1"][0].code == "not_ranked"


def test_supervisors_limit_the_places_and_share_the_students():
    instance = inst(
        students=[{"id": f"s{i}", "preferences": ["u1"]} for i in range(5)],
        units=[{"id": "u1", "capacity": 10, "ranking": [f"s{i}" for i in range(5)]}],
        supervisors=[
            {"id": "h1", "unit": "u1", "capacity": 2},
            {"id": "h2", "unit": "u1", "capacity": 1},
        ],
    )
    result = solve(instance)
    assert result.assignment == {"s0": "u1", "s1": "u1", "s2": "u1", "s3": None, "s4": None}
    assert sorted(result.supervisor.values()) == ["h1", "h1", "h2"]
    assert result.supervisor["s0"] == "h1"  # the best-ranked goes to the one with most room
    assert check(instance, result).ok


def test_a_unit_without_supervisors_has_no_places():
    instance = inst(
        students=[{"id": "s1", "preferences": ["u1", "u2"]}],
        units=[
            {"id": "u1", "capacity": 3, "ranking": ["s1"]},
            {"id": "u2", "capacity": 3, "ranking": ["s1"]},
        ],
        supervisors=[{"id": "h1", "unit": "u2", "capacity": 1}],
    )
    result = solve(instance)
    assert result.assignment == {"s1": "u2"}
    assert explain(instance, result)["s1"][0].code == "no_places"


def test_pinned_and_forbidden_pairs_are_honoured():
    instance = inst(
        students=[
            {"id": "s1", "preferences": ["u1", "u2"]},
            {"id": "s2", "preferences": ["u1", "u2"]},
        ],
        units=[
            {"id": "u1", "capacity": 1, "ranking": ["s1", "s2"]},
            {"id": "u2", "capacity": 1, "ranking": ["s1", "s2"]},
        ],
        pinned=[["s2", "u1"]],
        forbidden=[["s1", "u2"]],
    )
    result = solve(instance)
    assert result.assignment == {"s1": None, "s2": "u1"}
    report = check(instance, result)
    assert report.ok, report.to_dict()
    codes = [r.code for r in explain(instance, result)["s1"]]
    assert codes == ["full", "forbidden"]


def test_ties_are_broken_by_the_seed_and_repeat_exactly():
    data = {
        "students": [{"id": f"s{i}", "preferences": ["u1"]} for i in range(6)],
        "units": [{"id": "u1", "capacity": 1, "ranking": [[f"s{i}" for i in range(6)]]}],
    }
    winners = {
        s for seed in range(30) for s, u in solve(inst(**data), seed=seed).assignment.items() if u
    }
    assert len(winners) > 1  # the lottery really draws
    for seed in (0, 7, 123):
        first = solve(inst(**data), seed=seed)
        assert solve(inst(**data), seed=seed).assignment == first.assignment
        assert first.seed == seed
        assert check(inst(**data), first).ok  # a tie never blocks
        losers = [s for s, u in first.assignment.items() if u is None]
        assert {r.code for s in losers for r in explain(inst(**data), first)[s]} == {"lost_lottery"}


def test_the_checker_finds_blocking_pairs_and_overfull_units():
    instance = inst(**OPPOSED)
    from bryggan.matching.engine import Result

    unstable = Result(assignment={"anna": None, "bo": None}, supervisor={}, optimal="x", seed=0)
    report = check(instance, unstable)
    assert sorted(report.blocking_pairs) == [
        ("anna", "u1"),
        ("anna", "u2"),
        ("bo", "u1"),
        ("bo", "u2"),
    ]
    overfull = Result(assignment={"anna": "u1", "bo": "u1"}, supervisor={}, optimal="x", seed=0)
    report = check(instance, overfull)
    assert report.violations == ["unit 'u1' holds 2 students but has 1 places"]
    one_sided = inst(
        students=[{"id": "anna", "preferences": ["u1"]}],
        units=[{"id": "u1", "capacity": 1, "ranking": []}],
    )
    report = check(one_sided, Result(assignment={"anna": "u1"}, supervisor={}, optimal="x", seed=0))
    assert report.violations == ["('anna', 'u1') is not a mutually ranked pair"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "must be a JSON object"),
        ({"students": []}, "needs 'students' and 'units'"),
        ({"students": [{"id": "s1"}, {"id": "s1"}], "units": []}, "duplicate id in 'students'"),
        (
            {"students": [{"id": "s1", "preferences": ["nope"]}], "units": []},
            "ranks unknown unit 'nope'",
        ),
        (
            {
                "students": [{"id": "s1", "preferences": ["u1", "u1"]}],
                "units": [{"id": "u1", "capacity": 1}],
            },
            "ranks a unit more than once",
        ),
        ({"students": [], "units": [{"id": "u1", "capacity": -1}]}, "cannot be negative"),
        ({"students": [], "units": [{"id": "u1", "capacity": "2"}]}, "whole number"),
        (
            {"students": [], "units": [{"id": "u1", "capacity": 1, "ranking": ["ghost"]}]},
            "ranks unknown student 'ghost'",
        ),
        (
            {
                "students": [{"id": "s1"}],
                "units": [{"id": "u1", "capacity": 1, "ranking": ["s1", ["s1"]]}],
            },
            "ranks a student more than once",
        ),
        (
            {
                "students": [{"id": "s1"}],
                "units": [{"id": "u1", "capacity": 1}],
                "pinned": [["s1", "u1"]],
                "forbidden": [["s1", "u1"]],
            },
            "both pinned and forbidden",
        ),
        (
            {
                "students": [{"id": "s1"}, {"id": "s2"}],
                "units": [{"id": "u1", "capacity": 1}],
                "pinned": [["s1", "u1"], ["s2", "u1"]],
            },
            "2 pinned students but only 1 places",
        ),
        (
            {
                "students": [],
                "units": [{"id": "u1", "capacity": 1}],
                "supervisors": [{"id": "h1", "unit": "u9", "capacity": 1}],
            },
            "unknown unit 'u9'",
        ),
        ({"students": [], "units": [], "extra": 1}, "unknown keys"),
    ],
)
def test_malformed_instances_are_refused_with_a_clear_message(data, message):
    with pytest.raises(InstanceError, match=message):
        Instance.from_dict(data)


@pytest.mark.parametrize("packed", [True, False])
def test_both_ways_of_joining_wishes_to_rankings_agree_with_a_plain_lookup(monkeypatch, packed):
    """The join sorts the keys with their index packed in (a national instance's keys fit),
    or by argsort beyond: both pair every wish with the unit's ranking entry exactly as a
    dictionary lookup does, and both refuse a repeated pair."""
    from bryggan.matching.engine import model
    from bryggan.matching.engine.generate import random_instance

    if not packed:
        monkeypatch.setattr(model, "_PACKED_BITS", 1)
    data = random_instance(300, 40, 6, seed=5)
    for n, unit in enumerate(data["units"][:5]):  # some wishes the unit does not answer
        del unit["ranking"][n::4]
    instance = Instance.from_dict(data)
    entry_of = {
        (u, s): i
        for u, (a, b) in enumerate(itertools.pairwise(instance.rank_start.tolist()))
        for i, s in zip(range(a, b), instance.rank_student[a:b].tolist(), strict=True)
    }
    expected = [entry_of.get((u, s), -1) for s, row in enumerate(instance.preferences) for u in row]
    assert instance.pref_entry.tolist() == expected
    assert -1 in expected
    data["students"][7]["preferences"].append(data["students"][7]["preferences"][0])
    with pytest.raises(InstanceError, match="student 's7' ranks a unit more than once"):
        Instance.from_dict(data)
    data["students"][7]["preferences"].pop()
    data["units"][30]["ranking"].append(data["units"][30]["ranking"][0])
    with pytest.raises(InstanceError, match="unit 'u30' ranks a student more than once"):
        Instance.from_dict(data)
