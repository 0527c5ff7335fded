"""Insights for tests: a few years of history (through the synthetic generator, the same the
demo and the benchmark use), a month of sick leave and caseload at the tenant's unit, a
hiring need, a survey with one link whose token the test knows, a file waiting for
confirmation, and the nightly figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone
from django_scopes import scope

from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from bryggan.insights import services, synthetic
from bryggan.insights.models import Audience, Invitation, QuestionKind, UnitMonth

TOKEN_PREFIX = "test-link-"


def build_insights(tenant, mark: str = "", *, applications_per_year: int = 12) -> dict:
    today = timezone.localdate()
    municipality = tenant.municipality
    synthetic.generate(
        municipality,
        years=[today.year - 3, today.year - 2],
        applications_per_year=applications_per_year,
        today=today,
        seed=municipality.pk,
        outside_hires_per_year=3,
        unit_months=3,
    )
    coordinator = actor_for(tenant.users[Role.COORDINATOR])
    unit = tenant.objects["unit"]
    with scope(municipality=municipality.pk):
        month = UnitMonth.objects.filter(unit=unit).order_by("-month").first()
        if month is None:
            month = UnitMonth.objects.create(
                municipality=municipality,
                unit=unit,
                month=date(today.year, 1, 1),
                sick_leave_percent=Decimal("6.5"),
                open_cases=120,
                case_workers=Decimal("4.0"),
            )
    need = services.need_set(
        actor=coordinator,
        department=tenant.objects["department"],
        year=today.year + 1,
        need=3,
        today=today,
    )
    survey = services.survey_create(
        actor=coordinator,
        title=f"Studenterna på arbetsplatsen {mark}".strip(),
        audience=Audience.STAFF,
        closes_on=today + timezone.timedelta(days=20),
        introduction="",
        questions=[
            ("Studenterna tillför ny kunskap", QuestionKind.LIKERT),
            (f"Vad kan bli bättre? {mark}".strip(), QuestionKind.TEXT),
        ],
        today=today,
    )
    tokens = [f"{TOKEN_PREFIX}{municipality.slug}-{survey.pk}-{n}" for n in range(8)]
    with scope(municipality=municipality.pk):
        Invitation.objects.bulk_create(
            Invitation(municipality=municipality, survey=survey, token_hash=services._hash(t))
            for t in tokens
        )
    pending = services.import_preview(
        actor=coordinator,
        kind="unit_months",
        file_name=f"sjukfranvaro {mark}.csv".strip(),
        data=(
            "unit;month;sick_leave_percent;open_cases;case_workers\n"
            f"{unit.name};{today.year}-02;5,5;100;4\n"
        ).encode(),
        today=today,
    )
    services.refresh_national(today=today)
    return {
        "month": month,
        "need": need,
        "survey": survey,
        "tokens": tokens,
        "pending": pending,
    }
