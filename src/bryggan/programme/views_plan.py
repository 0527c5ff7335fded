"""Task-plan pages: a unit's plan (coordinator), a student's plan with sign-offs (their
supervisor or mentor, or the coordinator), and a supervisor's list of their students."""

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
from bryggan.core.ids import id_or_nothing
from bryggan.core.permissions import Perm
from bryggan.organisation.models import Unit
from bryggan.programme import selectors, services_plan
from bryggan.programme.models import TaskItem, TaskLevel


@require_http_methods(["GET", "POST"])
@actor_required
def unit_plan(request: ActorRequest, unit: int) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.PROGRAMME_MANAGE)
    found = Unit.objects.filter(municipality=actor.municipality, pk=unit).first()
    if found is None:
        raise Http404
    if request.method == "POST":
        try:
            if request.POST.get("action") == "standard":
                services_plan.task_plan_standard(actor=actor, unit=found)
            else:
                services_plan.task_item_add(
                    actor=actor,
                    unit=found,
                    title=request.POST.get("title", ""),
                    requires_degree=request.POST.get("requires_degree") == "on",
                )
        except InvalidInputError as error:
            error.flash(request)
        else:
            messages.success(request, _("The plan is saved."))
        return redirect("programme:unit-plan", unit=found.pk)
    return render(
        request,
        "programme/unit_plan.html",
        {
            "unit": found,
            "items": TaskItem.objects.filter(unit=found).order_by("position", "pk"),
            "units": Unit.objects.filter(municipality=actor.municipality).order_by("name"),
        },
    )


@require_http_methods(["GET", "POST"])
@actor_required
def student_plan(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    participant = selectors.participant_for_supervision(actor=actor, pk=pk)
    if request.method == "POST" and request.POST.get("action") == "session":
        try:
            services_plan.session_add(
                actor=actor,
                participant=participant,
                kind=request.POST.get("kind", ""),
                held_on=request.POST.get("held_on", ""),
                topics=request.POST.get("topics", ""),
                notes=request.POST.get("notes", ""),
            )
        except InvalidInputError as error:
            error.flash(request)
        else:
            messages.success(request, _("The session is recorded."))
        return redirect("programme:student-plan", pk=participant.pk)
    if request.method == "POST":
        item = TaskItem.objects.filter(
            municipality=actor.municipality, pk=id_or_nothing(request.POST.get("item"))
        ).first()
        try:
            if item is None:
                raise InvalidInputError({"item": [_("The task is not in the student's plan.")]})
            services_plan.task_sign_off(
                actor=actor, participant=participant, item=item, level=request.POST.get("level", "")
            )
        except InvalidInputError as error:
            error.flash(request)
        else:
            messages.success(request, _("Signed off."))
        return redirect("programme:student-plan", pk=participant.pk)
    access_log.record(
        actor=actor,
        subject_type="participant",
        subject_id=participant.pk,
        person_id=participant.person_id,
        purpose="task plan",
        request=request,
    )
    return render(
        request,
        "programme/student_plan.html",
        {
            "participant": participant,
            "lines": selectors.task_plan(participant),
            "levels": TaskLevel.choices,
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
