"""Interviewers' scorecards."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from bryggan.core.errors import InvalidInputError
from bryggan.core.permissions import Actor, Perm, PermissionDeniedError
from bryggan.core.personal_data import personnummer_errors
from bryggan.recruitment.models import Application, Assessment, Interview, ScoreCriterion


def may_assess(actor: Actor, application: Application) -> bool:
    """Coordinators, and the interviewers of the applicant's interview, fill in scorecards."""
    if actor.can(Perm.RECRUITMENT_MANAGE, application):
        return True
    return Interview.objects.filter(
        application=application, slot__interviewers__user=actor.user
    ).exists()


def assessment_rows(criteria, assessments) -> list[dict]:
    """Per criterion: each interviewer's score (in the order given) and the average."""
    rows = []
    for criterion in criteria:
        values = [a.scores.get(str(criterion.pk)) for a in assessments]
        given = [int(v) for v in values if v is not None]
        rows.append(
            {
                "criterion": criterion,
                "values": values,
                "average": sum(given) / len(given) if given else None,
            }
        )
    return rows


def assessment_save(
    *, actor: Actor, application: Application, scores: dict[str, int], comment: str
) -> Assessment:
    if not may_assess(actor, application):
        raise PermissionDeniedError(Perm.RECRUITMENT_MANAGE)
    valid = {
        str(pk)
        for pk in ScoreCriterion.objects.filter(round=application.posting.round).values_list(
            "pk", flat=True
        )
    }
    if set(scores) != valid or not all(1 <= int(v) <= 5 for v in scores.values()):
        raise InvalidInputError({"__all__": [_("Score every criterion from 1 to 5.")]})
    if errors := personnummer_errors(comment=comment):
        raise InvalidInputError(errors)
    with transaction.atomic():
        assessment, _created = Assessment.objects.update_or_create(
            application=application,
            interviewer=actor.user,
            defaults={
                "municipality": application.municipality,
                "scores": scores,
                "comment": comment,
            },
        )
    return assessment
