"""The coordinator's matching pages: inputs, runs, the proposal, overrides and publishing."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bryggan.core.decorators import actor_required
from bryggan.core.errors import InvalidInputError, flash_outcome
from bryggan.core.http import ActorRequest
from bryggan.core.permissions import Perm
from bryggan.matching import adapter, selectors, services
from bryggan.matching.forms import ConstraintForm, OverrideForm, RankingForm, RunForm
from bryggan.matching.models import ConstraintKind
from bryggan.recruitment.selectors import posting_by_id


def _posting(request: ActorRequest, pk: int):
    request.actor.require(Perm.MATCHING_MANAGE)
    return posting_by_id(actor=request.actor, pk=pk)


@require_GET
@actor_required
def inputs(request: ActorRequest, pk: int) -> HttpResponse:
    posting = _posting(request, pk)
    gathered = selectors.inputs_for(actor=request.actor, posting=posting, purpose="matching inputs")
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
    return render(
        request,
        "matching/inputs.html",
        {
            "posting": posting,
            "inputs": gathered,
            "units": units,
            "runs": selectors.runs_for(actor=request.actor, posting=posting),
            "kinds": ConstraintKind.choices,
        },
    )


@require_POST
@actor_required
def run(request: ActorRequest, pk: int) -> HttpResponse:
    posting = _posting(request, pk)
    try:
        started = services.run_start(
            actor=request.actor, posting=posting, **InvalidInputError.data_of(RunForm(request.POST))
        )
    except InvalidInputError as error:
        error.flash(request)
        return redirect("matching:inputs", pk=posting.pk)
    return redirect("matching:run", pk=started.pk)


@require_POST
@actor_required
def constraint_add(request: ActorRequest, pk: int) -> HttpResponse:
    posting = _posting(request, pk)
    flash_outcome(
        request,
        lambda: services.constraint_add(
            actor=request.actor,
            posting=posting,
            **InvalidInputError.data_of(ConstraintForm(request.POST)),
        ),
        _("Saved."),
    )
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
    gathered = selectors.inputs_for(actor=request.actor, posting=posting, purpose="unit ranking")
    candidates = [
        a for a in gathered.applications if any(w.unit_id == chosen.pk for w in a.wishes.all())
    ]
    current: dict[int, object] = {
        pk: i
        for i, group in enumerate(gathered.rankings.get(chosen.pk, []), start=1)
        for pk in group
    }
    form = RankingForm(request.POST or None, candidates=candidates)
    errors: dict[int, str] = {}
    if request.method == "POST":
        if request.POST.get("reset") == "yes":
            services.ranking_save(actor=request.actor, posting=posting, unit=chosen, positions={})
            messages.success(request, _("The unit's ranking follows the assessments again."))
            return redirect("matching:inputs", pk=posting.pk)
        if form.is_valid():
            services.ranking_save(
                actor=request.actor, posting=posting, unit=chosen, positions=form.positions()
            )
            messages.success(request, _("The unit's ranking is saved."))
            return redirect("matching:inputs", pk=posting.pk)
        errors = form.errors_by_application()
        current.update({a.pk: form.data.get(f"pos-{a.pk}", "").strip() for a in candidates})
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
    shown = selectors.proposal_for(actor=request.actor, run=found, purpose="matching run")
    units = list(found.posting.units.order_by("name"))
    supervisors = adapter.supervisor_rows(found.posting, units) if shown is not None else {}
    return render(
        request,
        "matching/run.html",
        {
            "run": found,
            "posting": found.posting,
            "proposal": shown,
            "supervisor_choices": [(u, supervisors.get(u.pk, [])) for u in units],
            "max_count": max([n for _l, n in shown.wish_counts] + [1]) if shown else 1,
            "joint": selectors.joint_round_of(found.posting),
        },
    )


@require_POST
@actor_required
def override(request: ActorRequest, pk: int) -> HttpResponse:
    found = selectors.run_by_id(actor=request.actor, pk=pk)
    flash_outcome(
        request,
        lambda: services.override_add(
            actor=request.actor, run=found, **InvalidInputError.data_of(OverrideForm(request.POST))
        ),
        _("The placement is changed; the reason is kept with the run."),
    )
    return redirect("matching:run", pk=found.pk)


@require_http_methods(["GET", "POST"])
@actor_required
def publish(request: ActorRequest, pk: int) -> HttpResponse:
    """Publishing in two steps: what would happen (who is placed, who waits for their
    assessment and can be named), then the placements on an explicit confirmation."""
    found = selectors.run_by_id(actor=request.actor, pk=pk)
    shown = selectors.proposal_for(actor=request.actor, run=found, purpose="matching publish")
    confirmed = request.method == "POST" and request.POST.get("confirm") == "yes"
    if shown is None or (found.status != "proposed" and not confirmed):
        return redirect("matching:run", pk=found.pk)
    include = set(request.POST.getlist("include")) if request.method == "POST" else set()
    error = None
    if confirmed:
        try:
            placements = services.run_publish(actor=request.actor, run=found, include=include)
        except InvalidInputError as failed:
            if found.status != "proposed":
                failed.flash(request)
                return redirect("matching:run", pk=found.pk)
            error = failed
        else:
            messages.success(
                request,
                _("%(n)s placements are created and the students are told.")
                % {"n": len(placements)},
            )
            return redirect("matching:run", pk=found.pk)
    named = {int(pk) for pk in include if pk.isdigit()}
    return render(
        request,
        "matching/publish.html",
        {
            "run": found,
            "posting": found.posting,
            "plan": selectors.publish_plan(shown, frozenset(named)),
            "named": named,
            "errors": [m for msgs in (error.errors.values() if error else []) for m in msgs],
        },
        status=400 if error else 200,
    )


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
