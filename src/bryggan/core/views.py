from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bryggan.core import audit, services
from bryggan.core import two_factor as two_factor_rules
from bryggan.core.branding import HEX
from bryggan.core.decorators import actor_required
from bryggan.core.errors import InvalidInputError
from bryggan.core.forms import ApiTokenForm, TwoFactorCodeForm
from bryggan.core.http import ActorRequest
from bryggan.core.models import Municipality
from bryggan.core.permissions import Perm, PermissionDeniedError, require_tenant
from bryggan.core.selectors import tokens_for
from bryggan.core.throttle import Throttled


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
    ask_code = two_factor_rules.fresh_code_needed(request.actor)
    form = ApiTokenForm(request.POST if request.method == "POST" else None, ask_code=ask_code)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            if ask_code:
                two_factor_rules.verify(request, raw_code=form.cleaned_data["code"])
            new_token = services.api_token_create(
                actor=request.actor,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except InvalidInputError as error:
            error.add_to(form)
        else:
            form = ApiTokenForm(ask_code=ask_code)
    return render(
        request,
        "core/tokens.html",
        {"form": form, "tokens": tokens_for(actor=request.actor), "new_token": new_token},
        status=400 if form.errors else 200,
    )


@require_POST
@actor_required
def api_token_revoke(request: ActorRequest, pk: int) -> HttpResponse:
    services.api_token_revoke(actor=request.actor, token_id=pk)
    messages.success(request, _("The token was revoked."))
    return redirect("core:tokens")


@require_http_methods(["GET", "POST"])
@never_cache
@login_required
def two_factor(request: ActorRequest) -> HttpResponse:
    """Enrol an authenticator app (first time) or give this session's code."""
    next_url = two_factor_rules.safe_next(request)
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(next_url)
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor_rules.verify(request, raw_code=form.cleaned_data["code"])
        except InvalidInputError as error:
            error.add_to(form)
        else:
            return redirect(next_url)
    device = two_factor_rules.confirmed_device(request.user)
    enrolment = None if device else two_factor_rules.enrolment_for(request.user)
    return render(
        request,
        "core/two_factor.html",
        {"form": form, "enrolment": enrolment, "next": next_url},
        status=400 if form.errors else 200,
    )


def locked_out(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out account: 429 and a page that says what to do."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "core/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def too_many(request, throttled: Throttled, *, back: str = "") -> HttpResponse:
    """A throttle's refusal (core/throttle.py): 429, when to try again, nothing saved."""
    response = render(
        request, "core/429.html", {"minutes": throttled.minutes, "back": back}, status=429
    )
    response["Retry-After"] = str(throttled.retry_after_seconds)
    return response


def permission_denied(request: ActorRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.html", status=403)


def not_found(request: ActorRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        # An API client gets the API's error body for a path that names nothing, too.
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "core/404.html", status=404)


def server_error(request: ActorRequest) -> HttpResponse:
    return render(request, "core/500.html", status=500)


def bad_request(request: ActorRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/400.html", status=400)


def csrf_failure(request: ActorRequest, reason: str = "") -> HttpResponse:
    """A form without a valid CSRF token (a stale page, cookies blocked, or a forgery): said
    in Swedish, in Bryggan's layout, never Django's English debug page."""
    return render(request, "core/csrf_failure.html", status=403)


__all__ = ["PermissionDeniedError"]


def _municipality(slug: str) -> Municipality:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Municipality, slug=slug)


@require_GET
def brand_css(request: HttpRequest, slug: str) -> HttpResponse:
    """The municipality's colour for its header band, as a style sheet (the Content-Security-
    Policy allows no inline style). Public: it is on the careers pages."""
    found = _municipality(slug)
    colour = found.brand_colour if HEX.match(found.brand_colour or "") else ""
    body = f":root {{ --band: {colour}; }}\n" if colour else ""
    response = HttpResponse(body, content_type="text/css; charset=utf-8")
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_GET
def logo(request: HttpRequest, slug: str) -> HttpResponse:
    """The municipality's logo as Bryggan redrew it (a PNG); 404 when it has none."""
    found = _municipality(slug)
    if not found.logo:
        raise Http404
    response = HttpResponse(bytes(found.logo), content_type="image/png")
    response["Content-Security-Policy"] = "default-src 'none'"
    patch_cache_control(response, public=True, max_age=3600)
    return response
