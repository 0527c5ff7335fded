"""The joint-round simulation's mechanics on a small region: the joint result is stable,
no one is placed twice or over a unit's places, and separate rounds count their offers,
declines and empty places consistently."""

from __future__ import annotations

from collections import Counter

from bryggan.regional.simulation import compare, joint, region, separate


def _within_places(r, placed: dict[str, str]) -> bool:
    used = Counter(placed.values())
    return all(used[u] <= r.units[u] for u in used)


def test_the_joint_round_is_stable_and_within_every_units_places():
    r = region(municipalities=3, students=90, units_per_municipality=4, seed=7)
    together = joint(r)
    assert together.stable is True
    assert _within_places(r, together.placed)
    assert all(u in r.preferences[s] for s, u in together.placed.items())


def test_separate_rounds_lose_places_to_declined_offers():
    r = region(municipalities=3, students=90, units_per_municipality=4, seed=7)
    on_time = separate(r, seed=7, late_round=False)
    assert _within_places(r, on_time.placed)
    # every offer is either kept or declined, and a declined one leaves its place empty
    assert on_time.offers == len(on_time.placed) + on_time.declined
    found = compare(r, seed=7)
    assert found.separate_empty == r.places - found.separate_placed
    assert found.separate_declined == on_time.declined > 0
    assert found.joint_stable
    # the joint round gives no student a worse place than the separate rounds here
    assert found.better_jointly > 0 and found.better_separately == 0
    assert found.joint_empty < found.separate_empty
