"""Pages of the broad introduction: programmes, a cohort with its schedule (a chart by week
and the same as a table), whom a unit receives week by week, exports and calendar feeds."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bryggan.core.decorators import actor_required
from bryggan.core.errors import InvalidInputError, flash_outcome
from bryggan.core.exports import csv_response, xlsx_response
from bryggan.core.gate import log_export
from bryggan.core.http import ActorRequest
from bryggan.introduction import calendar, selectors, services
from bryggan.introduction.forms import (
    AbsenceForm,
    CohortForm,
    LeaveForm,
    MemberEditForm,
    MemberForm,
    PlacesForm,
    ProgrammeForm,
    WishForm,
)


@require_http_methods(["GET", "POST"])
@actor_required
def index(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    programmes = selectors.programmes_for(actor=actor)
    form = ProgrammeForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.programme_create(
                actor=actor,
                name=data["name"],
                weeks=data["weeks"],
                departments=list(data["departments"]) or None,
                block_weeks=data["block_weeks"],
            )
        except InvalidInputError as error:
            error.add_to(form)
        else:
            messages.success(request, _("The programme is created."))
            return redirect("introduction:programme", pk=created.pk)
    return render(
        request,
        "introduction/index.html",
        {"programmes": programmes, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@actor_required
def programme(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    found = selectors.programme_by_id(actor=actor, pk=pk)
    places_form = PlacesForm(actor=actor)
    cohort_form = CohortForm(actor=actor)
    if request.method == "POST":
        if request.POST.get("action") == "cohort":
            cohort_form = CohortForm(request.POST, actor=actor)
            if cohort_form.is_valid():
                try:
                    cohort = services.cohort_create(
                        actor=actor, programme=found, **cohort_form.cleaned_data
                    )
                except InvalidInputError as error:
                    error.add_to(cohort_form)
                else:
                    messages.success(request, _("The cohort is created."))
                    return redirect("introduction:cohort", pk=cohort.pk)
        else:
            places_form = PlacesForm(request.POST, actor=actor)
            if places_form.is_valid():
                try:
                    services.places_set(actor=actor, programme=found, **places_form.cleaned_data)
                except InvalidInputError as error:
                    error.add_to(places_form)
                else:
                    messages.success(request, _("The places are saved."))
                    return redirect("introduction:programme", pk=found.pk)
    places = selectors.places_of(actor=actor, programme=found)
    totals: dict[str, int] = {}
    for row in places:
        name = row.unit.department.name
        totals[name] = totals.get(name, 0) + row.places
    invalid = places_form.errors or cohort_form.errors
    return render(
        request,
        "introduction/programme.html",
        {
            "programme": found,
            "areas": list(found.areas.all()),
            "places": places,
            "totals": totals,
            "cohorts": selectors.cohorts_of(actor=actor, programme=found),
            "places_form": places_form,
            "cohort_form": cohort_form,
        },
        status=400 if invalid else 200,
    )


def _cohort_post(request: ActorRequest, cohort) -> dict:
    """One of the cohort page's forms was sent: its bound form when it needs showing again."""
    actor = request.actor
    action = request.POST.get("action")
    today = timezone.localdate()
    if action == "offers":
        flash_outcome(
            request,
            lambda: services.members_from_offers(actor=actor, cohort=cohort),
            _("New hires with accepted offers are added."),
        )
    elif action == "add":
        form = MemberForm(request.POST, actor=actor, cohort=cohort)
        if not form.is_valid():
            return {"member_form": form}
        try:
            services.member_add(actor=actor, cohort=cohort, **form.cleaned_data)
        except InvalidInputError as error:
            error.add_to(form)
            return {"member_form": form}
        messages.success(request, _("The new hire is added."))
    elif action == "absence":
        absence_form = AbsenceForm(request.POST, actor=actor)
        if not absence_form.is_valid():
            return {"absence_form": absence_form}
        try:
            services.absence_add(actor=actor, cohort=cohort, **absence_form.cleaned_data)
        except InvalidInputError as error:
            error.add_to(absence_form)
            return {"absence_form": absence_form}
        messages.success(request, _("The absence is recorded. Plan again to use it."))
    elif action == "absence-delete":
        absence = selectors.absence_of(actor=actor, cohort=cohort, pk=request.POST.get("absence"))
        services.absence_delete(actor=actor, absence=absence)
        messages.success(request, _("The absence is removed."))
    elif action == "member":
        member = selectors.member_of(actor=actor, cohort=cohort, pk=request.POST.get("member"))
        form = MemberEditForm(request.POST, actor=actor, cohort=cohort)
        flash_outcome(
            request,
            lambda: services.member_update(
                actor=actor, member=member, **InvalidInputError.data_of(form)
            ),
            _("Saved."),
        )
    elif action == "leave":
        member = selectors.member_of(actor=actor, cohort=cohort, pk=request.POST.get("member"))
        flash_outcome(
            request,
            lambda: services.member_leave(
                actor=actor,
                member=member,
                on=InvalidInputError.data_of(LeaveForm(request.POST, actor=actor))["left_on"],
            ),
            _("The new hire has left; plan again to use the places."),
        )
    elif action == "plan":
        try:
            outcome = services.plan(
                actor=actor, cohort=cohort, today=today, reason=_("Planned again")
            )
        except InvalidInputError as error:
            error.flash(request)
        else:
            _flash_plan(request, outcome)
    else:
        raise Http404
    return {}


def _flash_plan(request, outcome: services.Outcome) -> None:
    if outcome.shortages:
        messages.error(
            request, _("No schedule fits the capacity. What is short is listed on the page.")
        )
        return
    text = _("The schedule is planned (%(status)s, %(seconds).1f s).") % {
        "status": _("proven optimal")
        if outcome.status == "optimal"
        else _("%(gap).1f %% from the best bound") % {"gap": outcome.gap * 100},
        "seconds": outcome.seconds,
    }
    if outcome.told:
        text += " " + _("%(n)s new hires were told what changed for them.") % {"n": outcome.told}
    messages.success(request, text)


@require_http_methods(["GET", "POST"])
@actor_required
def cohort(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    found = selectors.cohort_by_id(actor=actor, pk=pk)
    bound: dict = {}
    if request.method == "POST":
        bound = _cohort_post(request, found)
        if not bound:
            return redirect("introduction:cohort", pk=found.pk)
    rows = selectors.schedule_of(
        actor=actor, cohort=found, purpose=f"introduction cohort {found.pk}"
    )
    areas = list(selectors.area_choices(actor=actor, programme=found.programme))
    today = timezone.localdate()
    weeks = [
        {
            "n": w + 1,
            "monday": found.monday(w),
            "now": found.monday(w) <= today < found.monday(w + 1),
        }
        for w in range(found.weeks)
    ]
    candidates = selectors.hire_candidates(actor=actor, cohort=found)
    context = {
        "cohort": found,
        "rows": [(row, row.cells(found.weeks)) for row in rows],
        "areas": areas,
        "weeks": weeks,
        "absences": selectors.absences_of(actor=actor, cohort=found),
        "member_form": MemberForm(actor=actor, cohort=found, staff_choices=candidates),
        "absence_form": AbsenceForm(actor=actor),
        "absence_staff": selectors.absence_candidates(actor=actor, cohort=found),
        "candidates": candidates,
        "units": selectors.units_visible(actor=actor),
        "today": today,
        "active": sum(1 for row in rows if row.member.left_on is None),
        **bound,
    }
    return render(request, "introduction/cohort.html", context, status=400 if bound else 200)


def _rows_for_export(rows, cohort):
    for row in rows:
        for block in row.blocks:
            yield [
                str(row.member.staff),
                block.area.department.name,
                block.unit.name,
                str(block.supervisor),
                block.start_week + 1,
                block.end_week,
                block.starts_on,
                block.ends_on,
            ]


@require_GET
@actor_required
def export(request: ActorRequest, pk: int, fmt: str) -> HttpResponseBase:
    actor = request.actor
    found = selectors.cohort_by_id(actor=actor, pk=pk)
    rows = selectors.schedule_of(
        actor=actor, cohort=found, purpose=f"introduction export {found.pk}"
    )
    log_export(actor=actor, subject_id=found.pk, purpose=f"introduction schedule {fmt}")
    header = [
        _("New hire"),
        _("Area"),
        _("Unit"),
        _("Supervisor"),
        _("First week"),
        _("Last week"),
        _("From"),
        _("Until"),
    ]
    name = f"introduktion-{found.pk}.{fmt}"
    if fmt == "csv":
        return csv_response(filename=name, header=header, rows=_rows_for_export(rows, found))
    return xlsx_response(
        filename=name, sheet=found.name, header=header, rows=_rows_for_export(rows, found)
    )


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@require_GET
@actor_required
def units(request: ActorRequest) -> HttpResponse:
    return render(
        request, "introduction/units.html", {"units": selectors.units_visible(actor=request.actor)}
    )


@require_GET
@actor_required
def unit(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    try:
        start = _monday(date.fromisoformat(request.GET.get("fran", "")))
    except ValueError:
        start = _monday(timezone.localdate())
    found, weeks = selectors.unit_weeks(actor=actor, unit_pk=pk, start=start, weeks=16)
    feed = calendar.token_for(municipality_id=found.municipality_id, unit_id=found.pk)
    return render(
        request,
        "introduction/unit.html",
        {
            "unit": found,
            "weeks": weeks,
            "earlier": start - timedelta(weeks=16),
            "later": start + timedelta(weeks=16),
            "feed_url": request.build_absolute_uri(reverse("introduction:feed", args=[feed])),
        },
    )


@require_http_methods(["POST"])
@actor_required
def wish(request: ActorRequest, pk: int) -> HttpResponse:
    """The new hire's own wish of where to work afterwards, from their home page."""
    actor = request.actor
    member = selectors.own_membership(actor=actor, pk=pk)
    flash_outcome(
        request,
        lambda: services.wish_state(
            actor=actor,
            member=member,
            unit=InvalidInputError.data_of(WishForm(request.POST, actor=actor))["unit"],
        ),
        _("Your wish is saved; your coordinator sees it."),
    )
    return redirect("home")


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    payload = calendar.read_token(token)
    if payload is None:
        raise Http404
    reader = selectors.feed_reader(payload["m"])
    if reader is None:
        raise Http404
    blocks = selectors.feed_blocks(
        actor=reader, staff_pk=payload.get("s"), unit_pk=payload.get("u")
    )
    name = _("Introduction") + f" – {reader.municipality}"
    body = calendar.feed(blocks, name=name, for_unit="u" in payload)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="introduktion.ics"'
    return response
