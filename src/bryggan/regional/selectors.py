"""Every read of a joint round: the rounds a municipality is in, one round as its
coordinator sees it (the members, its own applicants and its own results, never another
municipality's), the regional careers page, and the student's one result.

A read of applicants' data is written to the reading municipality's access log; the joint
matching's reads of every member's applications are written to each member's log
(``log_member_reads``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django_scopes import scope, scopes_disabled

from bryggan.core.gate import log_list, one_or_404, tenant_scoped
from bryggan.core.ids import id_or_404
from bryggan.core.models import Municipality
from bryggan.core.permissions import Actor, Perm, require_tenant
from bryggan.organisation.models import StaffMember, Unit
from bryggan.recruitment.models import Application, Posting, PostingStatus
from bryggan.regional import joint
from bryggan.regional.models import (
    JointApplication,
    JointMember,
    JointRound,
    JointStatus,
)


def log_member_reads(actor: Actor, joint_round: JointRound, purpose: str) -> None:
    """The joint matching read every member's applications: one entry in each member's
    access log, naming the reader (who may be another municipality's coordinator)."""
    for member in joint.active_members(joint_round).select_related("municipality"):
        reader = Actor(user=actor.user, municipality=member.municipality, grants=actor.grants)
        log_list(actor=reader, model=Application, purpose=f"{purpose} {joint_round.pk}")


@tenant_scoped
def rounds_for(*, actor: Actor) -> QuerySet[JointRound]:
    """The joint rounds the actor's municipality has been invited to."""
    actor.require(Perm.MATCHING_MANAGE)
    invited = JointMember.objects.filter(municipality=require_tenant(actor)).values("joint_round")
    return (
        JointRound.objects.filter(pk__in=invited)
        .select_related("host")
        .annotate(
            joined=Count(
                "members",
                filter=Q(members__joined_at__isnull=False, members__left_at__isnull=True),
            )
        )
        .order_by("-publication_on", "name")
    )


@tenant_scoped
def round_by_id(*, actor: Actor, pk: object) -> JointRound:
    """One joint round the actor's municipality is in; 404 for any other."""
    actor.require(Perm.MATCHING_MANAGE)
    found = (
        JointRound.objects.filter(
            pk=id_or_404(pk), members__municipality_id=require_tenant(actor).pk
        )
        .select_related("host")
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass
class Outcome:
    """One of the municipality's own applicants in the joint result."""

    application: Application
    unit: Unit | None = None
    supervisor: StaffMember | None = None
    elsewhere: bool = False  # placed by another municipality of the round


@dataclass
class RoundView:
    joint_round: JointRound
    member: JointMember
    members: list[JointMember]
    postings: list[Posting]  # the municipality's postings it may join with
    applicants: int
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def placed_here(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.unit is not None]

    @property
    def elsewhere(self) -> int:
        return sum(1 for o in self.outcomes if o.elsewhere)

    @property
    def unplaced(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.unit is None and not o.elsewhere]

    @property
    def all_approved(self) -> bool:
        return all(m.approved_at for m in self.members if m.active)


@tenant_scoped
def round_view(*, actor: Actor, joint_round: JointRound, with_result: bool = True) -> RoundView:
    """The round as the actor's municipality sees it: who takes part (municipalities, not
    people), its own posting and applicants, and its own part of the result."""
    actor.require(Perm.MATCHING_MANAGE)
    members = list(
        JointMember.objects.filter(joint_round=joint_round)
        .select_related("municipality", "posting")
        .order_by("municipality__name")
    )
    mine = next((m for m in members if m.municipality_id == require_tenant(actor).pk), None)
    if mine is None:
        raise Http404
    postings = list(
        Posting.objects.filter(
            kind=joint_round.kind,
            round__term__kind=joint_round.term_kind,
            round__term__year=joint_round.term_year,
        )
        .exclude(status=PostingStatus.CLOSED)
        .order_by("title")
    )
    applicants = mine.parts.count()
    view = RoundView(joint_round, mine, members, postings, applicants)
    if with_result and mine.run_id and joint_round.result:
        view.outcomes = _outcomes(actor, joint_round, mine)
    return view


def _outcomes(actor: Actor, joint_round: JointRound, member: JointMember) -> list[Outcome]:
    log_list(actor=actor, model=Application, purpose=f"joint round results {joint_round.pk}")
    run = member.run
    assert run is not None
    assignment = (run.result or {}).get("assignment", {})
    supervisor = (run.result or {}).get("supervisor", {})
    elsewhere = {
        s
        for s, reasons in (run.explanations or {}).items()
        if any(r.get("code") == joint.ELSEWHERE for r in reasons)
    }
    students = [s["id"] for s in (run.instance or {}).get("students", [])]
    applications = {
        a.pk: a
        for a in Application.objects.filter(pk__in=[int(s[1:]) for s in students]).select_related(
            "person"
        )
    }
    units = {
        f"u{u.pk}": u for u in Unit.objects.filter(pk__in=[int(u[1:]) for u in assignment.values()])
    }
    staff = {
        f"s{s.pk}": s
        for s in StaffMember.objects.filter(pk__in=[int(v[1:]) for v in supervisor.values() if v])
    }
    outcomes = [
        Outcome(
            application=applications[int(s[1:])],
            unit=units.get(assignment.get(s, "")),
            supervisor=staff.get(supervisor.get(s) or ""),
            elsewhere=s in elsewhere,
        )
        for s in students
        if int(s[1:]) in applications
    ]
    outcomes.sort(key=lambda o: (str(o.application.person.last_name), o.application.pk))
    return outcomes


# ------------------------------------------------------------- the public, regional side


@dataclass
class Offered:
    municipality: Municipality
    posting: Posting
    units: list[Unit]


@dataclass
class ApplyForm:
    """What the public application form of a joint round offers."""

    members: list[JointMember]
    units: dict[int, Unit]
    universities: list[str]


def apply_form(joint_round: JointRound) -> ApplyForm:
    members = list(joint.active_members(joint_round).select_related("municipality"))
    return ApplyForm(members, joint.units_by_pk(members), joint.university_names(members))


def public_round(slug: str) -> JointRound:
    found = JointRound.objects.filter(slug=slug).select_related("host").first()
    if found is None:
        raise Http404
    return found


def regional_postings(joint_round: JointRound) -> list[Offered]:
    """Every taking-part municipality's posting with its units: the regional careers page
    (public facts, no person)."""
    members = list(joint.active_members(joint_round).select_related("municipality"))
    offered = []
    units = joint.units_by_pk(members)
    for member in members:
        if member.posting_id is None:
            continue
        with scope(municipality=member.municipality_id):
            posting = Posting.objects.filter(pk=member.posting_id).first()
        if posting is None:
            continue
        own = [u for u in units.values() if u.municipality_id == member.municipality_id]
        with scopes_disabled():
            in_posting = set(posting.units.values_list("pk", flat=True))
        offered.append(
            Offered(member.municipality, posting, [u for u in own if u.pk in in_posting])
        )
    return offered


@dataclass
class Result:
    """The student's one result: where (or that nowhere), and why not a unit ranked higher,
    in words that name no other student and no municipality's ranking."""

    application: JointApplication
    published: bool
    unit: Unit | None
    municipality: Municipality | None
    start: object
    reasons: list[str]
    shared_with: list[Municipality]


STUDENT_REASONS = {
    "not_ranked": "not_ranked",
    "forbidden": "ruled_out",
    "no_places": "no_places",
    "full": "full",
    "lost_lottery": "full",
    "pinned_elsewhere": "ruled_out",
}


def student_reason_texts() -> dict[str, str]:
    from django.utils.translation import gettext as _

    return {
        "not_ranked": _("%(unit)s did not rank you after the interviews."),
        "ruled_out": _("%(unit)s could not take you this time."),
        "no_places": _("%(unit)s had no supervision places this term."),
        "full": _("%(unit)s was full with students it ranked higher."),
    }


def applicant_result(application: JointApplication) -> Result:
    """What the student sees on their link: before the publication day only where the
    application was shared."""
    joint_round = application.joint_round
    with scopes_disabled():
        parts = application.parts.select_related("member__municipality")
        shared = [p.member.municipality for p in parts.order_by("member__municipality__name")]
        wishes = {
            f"u{w.unit_id}": w.unit for w in application.wishes.select_related("unit__municipality")
        }
    published = joint_round.status == JointStatus.PUBLISHED and joint_round.result is not None
    if not published:
        return Result(application, False, None, None, None, [], shared)
    sid = f"j{application.pk}"
    unit_key = (joint_round.result or {}).get("assignment", {}).get(sid)
    unit = wishes.get(unit_key or "")
    texts = student_reason_texts()
    reasons = []
    for reason in (joint_round.explanations or {}).get(sid, []):
        wished = wishes.get(reason["unit"])
        code = STUDENT_REASONS.get(str(reason.get("code")), "ruled_out")
        if wished is not None:
            reasons.append(texts[code] % {"unit": f"{wished.name} ({wished.municipality.name})"})
    start = None
    if unit is not None:
        with scopes_disabled():
            start = (
                application.parts.filter(member__municipality=unit.municipality)
                .values_list("member__posting__starts_on", flat=True)
                .first()
            )
    return Result(
        application,
        True,
        unit,
        unit.municipality if unit else None,
        start,
        reasons,
        shared,
    )


def joint_application_by_token(pk: int, nonce: str) -> JointApplication:
    found = JointApplication.objects.filter(pk=pk).select_related("joint_round").first()
    if found is None or found.link_nonce != nonce:
        raise Http404
    return found


@tenant_scoped
def own_posting(*, actor: Actor, pk: object) -> Posting:
    """One of the actor's municipality's postings (404 for another's)."""
    actor.require(Perm.MATCHING_MANAGE)
    return one_or_404(Posting.objects.select_related("round__term"), pk)
