"""The demo's insights: seven years of history in both municipalities (rounds, hires,
leavers, sick leave and caseload; Södertälje's hires partly through the broad
introduction), a staff survey with answers, next year's hiring need, and the nightly
figures the national comparison reads."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils import timezone
from django_scopes import scope

from bryggan.core.models import Municipality, User
from bryggan.core.permissions import actor_for
from bryggan.insights import services, synthetic
from bryggan.insights.models import Audience, Invitation, QuestionKind, Survey
from bryggan.organisation.models import Department

QUESTIONS: list[tuple[str, str]] = [
    ("Studenterna tillför ny kunskap till arbetsplatsen", QuestionKind.LIKERT),
    ("Handledningen av studenter är värd den tid den tar", QuestionKind.LIKERT),
    ("Traineeprogrammet gör oss till en mer attraktiv arbetsgivare", QuestionKind.LIKERT),
    ("Vad skulle göra programmet bättre?", QuestionKind.TEXT),
]
ANSWERS = [
    ("5", "4", "5", "Mer tid för handledarna att träffas."),
    ("4", "3", "4", "Tydligare introduktionsplan för steg 2."),
    ("5", "4", "4", ""),
    ("3", "2", "4", "Handledningen tar mycket tid under hösten."),
    ("4", "4", "5", "Fler platser på vuxenenheten."),
    ("5", "5", "5", "Studenterna har lyft diskussionerna i gruppen."),
    ("4", "3", "3", ""),
    ("4", "4", "4", "Bra att de får prova flera enheter."),
]


def seed_municipality(municipality: Municipality, *, introduction: bool, seed: int) -> None:
    if Survey.unscoped.filter(municipality=municipality).exists():
        return  # seeded before
    today = timezone.localdate()
    synthetic.generate(
        municipality,
        years=list(range(today.year - 7, today.year)),
        applications_per_year=60 if introduction else 36,
        today=today,
        seed=seed,
        introduction=introduction,
        outside_hires_per_year=8,
    )
    coordinator = actor_for(User.objects.get(email=f"coordinator@{municipality.slug}.demo"))
    survey = services.survey_create(
        actor=coordinator,
        title="Vad ger studenterna arbetsplatsen?",
        audience=Audience.STAFF,
        closes_on=today + timedelta(days=30),
        introduction="Fem minuter om hur studenterna påverkar arbetet i gruppen.",
        questions=QUESTIONS,
        today=today,
    )
    with scope(municipality=municipality.pk):
        questions = list(survey.questions.all())
        tokens = [secrets.token_urlsafe(24) for _answer in ANSWERS]
        Invitation.objects.bulk_create(
            Invitation(municipality=municipality, survey=survey, token_hash=services._hash(token))
            for token in tokens
        )
        Survey.objects.filter(pk=survey.pk).update(sent_at=timezone.now(), invited=len(tokens) + 6)
        departments = list(Department.objects.order_by("name"))
    for token, answer in zip(tokens, ANSWERS, strict=True):
        services.survey_answer(
            token=token, answers={q.pk: a for q, a in zip(questions, answer, strict=True)}
        )
    for n, department in enumerate(departments):
        services.need_set(
            actor=coordinator,
            department=department,
            year=today.year + 1,
            need=[4, 2, 3, 1][n % 4],
            today=today,
        )


def refresh(today=None) -> None:
    services.refresh_national(today=today or timezone.localdate())
