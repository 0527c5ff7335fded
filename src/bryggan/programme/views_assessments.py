"""University assessment pages: the supervisor signs, and those allowed read the PDF."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bryggan.core.decorators import actor_required
from bryggan.core.errors import InvalidInputError
from bryggan.core.http import ActorRequest
from bryggan.programme import assessments, selectors
from bryggan.programme.forms import AssessmentForm
from bryggan.programme.models import AssessmentKind, Recommendation


@require_http_methods(["GET", "POST"])
@actor_required
def sign(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    purpose = None if request.method == "POST" else "assessment sign page"
    participant = selectors.participant_for_supervision(actor=actor, pk=pk, purpose=purpose)
    if assessments.practicum_supervised_by(actor, participant) is None:
        raise Http404
    errors: dict[str, list[str]] = {}
    form = AssessmentForm(request.POST or None)
    values = {name: form.data.get(name, "") for name in AssessmentForm.base_fields}
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise InvalidInputError.from_form(form)
            signed = assessments.assessment_sign(
                actor=actor, participant=participant, **form.cleaned_data
            )
        except InvalidInputError as error:
            errors = error.errors
        else:
            messages.success(
                request,
                _("The assessment is signed and locked (version %(n)s).") % {"n": signed.version},
            )
            return redirect("programme:assessment-sign", pk=participant.pk)
    return render(
        request,
        "programme/assessment_sign.html",
        {
            "participant": participant,
            "errors": errors,
            "values": values,
            "kinds": AssessmentKind.choices,
            "recommendations": Recommendation.choices,
            "signed": selectors.assessments_for(actor=actor, participant=participant),
        },
        status=400 if errors else 200,
    )


@require_GET
@actor_required
def listing(request: ActorRequest) -> HttpResponse:
    found = selectors.assessments_for(actor=request.actor)
    return render(request, "programme/assessments.html", {"assessments": found})


@require_GET
@actor_required
def detail(request: ActorRequest, pk: int) -> HttpResponse:
    """A signed assessment to read in the page (the PDF is the copy to file): what the
    university contact opens from their list."""
    found = selectors.assessment_by_id(actor=request.actor, pk=pk, purpose="assessment page")
    placement = found.placement
    return render(
        request,
        "programme/assessment.html",
        {"a": found, "placement": placement, "supervisor": placement.supervisor},
    )


@require_GET
@actor_required
def pdf(request: ActorRequest, pk: int) -> HttpResponse:
    found = selectors.assessment_by_id(actor=request.actor, pk=pk, purpose="assessment pdf")
    response = HttpResponse(assessments.assessment_pdf(found), content_type="application/pdf")
    name = f"bedomning-{found.kind}-v{found.version}-{found.participant_id}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
