from bryggan.core.permissions import ROLE_PERMISSIONS, Actor, Grant, Perm
from bryggan.core.roles import Role


def test_every_role_has_an_entry_in_the_permission_table():
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_only_the_national_analyst_sees_aggregates_and_nothing_else():
    assert ROLE_PERMISSIONS[Role.NATIONAL_ANALYST] == frozenset({Perm.AGGREGATES_VIEW})
    others = [r for r in Role if r != Role.NATIONAL_ANALYST]
    assert all(Perm.AGGREGATES_VIEW not in ROLE_PERMISSIONS[r] for r in others)


def test_students_see_only_their_own_programme_not_the_organisation():
    # ... and, as trainees, may ask the specialists and read the updates that concern them
    assert ROLE_PERMISSIONS[Role.STUDENT] == frozenset({Perm.PROGRAMME_OWN, Perm.CONSULT})
    assert ROLE_PERMISSIONS[Role.NEW_HIRE] == frozenset({Perm.CONSULT})


def test_a_scoped_grant_is_limited_to_its_unit():
    class Obj:
        municipality_id = 1

        def __init__(self, unit):
            self.unit = unit

    class UnitLike:
        def __init__(self, pk, department_id):
            self.pk, self.department_id = pk, department_id

    class Municipality:
        pk = 1

    actor = Actor(
        user=None, municipality=Municipality(), grants=(Grant(role=Role.UNIT_MANAGER, unit_id=7),)
    )
    assert actor.can(Perm.STAFF_MANAGE, Obj(UnitLike(7, 3)))
    assert not actor.can(Perm.STAFF_MANAGE, Obj(UnitLike(8, 3)))
    assert actor.is_scoped_for(Perm.STAFF_MANAGE)
    assert not actor.can(Perm.ORG_MANAGE)


def test_an_object_of_another_municipality_is_never_allowed():
    class Municipality:
        pk = 1

    class Foreign:
        municipality_id = 2

    actor = Actor(user=None, municipality=Municipality(), grants=(Grant(role=Role.COORDINATOR),))
    assert not actor.can(Perm.ORG_VIEW, Foreign())
