"""University assessment pages: the supervisor signs, and those allowed read the PDF."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bryggan.core import access_log
from bryggan.core.decorators import actor_required
from bryggan.core.errors import InvalidInputError
from bryggan.core.http import ActorRequest
from bryggan.core.permissions import Perm
from bryggan.programme import assessments, selectors
from bryggan.programme.models import AssessmentKind, Recommendation


@require_http_methods(["GET", "POST"])
@actor_required
def sign(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    participant = selectors.participant_for_supervision(actor=actor, pk=pk)
    if assessments.practicum_supervised_by(actor, participant) is None:
        raise Http404
    errors: dict[str, list[str]] = {}
    values = {
        name: request.POST.get(name, "")
        for name in ("kind", "knowledge", "skills", "judgement", "absence_days", "recommendation")
    }
    if request.method == "POST":
        try:
            signed = assessments.assessment_sign(actor=actor, participant=participant, **values)
        except InvalidInputError as error:
            errors = error.errors
        else:
            messages.success(
                request,
                _("The assessment is signed and locked (version %(n)s).") % {"n": signed.version},
            )
            return redirect("programme:assessment-sign", pk=participant.pk)
    signed_ones = assessments.visible_assessments(actor).filter(participant=participant)
    return render(
        request,
        "programme/assessment_sign.html",
        {
            "participant": participant,
            "errors": errors,
            "values": values,
            "kinds": AssessmentKind.choices,
            "recommendations": Recommendation.choices,
            "signed": signed_ones,
        },
        status=400 if errors else 200,
    )


@require_GET
@actor_required
def listing(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if not (
        actor.has(Perm.UNIVERSITY_ASSESSMENTS)
        or actor.has(Perm.PROGRAMME_MANAGE)
        or actor.has(Perm.HOURS_APPROVE)
        or actor.has(Perm.PROGRAMME_OWN)
    ):
        actor.require(Perm.UNIVERSITY_ASSESSMENTS)
    found = list(
        assessments.visible_assessments(actor).order_by(
            "participant__person__last_name", "kind", "-version"
        )
    )
    access_log.record(
        actor=actor,
        subject_type="assessment",
        subject_id="*",
        purpose="assessment list",
        request=request,
    )
    return render(request, "programme/assessments.html", {"assessments": found})


@require_GET
@actor_required
def pdf(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    found = assessments.visible_assessments(actor).filter(pk=pk).first()
    if found is None:
        raise Http404
    access_log.record(
        actor=actor,
        subject_type="assessment",
        subject_id=found.pk,
        person_id=found.participant.person_id,
        purpose="assessment pdf",
        request=request,
    )
    response = HttpResponse(assessments.assessment_pdf(found), content_type="application/pdf")
    name = f"bedomning-{found.kind}-v{found.version}-{found.participant_id}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
