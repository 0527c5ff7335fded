"""Rotation schedules for a cohort of new hires, solved with OR-Tools CP-SAT.

Every hire rotates through every area once (a block of the area's length, blocks back to
back, so no gaps), in one unit of that area, with one supervisor of that unit for the
block; each week no unit takes more hires than it can, and no supervisor more than theirs.
Soft goals: each hire ends in the area they wish to stay in and avoids the unit where they
were a student, the load is spread over the units by their capacity, and a re-plan changes
as few supervisors as it can. The answer says whether it is optimal and the gap to the
bound.

When no schedule exists, the answer says which capacity is short, in which weeks and by how
much. The totals are checked first (a week with fewer places than hires, an area with fewer
hire-weeks than it must give): CP-SAT is slow to prove infeasibility, so those never reach
it. Past that, the model is solved with capacities as hard limits; only when it is proven
impossible (or no plan is found in the time given) is it solved again with capacities that
may be exceeded at a cost far above every goal, whose best plan names the exact unit-weeks
and supervisor-weeks that are short.

Pure Python and OR-Tools, no Django (an import-linter contract keeps it so).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

SHORT_COST = 10_000  # per missing place-week: above every goal together
WISH_COST = 20
AVOID_COST = 20
CHANGE_COST = 5


class PlanError(ValueError):
    """The problem is malformed; the message says what."""


@dataclass(frozen=True)
class Area:
    id: str
    weeks: int


@dataclass(frozen=True)
class Unit:
    id: str
    area: str
    capacity: tuple[int, ...]  # new hires it can take, week by week


@dataclass(frozen=True)
class Supervisor:
    id: str
    unit: str
    capacity: tuple[int, ...]  # new hires at a time, week by week (0 on leave)


@dataclass(frozen=True)
class Hire:
    id: str
    final_area: str | None = None  # where they want to stay: their last block
    avoid_unit: str | None = None  # where they were a student


@dataclass(frozen=True)
class Fixed:
    """A block already under way or past: kept where it is (its supervisor too, if given)."""

    hire: str
    area: str
    unit: str
    start: int
    supervisor: str | None = None


@dataclass
class Problem:
    weeks: int
    areas: list[Area]
    units: list[Unit]
    supervisors: list[Supervisor]
    hires: list[Hire]
    fixed: list[Fixed] = field(default_factory=list)
    # The plan before a change: (hire, area) -> supervisor, to change as few as possible
    previous: dict[tuple[str, str], str] = field(default_factory=dict)
    time_limit: float = 10.0


@dataclass(frozen=True)
class Block:
    hire: str
    area: str
    unit: str
    supervisor: str
    start: int  # first week, 0-based
    end: int  # week after the last


@dataclass(frozen=True)
class Shortage:
    kind: str  # "week" | "area" | "unit" | "supervisor"
    what: str  # the area, unit or supervisor ("" for a week)
    weeks: tuple[int, ...]
    missing: int  # places (week: hires without a place; area/unit/supervisor: place-weeks)

    @property
    def text(self) -> str:
        weeks = ", ".join(str(w + 1) for w in self.weeks)
        if self.kind == "week":
            return f"weeks {weeks}: {self.missing} more places needed than all units have"
        return f"{self.kind} {self.what}: {self.missing} place-weeks short in weeks {weeks}"


@dataclass
class Plan:
    status: str  # optimal | feasible | infeasible | unknown
    blocks: list[Block] = field(default_factory=list)
    shortages: list[Shortage] = field(default_factory=list)
    objective: float = 0.0
    bound: float = 0.0

    @property
    def gap(self) -> float:
        """Relative distance between the plan's cost and the best bound proven."""
        return (
            0.0
            if self.objective == self.bound
            else abs(self.objective - self.bound) / max(1.0, abs(self.objective))
        )


def validate(problem: Problem) -> None:
    areas = {a.id: a for a in problem.areas}
    units = {u.id: u for u in problem.units}
    if len(areas) != len(problem.areas) or len(units) != len(problem.units):
        raise PlanError("area and unit ids must be unique")
    if sum(a.weeks for a in problem.areas) != problem.weeks or any(
        a.weeks < 1 for a in problem.areas
    ):
        raise PlanError(
            f"the areas' blocks ({sum(a.weeks for a in problem.areas)} weeks) must fill the "
            f"{problem.weeks} weeks, each at least one"
        )
    owners: list[Unit | Supervisor] = [*problem.units, *problem.supervisors]
    for item in owners:
        if len(item.capacity) != problem.weeks or min(item.capacity, default=0) < 0:
            raise PlanError(f"{item.id}: one capacity per week, none negative")
    for listed in problem.units:
        if listed.area not in areas:
            raise PlanError(f"unit {listed.id} is in unknown area {listed.area}")
    for sup in problem.supervisors:
        if sup.unit not in units:
            raise PlanError(f"supervisor {sup.id} is in unknown unit {sup.unit}")
    hires = {h.id for h in problem.hires}
    if len(hires) != len(problem.hires):
        raise PlanError("hire ids must be unique")
    for fixed in problem.fixed:
        area = areas.get(fixed.area)
        unit = units.get(fixed.unit)
        if fixed.hire not in hires or area is None or unit is None or unit.area != fixed.area:
            raise PlanError(f"a fixed block of {fixed.hire} names an unknown hire, area or unit")
        if not 0 <= fixed.start <= problem.weeks - area.weeks:
            raise PlanError(f"a fixed block of {fixed.hire} does not fit in the weeks")


def _effective(problem: Problem) -> dict[str, list[int]]:
    """Each unit's places, week by week: its own, limited by its supervisors' together."""
    supervised: dict[str, list[int]] = {u.id: [0] * problem.weeks for u in problem.units}
    for sup in problem.supervisors:
        for w, c in enumerate(sup.capacity):
            supervised[sup.unit][w] += c
    return {
        u.id: [min(a, b) for a, b in zip(u.capacity, supervised[u.id], strict=True)]
        for u in problem.units
    }


def shortages(problem: Problem) -> list[Shortage]:
    """What the totals already show to be short (necessary conditions only)."""
    places = _effective(problem)
    hires = len(problem.hires)
    found: list[Shortage] = []
    by_week = [sum(p[w] for p in places.values()) for w in range(problem.weeks)]
    short_weeks = [w for w, total in enumerate(by_week) if total < hires]
    if short_weeks:
        missing = max(hires - by_week[w] for w in short_weeks)
        found.append(Shortage("week", "", tuple(short_weeks), missing))
    for area in problem.areas:
        units = [u.id for u in problem.units if u.area == area.id]
        available = sum(sum(places[u]) for u in units)
        needed = hires * area.weeks
        if available < needed:
            weeks = tuple(
                w for w in range(problem.weeks) if sum(places[u][w] for u in units) < hires
            )
            found.append(Shortage("area", area.id, weeks, needed - available))
    return found


def solve(problem: Problem) -> Plan:
    validate(problem)
    found = shortages(problem)
    if found:
        return Plan("infeasible", shortages=found)
    # A first plan (nothing fixed, nothing to keep) is solved by counting: hires with the
    # same wishes are interchangeable, so how many take each order of areas, each unit and
    # each supervisor decides everything; the counts are then handed out to people. A
    # re-plan, whose hires each carry their own past, is solved hire by hire.
    model = _Counts if _countable(problem) else _Model
    plan = model(problem, soft=False).solve()
    if plan.blocks:
        return plan
    # Proven impossible, or no plan found in time: the same model with capacities that may
    # be exceeded at a high cost names what is short (and by how much) in its best plan.
    diagnosis = model(problem, soft=True).solve()
    diagnosis.status = plan.status
    return diagnosis


MAX_ORDERS = 120  # five areas: beyond, the orders are too many to count by


def _countable(problem: Problem) -> bool:
    return (
        not problem.fixed
        and not problem.previous
        and math.factorial(len(problem.areas)) <= MAX_ORDERS
    )


class _Counts:
    """The first plan of a cohort, by counts.

    Every hire takes the areas in some order (blocks back to back fill the weeks, so the
    order fixes each block's weeks). Hires alike in what they wish (their last area and the
    unit to avoid) are interchangeable, so the model decides only how many of each kind take
    each order (``n``), how many of those in an area's block starting in a week go to each
    unit (``c``) and to each supervisor (``d``). Capacities, wishes and the balance are the
    same sums as in the model hire by hire, so the optimum is the same; ``_hand_out`` then
    gives the counts to people (a minimum-cost assignment keeps everyone away from the unit
    they avoid whenever the counts allow, which is what the cost counted).
    """

    def __init__(self, problem: Problem, *, soft: bool):
        self.p = problem
        self.soft = soft
        self.m = cp_model.CpModel()
        self.cost: list = []
        p = problem
        self.area = {a.id: a for a in p.areas}
        self.units_of = {a.id: [u for u in p.units if u.area == a.id] for a in p.areas}
        self.sups_of = {u.id: [s for s in p.supervisors if s.unit == u.id] for u in p.units}
        self.orders = list(itertools.permutations([a.id for a in p.areas]))
        self.start_in: list[dict[str, int]] = []
        for order in self.orders:
            week, starts = 0, {}
            for area in order:
                starts[area] = week
                week += self.area[area].weeks
            self.start_in.append(starts)
        self.kinds: dict[tuple[str | None, str | None], list[Hire]] = {}
        for hire in p.hires:
            wish = hire.final_area if hire.final_area in self.area else None
            self.kinds.setdefault((wish, hire.avoid_unit), []).append(hire)
        self._orders()
        self._places()
        self._goals()

    def _orders(self) -> None:
        m = self.m
        self.n: dict = {}
        for kind, hires in self.kinds.items():
            share = []
            for o in range(len(self.orders)):
                v = m.new_int_var(0, len(hires), f"n_{len(self.n)}")
                self.n[kind, o] = v
                share.append(v)
            m.add(sum(share) == len(hires))
        # hires in each area's block starting in week s, in all and by the unit they avoid
        self.starts = {a: sorted({st[a] for st in self.start_in}) for a in self.area}
        self.N: dict = {}
        self.A: dict = {}
        for a, starts in self.starts.items():
            for s in starts:
                orders = [o for o, st in enumerate(self.start_in) if st[a] == s]
                self.N[a, s] = sum(self.n[k, o] for k in self.kinds for o in orders)
                for (wish, avoid), _hires in self.kinds.items():
                    if avoid is None:
                        continue
                    key = (a, s, avoid)
                    self.A[key] = self.A.get(key, 0) + sum(self.n[(wish, avoid), o] for o in orders)

    def _places(self) -> None:
        m, p = self.m, self.p
        hires = len(p.hires)
        self.c: dict = {}
        self.d: dict = {}
        self.short_unit: dict = {}
        self.short_sup: dict = {}
        for a, starts in self.starts.items():
            for s in starts:
                at_units = []
                for u in self.units_of[a]:
                    c = m.new_int_var(0, hires, f"c_{a}_{s}_{u.id}")
                    self.c[a, s, u.id] = c
                    at_units.append(c)
                    sups = []
                    for v in self.sups_of[u.id]:
                        d = m.new_int_var(0, hires, f"d_{a}_{s}_{v.id}")
                        self.d[a, s, v.id] = d
                        sups.append(d)
                    m.add(sum(sups) == c)
                m.add(sum(at_units) == self.N[a, s])
        length = {a: self.area[a].weeks for a in self.area}
        for u in p.units:
            self._weekly(
                u.id,
                u.capacity,
                [(self.c[u.area, s, u.id], s, length[u.area]) for s in self.starts[u.area]],
                self.short_unit,
            )
        for v in p.supervisors:
            area = next(u.area for u in p.units if u.id == v.unit)
            self._weekly(
                v.id,
                v.capacity,
                [(self.d[area, s, v.id], s, length[area]) for s in self.starts[area]],
                self.short_sup,
            )

    def _weekly(self, owner: str, capacity: tuple[int, ...], blocks: list, short: dict) -> None:
        m = self.m
        for w, limit in enumerate(capacity):
            there = [var for var, s, weeks in blocks if s <= w < s + weeks]
            if not there:
                continue
            if self.soft:
                e = m.new_int_var(0, len(self.p.hires), f"short_{owner}_{w}")
                short[owner, w] = e
                self.cost.append(SHORT_COST * e)
                m.add(sum(there) <= limit + e)
            else:
                m.add(sum(there) <= limit)

    def _goals(self) -> None:
        m, p = self.m, self.p
        last = [order[-1] for order in self.orders]
        for (wish, avoid), hires in self.kinds.items():
            if wish is not None:
                ending = sum(
                    self.n[(wish, avoid), o] for o in range(len(self.orders)) if last[o] == wish
                )
                self.cost.append(WISH_COST * (len(hires) - ending))
        # Hires placed at the unit they avoid: what the places at a unit exceed the hires of
        # that block who do not avoid it (at most one unit of a block can exceed so).
        self.conflicts: dict = {}
        for (a, s, u), avoiding in self.A.items():
            if (a, s, u) not in self.c:
                continue
            e = m.new_int_var(0, len(p.hires), f"avoid_{a}_{s}_{u}")
            m.add(e >= self.c[a, s, u] - (self.N[a, s] - avoiding))
            self.conflicts[a, s, u] = e
            self.cost.append(AVOID_COST * e)
        self.cost.append(
            _busiest(
                m,
                p,
                {
                    u.id: sum(
                        self.area[u.area].weeks * self.c[u.area, s, u.id]
                        for s in self.starts[u.area]
                    )
                    for u in p.units
                },
            )
        )
        m.minimize(sum(self.cost))

    def solve(self) -> Plan:
        solver, plan = _solved(self.m, self.p.time_limit)
        if plan.status not in ("optimal", "feasible"):
            return plan
        plan.shortages = _short(solver, self.short_unit, "unit") + _short(
            solver, self.short_sup, "supervisor"
        )
        if not self.soft:
            plan.blocks = self._hand_out(solver)
        return plan

    def _hand_out(self, solver) -> list[Block]:
        """The counts given to people: orders by kind, then units (minimum-cost: nobody at
        the unit they avoid unless the counts force it), then supervisors."""
        order_of: dict[str, int] = {}
        for kind, hires in self.kinds.items():
            queue = list(hires)
            for o in range(len(self.orders)):
                for _ in range(solver.value(self.n[kind, o])):
                    order_of[queue.pop().id] = o
        avoid = {h.id: h.avoid_unit for h in self.p.hires}
        blocks: list[Block] = []
        for a, starts in self.starts.items():
            weeks = self.area[a].weeks
            for s in starts:
                people = sorted(h for h, o in order_of.items() if self.start_in[o][a] == s)
                places = {u.id: solver.value(self.c[a, s, u.id]) for u in self.units_of[a]}
                for hire, unit in _assign(people, places, avoid):
                    blocks.append(Block(hire, a, unit, "", s, s + weeks))
        by_unit: dict[tuple[str, int, str], list[int]] = {}
        for i, b in enumerate(blocks):
            by_unit.setdefault((b.area, b.start, b.unit), []).append(i)
        for (a, s, u), indices in by_unit.items():
            slots = [v.id for v in self.sups_of[u] for _ in range(solver.value(self.d[a, s, v.id]))]
            for i, sup in zip(indices, slots, strict=True):
                b = blocks[i]
                blocks[i] = Block(b.hire, b.area, b.unit, sup, b.start, b.end)
        blocks.sort(key=lambda b: (b.hire, b.start))
        return blocks


def _assign(people: list[str], places: dict[str, int], avoid: dict[str, str | None]):
    """People to units with these places, as few at the unit they avoid as can be (a
    minimum-cost flow)."""
    from ortools.graph.python import min_cost_flow

    flow = min_cost_flow.SimpleMinCostFlow()
    units = list(places)
    source, sink = 0, 1 + len(people) + len(units)
    for i, person in enumerate(people):
        flow.add_arc_with_capacity_and_unit_cost(source, 1 + i, 1, 0)
        for j, unit in enumerate(units):
            cost = 1 if avoid.get(person) == unit else 0
            flow.add_arc_with_capacity_and_unit_cost(1 + i, 1 + len(people) + j, 1, cost)
    for j, unit in enumerate(units):
        flow.add_arc_with_capacity_and_unit_cost(1 + len(people) + j, sink, places[unit], 0)
    flow.set_node_supply(source, len(people))
    flow.set_node_supply(sink, -len(people))
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("the counts do not add up")  # the model's sums make this impossible
    chosen = []
    for arc in range(flow.num_arcs()):
        tail, head = flow.tail(arc), flow.head(arc)
        if 1 <= tail <= len(people) and head > len(people) and flow.flow(arc):
            chosen.append((people[tail - 1], units[head - 1 - len(people)]))
    return chosen


class _Model:
    def __init__(self, problem: Problem, *, soft: bool):
        self.p = problem
        self.soft = soft
        self.m = cp_model.CpModel()
        self.cost: list = []
        self.area = {a.id: a for a in problem.areas}
        self.units_of = {a.id: [u for u in problem.units if u.area == a.id] for a in problem.areas}
        self.sups_of = {
            u.id: [s for s in problem.supervisors if s.unit == u.id] for u in problem.units
        }
        self._blocks()
        self.short_unit = self._capacity(
            [(u.id, u.capacity) for u in problem.units], self.unit_intervals
        )
        self.short_sup = self._capacity(
            [(s.id, s.capacity) for s in problem.supervisors], self.sup_intervals
        )
        self._goals()

    def _blocks(self) -> None:
        m, p = self.m, self.p
        self.start: dict = {}
        self.unit: dict = {}
        self.sup: dict = {}
        self.unit_intervals: dict[str, list] = {u.id: [] for u in p.units}
        self.sup_intervals: dict[str, list] = {s.id: [] for s in p.supervisors}
        fixed = {(f.hire, f.area): f for f in p.fixed}
        for h in p.hires:
            own = []
            for a in p.areas:
                s = m.new_int_var(0, p.weeks - a.weeks, f"start_{h.id}_{a.id}")
                self.start[h.id, a.id] = s
                own.append(m.new_fixed_size_interval_var(s, a.weeks, f"block_{h.id}_{a.id}"))
                keep = fixed.get((h.id, a.id))
                if keep is not None:
                    m.add(s == keep.start)
                choices = []
                for u in self.units_of[a.id]:
                    y = m.new_bool_var(f"unit_{h.id}_{a.id}_{u.id}")
                    self.unit[h.id, a.id, u.id] = y
                    choices.append(y)
                    if keep is not None and keep.unit != u.id:
                        m.add(y == 0)
                    self.unit_intervals[u.id].append(
                        m.new_optional_fixed_size_interval_var(s, a.weeks, y, f"in_{h.id}_{u.id}")
                    )
                    sups = []
                    for sv in self.sups_of[u.id]:
                        z = m.new_bool_var(f"sup_{h.id}_{a.id}_{sv.id}")
                        self.sup[h.id, a.id, sv.id] = z
                        sups.append(z)
                        if keep is not None and keep.supervisor and keep.supervisor != sv.id:
                            m.add(z == 0)
                        self.sup_intervals[sv.id].append(
                            m.new_optional_fixed_size_interval_var(
                                s, a.weeks, z, f"with_{h.id}_{sv.id}"
                            )
                        )
                    # a supervisor of the chosen unit, and only of it
                    m.add(sum(sups) == y)
                m.add_exactly_one(choices)
            m.add_no_overlap(own)  # the blocks fill the weeks one after another

    def _capacity(self, owners: Iterable[tuple[str, tuple[int, ...]]], intervals: dict) -> dict:
        """Capacity week by week as a cumulative: a ceiling above everyone, lowered each week
        by a fixed block; the slack that lowers it less is what is short, at a high cost."""
        m, p = self.m, self.p
        hires = len(p.hires)
        short: dict = {}
        for owner, capacity in owners:
            if not intervals[owner]:
                continue
            ceiling = max(capacity) + (hires if self.soft else 0)
            blockers: list = []
            demands: list = [1] * len(intervals[owner])
            for w, c in enumerate(capacity):
                blockers.append(m.new_fixed_size_interval_var(w, 1, f"cap_{owner}_{w}"))
                if not self.soft:
                    demands.append(ceiling - c)
                    continue
                e = m.new_int_var(0, hires, f"short_{owner}_{w}")
                short[owner, w] = e
                self.cost.append(SHORT_COST * e)
                demands.append(ceiling - c - e)
            m.add_cumulative(intervals[owner] + blockers, demands, ceiling)
        return short

    def _goals(self) -> None:
        m, p = self.m, self.p
        for h in p.hires:
            if h.final_area in self.area:
                wished = self.area[h.final_area]
                last = m.new_bool_var(f"last_{h.id}")
                m.add(self.start[h.id, wished.id] == p.weeks - wished.weeks).only_enforce_if(last)
                self.cost.append(WISH_COST * (1 - last))
            for a in p.areas:
                if (h.id, a.id, h.avoid_unit) in self.unit:
                    self.cost.append(AVOID_COST * self.unit[h.id, a.id, h.avoid_unit])
        for (hire, area), sv in p.previous.items():
            if (hire, area, sv) in self.sup:
                self.cost.append(CHANGE_COST * (1 - self.sup[hire, area, sv]))
        loads = {
            u.id: sum(
                self.area[a.id].weeks * self.unit[h.id, a.id, u.id]
                for h in p.hires
                for a in p.areas
                if (h.id, a.id, u.id) in self.unit
            )
            for u in p.units
        }
        self.cost.append(_busiest(m, p, loads))
        m.minimize(sum(self.cost))

    def solve(self) -> Plan:
        solver, plan = _solved(self.m, self.p.time_limit)
        if plan.status not in ("optimal", "feasible"):
            return plan
        for (hire, area, unit), y in self.unit.items():
            if not solver.value(y):
                continue
            start = solver.value(self.start[hire, area])
            sup = next(s.id for s in self.sups_of[unit] if solver.value(self.sup[hire, area, s.id]))
            weeks = self.area[area].weeks
            plan.blocks.append(Block(hire, area, unit, sup, start, start + weeks))
        plan.blocks.sort(key=lambda b: (b.hire, b.start))
        plan.shortages = _short(solver, self.short_unit, "unit") + _short(
            solver, self.short_sup, "supervisor"
        )
        if self.soft:
            plan.blocks = []  # a plan beyond capacity is no plan; its shortages are the answer
        return plan


def _busiest(m: cp_model.CpModel, p: Problem, loads: dict) -> cp_model.IntVar:
    """Spread the load: the busiest unit's share of its own place-weeks, in per cent (the
    variable to add to the cost)."""
    places = _effective(p)
    busiest = m.new_int_var(0, 100 * len(p.hires) * p.weeks, "busiest")
    for u in p.units:
        total = sum(places[u.id])
        if total:
            m.add(100 * loads[u.id] <= busiest * total)
    return busiest


def _solved(m: cp_model.CpModel, time_limit: float) -> tuple[cp_model.CpSolver, Plan]:
    """Solve on two workers within the time given: the solver, and the plan's status, cost
    and bound (its blocks are read from the solver by the model)."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 2
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solver, Plan("infeasible" if status == cp_model.INFEASIBLE else "unknown")
    return solver, Plan(
        "optimal" if status == cp_model.OPTIMAL else "feasible",
        objective=solver.objective_value,
        bound=solver.best_objective_bound,
    )


def _short(solver, short: dict, kind: str) -> list[Shortage]:
    """What a diagnosis found short: owner by owner, the weeks and the place-weeks."""
    found: dict[str, list[tuple[int, int]]] = {}
    for (owner, week), e in short.items():
        if (missing := solver.value(e)) > 0:
            found.setdefault(owner, []).append((week, missing))
    return [
        Shortage(kind, owner, tuple(w for w, _ in weeks), sum(n for _, n in weeks))
        for owner, weeks in sorted(found.items())
    ]


def changes(before: list[Block], after: list[Block]) -> dict[str, list[str]]:
    """What a re-plan changed, per hire, in plain words (for telling them)."""
    old = {(b.hire, b.area): b for b in before}
    new = {(b.hire, b.area): b for b in after}
    told: dict[str, list[str]] = {}
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        hire, area = key
        if a is None or b is None:
            continue
        lines = []
        if (a.start, a.unit) != (b.start, b.unit):
            was, now = f"weeks {a.start + 1}–{a.end}", f"weeks {b.start + 1}–{b.end}"
            lines.append(f"{area}: {a.unit} {was} → {b.unit} {now}")
        if a.supervisor != b.supervisor:
            lines.append(f"{area}: supervisor {a.supervisor} → {b.supervisor}")
        if lines:
            told.setdefault(hire, []).extend(lines)
    return told
