"""The demo's broad introduction (Södertälje): a 16-week programme through financial
assistance, adults and children and young people; places on every unit of those areas from
its trainers; two cohorts — 20 new hires half-way through, with a supervisor away and the
schedule planned again, and 12 starting next term — planned by the real planner through
the services, as a coordinator would."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone, translation

from bryggan.core.models import Membership, Municipality, User
from bryggan.core.permissions import Actor, Grant
from bryggan.core.roles import Role
from bryggan.introduction import services
from bryggan.introduction.models import Absence, Area, Block, IntroductionProgramme, UnitPlaces
from bryggan.organisation.models import StaffMember, Unit

SLUG = "sodertalje"
# Fixed like the demo's terms (whose supervision capacities the schedule uses).
FIRST_START = date(2026, 9, 28)  # half-way at the start of December 2026
SECOND_START = date(2027, 1, 18)  # the spring term's first Monday


def seed_municipality(municipality: Municipality) -> None:
    if IntroductionProgramme.objects.filter(municipality=municipality).exists():
        return  # seeded before
    rng = random.Random(f"intro-{municipality.kommunkod}")  # noqa: S311 - made-up demo data
    coordinator = User.objects.filter(email=f"coordinator@{municipality.slug}.demo").first()
    actor = Actor(
        user=coordinator, municipality=municipality, grants=(Grant(role=Role.COORDINATOR),)
    )
    # Children and young people, the largest area, gets the sixth week.
    programme = services.programme_create(
        actor=actor, name="Bred introduktion 16 veckor", lengths=[5, 5, 6]
    )
    departments = [a.department_id for a in Area.objects.filter(programme=programme)]
    for unit in Unit.objects.filter(department_id__in=departments).order_by("pk"):
        trainers = list(
            StaffMember.objects.filter(unit=unit, is_trainer=True, employed_until__isnull=True)
        )
        if trainers:
            for trainer in trainers[:2]:
                services.places_set(
                    actor=actor, programme=programme, unit=unit, places=2, trainer=trainer
                )
        else:
            services.places_set(actor=actor, programme=programme, unit=unit, places=3)
    first = services.cohort_create(
        actor=actor, programme=programme, name="Introduktion hösten 2026", starts_on=FIRST_START
    )
    second = services.cohort_create(
        actor=actor, programme=programme, name="Introduktion våren 2027", starts_on=SECOND_START
    )
    areas = list(Area.objects.filter(programme=programme))
    units = list(Unit.objects.filter(department_id__in=departments).order_by("pk"))
    for cohort, count, start in ((first, 20, FIRST_START), (second, 12, SECOND_START)):
        for index in range(count):
            staff = _new_hire(municipality, cohort, index, start, units, rng)
            services.member_add(
                actor=actor,
                cohort=cohort,
                staff=staff,
                final_area=rng.choice([*areas, None]),
                avoid_unit=rng.choice(units) if rng.random() < 0.5 else None,
            )
    # The accepted offer of the programme's demo becomes a new hire of the spring cohort.
    services.members_from_offers(actor=actor, cohort=second)
    with translation.override("sv"):  # what the new hires are told is in Swedish
        _plan(actor, first, second)
    _new_hire_login(municipality, first)


def _plan(actor, first, second) -> None:
    services.plan(actor=actor, cohort=first, today=FIRST_START)
    services.plan(actor=actor, cohort=second, today=SECOND_START)
    # Half-way (when the demo is loaded during the first cohort's weeks): a trainer of a
    # unit the cohort is at and a supervisor of a block under way fall ill for two weeks,
    # and the weeks left are planned again around them.
    today = timezone.localdate()
    if not first.starts_on <= today <= first.ends_on:
        return
    monday = today - timedelta(days=today.weekday())
    under_way = Block.objects.filter(
        member__cohort=first, starts_on__lte=monday, ends_on__gte=monday
    ).select_related("supervisor")
    units = under_way.values("unit_id")
    trainers: list[StaffMember] = [
        row.trainer
        for row in UnitPlaces.objects.filter(
            programme=first.programme, trainer__isnull=False, unit_id__in=units
        ).select_related("trainer")
        if row.trainer is not None
    ]
    for reason, staff in [
        *(("Utbildare sjukskriven", t) for t in trainers[:4]),
        *(("Handledare sjukskriven", b.supervisor) for b in under_way.order_by("pk")[:8]),
    ]:
        if Absence.objects.filter(cohort=first, note=reason).exists():
            continue  # one of each
        absence = services.absence_add(
            actor=actor,
            cohort=first,
            staff=staff,
            starts_on=monday,
            ends_on=min(monday + timedelta(weeks=2, days=-1), first.ends_on),
            note=reason,
        )
        if services.plan(actor=actor, cohort=first, today=today, reason=reason).shortages:
            # Nothing else can give way for this one: someone else falls ill instead.
            services.absence_delete(actor=actor, absence=absence)


FIRST_NAMES = ["Alva", "Elias", "Maja", "Omar", "Saga", "Noah", "Ella", "Hugo", "Leia", "Amir"]
LAST_NAMES = ["Lindqvist", "Haddad", "Berg", "Nordin", "Yilmaz", "Sandberg", "Ek", "Holm"]


def _new_hire(municipality, cohort, index, start, units, rng) -> StaffMember:
    first = FIRST_NAMES[(index + cohort.pk) % len(FIRST_NAMES)]
    last = LAST_NAMES[(index * 3 + cohort.pk) % len(LAST_NAMES)]
    return StaffMember.objects.create(
        municipality=municipality,
        first_name=first,
        last_name=f"{last}",
        email=f"ny{cohort.pk}-{index}@{municipality.slug}.se",
        title="Socialsekreterare",
        unit=rng.choice(units),
        employed_from=start,
    )


def _new_hire_login(municipality, cohort) -> None:
    """The demo's new-hire login is the first member of the cohort under way."""
    user = User.objects.filter(email=f"new_hire@{municipality.slug}.demo").first()
    if user is None or not Membership.objects.filter(user=user, role=Role.NEW_HIRE).exists():
        return
    member = cohort.members.select_related("staff").order_by("pk").first()
    if member is None or StaffMember.objects.filter(user=user).exists():
        return
    member.staff.user = user
    member.staff.save(update_fields=["user"])
    user.full_name = str(member.staff)
    user.save(update_fields=["full_name"])
