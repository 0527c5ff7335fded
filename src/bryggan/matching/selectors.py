"""Reads of the matching workflow: runs, and a run's proposal as the coordinator reviews it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from bryggan.core.gate import log_list, one_or_404, tenant_scoped
from bryggan.core.permissions import Actor, Perm
from bryggan.matching.adapter import Inputs, app_id, gather, pk_of
from bryggan.matching.models import MatchingOverride, MatchingRun, RunStatus
from bryggan.organisation.models import StaffMember, Unit
from bryggan.recruitment.models import Application, ApplicationWish, Posting, Stage


@tenant_scoped
def runs_for(*, actor: Actor, posting: Posting) -> QuerySet[MatchingRun]:
    actor.require(Perm.MATCHING_MANAGE, posting)
    return MatchingRun.objects.filter(posting=posting).select_related("created_by", "published_by")


@tenant_scoped
def run_by_id(*, actor: Actor, pk: object) -> MatchingRun:
    actor.require(Perm.MATCHING_MANAGE)
    runs = MatchingRun.objects.select_related(
        "posting", "posting__round", "posting__round__term", "created_by", "published_by"
    )
    return one_or_404(runs, pk)


def joint_round_of(posting: Posting) -> Mapping[str, object] | None:
    """The joint round the posting takes part in (``id`` and ``name``), if any: its runs are
    approved and published from there (``bryggan.regional``, named by its reverse relation)."""
    return (
        posting.joint_members.filter(joined_at__isnull=False, left_at__isnull=True)
        .values("joint_round_id", "joint_round__name")
        .first()
    )


def reason_texts() -> dict[str, str]:
    """The engine's reason codes as sentences in the user's language (``%(unit)s``,
    ``%(yours)s``, ``%(last)s`` filled in by ``reason_text``)."""
    return {
        "not_ranked": _("%(unit)s did not rank you."),
        "forbidden": _("You cannot be placed at %(unit)s (a conflict of interest is recorded)."),
        "no_places": _("%(unit)s has no supervision places this term."),
        "full": _(
            "%(unit)s was full with students it ranked higher; the last one admitted was "
            "its rank %(last)s, you were its rank %(yours)s."
        ),
        "lost_lottery": _(
            "%(unit)s was full; it ranked you equal with the last one admitted "
            "(rank %(last)s), and the recorded lottery decided between you."
        ),
        "pinned_elsewhere": _("The coordinator placed you in another unit (pinned)."),
        "had_room": _("%(unit)s had room for you; this placement was changed by hand."),
        "placed_elsewhere": _(
            "Placed by the joint round in another municipality, which the student ranked higher."
        ),
        "": _("%(unit)s: no reason recorded."),
    }


def reason_text(reason: dict, unit_name: str, texts: dict[str, str] | None = None) -> str:
    """An engine reason, in the user's language."""
    texts = texts or reason_texts()
    figures = {
        "unit": unit_name,
        "yours": reason.get("your_rank"),
        "last": reason.get("last_admitted_rank"),
    }
    return texts.get(str(reason.get("code")), texts[""]) % figures


@dataclass
class StudentLine:
    application: Application
    unit: Unit | None
    supervisor: StaffMember | None
    wish_rank: int | None  # 1 = first wish; None = unplaced or not a wish
    wishes: list[Unit]
    reasons: list[str]
    override: MatchingOverride | None = None


@dataclass
class UnitLine:
    unit: Unit
    places: int
    students: list[StudentLine] = field(default_factory=list)


@dataclass
class Proposal:
    run: MatchingRun
    students: list[StudentLine]
    units: list[UnitLine]
    unplaced: list[StudentLine]
    wish_counts: list[tuple[str, int]]
    overrides: list[MatchingOverride]

    @property
    def placed(self) -> int:
        return sum(1 for s in self.students if s.unit is not None)

    def final(self) -> dict[int, tuple[int | None, int | None]]:
        return {
            s.application.pk: (
                s.unit.pk if s.unit else None,
                s.supervisor.pk if s.supervisor else None,
            )
            for s in self.students
        }


def final_assignment(run: MatchingRun, overrides) -> dict[str, tuple[str | None, str | None]]:
    """The engine's result with the coordinator's overrides applied, in order."""
    result = run.result or {"assignment": {}, "supervisor": {}}
    final = {s: (u, result["supervisor"].get(s)) for s, u in result["assignment"].items()}
    for override in overrides:
        key = app_id(override.application_id)
        final[key] = (
            f"u{override.unit_id}" if override.unit_id else None,
            f"s{override.supervisor_id}" if override.supervisor_id else None,
        )
    return final


def proposal(run: MatchingRun) -> Proposal:
    overrides = list(
        MatchingOverride.objects.filter(run=run).select_related(
            "application__person", "unit", "supervisor", "created_by"
        )
    )
    final = final_assignment(run, overrides)
    student_pks = [pk_of(s["id"]) for s in run.instance.get("students", [])]
    applications = {
        a.pk: a for a in Application.objects.filter(pk__in=student_pks).select_related("person")
    }
    wishes: dict[int, list[int]] = {}
    for application_pk, wished_unit in (
        ApplicationWish.objects.filter(application_id__in=student_pks)
        .order_by("rank")
        .values_list("application_id", "unit_id")
    ):
        wishes.setdefault(application_pk, []).append(wished_unit)
    unit_pks = {pk_of(u["id"]) for u in run.instance.get("units", [])}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_pks)}
    staff_pks = {pk_of(s) for _u, s in final.values() if s}
    staff = {s.pk: s for s in StaffMember.objects.filter(pk__in=staff_pks)}
    places = {pk_of(u["id"]): u["capacity"] for u in run.instance.get("units", [])}
    last_override = {o.application_id: o for o in overrides}
    explanations = run.explanations or {}
    texts = reason_texts()
    unit_names = {f"u{pk}": unit.name for pk, unit in units.items()}
    lines: list[StudentLine] = []
    for s in run.instance.get("students", []):
        pk = pk_of(s["id"])
        if pk not in applications:
            continue
        unit_key, staff_key = final.get(s["id"], (None, None))
        unit_pk = pk_of(unit_key) if unit_key else None
        staff_pk = pk_of(staff_key) if staff_key else None
        ranked = wishes.get(pk, [])
        lines.append(
            StudentLine(
                application=applications[pk],
                unit=units.get(unit_pk) if unit_pk else None,
                supervisor=staff.get(staff_pk) if staff_pk else None,
                wish_rank=ranked.index(unit_pk) + 1 if unit_pk in ranked else None,
                wishes=[units[u] for u in ranked if u in units],
                reasons=[
                    reason_text(r, unit_names.get(r["unit"], r["unit"]), texts)
                    for r in explanations.get(s["id"], [])
                ],
                override=last_override.get(pk),
            )
        )
    by_unit = {pk: UnitLine(unit=unit, places=places.get(pk, 0)) for pk, unit in units.items()}
    for line in lines:
        if line.unit is not None and line.unit.pk in by_unit:
            by_unit[line.unit.pk].students.append(line)
    counts = Counter(line.wish_rank for line in lines if line.unit is not None)
    wish_counts = [
        (_("1st wish"), counts.get(1, 0)),
        (_("2nd wish"), counts.get(2, 0)),
        (_("3rd wish"), counts.get(3, 0)),
        (_("Later wish"), sum(n for rank, n in counts.items() if rank and rank > 3)),
        (_("Placed outside their wishes"), counts.get(None, 0)),
        (_("Not placed"), sum(1 for line in lines if line.unit is None)),
    ]
    return Proposal(
        run=run,
        students=lines,
        units=sorted(by_unit.values(), key=lambda u: u.unit.name),
        unplaced=[line for line in lines if line.unit is None],
        wish_counts=wish_counts,
        overrides=overrides,
    )


@tenant_scoped
def inputs_for(*, actor: Actor, posting: Posting, purpose: str) -> Inputs:
    """Everything a matching run of the posting reads — the applicants and their wishes, the
    units' rankings, the supervisors' free places — as the coordinator reviews it."""
    actor.require(Perm.MATCHING_MANAGE, posting)
    log_list(actor=actor, model=Application, purpose=f"{purpose} {posting.pk}")
    return gather(posting)


@tenant_scoped
def proposal_for(
    *, actor: Actor, run: MatchingRun, purpose: str, with_result_only: bool = False
) -> Proposal | None:
    """A run's proposal: every student with their placement and why, a read of the
    applicants' data. None while the run is queued (and, with ``with_result_only``, for a
    run that failed before it had a result)."""
    actor.require(Perm.MATCHING_MANAGE, run.posting)
    log_list(actor=actor, model=Application, purpose=f"{purpose} {run.pk}")
    if run.status == RunStatus.QUEUED or (with_result_only and run.result is None):
        return None
    return proposal(run)


# Publishing offers a place only to applicants whose assessment is done, unless the
# coordinator names others (an interview still booked must not be told "you have a place").
READY_STAGES = (Stage.ASSESSED, Stage.OFFERED)


@dataclass
class PublishPlan:
    """What publishing a proposal would do: who is offered a place, who waits, who is left."""

    ready: list[StudentLine]
    waiting: list[StudentLine]  # placed in the proposal, but their assessment is not done
    included: list[StudentLine]  # of the waiting, those the coordinator named
    unplaced: list[StudentLine]

    @property
    def published(self) -> list[StudentLine]:
        return self.ready + self.included

    def per_unit(self) -> list[tuple[Unit, int]]:
        counts = Counter(line.unit for line in self.published if line.unit is not None)
        return sorted(counts.items(), key=lambda row: row[0].name)


def publish_plan(shown: Proposal, include: set[int] | frozenset[int] = frozenset()) -> PublishPlan:
    placed = [line for line in shown.students if line.unit is not None]
    waiting = [line for line in placed if line.application.stage not in READY_STAGES]
    return PublishPlan(
        ready=[line for line in placed if line.application.stage in READY_STAGES],
        waiting=waiting,
        included=[line for line in waiting if line.application.pk in include],
        unplaced=[line for line in shown.students if line.unit is None],
    )


def run_document(run: MatchingRun, part: str) -> dict | None:
    """A run's engine instance, or its result with the overrides made by hand, as the JSON a
    coordinator or auditor downloads (ids as in the instance). None when there is none."""
    if part == "instance":
        return run.instance
    if part != "result" or run.result is None:
        return None
    body = dict(run.result)
    body["overrides"] = [
        {
            "student": app_id(o.application_id),
            "unit": f"u{o.unit_id}" if o.unit_id else None,
            "supervisor": f"s{o.supervisor_id}" if o.supervisor_id else None,
            "reason": o.reason,
            "by": str(o.created_by or ""),
            "at": o.created_at.isoformat(),
        }
        for o in MatchingOverride.objects.filter(run=run).select_related("created_by")
    ]
    final = final_assignment(run, MatchingOverride.objects.filter(run=run))
    body["final"] = {s: {"unit": u, "supervisor": h} for s, (u, h) in final.items()}
    return body
