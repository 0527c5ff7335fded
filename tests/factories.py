"""Factories for tests: one per model, tenant rows always in their parent's municipality."""

from __future__ import annotations

from datetime import date

import factory

from bryggan.core.models import Membership, Municipality, Person, User
from bryggan.core.roles import Role
from bryggan.organisation.models import (
    Department,
    DepartmentKind,
    PracticumPeriod,
    Programme,
    StaffMember,
    SupervisorCapacity,
    Term,
    TermKind,
    Unit,
    University,
)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kommun {n}")
    slug = factory.Sequence(lambda n: f"kommun-{n}")
    kommunkod = factory.Sequence(lambda n: f"{1000 + n:04d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.se")
    # Fixed names, not Faker's: a random "Anna …" in the page header made tests that look
    # for the applicant "Anna Sökande" flaky.
    full_name = factory.Sequence(lambda n: f"Användare {n}")
    password = factory.django.Password("secret-pass-123")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = Role.COORDINATOR


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Avdelning {n}")
    kind = DepartmentKind.CHILDREN_AND_YOUNG


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    department = factory.SubFactory(DepartmentFactory)
    municipality = factory.SelfAttribute("department.municipality")
    name = factory.Sequence(lambda n: f"Enhet {n}")


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    unit = factory.SubFactory(UnitFactory)
    municipality = factory.SelfAttribute("unit.municipality")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Sequence(lambda n: f"Efternamn{n}")
    title = "Socialsekreterare"
    employed_from = date(2020, 1, 1)
    is_trained_supervisor = True


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    municipality = factory.SubFactory(MunicipalityFactory)
    kind = TermKind.AUTUMN
    year = factory.Sequence(lambda n: 2030 + n)
    starts_on = factory.LazyAttribute(lambda o: date(o.year, 8, 31))
    ends_on = factory.LazyAttribute(lambda o: date(o.year + 1, 1, 17))


class UniversityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = University

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Lärosäte {n}")
    city = "Huddinge"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    university = factory.SubFactory(UniversityFactory)
    municipality = factory.SelfAttribute("university.municipality")
    name = factory.Sequence(lambda n: f"Socionomprogrammet {n}")


class PracticumPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticumPeriod

    programme = factory.SubFactory(ProgrammeFactory)
    municipality = factory.SelfAttribute("programme.municipality")
    term = factory.SubFactory(TermFactory, municipality=factory.SelfAttribute("..municipality"))
    starts_on = factory.LazyAttribute(lambda o: o.term.starts_on)
    ends_on = factory.LazyAttribute(lambda o: o.term.ends_on)


class SupervisorCapacityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisorCapacity

    supervisor = factory.SubFactory(StaffMemberFactory)
    municipality = factory.SelfAttribute("supervisor.municipality")
    term = factory.SubFactory(TermFactory, municipality=factory.SelfAttribute("..municipality"))
    capacity = 2


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    municipality = factory.SubFactory(MunicipalityFactory)
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
