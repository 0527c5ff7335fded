"""The evidence for joint rounds: a synthetic region where students apply to neighbouring
municipalities, matched once jointly, and the same students and rankings in separate rounds
where each municipality matches on its own and publishes on its own day.

Separate rounds, as they run today: the municipalities publish one after another; each
student answers every offer by the reply deadline before the next publication, keeping the
best place held so far and declining the rest; a student who later gets a better offer
accepts it and gives up the place held (the "late switch"). A place declined or given up
after its municipality's publication stays empty, or goes to a second choice after the term
has started (counted apart).

Pure Python on the matching engine (no Django): `make bench-joint` prints the figures for
the README; tests/regional/test_simulation.py checks the mechanics on a small region.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bryggan.matching.engine import Instance, check, solve


@dataclass
class Region:
    municipalities: int
    units: dict[str, int]  # unit id → places
    municipality_of: dict[str, int]  # unit id → municipality
    preferences: dict[str, list[str]]  # student id → ranked units
    rankings: dict[str, list[str]]  # unit id → students, best first

    @property
    def places(self) -> int:
        return sum(self.units.values())

    def instance(self, municipality: int | None = None) -> dict:
        """The engine instance of the whole region, or of one municipality's own round (its
        units, and each student's wishes among them)."""
        own = {u for u, m in self.municipality_of.items() if municipality in (None, m)}
        students = []
        for sid, prefs in self.preferences.items():
            mine = [u for u in prefs if u in own]
            if mine:
                students.append({"id": sid, "preferences": mine})
        present = {s["id"] for s in students}
        return {
            "students": students,
            "units": [
                {
                    "id": u,
                    "capacity": self.units[u],
                    "ranking": [s for s in self.rankings[u] if s in present],
                }
                for u in sorted(own)
            ],
        }


def region(
    *,
    municipalities: int = 6,
    students: int = 600,
    units_per_municipality: int = 10,
    seed: int = 1,
) -> Region:
    """Municipalities along a commuting line (each has two neighbours at most); a student
    lives in one, ranks up to six units there and, two times in three, in a neighbour's;
    popular units draw more wishes; each municipality scores its applicants (a shared view
    of the student plus its own interview), and its units rank by that score. Places are
    about five for every six students."""
    rng = random.Random(seed)  # noqa: S311 - a simulation, not a secret
    units: dict[str, int] = {}
    municipality_of: dict[str, int] = {}
    popularity: dict[str, float] = {}
    total = students * 5 // 6
    per_unit = max(1, total // (municipalities * units_per_municipality))
    for m in range(municipalities):
        for k in range(units_per_municipality):
            uid = f"u{m}-{k}"
            units[uid] = max(1, per_unit + rng.randint(-2, 2))
            municipality_of[uid] = m
            popularity[uid] = rng.lognormvariate(0, 0.8)
    by_municipality = {
        m: [u for u, mm in municipality_of.items() if mm == m] for m in range(municipalities)
    }
    preferences: dict[str, list[str]] = {}
    quality: dict[str, float] = {}
    for n in range(students):
        sid = f"s{n}"
        home = rng.randrange(municipalities)
        pool = list(by_municipality[home])
        if rng.random() < 2 / 3:
            neighbours = [m for m in (home - 1, home + 1) if 0 <= m < municipalities]
            for m in rng.sample(neighbours, rng.randint(1, len(neighbours))):
                pool += by_municipality[m]
        wishes: list[str] = []
        while len(wishes) < min(6, len(pool)):
            choice = rng.choices(pool, weights=[popularity[u] for u in pool])[0]
            if choice not in wishes:
                wishes.append(choice)
        preferences[sid] = wishes
        quality[sid] = rng.gauss(0, 1)
    rankings: dict[str, list[str]] = {}
    for m in range(municipalities):
        own = set(by_municipality[m])
        applicants = [s for s, prefs in preferences.items() if own & set(prefs)]
        score = {s: quality[s] + rng.gauss(0, 0.7) for s in applicants}
        for u in by_municipality[m]:
            wished = [s for s in applicants if u in preferences[s]]
            rankings[u] = sorted(wished, key=lambda s: -score[s])
    return Region(municipalities, units, municipality_of, preferences, rankings)


@dataclass
class Outcome:
    placed: dict[str, str]  # student → unit
    offers: int = 0
    declined: int = 0  # offers turned down, and places given up after accepting
    filled_late: int = 0  # given to a second choice after the term started
    stable: bool | None = None


def joint(r: Region) -> Outcome:
    instance = Instance.from_dict(r.instance())
    result = solve(instance, optimal="student", seed=0)
    placed = {s: u for s, u in result.assignment.items() if u}
    return Outcome(placed, offers=len(placed), stable=check(instance, result).ok)


def separate(r: Region, *, seed: int = 1, late_round: bool = True) -> Outcome:
    """Each municipality matches alone and publishes on its own day, in a random order."""
    rng = random.Random(seed)  # noqa: S311 - a simulation, not a secret
    order = list(range(r.municipalities))
    rng.shuffle(order)
    rank = {s: {u: i for i, u in enumerate(p)} for s, p in r.preferences.items()}
    held: dict[str, str] = {}
    left_empty: dict[str, int] = dict.fromkeys(r.units, 0)
    offers = declined = 0
    for m in order:
        result = solve(Instance.from_dict(r.instance(m)), optimal="student", seed=0)
        for s, u in result.assignment.items():
            if not u:
                continue
            offers += 1
            current = held.get(s)
            if current is None or rank[s][u] < rank[s][current]:
                if current is not None:  # a better offer: the place held is given up
                    declined += 1
                    left_empty[current] += 1
                held[s] = u
            else:
                declined += 1
                left_empty[u] += 1
    filled_late = 0
    if late_round:
        # After the term started: the places left empty go to those still without one,
        # from the same rankings.
        free = {u: n for u, n in left_empty.items() if n}
        waiting = {s: p for s, p in r.preferences.items() if s not in held}
        late = Region(
            r.municipalities,
            free,
            {u: r.municipality_of[u] for u in free},
            {s: [u for u in p if u in free] for s, p in waiting.items()},
            {u: [s for s in r.rankings[u] if s in waiting] for u in free},
        )
        if free and late.preferences:
            result = solve(Instance.from_dict(late.instance()), optimal="student", seed=0)
            for s, u in result.assignment.items():
                if u:
                    held[s] = u
                    filled_late += 1
    return Outcome(held, offers=offers, declined=declined, filled_late=filled_late)


@dataclass
class Comparison:
    students: int
    places: int
    multi_municipality: int  # students who ranked units in more than one municipality
    joint_placed: int
    separate_placed: int  # at the term's start
    separate_placed_late: int  # after the late round
    better_jointly: int  # a higher-ranked place in the joint round
    better_separately: int
    joint_empty: int
    separate_empty: int  # at the term's start
    separate_empty_after_late: int
    separate_offers: int
    separate_declined: int
    joint_stable: bool


def compare(r: Region, *, seed: int = 1) -> Comparison:
    together = joint(r)
    apart = separate(r, seed=seed)
    on_time = separate(r, seed=seed, late_round=False)
    rank = {s: {u: i for i, u in enumerate(p)} for s, p in r.preferences.items()}
    worst = 10**6

    def position(outcome: Outcome, s: str) -> int:
        u = outcome.placed.get(s)
        return rank[s][u] if u is not None else worst

    better = sum(1 for s in r.preferences if position(together, s) < position(on_time, s))
    worse = sum(1 for s in r.preferences if position(together, s) > position(on_time, s))
    municipalities = {s: {r.municipality_of[u] for u in p} for s, p in r.preferences.items()}
    return Comparison(
        students=len(r.preferences),
        places=r.places,
        multi_municipality=sum(1 for ms in municipalities.values() if len(ms) > 1),
        joint_placed=len(together.placed),
        separate_placed=len(on_time.placed),
        separate_placed_late=len(apart.placed),
        better_jointly=better,
        better_separately=worse,
        joint_empty=r.places - len(together.placed),
        separate_empty=r.places - len(on_time.placed),
        separate_empty_after_late=r.places - len(apart.placed),
        separate_offers=on_time.offers,
        separate_declined=on_time.declined,
        joint_stable=bool(together.stable),
    )
