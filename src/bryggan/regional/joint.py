"""The joint matching's inputs across municipalities, and each municipality's part of it.

Each municipality's inputs are gathered exactly as for a round of its own (matching's
``adapter.gather``, inside its tenant scope): its open applications and their screening,
its units' rankings, its supervisors' free capacity, its pins and forbidden pairs. The
joint instance puts them side by side: one student (``j<joint application>``) with the whole
rank order across municipalities, restricted to the units of the municipalities where the
student's application is still in the matching (not rejected, not withdrawn); an applicant
who applied to one municipality's posting directly takes part as ``a<application>``.

A municipality's part holds its own units, its own applications (``a<application>``) and
only the reasons about its own units: nothing of another municipality's rankings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django_scopes import scope, scopes_disabled

from bryggan.matching import adapter
from bryggan.organisation.models import Unit, University
from bryggan.regional.models import JointMember, JointPart, JointRound, JointWish

# Reason code for a student whom another municipality of the round placed (they ranked
# that unit higher): the municipality's own proposal shows it, naming no one else.
ELSEWHERE = "placed_elsewhere"


def active_members(joint_round: JointRound) -> QuerySet[JointMember]:
    """The municipalities taking part: joined with a posting, not left."""
    return JointMember.objects.filter(
        joint_round=joint_round, joined_at__isnull=False, left_at__isnull=True
    ).order_by("municipality__name")


def units_by_pk(members: Iterable[JointMember]) -> dict[int, Unit]:
    """Every unit a student may rank: the units of the members' postings."""
    postings = [m.posting_id for m in members if m.posting_id]
    with scopes_disabled():
        units = (
            Unit.objects.filter(postings__in=postings)
            .select_related("municipality", "department")
            .order_by("municipality__name", "name")
            .distinct()
        )
        return {u.pk: u for u in units}


def university_names(members: Iterable[JointMember]) -> list[str]:
    """The universities the members know, by name (each municipality keeps its own list)."""
    ids = [m.municipality_id for m in members]
    with scopes_disabled():
        names = University.objects.filter(municipality_id__in=ids).values_list("name", flat=True)
        return sorted(set(names))


def university_in(municipality_id: int, name: str | None) -> University | None:
    """The municipality's own record of the university the student named."""
    if not name:
        return None
    with scope(municipality=municipality_id):
        return University.objects.filter(name=name).order_by("pk").first()


@dataclass
class Combined:
    instance: dict
    blocking: list[str]
    inputs: dict[int, adapter.Inputs]  # member pk → its inputs
    student_of: dict[int, str]  # application pk → engine student id
    parts: dict[int, int] = field(default_factory=dict)  # application pk → joint application


def combine(joint_round: JointRound) -> Combined:
    """The joint engine instance, as it stands now (ids sorted: the same records give the
    same instance, so a changed input is seen by comparing)."""
    members = list(active_members(joint_round).select_related("posting__round__term"))
    inputs: dict[int, adapter.Inputs] = {}
    blocking: list[str] = []
    for member in members:
        with scope(municipality=member.municipality_id):
            assert member.posting is not None  # an active member has joined with a posting
            gathered = adapter.gather(member.posting)  # evaluated (and prefetched) here
        inputs[member.pk] = gathered
        if member.posting.round.term is None:
            blocking.extend(gathered.blocking[:1])
    parts = dict(
        JointPart.objects.filter(member__in=members).values_list(
            "application_id", "joint_application_id"
        )
    )
    open_pks = {a.pk for got in inputs.values() for a in got.applications}
    student_of = {pk: f"j{parts[pk]}" if pk in parts else f"a{pk}" for pk in open_pks}
    unit_ids = {f"u{u.pk}" for got in inputs.values() for u in got.units}

    preferences: dict[str, list[str]] = {}
    for joint_pk, unit_pk, application_pk in (
        JointWish.objects.filter(joint_application__joint_round=joint_round)
        .order_by("joint_application_id", "rank")
        .values_list("joint_application_id", "unit_id", "part__application_id")
    ):
        if application_pk in open_pks and f"u{unit_pk}" in unit_ids:
            preferences.setdefault(f"j{joint_pk}", []).append(f"u{unit_pk}")
    units: list[dict] = []
    supervisors: list[dict] = []
    pinned: list[list[str]] = []
    forbidden: list[list[str]] = []
    for member in members:
        got = inputs[member.pk]
        own = got.to_instance()
        for student in own["students"]:
            sid = student_of[adapter.pk_of(student["id"])]
            if sid.startswith("a"):
                preferences[sid] = student["preferences"]
            else:
                preferences.setdefault(sid, [])
        for unit in own["units"]:
            ranking = []
            for entry in unit["ranking"]:
                group = entry if isinstance(entry, list) else [entry]
                mapped = [student_of[adapter.pk_of(s)] for s in group]
                ranking.append(mapped[0] if len(mapped) == 1 else mapped)
            units.append({**unit, "ranking": ranking})
        supervisors.extend(own["supervisors"])
        pinned.extend([student_of[adapter.pk_of(s)], u] for s, u in own["pinned"])
        forbidden.extend([student_of[adapter.pk_of(s)], u] for s, u in own["forbidden"])
    instance = {
        "students": [
            {"id": sid, "preferences": preferences[sid]}
            for sid in sorted(preferences, key=lambda s: (s[0], int(s[1:])))
        ],
        "units": units,
        "supervisors": supervisors,
        "pinned": pinned,
        "forbidden": forbidden,
    }
    return Combined(instance, blocking, inputs, student_of, parts)


@dataclass
class Part:
    instance: dict
    result: dict
    explanations: dict


def member_part(joint_round: JointRound, member: JointMember, combined: Combined) -> Part:
    """The municipality's part of the joint result, in the ids of its own applications."""
    got = combined.inputs[member.pk]
    own_units = {f"u{u.pk}" for u in got.units}
    local = {combined.student_of[a.pk]: f"a{a.pk}" for a in got.applications}

    def mapped(entry):
        if isinstance(entry, list):
            return [local[s] for s in entry]
        return local[entry]

    instance = {
        "students": [
            {
                "id": local[s["id"]],
                "preferences": [u for u in s["preferences"] if u in own_units],
            }
            for s in combined.instance["students"]
            if s["id"] in local
        ],
        "units": [
            {**u, "ranking": [mapped(e) for e in u["ranking"]]}
            for u in combined.instance["units"]
            if u["id"] in own_units
        ],
        "supervisors": [s for s in combined.instance["supervisors"] if s["unit"] in own_units],
        "pinned": [[local[s], u] for s, u in combined.instance["pinned"] if u in own_units],
        "forbidden": [[local[s], u] for s, u in combined.instance["forbidden"] if u in own_units],
    }
    result = joint_round.result or {}
    assignment = result.get("assignment", {})
    supervisor = result.get("supervisor", {})
    own_result = {
        "assignment": {local[s]: u for s, u in assignment.items() if s in local and u in own_units},
        "supervisor": {
            local[s]: v
            for s, v in supervisor.items()
            if s in local and assignment.get(s) in own_units
        },
        "optimal": "student",
        "stable": joint_round.stable,
        "seed": result.get("seed", 0),
    }
    explanations: dict[str, list[dict]] = {}
    for sid, reasons in (joint_round.explanations or {}).items():
        if sid not in local:
            continue
        mine = [r for r in reasons if r["unit"] in own_units]
        placed = assignment.get(sid)
        if placed and placed not in own_units:
            mine.append({"unit": "", "code": ELSEWHERE})
        explanations[local[sid]] = mine
    return Part(instance, own_result, explanations)
