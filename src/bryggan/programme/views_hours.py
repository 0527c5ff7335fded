"""Hours pages: the student logs a day, supervisors and mentors approve, the coordinator
sets the rules and exports a month for payroll (CSV or XLSX)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bryggan.core import exports
from bryggan.core.decorators import actor_required
from bryggan.core.errors import InvalidInputError
from bryggan.core.http import ActorRequest
from bryggan.core.pagination import CappedPaginator
from bryggan.core.permissions import Perm
from bryggan.programme import hours as rules
from bryggan.programme import selectors, services_hours
from bryggan.programme.forms import HoursForm, HoursRulesForm


@require_POST
@actor_required
def log(request: ActorRequest) -> HttpResponse:
    own = selectors.participant_of(actor=request.actor)
    form = HoursForm(request.POST)
    if own is not None and form.is_valid():
        data = form.cleaned_data
        try:
            services_hours.hours_log(
                actor=request.actor,
                participant=own,
                day=data["day"],
                hours=data["hours"],
                activity=data["activity"],
            )
        except InvalidInputError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Your hours are logged and wait for approval."))
            return redirect("programme:mine")
    from bryggan.programme.views import render_mine

    return render_mine(request, own, hours_form=form, status=400)


APPROVAL_PAGE = 200  # days of hours a page
APPROVAL_COUNTED = 1000  # counted at most (five pages); beyond that the page says "more than"


@require_http_methods(["GET", "POST"])
@actor_required
def approve(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if not (actor.has(Perm.PROGRAMME_MANAGE) or actor.has(Perm.HOURS_APPROVE)):
        actor.require(Perm.HOURS_APPROVE)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "return":
                n = services_hours.hours_return(
                    actor=actor,
                    entry_ids=request.POST.getlist("entries"),
                    reason=request.POST.get("reason", ""),
                )
                done = _("%(n)s days of hours sent back to the student.") % {"n": n}
            else:
                # Nothing is approved that the approver did not choose: the ticked days, or
                # every day the page showed when they pressed "approve all shown".
                chosen = "shown" if request.POST.get("all") == "yes" else "entries"
                n = services_hours.hours_approve(
                    actor=actor, entry_ids=request.POST.getlist(chosen)
                )
                done = _("%(n)s days of hours approved.") % {"n": n}
        except InvalidInputError as error:
            error.flash(request)
        else:
            messages.success(request, done)
        return redirect("programme:approve")
    waiting = selectors.hours_to_approve(actor=actor)
    page = CappedPaginator(waiting, APPROVAL_PAGE, cap=APPROVAL_COUNTED).get_page(
        request.GET.get("page")
    )
    entries = selectors.approval_rows(page.object_list)  # type: ignore[arg-type]  # a page of it
    return render(request, "programme/approve.html", {"entries": entries, "page": page})


@require_http_methods(["GET", "POST"])
@actor_required
def rules_edit(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.PROGRAMME_MANAGE)
    current = rules.rules_for(actor.municipality_id or 0)
    form = HoursRulesForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services_hours.rules_save(
            actor=actor,
            values={name: form.cleaned_data[name] for name in HoursRulesForm.Meta.fields},
        )
        messages.success(request, _("The hours rules are saved."))
        return redirect("programme:overview")
    return render(
        request, "programme/rules.html", {"form": form}, status=400 if form.errors else 200
    )


EXPORT_HEADER = [
    "last_name",
    "first_name",
    "email",
    "kind",
    "date",
    "hours",
    "activity",
    "approved_by",
    "approved_at",
]


@require_GET
@actor_required
def export(request: ActorRequest) -> HttpResponseBase:
    actor = request.actor
    actor.require(Perm.PROGRAMME_MANAGE)
    month = request.GET.get("month", "")
    kind = request.GET.get("format", "csv")
    match = re.fullmatch(r"(\d{4})-(\d{2})", month)
    if not match or not 1 <= int(match.group(2)) <= 12 or kind not in ("csv", "xlsx"):
        return render(
            request,
            "programme/export_error.html",
            {
                "message": _("Choose a month as YYYY-MM and the format csv or xlsx."),
            },
            status=400,
        )
    year, number = int(match.group(1)), int(match.group(2))
    entries = selectors.hours_for_payroll(actor=actor, year=year, month=number)
    rows = (
        [
            last,
            first,
            email,
            kind,
            day.isoformat(),
            hours,
            activity,
            approver,
            timezone.localtime(approved_at).strftime("%Y-%m-%d %H:%M") if approved_at else "",
        ]
        for last, first, email, kind, day, hours, activity, approver, approved_at in entries
    )
    name = f"timmar-{actor.municipality.slug if actor.municipality else 'x'}-{month}"
    if kind == "csv":
        # Hours with a decimal comma, as Swedish payroll systems read them.
        with_comma = ([*r[:5], str(r[5]).replace(".", ","), *r[6:]] for r in rows)
        return exports.csv_response(filename=f"{name}.csv", header=EXPORT_HEADER, rows=with_comma)
    as_numbers = ([*r[:5], float(str(r[5])), *r[6:]] for r in rows)
    return exports.xlsx_response(
        filename=f"{name}.xlsx", sheet=month, header=EXPORT_HEADER, rows=as_numbers
    )
