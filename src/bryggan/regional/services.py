"""Every write of a joint round: agreeing on it (create, join with a posting, leave), the
student's one application, the one stable matching across the municipalities, each
municipality's approval, and the publication day on which all of them publish at once.

A municipality's own records are written inside its own tenant scope, through its own
services: the application through recruitment's ``application_submit``, the placements
through matching's ``run_publish`` (the capacity invariant, the e-mails, the participants).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from bryggan.core.errors import InvalidInputError
from bryggan.core.gate import tenant_scoped
from bryggan.core.models import Municipality
from bryggan.core.permissions import Actor, Perm, actor_for, require_tenant
from bryggan.matching.engine import Instance, InstanceError, check, explain, solve
from bryggan.matching.models import MatchingRun, RunStatus
from bryggan.matching.selectors import READY_STAGES
from bryggan.matching.services import run_publish
from bryggan.recruitment import documents
from bryggan.recruitment.models import Application, Document, Posting
from bryggan.recruitment.services import application_submit
from bryggan.regional import joint, links, selectors
from bryggan.regional.models import (
    MAX_WISHES,
    JointApplication,
    JointMember,
    JointPart,
    JointRound,
    JointStatus,
    JointWish,
)


def _refuse(message: str, field: str = "__all__") -> InvalidInputError:
    return InvalidInputError({field: [message]})


def _member_of(actor: Actor, joint_round: JointRound) -> JointMember:
    """The actor's municipality's membership (404 for a round it is not in: its existence
    does not leak)."""
    from django.http import Http404

    actor.require(Perm.MATCHING_MANAGE)
    member = JointMember.objects.filter(
        joint_round=joint_round, municipality=require_tenant(actor)
    ).first()
    if member is None:
        raise Http404
    return member


@tenant_scoped
def round_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    term_kind: str,
    term_year: int,
    rank_deadline: date,
    publication_on: date,
    partners: Iterable[Municipality],
    posting: Posting | None = None,
    today: date | None = None,
) -> JointRound:
    """A joint round hosted by the actor's municipality, with the partners invited (each
    joins with its own posting)."""
    actor.require(Perm.MATCHING_MANAGE)
    host = require_tenant(actor)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the joint round a name.")]
    elif len(name) > 150:
        errors["name"] = [_("At most 150 characters.")]
    if rank_deadline < today:
        errors["rank_deadline"] = [_("The rank deadline cannot be in the past.")]
    if publication_on < rank_deadline:
        errors["publication_on"] = [_("The publication day comes on or after the rank deadline.")]
    partners = [m for m in partners if m.pk != host.pk]
    if not partners:
        errors["partners"] = [_("Invite at least one other municipality.")]
    if errors:
        raise InvalidInputError(errors)
    base = slugify(name)[:50] or "gemensam-omgang"
    slug, n = base, 1
    with transaction.atomic():
        while JointRound.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        joint_round = JointRound.objects.create(
            name=name,
            slug=slug,
            kind=kind,
            term_kind=term_kind,
            term_year=term_year,
            rank_deadline=rank_deadline,
            publication_on=publication_on,
            host=host,
        )
        JointMember.objects.create(joint_round=joint_round, municipality=host)
        for municipality in partners:
            JointMember.objects.create(joint_round=joint_round, municipality=municipality)
        if posting is not None:
            round_join(actor=actor, joint_round=joint_round, posting=posting, today=today)
    return joint_round


@tenant_scoped
def round_join(
    *, actor: Actor, joint_round: JointRound, posting: Posting, today: date | None = None
) -> JointMember:
    """The actor's municipality takes part with one of its postings: the round's kind, in
    a round of the joint round's term, taking applications until the rank deadline."""
    member = _member_of(actor, joint_round)
    actor.require(Perm.MATCHING_MANAGE, posting)
    today = today or timezone.localdate()
    if joint_round.status != JointStatus.OPEN or today > joint_round.rank_deadline:
        raise _refuse(_("The rank deadline has passed; no municipality can join any more."))
    term = posting.round.term
    problems = []
    if posting.kind != joint_round.kind:
        problems.append(
            _("The joint round is for %(kind)s; choose a posting of that kind.")
            % {"kind": joint_round.get_kind_display()}
        )
    if term is None or (term.kind, term.year) != (joint_round.term_kind, joint_round.term_year):
        problems.append(
            _("The posting's round must be for %(term)s %(year)s, the joint round's term.")
            % {"term": joint_round.get_term_kind_display(), "year": joint_round.term_year}
        )
    if posting.last_application_date > joint_round.rank_deadline:
        problems.append(_("The posting must close for applications by the rank deadline."))
    if MatchingRun.objects.filter(posting=posting).exists():
        problems.append(_("This posting has been matched on its own already; choose another."))
    if problems:
        raise InvalidInputError({"posting": problems})
    with transaction.atomic():
        locked = JointMember.objects.select_for_update().get(pk=member.pk)
        if locked.parts.exists() and locked.posting_id != posting.pk:
            raise _refuse(
                _("Students have applied to your posting in this round; it cannot be changed."),
                "posting",
            )
        locked.posting, locked.joined_at, locked.left_at = posting, timezone.now(), None
        try:
            with transaction.atomic():
                locked.save(update_fields=["posting", "joined_at", "left_at"])
        except IntegrityError:
            raise _refuse(_("This posting is already in another joint round."), "posting") from None
    return locked


@tenant_scoped
def round_leave(*, actor: Actor, joint_round: JointRound, today: date | None = None) -> None:
    """The actor's municipality leaves the round. Only before the rank deadline: after it,
    the others' students have ranked its units and the matching counts on them."""
    member = _member_of(actor, joint_round)
    today = today or timezone.localdate()
    if today > joint_round.rank_deadline or joint_round.status != JointStatus.OPEN:
        raise _refuse(
            _(
                "The rank deadline has passed: students have ranked your units and the other "
                "municipalities count on them. Leaving is possible only before the deadline."
            )
        )
    with transaction.atomic():
        JointMember.objects.filter(pk=member.pk).update(left_at=timezone.now())


def apply(
    *, joint_round: JointRound, data: dict, consent_version: str, today: date | None = None
) -> JointApplication:
    """A student's one application: shared with exactly the municipalities whose units they
    rank, one ordinary application in each (through recruitment's own submission), the
    whole rank order kept regionally. All or nothing across the municipalities."""
    today = today or timezone.localdate()
    if joint_round.status != JointStatus.OPEN or today > joint_round.rank_deadline:
        raise _refuse(
            _("The last day to apply was %(date)s.") % {"date": joint_round.rank_deadline}
        )
    members = {
        m.municipality_id: m
        for m in joint.active_members(joint_round).select_related("posting", "municipality")
    }
    wishes = list(data.get("wishes") or [])
    if not wishes:
        raise _refuse(_("Rank at least one unit."), "wish_1")
    if len(wishes) > MAX_WISHES:
        raise _refuse(_("Rank at most %(n)s units.") % {"n": MAX_WISHES}, "wish_1")
    offered = joint.units_by_pk(members.values())
    if len(set(wishes)) != len(wishes):
        raise _refuse(_("You have already chosen this unit; pick another one."), "wish_1")
    for pk in wishes:
        if pk not in offered:
            raise _refuse(_("Choose only units of the joint round's postings."), "wish_1")
    email = data["email"].strip().lower()
    ranked = []  # municipalities in the order of the student's first wish in each
    for pk in wishes:
        municipality_id = offered[pk].municipality_id
        if municipality_id not in ranked:
            ranked.append(municipality_id)
    stored: list[str] = []  # the documents written, removed again if the whole fails
    try:
        return _apply(
            joint_round, data, consent_version, email, wishes, members, offered, ranked, stored
        )
    except BaseException:
        for name in stored:
            documents.remove(name)
        raise


def _apply(joint_round, data, consent_version, email, wishes, members, offered, ranked, stored):
    """``apply``'s writes, in one transaction; the names of the documents written are added
    to ``stored`` as they are (files are not rolled back with the database)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                application = JointApplication.objects.create(
                    joint_round=joint_round,
                    email=email,
                    consent_version=consent_version,
                    consented_at=timezone.now(),
                )
        except IntegrityError:
            raise _refuse(
                _(
                    "You have already applied to this joint round with this e-mail address. "
                    "Use the link in your confirmation e-mail to follow your application."
                ),
                "email",
            ) from None
        parts: dict[int, JointPart] = {}
        for municipality_id in ranked:
            member = members[municipality_id]
            own = [offered[pk] for pk in wishes if offered[pk].municipality_id == municipality_id]
            assert member.posting is not None  # an active member has joined with a posting
            with scope(municipality=municipality_id):
                submitted = application_submit(
                    posting=member.posting,
                    data={
                        **data,
                        "wishes": own,
                        "university": joint.university_in(municipality_id, data.get("university")),
                        "event": None,
                    },
                    consent_version=consent_version,
                )
                stored.extend(
                    Document.objects.filter(application=submitted).values_list(
                        "storage_name", flat=True
                    )
                )
            parts[municipality_id] = JointPart.objects.create(
                joint_application=application, member=member, application=submitted
            )
        JointWish.objects.bulk_create(
            JointWish(
                joint_application=application,
                part=parts[offered[pk].municipality_id],
                unit_id=pk,
                rank=rank,
            )
            for rank, pk in enumerate(wishes, start=1)
        )
        links.queue_receipt(application, [members[m].municipality for m in ranked])
    return application


@tenant_scoped
def match(*, actor: Actor, joint_round: JointRound, today: date | None = None) -> JointRound:
    """One stable matching across every municipality of the round (student-optimal, within
    every supervisor's capacity, with each municipality's pins and forbidden pairs),
    checked by the engine's checker; each municipality gets its part as a proposal run of
    its own posting. Again and again until the publication: every run replaces the last."""
    member = _member_of(actor, joint_round)
    today = today or timezone.localdate()
    if joint_round.status == JointStatus.PUBLISHED:
        raise _refuse(_("The joint round is published; its placements are made."))
    if not member.active:
        raise _refuse(_("Only a municipality taking part runs the joint matching."))
    if today <= joint_round.rank_deadline:
        raise _refuse(
            _("The matching runs after the rank deadline (%(date)s), when every ranking is final.")
            % {"date": joint_round.rank_deadline}
        )
    with transaction.atomic():
        locked = JointRound.objects.select_for_update().get(pk=joint_round.pk)
        combined = joint.combine(locked)
        selectors.log_member_reads(actor, locked, "joint matching")
        if combined.blocking:
            raise InvalidInputError({"__all__": combined.blocking})
        try:
            instance = Instance.from_dict(combined.instance)
        except InstanceError as error:
            raise _refuse(_("The inputs cannot be matched: %(error)s") % {"error": error}) from None
        result = solve(instance, optimal="student", seed=0)
        report = check(instance, result)
        result.stable = report.ok
        reasons = explain(instance, result)
        locked.instance = combined.instance
        locked.result = result.to_dict()
        locked.explanations = {s: [r.to_dict() for r in rs] for s, rs in reasons.items()}
        locked.stable = report.ok
        locked.matched_at = timezone.now()
        locked.status = JointStatus.MATCHED
        locked.save()
        for member in joint.active_members(locked).select_related("posting"):
            _member_run(locked, member, combined, actor)
    joint_round.refresh_from_db()
    return joint_round


def _member_run(
    joint_round: JointRound, member: JointMember, combined: joint.Combined, actor: Actor
) -> None:
    """The municipality's part of the joint result as a proposal of its own posting, with
    ids of its own applications; an earlier part is replaced, its approval withdrawn."""
    part = joint.member_part(joint_round, member, combined)
    with scope(municipality=member.municipality_id):
        posting = member.posting
        assert posting is not None  # an active member has joined with a posting
        Posting.objects.select_for_update().filter(pk=posting.pk).first()
        if member.run_id:
            MatchingRun.objects.filter(pk=member.run_id, status=RunStatus.PROPOSED).update(
                status=RunStatus.FAILED, error=_("Replaced by a new joint matching.")
            )
        number = MatchingRun.objects.filter(posting=posting).aggregate(n=Max("number"))["n"] or 0
        run = MatchingRun.objects.create(
            municipality_id=member.municipality_id,
            posting=posting,
            number=number + 1,
            optimal="student",
            instance=part.instance,
            result=part.result,
            explanations=part.explanations,
            stable=joint_round.stable,
            status=RunStatus.PROPOSED,
            created_by=actor.user if actor.municipality_id == member.municipality_id else None,
            finished_at=timezone.now(),
        )
    JointMember.objects.filter(pk=member.pk).update(run=run, approved_at=None, approved_by=None)


@tenant_scoped
def approve(*, actor: Actor, joint_round: JointRound) -> JointMember:
    """The actor's municipality approves its part of the joint result for the publication
    day (its coordinator has reviewed the proposal of its own posting)."""
    member = _member_of(actor, joint_round)
    if joint_round.status != JointStatus.MATCHED or not member.active or member.run_id is None:
        raise _refuse(_("There is no joint result to approve yet."))
    JointMember.objects.filter(pk=member.pk).update(
        approved_at=timezone.now(), approved_by=actor.user
    )
    member.refresh_from_db()
    return member


@tenant_scoped
def publish(*, actor: Actor, joint_round: JointRound, today: date | None = None) -> int:
    """On the publication day, every municipality publishes at once, each through its own
    publishing path and by its own approving coordinator; all or nothing. Refused when
    anything the matching read has changed since (capacity, withdrawals, rankings)."""
    member = _member_of(actor, joint_round)
    today = today or timezone.localdate()
    if joint_round.status == JointStatus.PUBLISHED:
        raise _refuse(_("The joint round is already published."))
    if not member.active:
        raise _refuse(_("Only a municipality taking part publishes the joint round."))
    if joint_round.status != JointStatus.MATCHED:
        raise _refuse(_("Run the joint matching first."))
    if today < joint_round.publication_on:
        raise _refuse(
            _("Every municipality publishes on the publication day, %(date)s.")
            % {"date": joint_round.publication_on}
        )
    placed = 0
    with transaction.atomic():
        locked = JointRound.objects.select_for_update().get(pk=joint_round.pk)
        members = list(joint.active_members(locked).select_related("run", "approved_by"))
        waiting = [m for m in members if m.approved_at is None]
        if waiting:
            raise _refuse(
                _("%(n)s municipalities have not approved their part yet.") % {"n": len(waiting)}
            )
        selectors.log_member_reads(actor, locked, "joint publication")
        if joint.combine(locked).instance != locked.instance:
            raise _refuse(
                _(
                    "Something the matching read has changed since it ran (a supervisor's "
                    "capacity, a withdrawal or a ranking). Run the joint matching again and "
                    "approve the new result."
                )
            )
        for member in members:
            placed += _publish_member(member)
        locked.status = JointStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at"])
        links.queue_results(locked)
    joint_round.refresh_from_db()
    return placed


def _publish_member(member: JointMember) -> int:
    publisher = actor_for(member.approved_by)
    if publisher.municipality_id != member.municipality_id or not publisher.can(
        Perm.MATCHING_MANAGE
    ):
        raise _refuse(
            _("The coordinator who approved a municipality's part can no longer publish it.")
        )
    run = member.run
    assert run is not None
    with scope(municipality=member.municipality_id):
        assigned = [
            int(s[1:]) for s, unit in (run.result or {}).get("assignment", {}).items() if unit
        ]
        if not assigned:
            return 0
        # Everyone the approved part places is published, the not yet assessed included.
        waiting = Application.objects.filter(pk__in=assigned).exclude(stage__in=READY_STAGES)
        placements = run_publish(
            actor=publisher,
            run=run,
            include=list(waiting.values_list("pk", flat=True)),
            joint=True,
        )
    return len(placements)


def forget_without_parts() -> int:
    """Regional records of applications no municipality keeps any more (each removed its
    part at the end of its retention period, or on erasure): the e-mail address goes too."""
    with scopes_disabled():
        gone = JointApplication.objects.filter(parts__isnull=True)
        count = gone.count()
        gone.delete()
    return count
