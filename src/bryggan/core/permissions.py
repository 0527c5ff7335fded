"""Who may see and do what. The one place for it: selectors, services, views, API and admin
all ask here.

Two tables decide it:

- ``ROLE_PERMISSIONS``: which permissions a role grants. Some are limited by the membership's
  scope: a unit manager scoped to a unit manages the staff and capacities of that unit only;
  unscoped memberships act municipality-wide (``SCOPED_PERMS``).
- ``OBJECT_RULES``: permissions that hold on a record only through a relation to it — a
  student's *own* record, the students a supervisor *supervises* or a mentor *mentors*, the
  students of a contact's *own university*. ``Actor.can(perm, obj)`` asks the role table, then
  this one. Which relations an actor has to a record are facts found by the app that owns
  them (programme/supervision.py: who supervises whom), registered with
  ``register_relations``; what each relation allows is decided here, beside the roles.

Rules for later capabilities are added to these tables, not written in views or services.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from django.http import Http404

from bryggan.core.roles import Role

if TYPE_CHECKING:
    from bryggan.core.models import Membership, Municipality, User


class Perm(StrEnum):
    ORG_VIEW = "organisation.view"  # departments, units, universities, terms, practicum periods
    ORG_MANAGE = "organisation.manage"
    STAFF_VIEW = "staff.view"  # the staff register: personal data
    STAFF_MANAGE = "staff.manage"  # staff members and supervisors' capacity
    CAPACITY_VIEW = "capacity.view"
    AUDIT_VIEW = "audit.view"
    AGGREGATES_VIEW = "aggregates.view"
    RECRUITMENT_MANAGE = "recruitment.manage"  # rounds, postings, the board, interviews
    APPLICATIONS_VIEW_ALL = "applications.view_all"
    APPLICATIONS_VIEW_SHARED = "applications.view_shared"  # only those shared with them
    MATCHING_MANAGE = "matching.manage"  # run, review, override and publish matching
    PROGRAMME_MANAGE = "programme.manage"  # participants, moves between steps, offers
    PROGRAMME_OWN = "programme.own"  # a student's own placement, employment and offers
    HOURS_APPROVE = "hours.approve"  # supervisors and mentors: hours of those they supervise
    UNIVERSITY_ASSESSMENTS = "programme.university"  # a university's practicum assessments
    ACCESS_LOG_VIEW = "access_log.view"  # search and export who read whose personal data
    PERSONAL_DATA_MANAGE = "personal_data.manage"  # export, erasure, retention, legal holds
    PERSONNUMMER_VIEW = "personnummer.view"  # the whole personnummer, not only YYMMDD-XXXX
    PROTECTED_CONTACT_VIEW = "protected.view"  # contact details of a protected identity
    TOKENS_MANAGE = "tokens.manage"  # list and revoke every API token in the municipality
    SSO_MANAGE = "sso.manage"  # the municipality's identity providers and group mappings
    INTRODUCTION_MANAGE = "introduction.manage"  # broad introduction: programmes, cohorts, plans
    INTRODUCTION_VIEW = "introduction.view"  # the schedules: whom a unit receives, week by week
    SPECIALISTS_MANAGE = "specialists.manage"  # specialist roles, their areas and holders
    CONSULT = "specialists.consult"  # ask the specialists; read knowledge notes and updates
    UPDATES_PUBLISH = "specialists.publish"  # publish legal and practice updates
    INSIGHTS_VIEW = "insights.view"  # the municipality's funnel, retention, workforce, forecast
    INSIGHTS_MANAGE = "insights.manage"  # HR imports, hiring needs, evaluation surveys


_STAFF_ROLES = {Role.SUPERVISOR, Role.MENTOR, Role.TRAINER, Role.SPECIALIST}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.COORDINATOR: frozenset(
        {
            Perm.ORG_VIEW,
            Perm.ORG_MANAGE,
            Perm.STAFF_VIEW,
            Perm.STAFF_MANAGE,
            Perm.CAPACITY_VIEW,
            Perm.AUDIT_VIEW,
            Perm.RECRUITMENT_MANAGE,
            Perm.APPLICATIONS_VIEW_ALL,
            Perm.MATCHING_MANAGE,
            Perm.PROGRAMME_MANAGE,
            Perm.PERSONAL_DATA_MANAGE,
            Perm.SSO_MANAGE,
            Perm.INTRODUCTION_MANAGE,
            Perm.INTRODUCTION_VIEW,
            Perm.SPECIALISTS_MANAGE,
            Perm.CONSULT,
            Perm.UPDATES_PUBLISH,
            Perm.INSIGHTS_VIEW,
            Perm.INSIGHTS_MANAGE,
        }
    ),
    Role.HR: frozenset(
        {
            Perm.PERSONNUMMER_VIEW,
            Perm.PROTECTED_CONTACT_VIEW,
            Perm.ORG_VIEW,
            Perm.ORG_MANAGE,
            Perm.STAFF_VIEW,
            Perm.STAFF_MANAGE,
            Perm.CAPACITY_VIEW,
            Perm.RECRUITMENT_MANAGE,
            Perm.APPLICATIONS_VIEW_ALL,
            Perm.PROGRAMME_MANAGE,
            Perm.INTRODUCTION_VIEW,
            Perm.SPECIALISTS_MANAGE,
            Perm.CONSULT,
            Perm.UPDATES_PUBLISH,
            Perm.INSIGHTS_VIEW,
            Perm.INSIGHTS_MANAGE,
        }
    ),
    Role.UNIT_MANAGER: frozenset(
        {
            Perm.INTRODUCTION_VIEW,
            Perm.CONSULT,
            Perm.ORG_VIEW,
            Perm.STAFF_VIEW,
            Perm.STAFF_MANAGE,
            Perm.CAPACITY_VIEW,
            Perm.APPLICATIONS_VIEW_SHARED,
        }
    ),
    # Staff who interview or supervise see an applicant only when it is shared with them.
    # Specialists answer their colleagues and publish the updates everyone must read.
    Role.SPECIALIST: frozenset(
        {
            Perm.ORG_VIEW,
            Perm.CAPACITY_VIEW,
            Perm.APPLICATIONS_VIEW_SHARED,
            Perm.CONSULT,
            Perm.UPDATES_PUBLISH,
        }
    ),
    # Trainers support the new hires of the broad introduction: they see its schedules.
    Role.TRAINER: frozenset(
        {
            Perm.ORG_VIEW,
            Perm.CAPACITY_VIEW,
            Perm.APPLICATIONS_VIEW_SHARED,
            Perm.INTRODUCTION_VIEW,
            Perm.CONSULT,
        }
    ),
    **{
        role: frozenset(
            {
                Perm.ORG_VIEW,
                Perm.CAPACITY_VIEW,
                Perm.APPLICATIONS_VIEW_SHARED,
                Perm.HOURS_APPROVE,
                Perm.INTRODUCTION_VIEW,
                Perm.CONSULT,
            }
        )
        for role in (Role.SUPERVISOR, Role.MENTOR)
    },
    # A university contact sees the organisation the students go to, not its staff register.
    Role.UNIVERSITY_CONTACT: frozenset({Perm.ORG_VIEW, Perm.UNIVERSITY_ASSESSMENTS}),
    Role.STUDENT: frozenset({Perm.PROGRAMME_OWN, Perm.CONSULT}),
    # A new social worker in the broad introduction sees their own schedule (home page) and
    # asks the specialists.
    Role.NEW_HIRE: frozenset({Perm.CONSULT}),
    # The data-protection officer audits: who read what, what is kept and for how long.
    Role.DPO: frozenset(
        {
            Perm.ORG_VIEW,
            Perm.AUDIT_VIEW,
            Perm.ACCESS_LOG_VIEW,
            Perm.PERSONAL_DATA_MANAGE,
            Perm.TOKENS_MANAGE,
        }
    ),
    Role.NATIONAL_ANALYST: frozenset({Perm.AGGREGATES_VIEW}),
}

# Permissions whose use on an object is limited by the membership's department/unit scope.
SCOPED_PERMS = frozenset({Perm.STAFF_MANAGE})


class Relation(StrEnum):
    """How an actor stands to a record about a person."""

    OWN = "own"  # the record is the actor's own (a student's participant path)
    SUPERVISES = "supervises"  # supervisor of one of the student's current placements
    MENTORS = "mentors"  # mentor of one of the student's employment periods
    OWN_UNIVERSITY = "own_university"  # the student studies at the contact's university


# Permissions that hold on a record only through one of these relations to it. Without a
# record (``can(perm)``) the role table alone answers: "may this role ever do it?".
OBJECT_RULES: dict[Perm, frozenset[Relation]] = {
    Perm.PROGRAMME_OWN: frozenset({Relation.OWN}),
    Perm.HOURS_APPROVE: frozenset({Relation.SUPERVISES, Relation.MENTORS}),
    Perm.UNIVERSITY_ASSESSMENTS: frozenset({Relation.OWN_UNIVERSITY}),
}

RelationFinder = Callable[["Actor", object], frozenset[Relation]]
_RELATION_FINDERS: dict[str, RelationFinder] = {}


def register_relations(label: str, finder: RelationFinder) -> None:
    """The app that owns the model ``label`` tells how an actor relates to one of its rows
    (called from its AppConfig.ready)."""
    _RELATION_FINDERS[label] = finder


def relations_between(actor: Actor, obj: object) -> frozenset[Relation]:
    meta = getattr(obj, "_meta", None)
    finder = _RELATION_FINDERS.get(meta.label) if meta is not None else None
    if finder is None or actor.user is None:
        return frozenset()
    return finder(actor, obj)


@dataclass(frozen=True)
class Grant:
    role: Role
    department_id: int | None = None
    unit_id: int | None = None
    university_id: int | None = None  # a university contact's university

    def covers(self, obj: object | None) -> bool:
        """Does this grant's scope include ``obj`` (something with a unit or department)?"""
        if self.unit_id is None and self.department_id is None:
            return True
        if obj is None:
            return False
        unit_id, department_id = _unit_and_department_of(obj)
        if self.unit_id is not None:
            return unit_id == self.unit_id
        return department_id == self.department_id


def _unit_and_department_of(obj: object) -> tuple[int | None, int | None]:
    # By label, not isinstance: core sits below organisation and imports none of it.
    label = obj._meta.label if hasattr(obj, "_meta") else ""
    if label == "organisation.Unit":
        return obj.pk, obj.department_id  # type: ignore[attr-defined]
    if label == "organisation.Department":
        return None, obj.pk  # type: ignore[attr-defined]
    unit = getattr(obj, "unit", None)
    if unit is None and hasattr(obj, "supervisor"):
        unit = obj.supervisor.unit
    if unit is not None:
        return unit.pk, unit.department_id
    return None, None


@dataclass(frozen=True)
class Actor:
    """The acting user, resolved once per request (or task) with their municipality and grants."""

    user: User | None
    municipality: Municipality | None
    grants: tuple[Grant, ...] = field(default_factory=tuple)
    # What several parts of one request ask about the actor alike (their own staff record),
    # read once; an actor lives for one request or task.
    memo: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def municipality_id(self) -> int | None:
        return self.municipality.pk if self.municipality else None

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(g.role for g in self.grants)

    @property
    def is_site_admin(self) -> bool:
        return bool(self.user and self.user.is_superuser)

    def has(self, perm: Perm) -> bool:
        return any(perm in ROLE_PERMISSIONS[g.role] for g in self.grants)

    @property
    def university_ids(self) -> frozenset[int]:
        """The universities the actor is the contact of."""
        return frozenset(
            g.university_id
            for g in self.grants
            if g.role == Role.UNIVERSITY_CONTACT and g.university_id is not None
        )

    def can(self, perm: Perm, obj: object | None = None) -> bool:
        """May the actor use ``perm`` (on ``obj``, when given)? Tenant is checked too, then
        the role table, then the membership's scope or the relation ``OBJECT_RULES`` asks."""
        if obj is not None and getattr(obj, "municipality_id", self.municipality_id) != (
            self.municipality_id
        ):
            return False
        granted = False
        for grant in self.grants:
            if perm not in ROLE_PERMISSIONS[grant.role]:
                continue
            if perm not in SCOPED_PERMS or obj is None or grant.covers(obj):
                granted = True
                break
        if not granted or obj is None or perm not in OBJECT_RULES:
            return granted
        return bool(OBJECT_RULES[perm] & relations_between(self, obj))

    def is_scoped_for(self, perm: Perm) -> bool:
        """True when every grant of ``perm`` is limited to a department or unit."""
        grants = [g for g in self.grants if perm in ROLE_PERMISSIONS[g.role]]
        return (
            bool(grants)
            and perm in SCOPED_PERMS
            and all(g.unit_id is not None or g.department_id is not None for g in grants)
        )

    def scope_grants(self, perm: Perm) -> list[Grant]:
        return [g for g in self.grants if perm in ROLE_PERMISSIONS[g.role]]

    def require(self, perm: Perm, obj: object | None = None) -> None:
        if not self.can(perm, obj):
            raise PermissionDeniedError(perm)


class PermissionDeniedError(Exception):
    def __init__(self, perm: Perm):
        super().__init__(f"Not allowed: {perm}")
        self.perm = perm


ANONYMOUS = Actor(user=None, municipality=None)


def actor_for(user: User | None) -> Actor:
    """Build the actor for a user: their municipality and role grants."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    memberships: Iterable[Membership] = user.memberships.select_related("municipality").order_by(
        "municipality_id", "pk"
    )
    memberships = list(memberships)
    municipality = next((m.municipality for m in memberships if m.municipality), None)
    grants = tuple(
        Grant(
            role=Role(m.role),
            department_id=m.department_id,
            unit_id=m.unit_id,
            university_id=m.university_id,
        )
        for m in memberships
        if m.municipality_id == (municipality.pk if municipality else None)
    )
    return Actor(user=user, municipality=municipality, grants=grants)


def require_tenant(actor: Actor) -> Municipality:
    """The actor's municipality, or 404 for someone without one (nothing to show them)."""
    if actor.municipality is None:
        raise Http404
    return actor.municipality
