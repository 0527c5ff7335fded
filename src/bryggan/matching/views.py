"""The coordinator's matching pages: inputs, runs, the proposal, overrides and publishing."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bryggan.core import access_log
from bryggan.core.decorators import actor_required
from bryggan.core.errors import InvalidInputError
from bryggan.core.http import ActorRequest
from bryggan.core.permissions import Perm
from bryggan.matching import adapter, selectors, services
from bryggan.matching.models import ConstraintKind, RunStatus
from bryggan.recruitment.selectors import posting_by_id


def _posting(request: ActorRequest, pk: int):
    request.actor.require(Perm.MATCHING_MANAGE)
    return posting_by_id(actor=request.actor, pk=pk)


@require_GET
@actor_required
def inputs(request: ActorRequest, pk: int) -> HttpResponse:
    posting = _posting(request, pk)
    gathered = adapter.gather(posting)
    access_log.record(
        actor=request.actor,
        subject_type="application",
        subject_id="*",
        purpose=f"matching inputs {posting.pk}",
        request=request,
    )
    names = {a.pk: a.person for a in gathered.applications}
    units = [
        {
            "unit": unit,
            "places": gathered.places(unit.pk),
            "supervisors": gathered.supervisors.get(unit.pk, []),
            "ranking": [
                [names[pk] for pk in group if pk in names]
                for group in gathered.rankings.get(unit.pk, [])
            ],
            "edited": unit.pk in gathered.edited_units,
        }
        for unit in gathered.units
    ]
    # Built here rather than in template loops: a large posting has hundreds of applicants.
    link = reverse("recruitment:application", args=[0]).rsplit("/0/", 1)[0]
    student_rows = format_html_join(
        "",
        '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td></tr>',
        (
            (
                f"{link}/{a.pk}/",
                a.person,
                format_html_join(
                    mark_safe("<br>"),
                    "{}. {}",
                    ((w.rank, w.unit.name) for w in a.wishes.all()),
                )
                or "–",
                a.get_stage_display(),
            )
            for a in gathered.applications
        ),
    )
    applicant_options = format_html_join(
        "", '<option value="{}">{}</option>', ((a.pk, a.person) for a in gathered.applications)
    )
    return render(
        request,
        "matching/inputs.html",
        {
            "posting": posting,
            "inputs": gathered,
            "units": units,
            "runs": selectors.runs_for(actor=request.actor, posting=posting),
            "kinds": ConstraintKind.choices,
            "applicant_options": applicant_options,
            "student_rows": student_rows,
        },
    )


@require_POST
@actor_required
def run(request: ActorRequest, pk: int) -> HttpResponse:
    posting = _posting(request, pk)
    seed_text = request.POST.get("seed", "0").strip() or "0"
    try:
        if not seed_text.isdigit():
            raise InvalidInputError({"seed": [_("The seed is a whole number from 0.")]})
        started = services.run_start(
            actor=request.actor,
            posting=posting,
            optimal=request.POST.get("optimal", "student"),
            seed=int(seed_text),
        )
    except InvalidInputError as error:
        error.flash(request)
        return redirect("matching:inputs", pk=posting.pk)
    return redirect("matching:run", pk=started.pk)


@require_POST
@actor_required
def constraint_add(request: ActorRequest, pk: int) -> HttpResponse:
    posting = _posting(request, pk)
    try:
        services.constraint_add(
            actor=request.actor,
            posting=posting,
            application=request.POST.get("application"),
            unit=request.POST.get("unit"),
            kind=request.POST.get("kind", ""),
            reason=request.POST.get("reason", ""),
        )
    except InvalidInputError as error:
        error.flash(request)
    else:
        messages.success(request, _("Saved."))
    return redirect("matching:inputs", pk=posting.pk)


@require_POST
@actor_required
def constraint_remove(request: ActorRequest, pk: int, rule: int) -> HttpResponse:
    posting = _posting(request, pk)
    services.constraint_remove(actor=request.actor, posting=posting, pk=rule)
    messages.success(request, _("The rule is removed."))
    return redirect("matching:inputs", pk=posting.pk)


@require_http_methods(["GET", "POST"])
@actor_required
def ranking(request: ActorRequest, pk: int, unit: int) -> HttpResponse:
    posting = _posting(request, pk)
    chosen = posting.units.filter(pk=unit).first()
    if chosen is None:
        raise Http404
    gathered = adapter.gather(posting)
    candidates = [
        a for a in gathered.applications if any(w.unit_id == chosen.pk for w in a.wishes.all())
    ]
    current = {
        pk: i
        for i, group in enumerate(gathered.rankings.get(chosen.pk, []), start=1)
        for pk in group
    }
    errors: dict[int, str] = {}
    if request.method == "POST":
        if request.POST.get("reset") == "yes":
            services.ranking_save(actor=request.actor, posting=posting, unit=chosen, positions={})
            messages.success(request, _("The unit's ranking follows the assessments again."))
            return redirect("matching:inputs", pk=posting.pk)
        positions: dict[int, int | None] = {}
        for application in candidates:
            value = request.POST.get(f"pos-{application.pk}", "").strip()
            if not value:
                positions[application.pk] = None
            elif value.isdigit() and 1 <= int(value) <= 9999:
                positions[application.pk] = int(value)
            else:
                errors[application.pk] = _("Write a whole number from 1, or leave it empty.")
            current[application.pk] = value  # type: ignore[assignment]
        if not errors:
            services.ranking_save(
                actor=request.actor, posting=posting, unit=chosen, positions=positions
            )
            messages.success(request, _("The unit's ranking is saved."))
            return redirect("matching:inputs", pk=posting.pk)
    rows: list[dict[str, Any]] = sorted(
        (
            {"application": a, "position": current.get(a.pk, ""), "error": errors.get(a.pk, "")}
            for a in candidates
        ),
        key=lambda r: (
            str(r["position"]).zfill(5) if r["position"] != "" else "99999",
            str(r["application"].person),
        ),
    )
    return render(
        request,
        "matching/ranking.html",
        {
            "posting": posting,
            "unit": chosen,
            "rows": rows,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@require_GET
@actor_required
def run_detail(request: ActorRequest, pk: int) -> HttpResponse:
    found = selectors.run_by_id(actor=request.actor, pk=pk)
    access_log.record(
        actor=request.actor,
        subject_type="application",
        subject_id="*",
        purpose=f"matching run {found.pk}",
        request=request,
    )
    shown = selectors.proposal(found) if found.status != RunStatus.QUEUED else None
    units = list(found.posting.units.order_by("name"))
    supervisors = adapter.supervisor_rows(found.posting, units) if shown is not None else {}
    # Built here rather than in a template loop: a large posting has hundreds of students.
    student_options = format_html_join(
        "",
        '<option value="{}">{}{}</option>',
        (
            (s.application.pk, s.application.person, f" ({s.unit.name})" if s.unit else "")
            for s in (shown.students if shown else [])
        ),
    )
    return render(
        request,
        "matching/run.html",
        {
            "run": found,
            "posting": found.posting,
            "proposal": shown,
            "supervisor_choices": [(u, supervisors.get(u.pk, [])) for u in units],
            "student_options": student_options,
            "max_count": max([n for _l, n in shown.wish_counts] + [1]) if shown else 1,
        },
    )


@require_POST
@actor_required
def override(request: ActorRequest, pk: int) -> HttpResponse:
    found = selectors.run_by_id(actor=request.actor, pk=pk)
    choice = request.POST.get("placement", "")
    unit, _sep, supervisor = choice.partition(":")
    try:
        services.override_add(
            actor=request.actor,
            run=found,
            application=request.POST.get("application"),
            unit=unit,
            supervisor=supervisor,
            reason=request.POST.get("reason", ""),
        )
    except InvalidInputError as error:
        error.flash(request)
    else:
        messages.success(request, _("The placement is changed; the reason is kept with the run."))
    return redirect("matching:run", pk=found.pk)


@require_POST
@actor_required
def publish(request: ActorRequest, pk: int) -> HttpResponse:
    found = selectors.run_by_id(actor=request.actor, pk=pk)
    try:
        placements = services.run_publish(actor=request.actor, run=found)
    except InvalidInputError as error:
        error.flash(request)
    else:
        messages.success(
            request,
            _("%(n)s placements are created and the students are told.") % {"n": len(placements)},
        )
    return redirect("matching:run", pk=found.pk)


@require_GET
@actor_required
def download(request: ActorRequest, pk: int, part: str) -> HttpResponse:
    found = selectors.run_by_id(actor=request.actor, pk=pk)
    body = selectors.run_document(found, part)
    if body is None:
        raise Http404
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json"
    )
    name = f"matchning-{found.posting_id}-{found.number}-{part}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
