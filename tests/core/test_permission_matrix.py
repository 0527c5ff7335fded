"""The permission matrix, generated from core/permissions.py's two tables: every role against
every permission, and, for the permissions that hold only through a relation to a record
(``OBJECT_RULES``), every role against every relation on a real participant.

The expected answer is computed from the tables, and the actor is asked through the same
``Actor.can`` that selectors and services ask; the relations are the facts that
programme/supervision.py finds in the database (a placement's supervisor, an employment's
mentor, the student's own login, the contact's university).
"""

from __future__ import annotations

import pytest

from bryggan.core.models import Person
from bryggan.core.permissions import (
    OBJECT_RULES,
    ROLE_PERMISSIONS,
    SCOPED_PERMS,
    Actor,
    Perm,
    Relation,
    actor_for,
    relations_between,
)
from bryggan.core.roles import Role
from bryggan.programme.models import EmploymentPeriod, Participant, Placement, Stage
from tests import factories as f

pytestmark = pytest.mark.django_db

TENANT_ROLES = [r for r in Role if r != Role.NATIONAL_ANALYST]


@pytest.mark.parametrize("role", list(Role))
def test_each_role_may_exactly_what_the_table_grants(world, role):
    """Without a record: the role table alone answers, for every permission."""
    user = world.analyst if role == Role.NATIONAL_ANALYST else world.home.user(role)
    actor = actor_for(user)
    for perm in Perm:
        assert actor.can(perm) is (perm in ROLE_PERMISSIONS[role]), (role, perm)


def _situation(world, role: Role, relation: Relation | None):
    """A new user with ``role`` in the home municipality, and a new practicum participant
    they stand to in ``relation`` (or in none)."""
    home = world.home
    term = home.objects["term"]
    person = Person.objects.create(municipality=home.municipality, first_name="P", last_name="Q")
    participant = Participant.objects.create(
        municipality=home.municipality,
        person=person,
        stage=Stage.PRACTICUM,
        stage_since=term.starts_on,
        university=home.objects["university"],
    )
    user = f.UserFactory()
    contact_of = (
        home.objects["university"]
        if relation == Relation.OWN_UNIVERSITY
        else (f.UniversityFactory(municipality=home.municipality))
    )
    f.MembershipFactory(
        user=user,
        municipality=home.municipality,
        role=role,
        university=contact_of if role == Role.UNIVERSITY_CONTACT else None,
    )
    staff = f.StaffMemberFactory(unit=home.objects["unit"], user=user)
    supervisor = staff if relation == Relation.SUPERVISES else home.objects["staff"]
    Placement.objects.create(
        municipality=home.municipality,
        person=person,
        unit=home.objects["unit"],
        supervisor=supervisor,
        term=term,
        step="practicum",
    )
    if relation == Relation.MENTORS:
        EmploymentPeriod.objects.create(
            municipality=home.municipality,
            participant=participant,
            kind="student_employee",
            unit=home.objects["unit"],
            mentor=staff,
            starts_on=term.starts_on,
            ends_on=term.ends_on,
        )
    if relation == Relation.OWN:
        participant.user = user
        participant.save(update_fields=["user"])
    return actor_for(user), participant


def _expected_relations(role: Role, relation: Relation | None) -> set[Relation]:
    """What the facts should show: supervising and mentoring count only for the roles that
    approve hours; a university is only a contact's."""
    if relation in (Relation.SUPERVISES, Relation.MENTORS):
        return {relation} if Perm.HOURS_APPROVE in ROLE_PERMISSIONS[role] else set()
    if relation == Relation.OWN_UNIVERSITY:
        return {relation} if role == Role.UNIVERSITY_CONTACT else set()
    return {relation} if relation is not None else set()


@pytest.mark.parametrize("perm", list(OBJECT_RULES))
def test_a_permission_on_a_record_needs_the_role_and_a_relation_the_table_names(world, perm):
    wrong = []
    for role in TENANT_ROLES:
        for relation in [*Relation, None]:
            actor, participant = _situation(world, role, relation)
            found = relations_between(actor, participant)
            if found != _expected_relations(role, relation):
                wrong.append(f"{role} {relation}: relations {set(found)}")
            expected = perm in ROLE_PERMISSIONS[role] and bool(OBJECT_RULES[perm] & found)
            if actor.can(perm, participant) is not expected:
                wrong.append(f"{perm} {role} {relation}: can is not {expected}")
    assert wrong == []


@pytest.mark.parametrize("perm", list(OBJECT_RULES))
def test_a_relation_to_another_municipalitys_record_counts_for_nothing(rworld, perm):
    foreign = rworld.foreign.rec["practicum_participant"]
    for role in TENANT_ROLES:
        actor = actor_for(rworld.home.user(role))
        assert not actor.can(perm, foreign), (perm, role)


@pytest.mark.parametrize("perm", sorted(SCOPED_PERMS))
def test_a_scoped_permission_follows_the_membership_scope(world, perm):
    """A unit manager scoped to one unit: the permission on that unit's staff, not another's."""
    home = world.home
    actor = actor_for(home.user(Role.UNIT_MANAGER))
    own = home.objects["staff"]
    other_unit = f.UnitFactory(department=home.objects["department"], name="Annan enhet")
    other = f.StaffMemberFactory(unit=other_unit)
    assert actor.can(perm, own)
    assert not actor.can(perm, other)
    unscoped = actor_for(home.user(Role.COORDINATOR))
    assert unscoped.can(perm, own) and unscoped.can(perm, other)


def test_every_object_rule_names_permissions_some_role_has():
    granted = set().union(*ROLE_PERMISSIONS.values())
    assert set(OBJECT_RULES) <= granted
    assert all(OBJECT_RULES[perm] for perm in OBJECT_RULES)


def test_an_actor_without_a_user_has_no_relation(rworld):
    anonymous = Actor(user=None, municipality=rworld.home.municipality)
    assert relations_between(anonymous, rworld.home.rec["participant"]) == frozenset()
