"""Data-protection pages: the access log (DPO), and one person's data: protected identity,
a copy of everything held, erasure or anonymisation (coordinator or DPO)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bryggan.core import exports
from bryggan.core import selectors as core_selectors
from bryggan.core import services as core_services
from bryggan.core.decorators import actor_required
from bryggan.core.errors import InvalidInputError
from bryggan.core.http import ActorRequest
from bryggan.core.permissions import Perm, require_tenant
from bryggan.privacy import reads, selectors, services, subject
from bryggan.privacy import retention as retention_rules
from bryggan.privacy.forms import (
    AccessLogFilterForm,
    ErasureForm,
    LegalHoldForm,
    PersonSearchForm,
    PolicyForm,
    RequestForm,
)
from bryggan.privacy.models import DataKind

PAGE = "data subject page"


def _filters(request: ActorRequest) -> tuple[AccessLogFilterForm, dict]:
    request.actor.require(Perm.ACCESS_LOG_VIEW)
    form = AccessLogFilterForm(request.GET or None)
    return form, form.cleaned_data if form.is_bound and form.is_valid() else {}


def _labelled(entry):
    """The entry with its kind and purpose in the reader's language, for the page."""
    entry.kind_label = reads.kind_label(entry.subject_type)
    entry.purpose_label = reads.purpose_label(entry.purpose)
    return entry


@require_GET
@actor_required
def access_log(request: ActorRequest) -> HttpResponse:
    form, filters = _filters(request)
    entries = selectors.access_log(actor=request.actor, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    names = selectors.people_named(rows)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "privacy/access_log.html",
        {
            "form": form,
            "page": page,
            "rows": [(_labelled(e), names.get(e.person_id)) for e in rows],
            "query": query.urlencode(),
        },
        status=400 if form.errors else 200,
    )


@require_GET
@actor_required
def access_log_export(request: ActorRequest) -> HttpResponseBase:
    form, filters = _filters(request)
    if form.errors:
        return HttpResponse(_("Correct the filter first."), status=400, content_type="text/plain")
    rows = selectors.access_log_export(actor=request.actor, **filters)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return exports.csv_response(
        filename=f"atkomstlogg-{stamp}.csv",
        header=[
            _("When"),
            _("Read by"),
            _("Kind of data"),
            _("Record"),
            _("Person"),
            _("Why"),
            _("Page"),
        ],
        rows=(
            [
                at,
                email or "",
                kind,
                record,
                name if name is not None else (f"#{person_id}" if person_id else ""),
                purpose,
                path,
            ]
            for at, email, kind, record, person_id, name, purpose, path in rows
        ),
    )


@require_GET
@actor_required
def people(request: ActorRequest) -> HttpResponse:
    request.actor.require(Perm.PERSONAL_DATA_MANAGE)
    form = PersonSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
    found = list(selectors.people(actor=request.actor, query=query)[:100])
    return render(request, "privacy/people.html", {"form": form, "found": found, "q": query})


def _person_page(
    request: ActorRequest,
    person,
    *,
    request_form=None,
    erasure_form=None,
    hold_form=None,
    status=200,
):
    held = selectors.person_file(actor=request.actor, person=person)
    return render(
        request,
        "privacy/person.html",
        {
            "person": person,
            "holdings": held.holdings,
            "on_hold": held.on_hold,
            "requests": held.requests,
            "request_form": request_form or RequestForm(),
            "erasure_form": erasure_form or ErasureForm(prefix="erase"),
            "hold_form": hold_form or LegalHoldForm(prefix="hold"),
            "holds": held.holds,
        },
        status=status,
    )


@require_GET
@actor_required
def person(request: ActorRequest, pk: int) -> HttpResponse:
    found = selectors.person_by_id(actor=request.actor, pk=pk, purpose=PAGE)
    return _person_page(request, found)


@require_POST
@actor_required
def protect(request: ActorRequest, pk: int) -> HttpResponse:
    found = selectors.person_by_id(actor=request.actor, pk=pk, purpose=None)
    protected = request.POST.get("protected") == "yes"
    services.set_protected_identity(actor=request.actor, person=found, protected=protected)
    messages.success(
        request,
        _("Marked as a protected identity.") if protected else _("No longer marked as protected."),
    )
    return redirect("privacy:person", pk=found.pk)


@require_POST
@actor_required
def export(request: ActorRequest, pk: int) -> HttpResponse:
    found = selectors.person_by_id(actor=request.actor, pk=pk, purpose=None)
    form = RequestForm(request.POST)
    if not form.is_valid():
        return _person_page(request, found, request_form=form, status=400)
    content = selectors.person_export(
        actor=request.actor, person=found, reference=form.cleaned_data["reference"]
    )
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="uppgifter-{found.pk}.zip"'
    return response


@require_POST
@actor_required
def erase(request: ActorRequest, pk: int) -> HttpResponse:
    found = selectors.person_by_id(actor=request.actor, pk=pk, purpose=None)
    form = ErasureForm(request.POST, prefix="erase")
    if not form.is_valid():
        return _person_page(request, found, erasure_form=form, status=400)
    handler = (
        subject.erase_person if form.cleaned_data["mode"] == "erase" else (subject.anonymise_person)
    )
    try:
        counts = handler(
            actor=request.actor, person=found, reference=form.cleaned_data["reference"]
        )
    except InvalidInputError as error:
        error.add_to(form)
        return _person_page(request, found, erasure_form=form, status=400)
    messages.success(
        request,
        _("Done: %(n)s records removed or anonymised. The request is recorded.")
        % {"n": sum(v for k, v in counts.items() if k != "files")},
    )
    if form.cleaned_data["mode"] == "erase":
        return redirect("privacy:people")
    return redirect("privacy:person", pk=found.pk)


@require_GET
@actor_required
def retention(request: ActorRequest) -> HttpResponse:
    overview = selectors.retention_overview(actor=request.actor)
    return render(request, "privacy/retention.html", overview)


@require_http_methods(["GET", "POST"])
@actor_required
def retention_policy(request: ActorRequest, kind: str) -> HttpResponse:
    request.actor.require(Perm.PERSONAL_DATA_MANAGE)
    if kind not in DataKind.values:
        raise Http404
    current = retention_rules.policies(require_tenant(request.actor))[kind]
    form = PolicyForm(
        request.POST if request.method == "POST" else None,
        initial={
            "months": current.months,
            "decision_reference": current.decision_reference,
            "decision_date": current.decision_date,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.policy_save(actor=request.actor, kind=kind, **form.cleaned_data)
        messages.success(request, _("The retention rule is saved."))
        return redirect("privacy:retention")
    return render(
        request,
        "privacy/policy.html",
        {"form": form, "policy": current},
        status=400 if form.errors else 200,
    )


@require_POST
@actor_required
def retention_run(request: ActorRequest) -> HttpResponse:
    request.actor.require(Perm.PERSONAL_DATA_MANAGE)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the purge."))
        return redirect("privacy:retention")
    run = retention_rules.purge(require_tenant(request.actor))
    total = sum(run.counts.values())
    messages.success(
        request,
        _("The purge removed %(n)s records and %(files)s files.")
        % {"n": total, "files": run.files_removed},
    )
    return redirect("privacy:retention")


@require_POST
@actor_required
def hold_place(request: ActorRequest, pk: int) -> HttpResponse:
    found = selectors.person_by_id(actor=request.actor, pk=pk, purpose=None)
    form = LegalHoldForm(request.POST, prefix="hold")
    if not form.is_valid():
        return _person_page(request, found, hold_form=form, status=400)
    services.legal_hold_place(actor=request.actor, person=found, reason=form.cleaned_data["reason"])
    messages.success(request, _("Legal hold placed: nothing of this person is deleted."))
    return redirect("privacy:person", pk=found.pk)


@require_POST
@actor_required
def hold_release(request: ActorRequest, pk: int, hold: int) -> HttpResponse:
    found = selectors.person_by_id(actor=request.actor, pk=pk, purpose=None)
    services.legal_hold_release(actor=request.actor, person=found, hold_id=hold)
    messages.success(request, _("Legal hold released."))
    return redirect("privacy:person", pk=found.pk)


@require_GET
@actor_required
def api_tokens(request: ActorRequest) -> HttpResponse:
    """Every API token of the municipality's users, for the data-protection officer: whose,
    what for, last used, from which addresses; any can be revoked here."""
    tokens = core_selectors.tokens_in_municipality(actor=request.actor)
    page = Paginator(tokens, 50).get_page(request.GET.get("page"))
    return render(request, "privacy/tokens.html", {"page": page})


@require_POST
@actor_required
def api_token_revoke(request: ActorRequest, pk: int) -> HttpResponse:
    request.actor.require(Perm.TOKENS_MANAGE)
    token = core_services.api_token_revoke(actor=request.actor, token_id=pk)
    messages.success(
        request,
        _("The token “%(name)s” of %(owner)s was revoked.")
        % {"name": token.name, "owner": token.user.email},
    )
    return redirect("privacy:tokens")
