"""The broad introduction's planner at cohort sizes municipalities have (`make bench`, alone:
`make bench-introduction`): a 16-week rotation through three areas, nine units, three
supervisors each with two places, some on leave, wishes and units to avoid drawn with a
seed. Prints, per cohort size, the status (optimal means proven), the cost and the bound,
the gap and the time; and, for a cohort the places cannot take week by week although the
totals suffice, the time to prove it and to name what is short."""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from bryggan.introduction.planner import (  # noqa: E402
    Area,
    Fixed,
    Hire,
    Problem,
    Supervisor,
    Unit,
    solve,
)

WEEKS = 16
AREAS = [Area("forsorjning", 6), Area("vuxen", 5), Area("barn", 5)]


def cohort(
    hires: int, units_per_area: int = 3, seed: int = 5, per_unit: int | None = None
) -> Problem:
    """A cohort over 16 weeks and three areas; each area's places each week are 60 % of the
    cohort (an area holds 31-38 % of it on average), spread over its units, with one
    supervisor more per unit than its places need (two places each, a fifth away two
    weeks)."""
    rng = random.Random(seed)
    places = per_unit or max(3, -(-hires * 6 // 10))
    units, supervisors = [], []
    for area in AREAS:
        for k in range(units_per_area):
            share = places // units_per_area + (k < places % units_per_area)
            unit = Unit(f"{area.id}-{k}", area.id, (share,) * WEEKS)
            units.append(unit)
            for j in range(max(2, -(-share // 2) + 1)):
                leave = rng.random() < 0.2
                weeks = tuple(0 if leave and 6 <= w < 8 else 2 for w in range(WEEKS))
                supervisors.append(Supervisor(f"{unit.id}-h{j}", unit.id, weeks))
    people = [
        Hire(
            f"n{i}",
            final_area=rng.choice([a.id for a in AREAS] + [None]),
            avoid_unit=rng.choice([u.id for u in units] + [None] * 3),
        )
        for i in range(hires)
    ]
    return Problem(WEEKS, AREAS, units, supervisors, people, time_limit=30)


def _run(label: str, problem: Problem, goal: str) -> None:
    start = time.perf_counter()
    plan = solve(problem)
    elapsed = time.perf_counter() - start
    print(
        f"  {label}: {len(problem.hires)} hires, {len(problem.units)} units, "
        f"{len(problem.supervisors)} supervisors: {plan.status}, cost {plan.objective:.0f}, "
        f"bound {plan.bound:.0f}, gap {plan.gap:.2%}, {elapsed:.2f} s   (goal: {goal})"
    )


def main() -> None:
    print("Broad introduction planner (OR-Tools CP-SAT, 2 workers, 30 s limit)")
    for size in (12, 60):
        _run("a cohort", cohort(size), "optimal")
    _run("the issue's cohort", cohort(200, units_per_area=10), "optimal in <= 2 s")
    _run("a regional cohort", cohort(500, units_per_area=27), "within 1 % in <= 10 s")
    # A re-plan, hire by hire: half-way through, the past fixed, a supervisor away.
    replan = cohort(60)
    first = solve(replan)
    replan.fixed = [
        Fixed(b.hire, b.area, b.unit, b.start, b.supervisor) for b in first.blocks if b.start < 8
    ]
    replan.previous = {(b.hire, b.area): b.supervisor for b in first.blocks}
    _run("a re-plan from week 9", replan, "a plan; few supervisors changed")
    # The children's supervisors all away in weeks 4-13: no five weeks in a row for its
    # block, though every total suffices; only the solver can show it.
    gap = cohort(30, per_unit=30)
    gap.supervisors = [
        Supervisor(v.id, v.unit, tuple(0 if 3 <= w < 13 else c for w, c in enumerate(v.capacity)))
        if v.unit.startswith("barn")
        else v
        for v in gap.supervisors
    ]
    for label, tight in (
        ("short in the totals", cohort(200, units_per_area=10, per_unit=60)),
        ("short only week by week", gap),
    ):
        start = time.perf_counter()
        plan = solve(tight)
        elapsed = time.perf_counter() - start
        print(f"  {label}: {plan.status}, explained in {elapsed:.2f} s   (goal: <= 1 s)")
        for shortage in plan.shortages[:3]:
            print(f"     {shortage.text}")


if __name__ == "__main__":
    main()
