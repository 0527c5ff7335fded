"""Every write of the matching workflow: runs, pinned/forbidden pairs, the coordinator's own
unit rankings, overrides, and publishing placements under the capacity invariant."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bryggan.core.errors import InvalidInputError
from bryggan.core.ids import id_or_nothing
from bryggan.core.permissions import Actor, Perm
from bryggan.matching import adapter
from bryggan.matching.engine import Instance, InstanceError, check, explain, solve
from bryggan.matching.models import (
    ConstraintKind,
    MatchingConstraint,
    MatchingOverride,
    MatchingRun,
    RunStatus,
    UnitRankingEntry,
)
from bryggan.matching.selectors import PublishPlan, final_assignment, proposal, publish_plan
from bryggan.organisation import capacity
from bryggan.organisation.models import StaffMember, Unit
from bryggan.programme.models import Placement
from bryggan.programme.models import Stage as ParticipantStage
from bryggan.programme.services import placement_create
from bryggan.recruitment.models import Application, Posting, PostingKind

STEPS: dict[str, ParticipantStage] = {
    PostingKind.PRACTICUM: ParticipantStage.PRACTICUM,
    PostingKind.STUDENT_EMPLOYEE: ParticipantStage.STUDENT_EMPLOYEE,
    PostingKind.ASPIRANT: ParticipantStage.ASPIRANT,
}


def _check_matchable(posting: Posting) -> None:
    if posting.kind not in STEPS:
        raise InvalidInputError(
            {
                "__all__": [
                    _(
                        "Matching places students in practicum places, student employment and "
                        "aspirant posts; this posting is a %(kind)s."
                    )
                    % {"kind": posting.get_kind_display()}
                ]
            }
        )


def _check_not_joint(posting: Posting) -> None:
    """A posting in a regional joint round is matched and published with the region's (by
    ``bryggan.regional``, which sits above matching and names it by its reverse relation)."""
    if posting.joint_members.filter(joined_at__isnull=False, left_at__isnull=True).exists():
        raise InvalidInputError(
            {
                "__all__": [
                    _(
                        "This posting is part of a joint round: it is matched and published "
                        "together with the other municipalities, from the joint round's page."
                    )
                ]
            }
        )


def run_start(
    *, actor: Actor, posting: Posting, optimal: str = "student", seed: int = 0
) -> MatchingRun:
    """Record a run with the inputs as they stand; solve now, or in the background if large."""
    actor.require(Perm.MATCHING_MANAGE, posting)
    _check_matchable(posting)
    _check_not_joint(posting)
    if optimal not in ("student", "unit"):
        raise InvalidInputError({"optimal": [_("Choose students or units.")]})
    if not 0 <= seed <= 2_147_483_647:
        raise InvalidInputError({"seed": [_("The seed is a whole number from 0.")]})
    if MatchingRun.objects.filter(posting=posting, status=RunStatus.PUBLISHED).exists():
        raise InvalidInputError(
            {"__all__": [_("The matching of this posting is published; its placements are made.")]}
        )
    inputs = adapter.gather(posting)
    if inputs.blocking:
        raise InvalidInputError({"__all__": inputs.blocking})
    instance = inputs.to_instance()
    try:
        Instance.from_dict(instance)
    except InstanceError as error:
        raise InvalidInputError(
            {"__all__": [_("The inputs cannot be matched: %(error)s") % {"error": error}]}
        ) from None
    with transaction.atomic():
        Posting.objects.select_for_update().filter(pk=posting.pk).first()
        number = (
            MatchingRun.objects.filter(posting=posting).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        run = MatchingRun.objects.create(
            municipality=posting.municipality,
            posting=posting,
            number=number,
            optimal=optimal,
            seed=seed,
            instance=instance,
            created_by=actor.user,
        )
    if len(instance["students"]) > settings.MATCHING_BACKGROUND_FROM:
        from bryggan.matching.tasks import compute_run

        transaction.on_commit(lambda: compute_run.enqueue(run.pk))
    else:
        run_compute(run)
    return run


def run_compute(run: MatchingRun) -> MatchingRun:
    """Solve, check and explain a run's instance; store what came out."""
    try:
        instance = Instance.from_dict(run.instance)
        result = solve(instance, optimal=run.optimal, seed=run.seed)
        report = check(instance, result)
        result.stable = report.ok
        reasons = explain(instance, result)
    except (InstanceError, ValueError) as error:
        run.status, run.error = RunStatus.FAILED, str(error)
    else:
        run.result = result.to_dict()
        run.explanations = {s: [r.to_dict() for r in rs] for s, rs in reasons.items()}
        run.stable = report.ok
        run.status = RunStatus.PROPOSED
    run.finished_at = timezone.now()
    run.save(update_fields=["result", "explanations", "stable", "status", "error", "finished_at"])
    return run


def _open_application(posting: Posting, pk: object) -> Application:
    application = (
        Application.objects.filter(posting=posting, pk=id_or_nothing(pk))
        .filter(stage__in=adapter.MATCHED_STAGES)
        .first()
    )
    if application is None:
        raise InvalidInputError(
            {
                "application": [
                    _("Choose an applicant of this posting who has reached the interview stage.")
                ]
            }
        )
    return application


def _posting_unit(posting: Posting, pk: object) -> Unit:
    unit = posting.units.filter(pk=id_or_nothing(pk)).first()
    if unit is None:
        raise InvalidInputError({"unit": [_("Choose one of the posting's units.")]})
    return unit


def constraint_add(
    *,
    actor: Actor,
    posting: Posting,
    application: object,
    unit: object,
    kind: str,
    reason: str = "",
) -> MatchingConstraint:
    actor.require(Perm.MATCHING_MANAGE, posting)
    if kind not in ConstraintKind.values:
        raise InvalidInputError({"kind": [_("Choose pinned or forbidden.")]})
    found = _open_application(posting, application)
    chosen = _posting_unit(posting, unit)
    try:
        with transaction.atomic():
            return MatchingConstraint.objects.create(
                municipality=posting.municipality,
                posting=posting,
                application=found,
                unit=chosen,
                kind=kind,
                reason=reason.strip()[:300],
                created_by=actor.user,
            )
    except IntegrityError:
        raise InvalidInputError(
            {
                "unit": [
                    _(
                        "This applicant already has a rule for this unit, or is already pinned; "
                        "remove that rule first."
                    )
                ]
            }
        ) from None


def constraint_remove(*, actor: Actor, posting: Posting, pk: object) -> None:
    actor.require(Perm.MATCHING_MANAGE, posting)
    MatchingConstraint.objects.filter(posting=posting, pk=id_or_nothing(pk)).delete()


def ranking_save(
    *, actor: Actor, posting: Posting, unit: Unit, positions: dict[int, int | None]
) -> None:
    """Replace a unit's ranking: application id → position (1 = best; equal = tie; None =
    not ranked). An empty mapping returns the unit to the assessment-based ranking."""
    actor.require(Perm.MATCHING_MANAGE, posting)
    allowed = {a.pk for a in adapter.open_applications(posting)}
    unknown = set(positions) - allowed
    if unknown:
        raise InvalidInputError(
            {"__all__": [_("One of the applicants is not open in this posting.")]}
        )
    if any(p is not None and not 1 <= p <= 9999 for p in positions.values()):
        raise InvalidInputError({"__all__": [_("Positions are whole numbers from 1.")]})
    with transaction.atomic():
        UnitRankingEntry.objects.filter(posting=posting, unit=unit).delete()
        UnitRankingEntry.objects.bulk_create(
            UnitRankingEntry(
                municipality=posting.municipality,
                posting=posting,
                unit=unit,
                application_id=pk,
                position=position,
            )
            for pk, position in positions.items()
            if position is not None
        )


def override_add(
    *,
    actor: Actor,
    run: MatchingRun,
    application: object,
    unit: object,
    supervisor: object,
    reason: str,
) -> MatchingOverride:
    """Change one student's placement in a proposal by hand; the reason is required."""
    posting = run.posting
    actor.require(Perm.MATCHING_MANAGE, posting)
    _check_not_joint(posting)
    errors: dict[str, list[str]] = {}
    if not reason or not reason.strip():
        errors["reason"] = [_("Write why you change the placement; it is kept with the run.")]
    if run.status != RunStatus.PROPOSED:
        raise InvalidInputError(
            {"__all__": [_("Only a proposal that is not yet published can be changed.")]}
        )
    found = Application.objects.filter(posting=posting, pk=id_or_nothing(application)).first()
    students = {s["id"] for s in run.instance.get("students", [])}
    if found is None or adapter.app_id(found.pk) not in students:
        errors["application"] = [_("Choose a student of this run.")]
    chosen_unit = chosen_staff = None
    if str(unit or "").strip():
        chosen_unit = posting.units.filter(pk=id_or_nothing(unit)).first()
        if chosen_unit is None:
            errors["unit"] = [_("Choose one of the posting's units, or none.")]
        else:
            chosen_staff = StaffMember.objects.filter(
                unit=chosen_unit, pk=id_or_nothing(supervisor), employed_until__isnull=True
            ).first()
            if chosen_staff is None:
                errors["supervisor"] = [
                    _("Choose a supervisor of %(unit)s.") % {"unit": chosen_unit.name}
                ]
    elif str(supervisor or "").strip():
        errors["supervisor"] = [_("A student who is not placed has no supervisor.")]
    if errors:
        raise InvalidInputError(errors)
    assert found is not None
    with transaction.atomic():
        MatchingRun.objects.select_for_update().filter(pk=run.pk).first()
        override = MatchingOverride(
            municipality=posting.municipality,
            run=run,
            application=found,
            unit=chosen_unit,
            supervisor=chosen_staff,
            reason=reason.strip()[:500],
            created_by=actor.user,
        )
        if chosen_staff is not None:
            overrides = [*MatchingOverride.objects.filter(run=run), override]
            final = final_assignment(run, overrides)
            load = sum(1 for _u, s in final.values() if s == adapter.staff_id(chosen_staff.pk))
            term = posting.round.term
            free = capacity.free_places_of(supervisor=chosen_staff, term=term) if term else 0
            if load > free:
                raise InvalidInputError(
                    {
                        "supervisor": [
                            _(
                                "%(supervisor)s has room for %(free)s students this term; this "
                                "would make %(load)s."
                            )
                            % {"supervisor": chosen_staff, "free": free, "load": load}
                        ]
                    }
                )
        override.save()
    return override


def run_publish(
    *, actor: Actor, run: MatchingRun, include: Iterable[object] = (), joint: bool = False
) -> list[Placement]:
    """Create the placements of a proposal and tell the students, all or nothing.

    Only applicants whose assessment is done are placed, and those of the others that the
    coordinator names in ``include`` (application ids); the rest keep their stage. The
    posting is locked first (two coordinators cannot publish it twice), then every
    supervisor's capacity through the capacity service, in a fixed order. A joint round's
    part is published only by the joint round's publication (``joint``), all at once.
    """
    posting = run.posting
    actor.require(Perm.MATCHING_MANAGE, posting)
    _check_matchable(posting)
    if not joint:
        _check_not_joint(posting)
    term = posting.round.term
    if term is None:
        raise InvalidInputError({"__all__": [_("Choose a term for the round first.")]})
    with transaction.atomic():
        Posting.objects.select_for_update().filter(pk=posting.pk).first()
        locked = MatchingRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != RunStatus.PROPOSED:
            raise InvalidInputError(
                {
                    "__all__": [
                        _("This run cannot be published (it is %(s)s).")
                        % {"s": locked.get_status_display()}
                    ]
                }
            )
        if MatchingRun.objects.filter(posting=posting, status=RunStatus.PUBLISHED).exists():
            raise InvalidInputError(
                {"__all__": [_("Another run of this posting has already been published.")]}
            )
        plan = _plan_checked(proposal(locked), include)
        placed = [
            (line, line.unit, line.supervisor) for line in plan.published if line.unit is not None
        ]
        placed.sort(key=lambda row: row[2].pk if row[2] else 0)
        placements = []
        for line, unit, supervisor in placed:
            if unit is None or supervisor is None:
                raise InvalidInputError(
                    {
                        "__all__": [
                            _("%(name)s has no supervisor; choose one before publishing.")
                            % {"name": line.application.person}
                        ]
                    }
                )
            placements.append(
                placement_create(
                    actor=actor,
                    person=line.application.person,
                    unit=unit,
                    supervisor=supervisor,
                    term=term,
                    step=STEPS[posting.kind],
                    university_id=line.application.university_id,
                )
            )
        from bryggan.recruitment.services import application_place

        for line, unit, supervisor in placed:
            assert unit is not None and supervisor is not None  # checked above
            application_place(
                actor=actor,
                application=line.application,
                unit=unit,
                supervisor=supervisor,
                starts_on=posting.starts_on,
            )
        locked.status = RunStatus.PUBLISHED
        locked.published_by = actor.user
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_by", "published_at"])
        run.status, run.published_at = locked.status, locked.published_at
    return placements


def _plan_checked(shown, include: Iterable[object]) -> PublishPlan:
    """The publishing plan, refusing a named applicant who is not waiting in this proposal."""
    named: set[int] = set()
    for raw in include:
        try:
            named.add(int(str(raw)))
        except ValueError:
            raise InvalidInputError(
                {"include": [_("Choose applicants from the list of those waiting.")]}
            ) from None
    plan = publish_plan(shown, frozenset(named))
    if named - {line.application.pk for line in plan.included}:
        raise InvalidInputError(
            {"include": [_("Choose applicants from the list of those waiting.")]}
        )
    if not plan.published:
        raise InvalidInputError(
            {
                "__all__": [
                    _(
                        "Nobody placed in this proposal has been assessed yet. Assess them "
                        "first, or name those to place now."
                    )
                ]
            }
        )
    return plan
