"""The coordinator's recruitment pages: rounds, postings, the board, applications,
interview slots, assessments and information events. Thin: forms, services, selectors."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bryggan.core.decorators import actor_required
from bryggan.core.errors import InvalidInputError, flash_outcome
from bryggan.core.http import ActorRequest
from bryggan.core.permissions import Perm, PermissionDeniedError
from bryggan.organisation.selectors import staff_with_accounts
from bryggan.recruitment import documents, interviews, selectors, services
from bryggan.recruitment.assessments import assessment_rows, assessment_save, may_assess
from bryggan.recruitment.forms import (
    AssessmentForm,
    BulkAction,
    EventForm,
    NoteForm,
    PostingForm,
    ReleaseForm,
    RoundForm,
    ShareForm,
    SlotForm,
    StageMoveForm,
)
from bryggan.recruitment.models import (
    Posting,
    Round,
    Stage,
)


def _edit(request: ActorRequest, form_class, instance, template: str, done, extra=None):
    actor = request.actor
    actor.require(Perm.RECRUITMENT_MANAGE)
    data = request.POST if request.method == "POST" else None
    form = form_class(data, instance=instance, actor=actor)
    if request.method == "POST":
        try:
            obj = services.record_save(actor=actor, form=form)
        except InvalidInputError as error:
            error.add_to(form)
        else:
            messages.success(request, _("Saved: %(object)s") % {"object": obj})
            return done(obj)
    return render(
        request,
        template,
        {"form": form, "object": instance, **(extra or {})},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_GET
@actor_required
def rounds(request: ActorRequest) -> HttpResponse:
    all_rounds = selectors.rounds_for(actor=request.actor)
    postings = selectors.postings_for(actor=request.actor).order_by("round", "title")
    by_round: dict[int, list[Posting]] = {}
    for posting in postings:
        by_round.setdefault(posting.round_id, []).append(posting)
    return render(
        request,
        "recruitment/rounds.html",
        {"rounds": [(r, by_round.get(r.pk, [])) for r in all_rounds]},
    )


@require_http_methods(["GET", "POST"])
@actor_required
def round_edit(request: ActorRequest, pk: int | None = None) -> HttpResponse:
    instance = (
        selectors.round_by_id(actor=request.actor, pk=pk)
        if pk
        else Round(municipality=request.actor.municipality)
    )
    return _edit(
        request,
        RoundForm,
        instance,
        "recruitment/form.html",
        lambda obj: redirect("recruitment:rounds"),
        {"title": _("Recruitment round")},
    )


@require_http_methods(["GET", "POST"])
@actor_required
def posting_edit(request: ActorRequest, pk: int | None = None) -> HttpResponse:
    instance = (
        selectors.posting_by_id(actor=request.actor, pk=pk)
        if pk
        else Posting(municipality=request.actor.municipality)
    )
    return _edit(
        request,
        PostingForm,
        instance,
        "recruitment/form.html",
        lambda obj: redirect("recruitment:posting", pk=obj.pk),
        {"title": _("Posting")},
    )


@require_GET
@actor_required
def posting_detail(request: ActorRequest, pk: int) -> HttpResponse:
    posting = selectors.posting_by_id(actor=request.actor, pk=pk)
    counts = selectors.stage_counts(actor=request.actor, posting=posting)
    return render(
        request,
        "recruitment/posting.html",
        {
            "posting": posting,
            "units": posting.units.select_related("department"),
            "stage_rows": [(label, counts[value]) for value, label in Stage.choices],
            "slots": selectors.slots_for(
                actor=request.actor, posting=posting, purpose="interview times"
            ),
            "slot_form": SlotForm(actor=request.actor),
            "may_match": request.actor.has(Perm.MATCHING_MANAGE)
            and posting.kind in ("practicum", "student_employee", "aspirant"),
        },
    )


@require_POST
@actor_required
def posting_status(request: ActorRequest, pk: int, action: str) -> HttpResponse:
    posting = selectors.posting_by_id(actor=request.actor, pk=pk)
    try:
        if action == "publish":
            services.posting_publish(actor=request.actor, posting=posting)
            messages.success(request, _("The posting is published on the careers page."))
        elif action == "close":
            services.posting_close(actor=request.actor, posting=posting)
            messages.success(request, _("The posting is closed."))
        else:
            raise Http404
    except InvalidInputError as error:
        error.flash(request)
    return redirect("recruitment:posting", pk=posting.pk)


@require_http_methods(["GET", "POST"])
@actor_required
def board(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    posting = selectors.posting_by_id(actor=actor, pk=pk)
    stage = request.GET.get("stage", "")
    search = request.GET.get("q", "")
    unit = request.GET.get("unit", "")
    queryset = selectors.board(
        actor=actor, posting=posting, purpose="board", stage=stage, search=search, unit=unit
    )
    bulk = BulkAction(
        request.POST or None,
        queryset=selectors.board(actor=actor, posting=posting, purpose=None),
    )
    status = 200
    if request.method == "POST":
        if bulk.is_valid() and bulk.cleaned_data["action"] == BulkAction.REJECT:
            return _reject(request, posting, bulk)
        if bulk.is_valid():
            try:
                moved = services.applications_bulk(
                    actor=actor,
                    applications=list(bulk.cleaned_data["applications"]),
                    action=bulk.cleaned_data["action"],
                    stage=bulk.cleaned_data.get("stage") or "",
                )
            except InvalidInputError as error:
                error.add_to(bulk)
                status = 400
            else:
                messages.success(request, _("%(n)s applications moved.") % {"n": moved})
                return redirect(request.get_full_path())
        else:
            status = 400
    page = Paginator(queryset, 100).get_page(request.GET.get("page"))
    counts = selectors.stage_counts(actor=actor, posting=posting)
    columns = request.GET.get("view") == "columns"
    context = {
        "posting": posting,
        "page": page,
        "stage": stage,
        "search": search,
        "unit": unit,
        "stage_rows": [(value, label, counts[value]) for value, label in Stage.choices],
        "total": sum(counts.values()),
        "filter_query": urlencode(
            {k: v for k, v in (("stage", stage), ("q", search), ("unit", unit)) if v}
        )
        + "&",
        "units": posting.units.order_by("name"),
        "bulk": bulk,
        "pending": selectors.pending_rejections(actor=actor, posting=posting),
        "columns": selectors.board_columns(
            queryset=selectors.board(
                actor=actor, posting=posting, purpose=None, search=search, unit=unit
            ),
            counts=counts,
        )
        if columns
        else None,
        "movable": [(v, label) for v, label in Stage.choices if v != Stage.WITHDRAWN],
    }
    template = "recruitment/board.html#table" if request.htmx else "recruitment/board.html"
    return render(request, template, context, status=status)


def _reject(request: ActorRequest, posting, bulk: BulkAction) -> HttpResponse:
    """A bulk rejection: first how many and the e-mail they get, then, confirmed, the move
    with the e-mails held back for a few minutes (undo on the board until then)."""
    chosen = list(bulk.cleaned_data["applications"])
    if request.POST.get("confirm") != "yes":
        subject, body = services.rejection_preview(chosen[0])
        return render(
            request,
            "recruitment/reject_confirm.html",
            {
                "posting": posting,
                "chosen": chosen,
                "subject": subject,
                "body": body,
                "delay_minutes": max(1, settings.REJECTION_EMAIL_DELAY_SECONDS // 60),
            },
        )
    try:
        batch = services.rejections_start(actor=request.actor, applications=chosen)
    except InvalidInputError as error:
        error.flash(request)
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s application is rejected. The e-mail leaves at %(time)s; until then "
                "you can undo it here.",
                "%(n)s applications are rejected. The e-mails leave at %(time)s; until then "
                "you can undo it here.",
                len(batch.previous),
            )
            % {
                "n": len(batch.previous),
                "time": date_format(timezone.localtime(batch.send_after), "H:i"),
            },
        )
    return redirect("recruitment:board", pk=posting.pk)


@require_POST
@actor_required
def rejection_undo(request: ActorRequest, pk: int, batch: int) -> HttpResponse:
    posting = selectors.posting_by_id(actor=request.actor, pk=pk)
    found = selectors.rejection_by_id(actor=request.actor, posting=posting, pk=batch)
    flash_outcome(
        request,
        lambda: services.rejections_undo(actor=request.actor, batch=found),
        _("The rejection is undone; no e-mail was sent and the applications are back."),
    )
    return redirect("recruitment:board", pk=posting.pk)


@require_http_methods(["GET", "POST"])
@actor_required
def application_detail(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    application = selectors.application_by_id(actor=actor, pk=pk, purpose="application file")
    note_form = NoteForm()
    status = 200
    if request.method == "POST":
        actor.require(Perm.RECRUITMENT_MANAGE, application)
        try:
            response = _application_action(request, application)
        except InvalidInputError as error:
            error.flash(request)
            status = 400
        else:
            if response is not None:
                return response
            note_form = NoteForm(request.POST)
            status = 400
    criteria = selectors.criteria_of(actor=actor, application=application)
    assessments = list(application.assessments.all())
    within = request.GET.get("stage", "")
    may_manage = actor.can(Perm.RECRUITMENT_MANAGE, application)
    return render(
        request,
        "recruitment/application.html",
        {
            "application": application,
            "note_form": note_form,
            "stages": Stage.choices,
            "assessments": assessments,
            "score_rows": assessment_rows(criteria, assessments),
            "average_total": (
                sum(a.total for a in assessments) / len(assessments) if assessments else None
            ),
            "may_assess": may_assess(actor, application),
            "others": selectors.other_applications(actor=actor, application=application),
            "interview": interviews.current_interview(application),
            "staff": staff_with_accounts(actor=actor) if may_manage else [],
            "may_manage": may_manage,
            "within": within if within in Stage.values else "",
            "neighbours": selectors.neighbours(actor=actor, application=application, stage=within)
            if may_manage
            else (None, None),
        },
        status=status,
    )


def _application_action(request: ActorRequest, application):
    action = request.POST.get("action")
    if action == "note":
        form = NoteForm(request.POST)
        if not form.is_valid():
            return None
        services.note_add(
            actor=request.actor, application=application, text=form.cleaned_data["text"]
        )
    elif action == "move":
        move = StageMoveForm(request.POST)
        move.is_valid()  # every field is optional; the service checks the stage
        services.application_move(
            actor=request.actor,
            application=application,
            stage=move.cleaned_data.get("stage", ""),
            send_email=move.cleaned_data.get("send_email", False),
        )
    elif action == "share":
        share = ShareForm(request.POST, actor=request.actor)
        services.application_share(
            actor=request.actor,
            application=application,
            staff=InvalidInputError.data_of(share)["staff"],
        )
    else:
        raise InvalidInputError({"action": [_("Unknown action.")]})
    messages.success(request, _("Saved."))
    return redirect("recruitment:application", pk=application.pk)


@require_GET
@actor_required
def document_download(request: ActorRequest, pk: int) -> FileResponse:
    document = selectors.document_by_id(actor=request.actor, pk=pk, purpose="document download")
    try:
        handle = open(documents.path_of(document.storage_name), "rb")  # noqa: SIM115
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=documents.download_name(document),
        content_type=document.content_type,
    )


@require_GET
@actor_required
def document_preview(request: ActorRequest, pk: int) -> HttpResponse:
    """A PDF shown in the page as pictures of its pages (drawn on the server), so the reader
    sees it without their browser opening the file: nothing in it can run."""
    document = selectors.document_by_id(actor=request.actor, pk=pk, purpose="document preview")
    try:
        pages = documents.preview_pngs(document)
    except FileNotFoundError:
        raise Http404 from None
    return render(
        request,
        "recruitment/document_preview.html",
        {
            "document": document,
            "application": document.application,
            "pages": [base64.b64encode(png).decode("ascii") for png in pages],
            "limit": documents.PREVIEW_PAGES,
        },
    )


@require_POST
@actor_required
def slot_create(request: ActorRequest, pk: int) -> HttpResponse:
    posting = selectors.posting_by_id(actor=request.actor, pk=pk)
    form = SlotForm(request.POST, actor=request.actor)
    try:
        interviews.slot_create(actor=request.actor, posting=posting, form=form)
    except InvalidInputError:
        return render(
            request,
            "recruitment/form.html",
            {"form": form, "title": _("Interview slot"), "object": None},
            status=400,
        )
    messages.success(request, _("The interview time is published."))
    return redirect("recruitment:posting", pk=posting.pk)


@require_http_methods(["GET", "POST"])
@actor_required
def assess(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    purpose = "assessment form" if request.method == "GET" else None
    application = selectors.application_by_id(actor=actor, pk=pk, purpose=purpose)
    if not may_assess(actor, application):
        raise PermissionDeniedError(Perm.RECRUITMENT_MANAGE)
    criteria = selectors.criteria_of(actor=actor, application=application)
    existing = selectors.own_assessment(actor=actor, application=application)
    initial = (
        {f"c{k}": v for k, v in existing.scores.items()} | {"comment": existing.comment}
        if existing
        else None
    )
    form = AssessmentForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        assessment_save(
            actor=actor,
            application=application,
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, _("Your assessment is saved."))
        return redirect("recruitment:application", pk=application.pk)
    return render(
        request,
        "recruitment/assess.html",
        {"form": form, "application": application},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_GET
@actor_required
def events(request: ActorRequest) -> HttpResponse:
    return render(
        request,
        "recruitment/events.html",
        {"events": selectors.events_for(actor=request.actor).order_by("-starts_at")},
    )


@require_http_methods(["GET", "POST"])
@actor_required
def event_edit(request: ActorRequest, pk: int | None = None) -> HttpResponse:
    instance = selectors.event_to_edit(actor=request.actor, pk=pk)
    return _edit(
        request,
        EventForm,
        instance,
        "recruitment/form.html",
        lambda obj: redirect("recruitment:events"),
        {"title": _("Information event")},
    )


@require_http_methods(["GET", "POST"])
@actor_required
def release_copy(request: ActorRequest, pk: int) -> HttpResponse:
    """A copy of the application for a public-records request, masked as the secrecy review
    decided (the coordinator ticks what to mask)."""
    actor = request.actor
    application = selectors.application_by_id(actor=actor, pk=pk, purpose=None)
    actor.require(Perm.RECRUITMENT_MANAGE, application)
    form = ReleaseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        content = selectors.release_copy(
            actor=actor,
            application=application,
            reference=form.cleaned_data["reference"].strip(),
            masked=set(form.cleaned_data["masked"]),
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="utlamnande-ansokan-{application.pk}.pdf"'
        )
        return response
    return render(
        request,
        "recruitment/release.html",
        {"form": form, "application": application},
        status=400 if form.errors else 200,
    )
