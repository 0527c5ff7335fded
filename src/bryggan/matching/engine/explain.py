"""Why each student did not get a unit they ranked above the one they got.

For every student and every unit ranked higher than their placement (all of them when
unplaced), one reason, as a code with its figures and a plain English sentence; the web app
translates the codes. In a stable result each such unit either did not rank the student, was
ruled out (forbidden pair, no places), or was full with students it ranked higher.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from bryggan.matching.engine.algorithm import strict_ranking
from bryggan.matching.engine.model import Instance, Result


@dataclass(frozen=True)
class Reason:
    unit: str
    # not_ranked | forbidden | no_places | full | lost_lottery | pinned_elsewhere | had_room
    code: str
    your_rank: int | None = None  # 1-based place in the unit's ranking (tie group)
    last_admitted_rank: int | None = None
    text: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


def explain(instance: Instance, result: Result) -> dict[str, list[Reason]]:
    sid, uid = instance.student_ids, instance.unit_ids
    u_index = {u: i for i, u in enumerate(uid)}
    ranks, _orders = strict_ranking(instance, result.seed)
    places = instance.places()
    unit_of = [u_index.get(result.assignment.get(s) or "", -1) for s in sid]
    last_admitted = [-1] * len(uid)  # worst strict rank key among the unit's admitted
    last_group = [-1] * len(uid)
    count = [0] * len(uid)
    for s, u in enumerate(unit_of):
        if u < 0:
            continue
        count[u] += 1
        if instance.pinned.get(s) == u:
            continue
        key = ranks[u].get(s, -1)
        if key > last_admitted[u]:
            last_admitted[u] = key
            last_group[u] = instance.groups[u].get(s, -1)
    out: dict[str, list[Reason]] = {}
    for s, prefs in enumerate(instance.preferences):
        reasons = []
        for u in prefs:
            if u == unit_of[s]:
                break
            reasons.append(_reason(instance, s, u, ranks, places, count, last_admitted, last_group))
        out[sid[s]] = reasons
    return out


def _reason(instance, s, u, ranks, places, count, last_admitted, last_group) -> Reason:
    unit = instance.unit_ids[u]
    if s in instance.pinned:
        return Reason(
            unit, "pinned_elsewhere", text="The coordinator placed you in another unit (pinned)."
        )
    if (s, u) in instance.forbidden:
        return Reason(
            unit,
            "forbidden",
            text="You cannot be placed here (a conflict of interest is recorded).",
        )
    group = instance.groups[u].get(s)
    if group is None:
        return Reason(unit, "not_ranked", text="The unit did not rank you.")
    if places[u] == 0:
        return Reason(
            unit,
            "no_places",
            your_rank=group + 1,
            text="The unit has no supervision places this term.",
        )
    if count[u] >= places[u] and ranks[u][s] > last_admitted[u]:
        last = last_group[u] + 1
        if last == group + 1:
            return Reason(
                unit,
                "lost_lottery",
                your_rank=group + 1,
                last_admitted_rank=last,
                text=(
                    f"The unit was full; it ranked you equal with the last one admitted "
                    f"(rank {last}), and the recorded lottery decided between you."
                ),
            )
        return Reason(
            unit,
            "full",
            your_rank=group + 1,
            last_admitted_rank=last,
            text=(
                f"The unit was full with students it ranked higher; the last one admitted "
                f"was its rank {last}, you were its rank {group + 1}."
            ),
        )
    # Only an unstable result (e.g. a manual override) leaves a unit with room or a weaker
    # student than this one; say so rather than invent a reason.
    return Reason(
        unit,
        "had_room",
        your_rank=group + 1,
        text="The unit had room for you; this placement was changed by hand.",
    )
