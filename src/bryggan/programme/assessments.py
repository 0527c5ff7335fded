"""University assessments of the practicum: signed by the supervisor, locked once signed
(a correction is a new signed version), produced as PDF, and seen by the coordinator, the
supervisor, the student and the contact of the student's university only — every read of
one is written to the access log."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bryggan.core.errors import InvalidInputError
from bryggan.core.pdf import Document
from bryggan.core.permissions import Actor
from bryggan.core.personal_data import personnummer_errors
from bryggan.programme.models import (
    AssessmentKind,
    Participant,
    Placement,
    Recommendation,
    Stage,
    UniversityAssessment,
)


def practicum_supervised_by(actor: Actor, participant: Participant) -> Placement | None:
    """The participant's current practicum placement, when the actor is its supervisor."""
    if actor.user is None:
        return None
    return (
        Placement.objects.filter(
            person_id=participant.person_id,
            step=Stage.PRACTICUM,
            ended_at__isnull=True,
            supervisor__user=actor.user,
        )
        .select_related("term", "unit", "supervisor")
        .first()
    )


def assessment_sign(
    *,
    actor: Actor,
    participant: Participant,
    kind: str,
    knowledge: str,
    skills: str,
    judgement: str,
    absence_days: object,
    recommendation: str,
) -> UniversityAssessment:
    """The practicum supervisor signs an assessment; a second one of the same kind is a
    correction that supersedes the first."""
    placement = practicum_supervised_by(actor, participant)
    if placement is None or actor.user is None:
        raise InvalidInputError(
            {
                "__all__": [
                    _("Only the student's practicum supervisor signs the university's assessment.")
                ]
            }
        )
    errors: dict[str, list[str]] = {}
    if kind not in AssessmentKind.values:
        errors["kind"] = [_("Choose mid-term or final.")]
    if recommendation not in Recommendation.values:
        errors["recommendation"] = [_("Choose the overall assessment.")]
    for name, text in (("knowledge", knowledge), ("skills", skills), ("judgement", judgement)):
        if not str(text or "").strip():
            errors[name] = [_("Fill in every area of the form.")]
    errors = personnummer_errors(knowledge=knowledge, skills=skills, judgement=judgement) | errors
    absence = str(absence_days or "0").strip()
    if not absence.isdigit() or int(absence) > 200:
        errors["absence_days"] = [_("Days absent is a whole number from 0.")]
    if errors:
        raise InvalidInputError(errors)
    with transaction.atomic():
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        previous = (
            UniversityAssessment.objects.filter(participant=participant, kind=kind)
            .order_by("-version")
            .first()
        )
        return UniversityAssessment.objects.create(
            municipality_id=participant.municipality_id,
            participant=participant,
            placement=placement,
            kind=kind,
            version=(previous.version + 1) if previous else 1,
            supersedes=previous,
            knowledge=knowledge.strip(),
            skills=skills.strip(),
            judgement=judgement.strip(),
            absence_days=int(absence),
            recommendation=recommendation,
            signed_by=actor.user,
            signed_by_name=str(placement.supervisor),
            signed_at=timezone.now(),
        )


def assessment_pdf(assessment: UniversityAssessment) -> bytes:
    """The signed assessment as a PDF for the university."""
    participant = assessment.participant
    placement = assessment.placement
    doc = Document(f"{assessment.get_kind_display()} {participant.person}")
    doc.heading(f"{assessment.get_kind_display()}: {_('practicum (VFU)')}")
    doc.facts(
        [
            (_("Student"), participant.person),
            (_("University"), participant.university or "–"),
            (_("Municipality"), assessment.municipality),
            (_("Unit"), placement.unit.name),
            (_("Supervisor"), placement.supervisor),
            (_("Term"), placement.term),
            (_("Version"), assessment.version),
            (_("Days absent"), assessment.absence_days),
        ]
    )
    if assessment.supersedes_id:
        doc.paragraph(
            _("This version corrects and replaces version %(n)s.") % {"n": assessment.version - 1}
        )
    for label, body in (
        (_("Knowledge and understanding"), assessment.knowledge),
        (_("Skills and abilities"), assessment.skills),
        (_("Judgement and approach"), assessment.judgement),
        (_("Overall"), assessment.get_recommendation_display()),
    ):
        doc.section(label, body)
    doc.pdf.ln(6)
    doc.paragraph(
        _("Signed in Bryggan by %(name)s on %(at)s. A signed assessment cannot be changed.")
        % {
            "name": assessment.signed_by_name,
            "at": timezone.localtime(assessment.signed_at).strftime("%Y-%m-%d %H:%M"),
        },
        size=9,
    )
    return doc.output()
