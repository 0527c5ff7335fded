"""The joint round against separate rounds on a synthetic region (6 municipalities, 600
students, about five places for every six), five regions, with the mean: the figures the
README reports. Run by `make bench-joint` (and `make bench`)."""

from __future__ import annotations

import time
from dataclasses import asdict, fields

from bryggan.regional.simulation import Comparison, compare, region

SEEDS = (1, 2, 3, 4, 5)


def main() -> None:
    started = time.perf_counter()
    rows = [compare(region(seed=seed), seed=seed) for seed in SEEDS]
    took = time.perf_counter() - started
    names = [f.name for f in fields(Comparison)]
    print("Joint round vs separate rounds: 6 municipalities, 600 students, 5 regions")
    print(f"{'':28}" + "".join(f"{f'region {s}':>10}" for s in SEEDS) + f"{'mean':>10}")
    for name in names:
        values = [asdict(row)[name] for row in rows]
        mean = sum(float(v) for v in values) / len(values)
        shown = "".join(f"{v!s:>10}" for v in values)
        print(f"{name:28}{shown}{mean:>10.1f}")
    assert all(row.joint_stable for row in rows), "a joint result was not stable"
    print(f"({took:.1f} s for all five, each matched jointly once and separately twice)")


if __name__ == "__main__":
    main()
