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
    Hire,
    Problem,
    Supervisor,
    Unit,
    solve,
)

WEEKS = 16
AREAS = [Area("forsorjning", 6), Area("vuxen", 5), Area("barn", 5)]


def cohort(hires: int, seed: int = 5, per_unit: int | None = None) -> Problem:
    rng = random.Random(seed)
    # Places per area each week: 60 % of the cohort (an area holds 31-38 % of it on average)
    places = per_unit or max(3, -(-hires * 6 // 10))
    units, supervisors = [], []
    for area in AREAS:
        for k in range(3):
            unit = Unit(f"{area.id}-{k}", area.id, (places // 3 + (k < places % 3),) * WEEKS)
            units.append(unit)
            for j in range(max(2, -(-unit.capacity[0] // 2) + 1)):  # one more than needed
                leave = rng.random() < 0.2
                weeks = tuple(
                    0 if leave and 6 <= w < 8 else 2 for w in range(WEEKS)
                )  # some away two weeks
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


def main() -> None:
    print("Broad introduction planner (OR-Tools CP-SAT, 2 workers, 30 s limit)")
    for size in (12, 30, 60):
        problem = cohort(size)
        start = time.perf_counter()
        plan = solve(problem)
        elapsed = time.perf_counter() - start
        print(
            f"  {size:>3} hires, {len(problem.units)} units, {len(problem.supervisors)} "
            f"supervisors: {plan.status}, cost {plan.objective:.0f}, bound {plan.bound:.0f}, "
            f"gap {plan.gap:.1%}, {elapsed:.2f} s"
        )
    tight = cohort(30, per_unit=10)  # 10 places per area: 30 a week for 30 hires
    start = time.perf_counter()
    plan = solve(tight)
    elapsed = time.perf_counter() - start
    print(f"   30 hires, 10 places per area and week: {plan.status} in {elapsed:.2f} s")
    for shortage in plan.shortages[:3]:
        print(f"     {shortage.text}")


if __name__ == "__main__":
    main()
