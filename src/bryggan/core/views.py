from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bryggan.core import audit, services
from bryggan.core.decorators import actor_required
from bryggan.core.forms import ApiTokenForm
from bryggan.core.http import ActorRequest
from bryggan.core.permissions import Perm, PermissionDeniedError, require_tenant
from bryggan.core.selectors import home_summary, national_summary, tokens_for


@require_GET
@never_cache
def healthz(request: ActorRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return JsonResponse(
            {"status": "error", "database": "unavailable", "error": error.__class__.__name__},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


@require_GET
@actor_required
def home(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    if actor.has(Perm.AGGREGATES_VIEW):
        return render(request, "core/national.html", {"summary": national_summary()})
    summary = home_summary(actor=actor) if actor.municipality else None
    return render(request, "core/home.html", {"summary": summary})


@require_GET
@actor_required
def audit_trail(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.AUDIT_VIEW)
    municipality = require_tenant(actor)
    page = Paginator(audit.entries_for_municipality(municipality.pk), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "core/audit.html", {"page": page})


@require_http_methods(["GET", "POST"])
@actor_required
def api_tokens(request: ActorRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        new_token = services.api_token_create(actor=request.actor, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    return render(
        request,
        "core/tokens.html",
        {"form": form, "tokens": tokens_for(actor=request.actor), "new_token": new_token},
    )


@require_POST
@actor_required
def api_token_revoke(request: ActorRequest, pk: int) -> HttpResponse:
    services.api_token_revoke(actor=request.actor, token_id=pk)
    messages.success(request, _("The token was revoked."))
    return redirect("core:tokens")


def permission_denied(request: ActorRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.html", status=403)


def not_found(request: ActorRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/404.html", status=404)


def server_error(request: ActorRequest) -> HttpResponse:
    return render(request, "core/500.html", status=500)


__all__ = ["PermissionDeniedError"]
