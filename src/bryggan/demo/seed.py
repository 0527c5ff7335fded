"""Demo data of two realistic municipalities. Idempotent: running it again changes nothing.

Södertälje's socialkontor (three steps since 2018) and Norrköping (aspirant posts since 2014),
each with departments, units, ~300 staff with Swedish names, trained supervisors with capacity
per term, the universities the seeds cooperate with, terms and practicum periods, a few
students already placed, one login per role, and recruitment (a past and a current round,
information events held jointly; see ``bryggan.recruitment.demo``).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled
from faker import Faker

from bryggan.core.models import Membership, Municipality, Person, User
from bryggan.core.roles import Role
from bryggan.demo import idp
from bryggan.organisation.capacity import take_place
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
from bryggan.programme.models import Placement, Stage

DEMO_PASSWORD = "bryggan-demo"  # noqa: S105 - the documented demo password

K = DepartmentKind


def _emblem(colour: str, letter: str) -> bytes:
    """A made-up emblem for a demo municipality (a shield with its initial), not its real
    coat of arms: drawn here, then passed through the same check as an uploaded logo."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw, ImageFont

    from bryggan.core.branding import logo_png

    size = 192
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.polygon(
        [(16, 12), (176, 12), (176, 100), (96, 182), (16, 100)],
        fill=colour,
        outline="#ffffff",
        width=6,
    )
    font = ImageFont.load_default(size=104)
    draw.text((96, 90), letter, fill="#ffffff", font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG")
    return logo_png(SimpleUploadedFile("emblem.png", out.getvalue(), "image/png"))


@dataclass(frozen=True)
class MunicipalitySeed:
    name: str
    slug: str
    kommunkod: str
    domain: str
    departments: dict[tuple[str, str], list[str]]
    universities: list[str]
    staff: int
    placed: int
    colour: str = "#0b3d5c"  # the header band; white on it meets WCAG AA


SEEDS = [
    MunicipalitySeed(
        name="Södertälje",
        slug="sodertalje",
        kommunkod="0181",
        colour="#00558c",
        domain="sodertalje.se",
        departments={
            ("Barn och ungdom", K.CHILDREN_AND_YOUNG): [
                "Mottagningsenheten barn och unga",
                "Utredningsenheten barn 0–12 år",
                "Utredningsenheten ungdom 13–20 år",
                "Familjehemsenheten",
                "Uppföljningsenheten barn och unga",
            ],
            ("Vuxen", K.ADULTS): [
                "Mottagning vuxen",
                "Beroendeenheten",
                "Enheten för våld i nära relationer",
                "Socialpsykiatri vuxen",
            ],
            ("Arbete och försörjning", K.WORK_AND_SUPPORT): [
                "Mottagning försörjningsstöd",
                "Försörjningsstöd Centrum",
                "Försörjningsstöd Hovsjö och Ronna",
                "Arbetsmarknadsenheten",
            ],
            ("Funktionshinder", K.DISABILITY): [
                "LSS-handläggning",
                "Biståndshandläggning funktionshinder",
            ],
        },
        universities=[
            "Södertörns högskola",
            "Stockholms universitet",
            "Marie Cederschiölds högskola",
            "Ersta Sköndal Bräcke högskola",
        ],
        staff=300,
        placed=14,
    ),
    MunicipalitySeed(
        name="Norrköping",
        slug="norrkoping",
        kommunkod="0581",
        colour="#8a1538",
        domain="norrkoping.se",
        departments={
            ("Ekonomiskt bistånd", K.WORK_AND_SUPPORT): [
                "Mottagning ekonomiskt bistånd",
                "Ekonomiskt bistånd Centrum",
                "Ekonomiskt bistånd Navestad",
                "Etableringsenheten",
            ],
            ("Barn och unga", K.CHILDREN_AND_YOUNG): [
                "Mottagning barn och unga",
                "Barnutredningsenheten",
                "Ungdomsenheten",
                "Familjehemsvården",
            ],
            ("Vuxen", K.ADULTS): ["Vuxenenheten beroende", "Relationsvåldsenheten"],
            ("Funktionsstöd", K.DISABILITY): ["LSS-handläggning Norrköping", "Socialpsykiatrin"],
            ("Stab och utveckling", K.OTHER): ["Kvalitet och utveckling"],
        },
        universities=["Linköpings universitet", "Örebro universitet", "Stockholms universitet"],
        staff=300,
        placed=12,
    ),
]

UNIVERSITY_FACTS = {
    # name: (city, practicum credits) — the practicum is worth 22.5–30 hp depending on the seat.
    "Södertörns högskola": ("Huddinge", Decimal("30")),
    "Stockholms universitet": ("Stockholm", Decimal("30")),
    "Marie Cederschiölds högskola": ("Stockholm", Decimal("27")),
    "Ersta Sköndal Bräcke högskola": ("Stockholm", Decimal("30")),
    "Linköpings universitet": ("Norrköping", Decimal("30")),
    "Örebro universitet": ("Örebro", Decimal("22.5")),
}

TERMS = [
    (TermKind.SPRING, 2026, date(2026, 1, 19), date(2026, 6, 7)),
    (TermKind.AUTUMN, 2026, date(2026, 8, 31), date(2027, 1, 17)),
    (TermKind.SPRING, 2027, date(2027, 1, 18), date(2027, 6, 6)),
]

TITLES = [
    ("Socialsekreterare", 60),
    ("Handläggare", 12),
    ("Utredare", 8),
    ("Familjehemssekreterare", 5),
    ("Administratör", 6),
    ("Biträdande enhetschef", 3),
    ("Specialistsocionom", 3),
    ("Arbetsmarknadskonsulent", 3),
]


def _ascii(text: str) -> str:
    text = text.lower().replace(" ", "").replace("-", "")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def seed_demo(stdout=None) -> list[str]:
    """Create the demo if it is missing; return the login e-mails."""
    password_hash = make_password(DEMO_PASSWORD)
    logins: list[str] = []
    with scopes_disabled(), disable_auditlog(), transaction.atomic():
        municipalities = []
        for seed in SEEDS:
            municipality, created = Municipality.objects.get_or_create(
                slug=seed.slug, defaults={"name": seed.name, "kommunkod": seed.kommunkod}
            )
            if created:
                municipality.brand_colour = seed.colour
                municipality.logo = _emblem(seed.colour, seed.name[0])
                municipality.logo_changed_at = timezone.now()
                municipality.save(update_fields=["brand_colour", "logo", "logo_changed_at"])
                _seed_municipality(municipality, seed)
                if stdout:
                    stdout.write(f"Created {seed.name}")
            logins += _seed_logins(municipality, seed, password_hash)
            municipalities.append(municipality)
        _seed_recruitment(municipalities)
        idp.seed_provider(next(m for m in municipalities if m.slug == idp.SLUG))
        analyst = _user("analyst@national.demo", "Nationell analytiker", password_hash)
        Membership.objects.get_or_create(
            user=analyst, municipality=None, role=Role.NATIONAL_ANALYST
        )
        admin = _user("admin@bryggan.demo", "Webbplatsadministratör", password_hash)
        if not admin.is_superuser:
            admin.is_superuser = admin.is_staff = True
            admin.save(update_fields=["is_superuser", "is_staff"])
        logins += [analyst.email, admin.email]
    return logins


def _seed_recruitment(municipalities: list[Municipality]) -> None:
    from bryggan.insights import demo as insights_demo
    from bryggan.introduction import demo as introduction_demo
    from bryggan.matching import demo as matching_demo
    from bryggan.privacy import demo as privacy_demo
    from bryggan.programme import demo as programme_demo
    from bryggan.programme import state as programme_state
    from bryggan.recruitment import demo as recruitment_demo
    from bryggan.regional import demo as regional_demo
    from bryggan.specialists import demo as specialists_demo

    events = recruitment_demo.seed_events(municipalities)
    for municipality in municipalities:
        interviewers = list(
            User.objects.filter(
                email__in=[
                    f"coordinator@{municipality.slug}.demo",
                    f"supervisor@{municipality.slug}.demo",
                ]
            ).order_by("email")
        )
        recruitment_demo.seed_municipality(municipality, events[municipality.pk], interviewers)
        matching_demo.seed_municipality(municipality)
        programme_demo.seed_municipality(municipality)
        privacy_demo.seed_municipality(municipality)
        if municipality.slug == introduction_demo.SLUG:
            introduction_demo.seed_municipality(municipality)
        specialists_demo.seed_municipality(municipality)
        insights_demo.seed_municipality(
            municipality,
            introduction=municipality.slug == introduction_demo.SLUG,
            seed=municipality.pk,
        )
        # What the overview sorts and counts on, as the services would have kept it.
        programme_state.refresh_all(municipality.pk)
    regional_demo.seed(municipalities)  # a joint round of both, shared applicants
    insights_demo.refresh()  # the nightly figures the national comparison reads


def _user(email: str, full_name: str, password_hash: str) -> User:
    user, _created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "password": password_hash}
    )
    return user


def _seed_municipality(municipality: Municipality, seed: MunicipalitySeed) -> None:
    rng = random.Random(seed.kommunkod)
    fake = Faker("sv_SE")
    fake.seed_instance(int(seed.kommunkod))
    units: list[Unit] = []
    for (dept_name, kind), unit_names in seed.departments.items():
        department = Department.objects.create(municipality=municipality, name=dept_name, kind=kind)
        for unit_name in unit_names:
            units.append(
                Unit.objects.create(
                    municipality=municipality,
                    department=department,
                    name=unit_name,
                    address=f"{fake.street_address()}, {fake.postcode()} {municipality.name}",
                )
            )
    terms = [
        Term.objects.create(municipality=municipality, kind=k, year=y, starts_on=s, ends_on=e)
        for k, y, s, e in TERMS
    ]
    programmes = []
    for name in seed.universities:
        city, credits = UNIVERSITY_FACTS[name]
        university = University.objects.create(municipality=municipality, name=name, city=city)
        programme = Programme.objects.create(
            municipality=municipality,
            university=university,
            name="Socionomprogrammet",
            practicum_credits=credits,
        )
        programmes.append(programme)
        for term in terms:
            PracticumPeriod.objects.create(
                municipality=municipality,
                programme=programme,
                term=term,
                starts_on=term.starts_on + timedelta(days=rng.choice([21, 28, 35])),
                ends_on=term.ends_on - timedelta(days=rng.choice([3, 7, 10])),
                expected_hours_per_week=Decimal("32"),
            )
    staff = _seed_staff(municipality, seed, units, fake, rng)
    _seed_capacities(municipality, staff, terms, rng)
    _seed_placements(municipality, seed, terms[1], fake, rng)


def _seed_staff(municipality, seed, units, fake, rng) -> list[StaffMember]:
    titles = [t for t, w in TITLES for _ in range(w)]
    members = []
    for index in range(seed.staff):
        unit = units[index % len(units)]
        first, last = fake.first_name(), fake.last_name()
        title = "Enhetschef" if index < len(units) else rng.choice(titles)
        employed_from = date(2026, 11, 1) - timedelta(days=rng.randint(60, 365 * 22))
        trained = title in {"Socialsekreterare", "Utredare", "Specialistsocionom"} and (
            rng.random() < 0.35
        )
        left = rng.random() < 0.04
        members.append(
            StaffMember(
                municipality=municipality,
                first_name=first,
                last_name=last,
                email=f"{_ascii(first)}.{_ascii(last)}{index}@{seed.domain}",
                title=title,
                unit=unit,
                employed_from=employed_from,
                employed_until=date(2026, 10, 31) if left else None,
                is_trained_supervisor=trained,
                supervisor_trained_on=(
                    min(employed_from + timedelta(days=rng.randint(400, 1500)), date(2026, 6, 1))
                    if trained
                    else None
                ),
                is_mentor=title == "Socialsekreterare" and rng.random() < 0.12,
                is_trainer=rng.random() < 0.05,
                is_specialist=title == "Specialistsocionom",
            )
        )
    return StaffMember.objects.bulk_create(members)


def _seed_capacities(municipality, staff, terms, rng) -> None:
    supervisors = [s for s in staff if s.is_trained_supervisor and s.employed_until is None]
    rows = []
    for term in terms:
        for supervisor in supervisors:
            if rng.random() < 0.8:
                rows.append(
                    SupervisorCapacity(
                        municipality=municipality,
                        supervisor=supervisor,
                        term=term,
                        capacity=rng.choice([1, 1, 1, 2, 2, 3]),
                    )
                )
    SupervisorCapacity.objects.bulk_create(rows)


def _seed_placements(municipality, seed, term, fake, rng) -> None:
    capacities = list(
        SupervisorCapacity.objects.filter(municipality=municipality, term=term)
        .select_related("supervisor")
        .order_by("pk")
    )
    rng.shuffle(capacities)
    for capacity in capacities[: seed.placed]:
        take_place(supervisor=capacity.supervisor, term=term)
        person = Person.objects.create(
            municipality=municipality, first_name=fake.first_name(), last_name=fake.last_name()
        )
        Placement.objects.create(
            municipality=municipality,
            person=person,
            unit_id=capacity.supervisor.unit_id,
            supervisor=capacity.supervisor,
            term=term,
            step=Stage.PRACTICUM,
        )


ROLE_LOGINS = [
    Role.COORDINATOR,
    Role.UNIT_MANAGER,
    Role.SUPERVISOR,
    Role.MENTOR,
    Role.TRAINER,
    Role.SPECIALIST,
    Role.HR,
    Role.STUDENT,
    Role.NEW_HIRE,
    Role.UNIVERSITY_CONTACT,
    Role.DPO,
]


def _seed_logins(municipality, seed, password_hash) -> list[str]:
    emails = []
    fake = Faker("sv_SE")
    fake.seed_instance(int(seed.kommunkod) + 1)
    first_unit = Unit.objects.filter(municipality=municipality).order_by("pk").first()
    first_university = University.objects.filter(municipality=municipality).order_by("pk").first()
    for role in ROLE_LOGINS:
        email = f"{role.value}@{seed.slug}.demo"
        user = _user(email, f"{fake.first_name()} {fake.last_name()}", password_hash)
        Membership.objects.get_or_create(
            user=user,
            municipality=municipality,
            role=role,
            unit=first_unit if role == Role.UNIT_MANAGER else None,
            university=first_university if role == Role.UNIVERSITY_CONTACT else None,
        )
        emails.append(email)
        if role in {Role.SUPERVISOR, Role.MENTOR, Role.TRAINER, Role.SPECIALIST, Role.UNIT_MANAGER}:
            member = _link_staff_account(municipality, user, role, first_unit)
            if member is not None and user.full_name != str(member):
                user.full_name = str(member)
                user.save(update_fields=["full_name"])
    return emails


def _link_staff_account(municipality, user, role, unit) -> StaffMember | None:
    linked = StaffMember.objects.filter(user=user).first()
    if linked is not None:
        return linked
    flag = {
        Role.SUPERVISOR: "is_trained_supervisor",
        Role.MENTOR: "is_mentor",
        Role.TRAINER: "is_trainer",
        Role.SPECIALIST: "is_specialist",
    }.get(role)
    candidates = StaffMember.objects.filter(
        municipality=municipality, user__isnull=True, employed_until__isnull=True
    )
    if role == Role.UNIT_MANAGER:
        candidates = candidates.filter(unit=unit, title="Enhetschef")
    elif flag:
        candidates = candidates.filter(**{flag: True})
    member = candidates.order_by("pk").first()
    if member is not None:
        member.user = user
        member.save(update_fields=["user"])
    return member
