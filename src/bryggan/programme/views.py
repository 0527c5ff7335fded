"""The three steps' pages: the coordinator's overview and a participant's path (moves,
summer job, offers), and the student's own page where they answer an offer."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bryggan.core.decorators import actor_required
from bryggan.core.errors import InvalidInputError
from bryggan.core.http import ActorRequest
from bryggan.core.permissions import Perm
from bryggan.core.widgets import share_choices
from bryggan.organisation.selectors import units_for
from bryggan.programme import selectors, services, services_plan
from bryggan.programme.forms import HoursForm, MoveForm, OfferForm, SummerJobForm, ThesisForm
from bryggan.programme.hours import balance_for, breaches_for, grouped
from bryggan.programme.models import OfferStatus, Stage

PAGE = "participant page"
OVERVIEW_PAGE = 50  # rows a page: what a coordinator reads, and a page costs the same at any size


@require_GET
@actor_required
def overview(request: ActorRequest) -> HttpResponse:
    request.actor.require(Perm.PROGRAMME_MANAGE)
    stage = request.GET.get("stage", "")
    unit_text = request.GET.get("unit", "")
    unit = int(unit_text) if unit_text.isdigit() else None
    action_only = request.GET.get("action") == "1"
    found = selectors.overview(
        actor=request.actor,
        purpose="programme overview",
        stage=stage,
        unit=unit,
        action_only=action_only,
    )
    page = Paginator(found.rows, OVERVIEW_PAGE).get_page(request.GET.get("page"))
    query = urlencode(
        {
            k: v
            for k, v in (
                ("stage", stage),
                ("unit", unit_text),
                ("action", "1" if action_only else ""),
            )
            if v
        }
    )
    return render(
        request,
        "programme/overview.html",
        {
            "page": page,
            "total": page.paginator.count,
            "query": query,
            "stages": Stage.choices,
            "stage": stage,
            "unit": unit,
            "action_only": action_only,
            "units": units_for(actor=request.actor),
            "action_count": found.action_count,
            "last_month": (timezone.localdate().replace(day=1) - timedelta(days=1)).strftime(
                "%Y-%m"
            ),
        },
    )


def _participant_page(
    request: ActorRequest,
    participant,
    *,
    move_form=None,
    offer_form=None,
    summer_form=None,
    thesis_form=None,
    status=200,
) -> HttpResponse:
    actor = request.actor
    move_form = move_form or MoveForm(actor=actor, prefix="move")
    offer_form = offer_form or OfferForm(actor=actor, prefix="offer")
    summer_form = summer_form or SummerJobForm(actor=actor, prefix="summer")
    theses = list(participant.theses.select_related("unit_contact"))
    thesis_form = thesis_form or _thesis_form(actor, theses[0] if theses else None)
    share_choices(move_form, offer_form, summer_form, thesis_form)
    return render(
        request,
        "programme/participant.html",
        {
            "participant": participant,
            "today": timezone.localdate(),
            "moves": participant.moves.select_related("actor"),
            "move_form": move_form,
            "offer_form": offer_form,
            "summer_form": summer_form,
            "hours": selectors.hours_rows(participant),
            "breach_lines": grouped(
                breaches_for([participant], today=timezone.localdate()).get(participant.pk, [])
            ),
            "sessions": selectors.sessions_of(participant),
            "thesis_form": thesis_form,
            "theses": theses,
        },
        status=status,
    )


def _thesis_form(actor, current) -> ThesisForm:
    """The thesis form, filled in from the participant's first thesis when there is one."""
    initial = (
        {
            "title": current.title,
            "university_supervisor": current.university_supervisor,
            "unit_contact": current.unit_contact_id,
            "status": current.status,
        }
        if current
        else None
    )
    return ThesisForm(actor=actor, prefix="thesis", initial=initial)


@require_GET
@actor_required
def participant(request: ActorRequest, pk: int) -> HttpResponse:
    found = selectors.participant_by_id(actor=request.actor, pk=pk, purpose=PAGE)
    return _participant_page(request, found)


def _participant_form(
    request: ActorRequest, pk: int, form_class, prefix: str, save, done: str
) -> HttpResponse:
    """One of the participant page's forms: validate, call the service, or show the page
    again with the errors on that form."""
    found = selectors.participant_by_id(actor=request.actor, pk=pk, purpose=None)
    form = form_class(request.POST, actor=request.actor, prefix=prefix)
    if form.is_valid():
        try:
            save(request.actor, found, form.cleaned_data)
        except InvalidInputError as error:
            error.add_to(form)
        else:
            messages.success(request, done)
            return redirect("programme:participant", pk=found.pk)
    # The page is shown again, with the errors: a read of the participant's file.
    shown = selectors.participant_by_id(actor=request.actor, pk=pk, purpose=PAGE)
    return _participant_page(request, shown, status=400, **{f"{prefix}_form": form})


@require_POST
@actor_required
def move(request: ActorRequest, pk: int) -> HttpResponse:
    return _participant_form(
        request,
        pk,
        MoveForm,
        "move",
        lambda actor, found, data: services.step_move(
            actor=actor,
            participant=found,
            stage=data["stage"],
            unit=data["unit"],
            mentor=data["mentor"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            reason=data["reason"],
        ),
        _("The participant is moved."),
    )


@require_POST
@actor_required
def offer(request: ActorRequest, pk: int) -> HttpResponse:
    return _participant_form(
        request,
        pk,
        OfferForm,
        "offer",
        lambda actor, found, data: services.offer_issue(
            actor=actor,
            participant=found,
            unit=data["unit"],
            starts_on=data["starts_on"],
            reply_by=data["reply_by"],
            title=data["title"],
            direct_hire=data["direct_hire"],
            employment_type=data["employment_type"],
            monthly_salary=data["monthly_salary"],
            contact=data["contact"],
        ),
        _("The offer is issued; the participant answers it on their page."),
    )


@require_POST
@actor_required
def summer_job(request: ActorRequest, pk: int) -> HttpResponse:
    return _participant_form(
        request,
        pk,
        SummerJobForm,
        "summer",
        lambda actor, found, data: services.summer_job_add(
            actor=actor,
            participant=found,
            unit=data["unit"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        ),
        _("The summer job is registered."),
    )


def render_mine(request: ActorRequest, own, *, hours_form=None, status=200) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "programme/mine.html",
        {
            "participant": own,
            "hours": selectors.hours_of(own) if own else [],
            "plan": selectors.task_plan(own) if own else [],
            "sessions": selectors.sessions_of(own) if own else [],
            "breach_lines": grouped(breaches_for([own], today=today).get(own.pk, []))
            if own
            else [],
            "balance": balance_for(own, today) if own else [],
            "hours_form": hours_form or HoursForm(initial={"day": today}),
            "today": today,
            "starts_on": _accepted_start(own, today) if own else None,
        },
        status=status,
    )


def _accepted_start(participant, today):
    """The first day of an accepted offer that has not come yet: until then the student
    reads "accepted, starts on …", not "employed"."""
    upcoming = [
        o.starts_on
        for o in participant.offers.all()
        if o.status == OfferStatus.ACCEPTED and o.starts_on > today
    ]
    return min(upcoming) if upcoming else None


@require_GET
@actor_required
def mine(request: ActorRequest) -> HttpResponse:
    return render_mine(request, selectors.participant_of(actor=request.actor))


@require_http_methods(["POST"])
@actor_required
def answer(request: ActorRequest, pk: int) -> HttpResponse:
    found = selectors.offer_by_id(actor=request.actor, pk=pk, own=True)
    choice = request.POST.get("answer", "")
    if choice in ("accept", "decline") and request.POST.get("confirm") != "yes":
        # An answer is not undone here: the terms and the choice once more, to confirm.
        return render(
            request,
            "programme/answer_confirm.html",
            {"o": found, "accept": choice == "accept"},
        )
    try:
        if choice not in ("accept", "decline"):
            raise InvalidInputError({"answer": [_("Choose to accept or decline.")]})
        services.offer_answer(actor=request.actor, offer=found, accept=choice == "accept")
    except InvalidInputError as error:
        error.flash(request)
    else:
        messages.success(
            request,
            _("Thank you: your answer is recorded.")
            if choice == "decline"
            else _("Welcome! Your answer is recorded; the municipality prepares your employment."),
        )
    return redirect("programme:mine")


@require_POST
@actor_required
def thesis(request: ActorRequest, pk: int) -> HttpResponse:
    return _participant_form(
        request,
        pk,
        ThesisForm,
        "thesis",
        lambda actor, found, data: services_plan.thesis_save(
            actor=actor,
            participant=found,
            title=data["title"],
            university_supervisor=data["university_supervisor"],
            unit_contact=data["unit_contact"],
            status=data["status"],
            thesis=found.theses.first(),
        ),
        _("The thesis is saved."),
    )


@require_GET
@actor_required
def theses(request: ActorRequest) -> HttpResponse:
    return render(
        request, "programme/theses.html", {"theses": selectors.theses_of(actor=request.actor)}
    )


@require_POST
@actor_required
def invite(request: ActorRequest, pk: int) -> HttpResponse:
    """(Re)send a placed student the e-mail to choose a password for Bryggan."""
    found = selectors.participant_by_id(actor=request.actor, pk=pk, purpose=None)
    try:
        services.invite_again(actor=request.actor, participant=found)
    except InvalidInputError as error:
        error.flash(request)
    else:
        messages.success(
            request,
            _("The invitation was sent to %(email)s.") % {"email": found.person.email},
        )
    return redirect("programme:participant", pk=found.pk)
