"""Task-plan pages: a unit's plan (coordinator), a student's plan with sign-offs (their
supervisor or mentor, or the coordinator), and a supervisor's list of their students."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bryggan.core.decorators import actor_required
from bryggan.core.errors import InvalidInputError, flash_outcome
from bryggan.core.http import ActorRequest
from bryggan.core.permissions import Perm
from bryggan.organisation.selectors import units_for
from bryggan.programme import assessments, selectors, services_plan
from bryggan.programme.forms import SessionForm, SignOffForm, TaskItemForm
from bryggan.programme.models import SessionKind, TaskLevel


@require_http_methods(["GET", "POST"])
@actor_required
def unit_plan(request: ActorRequest, unit: int) -> HttpResponse:
    actor = request.actor
    found, items = selectors.unit_plan(actor=actor, unit=unit)
    if request.method == "POST":
        standard = request.POST.get("action") == "standard"
        flash_outcome(
            request,
            lambda: (
                services_plan.task_plan_standard(actor=actor, unit=found)
                if standard
                else services_plan.task_item_add(
                    actor=actor, unit=found, **InvalidInputError.data_of(TaskItemForm(request.POST))
                )
            ),
            _("The plan is saved."),
        )
        return redirect("programme:unit-plan", unit=found.pk)
    return render(
        request,
        "programme/unit_plan.html",
        {"unit": found, "items": items, "units": units_for(actor=actor)},
    )


def _record_session(request: ActorRequest, participant) -> None:
    flash_outcome(
        request,
        lambda: services_plan.session_add(
            actor=request.actor,
            participant=participant,
            **InvalidInputError.data_of(SessionForm(request.POST)),
        ),
        _("The session is recorded."),
    )


def _sign_off(request: ActorRequest, participant) -> None:
    flash_outcome(
        request,
        lambda: services_plan.task_sign_off(
            actor=request.actor,
            participant=participant,
            **InvalidInputError.data_of(SignOffForm(request.POST, actor=request.actor)),
        ),
        _("Signed off."),
    )


@require_http_methods(["GET", "POST"])
@actor_required
def student_plan(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    if request.method == "POST":
        participant = selectors.participant_for_supervision(actor=actor, pk=pk, purpose=None)
        if request.POST.get("action") == "session":
            _record_session(request, participant)
        else:
            _sign_off(request, participant)
        return redirect("programme:student-plan", pk=participant.pk)
    participant = selectors.participant_for_supervision(actor=actor, pk=pk, purpose="task plan")
    return render(
        request,
        "programme/student_plan.html",
        {
            "participant": participant,
            "lines": selectors.task_plan(participant),
            "levels": TaskLevel.choices,
            # Sessions and their notes: this page is the coordinator's or the student's
            # supervisor's or mentor's, who may read them; only the latter record one.
            "sessions": selectors.sessions_of(participant),
            "may_record": actor.can(Perm.HOURS_APPROVE, participant),
            "session_kinds": SessionKind.choices,
            "today": timezone.localdate(),
            "may_assess": assessments.practicum_supervised_by(actor, participant) is not None,
        },
    )


@require_GET
@actor_required
def my_students(request: ActorRequest) -> HttpResponse:
    return render(
        request,
        "programme/my_students.html",
        {
            "students": selectors.my_students(actor=request.actor),
        },
    )
