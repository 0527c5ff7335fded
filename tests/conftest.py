"""Shared fixtures: two municipalities, every role in each, and a full organisation in both.

The foreign municipality's records carry FOREIGN_MARK in their names, so a test can tell at a
glance whether a response leaked any of them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from bryggan.core.models import Municipality, User
from bryggan.core.roles import Role
from tests import factories as f
from tests.clients import signed_in_client

FOREIGN_MARK = "ZZFOREIGN"
PASSWORD = "secret-pass-123"

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# beside it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_throttles(settings):
    """Tests send many forms from one address in a second, as no person does: the throttles
    and the least fill time are off, except in tests/core/test_throttles.py, which turns
    them on."""
    settings.THROTTLES_ENABLED = False
    settings.PUBLIC_FORM_MIN_SECONDS = 0


@pytest.fixture(autouse=True)
def _unscoped_setup():
    """Tests build data across municipalities; requests still run inside their own scope."""
    with scopes_disabled():
        yield


@dataclass
class Tenant:
    municipality: Municipality
    users: dict[Role, User] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)
    rec: dict[str, object] = field(default_factory=dict)

    def user(self, role: Role) -> User:
        return self.users[role]

    def client(self, role: Role) -> Client:
        return signed_in_client(self.users[role])


TENANT_ROLES = [r for r in Role if r != Role.NATIONAL_ANALYST]


def build_tenant(name: str, slug: str, code: str, mark: str = "") -> Tenant:
    municipality = f.MunicipalityFactory(name=name, slug=slug, kommunkod=code)
    department = f.DepartmentFactory(
        municipality=municipality, name=f"Barn och unga {mark}".strip()
    )
    unit = f.UnitFactory(department=department, name=f"Utredning {mark}".strip())
    staff = f.StaffMemberFactory(unit=unit, last_name=f"Handledarsson{mark}")
    term = f.TermFactory(municipality=municipality, year=2026)
    capacity = f.SupervisorCapacityFactory(supervisor=staff, term=term, capacity=2)
    university = f.UniversityFactory(municipality=municipality, name=f"Högskolan {mark}".strip())
    programme = f.ProgrammeFactory(university=university, name=f"Socionomprogrammet {mark}".strip())
    period = f.PracticumPeriodFactory(programme=programme, term=term)
    tenant = Tenant(
        municipality=municipality,
        objects={
            "department": department,
            "unit": unit,
            "staff": staff,
            "term": term,
            "capacity": capacity,
            "university": university,
            "programme": programme,
            "practicumperiod": period,
        },
    )
    for role in TENANT_ROLES:
        user = f.UserFactory(email=f"{role.value}@{slug}.test")
        f.MembershipFactory(
            user=user,
            municipality=municipality,
            role=role,
            unit=unit if role == Role.UNIT_MANAGER else None,
            university=university if role == Role.UNIVERSITY_CONTACT else None,
        )
        tenant.users[role] = user
    return tenant


@dataclass
class World:
    home: Tenant
    foreign: Tenant
    analyst: User
    admin: User


@pytest.fixture
def world(db) -> World:
    home = build_tenant("Södertälje", "sodertalje", "0181")
    foreign = build_tenant("Norrköping", "norrkoping", "0581", mark=FOREIGN_MARK)
    analyst = f.UserFactory(email="analyst@national.test")
    f.MembershipFactory(user=analyst, municipality=None, role=Role.NATIONAL_ANALYST)
    admin = f.UserFactory(email="admin@bryggan.test", is_superuser=True, is_staff=True)
    return World(home=home, foreign=foreign, analyst=analyst, admin=admin)


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.REMOVAL_JOURNAL = tmp_path / "removal-journal.jsonl"


@pytest.fixture
def rworld(world) -> World:
    """The world with recruitment and a matching proposal in both municipalities
    (``tenant.rec``)."""
    from bryggan.programme.state import refresh_all
    from tests.matching_data import build_matching
    from tests.programme_data import build_assessment, build_hours, build_programme
    from tests.recruitment_data import build_recruitment

    for tenant, mark in ((world.home, ""), (world.foreign, FOREIGN_MARK)):
        tenant.rec = build_recruitment(tenant, mark)
        tenant.rec.update(build_matching(tenant, tenant.rec))
        tenant.rec.update(build_programme(tenant, mark))
        tenant.rec.update(build_hours(tenant, tenant.rec))
        tenant.rec.update(build_assessment(tenant, mark))
        # Built straight into the database: the state the services keep, as they would.
        refresh_all(tenant.municipality.pk)
    return world


@pytest.fixture
def coordinator_client(world) -> Client:
    return world.home.client(Role.COORDINATOR)


@pytest.fixture
def scene(rworld):
    """A matching scene in the home municipality: Utredning (2 places: one supervisor of 2)
    and Mottagning (1 place), four applicants.

    Anna (score 4) is pinned to Utredning; Bo (5) and Cia (3) want Mottagning then Utredning;
    Dan (2) wants Utredning only. Student-optimal: Bo → Mottagning, Cia → Utredning, Dan out.
    """
    from bryggan.core.permissions import actor_for
    from tests.matching_data import add_applicant

    home = rworld.home
    rec = home.rec
    utredning = home.objects["unit"]
    mottagning = f.UnitFactory(department=home.objects["department"], name="Mottagning")
    helena = f.StaffMemberFactory(unit=mottagning, first_name="Helena", last_name="Handledare")
    f.SupervisorCapacityFactory(supervisor=helena, term=home.objects["term"], capacity=1)
    rec["posting"].units.add(mottagning)
    apps = {
        "anna": rec["application"],
        "bo": add_applicant(home, rec, "Bo", [mottagning, utredning], score=5),
        "cia": add_applicant(home, rec, "Cia", [mottagning, utredning], score=3),
        "dan": add_applicant(home, rec, "Dan", [utredning], score=2),
    }
    return {
        "world": rworld,
        "rec": rec,
        "posting": rec["posting"],
        "utredning": utredning,
        "mottagning": mottagning,
        "helena": helena,
        "staff": home.objects["staff"],
        "apps": apps,
        "actor": actor_for(home.user(Role.COORDINATOR)),
        "client": home.client(Role.COORDINATOR),
    }
