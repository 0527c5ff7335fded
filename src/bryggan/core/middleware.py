"""Request set-up: the language, the acting user (session or API token) and the tenant scope."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django_scopes import scope, scopes_disabled

from bryggan.core import access_log
from bryggan.core.client_address import client_address
from bryggan.core.gate import log_token_from_new_address
from bryggan.core.models import ApiToken
from bryggan.core.permissions import actor_for

Handler = Callable[[HttpRequest], HttpResponse]


class LanguageMiddleware:
    """Swedish unless the user chose otherwise with the language switch.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: a
    municipality's staff use Swedish whatever their office PC is set to.
    """

    def __init__(self, get_response: Handler):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def _user_from_token(request: HttpRequest):
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            token_hash=ApiToken.hash(raw.strip()),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
    if token is None or not token.user.is_active:
        return AnonymousUser()
    now = timezone.now()
    address = client_address(request)
    if address not in token.addresses:
        _note_new_address(token, address, request.path)
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    request.api_token = token  # type: ignore[attr-defined]
    return token.user


def _note_new_address(token: ApiToken, address: str, path: str) -> None:
    token.addresses = [*token.addresses, address][-ApiToken.MAX_ADDRESSES :]
    ApiToken.objects.filter(pk=token.pk).update(addresses=token.addresses)
    actor = actor_for(token.user)
    with access_log.reading_path(path):
        log_token_from_new_address(actor=actor, token_id=token.pk, address=address)


class TenantMiddleware:
    """Resolve the actor once and run the request inside their municipality's scope.

    Inside the scope every query on a tenant-owned model is limited to that municipality by
    django-scopes; without a municipality no tenant query can run at all. Site administrators
    without a municipality work unscoped (the Django admin is theirs).
    """

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and "Authorization" in request.headers:
            token_user = _user_from_token(request)
            if token_user is not None:
                request.user = token_user
                # A bearer token is not a cookie: no cross-site request can carry it.
                request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        actor = actor_for(request.user)  # type: ignore[arg-type]
        request.actor = actor  # type: ignore[attr-defined]
        with access_log.reading_path(request.path):
            return self._scoped(request, actor)

    def _scoped(self, request: HttpRequest, actor) -> HttpResponse:
        if actor.municipality is not None:
            with scope(municipality=actor.municipality.pk):
                return self.get_response(request)
        if actor.is_site_admin:
            with scopes_disabled():
                return self.get_response(request)
        # No municipality (anonymous, national analyst): no scope at all, so any query of a
        # tenant-owned row raises. (A scope of None would mean "unfiltered" to django-scopes.)
        # Public pages enter the scope of the municipality named in their URL themselves.
        return self.get_response(request)


# Paths a private link opens without an account: the applicant's own pages and files.
PRIVATE_LINK_PREFIX = "/ansokan/"


class PrivateCacheMiddleware:
    """Nothing shown to a signed-in user (or through an applicant's private link) stays in a
    browser's or a proxy's cache: ``Cache-Control: no-store, private`` on every such page, API
    answer, download and export, so a shared office PC keeps nothing after logout. Public
    pages stay cacheable; static files never reach this middleware (WhiteNoise is above it).
    """

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path.startswith(PRIVATE_LINK_PREFIX):
            patch_cache_control(response, no_store=True, private=True)
        return response


def start_session_clock(sender, request, user, **kwargs) -> None:
    """At sign-in, start the clocks SessionTimeoutMiddleware reads (Django's own login hook)."""
    if request is not None and hasattr(request, "session"):
        now = int(timezone.now().timestamp())
        request.session["bryggan_signed_in_at"] = now
        request.session["bryggan_last_seen"] = now


class SessionTimeoutMiddleware:
    """A signed-in session ends after ``SESSION_IDLE_MINUTES`` without a request (default 30)
    and ``SESSION_MAX_HOURS`` after sign-in at most (default 12): a shared office PC left
    signed in does not stay open to the next person. The user is sent to the login page with
    a note why."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(timezone.now().timestamp())
            session = request.session
            started = session.setdefault("bryggan_signed_in_at", now)
            last_seen = session.get("bryggan_last_seen", now)
            idle = now - last_seen > settings.SESSION_IDLE_MINUTES * 60
            too_long = now - started > settings.SESSION_MAX_HOURS * 3600
            if idle or too_long:
                from django.contrib import messages
                from django.contrib.auth import logout
                from django.contrib.auth.views import redirect_to_login
                from django.utils.translation import gettext as _

                logout(request)
                request.user = AnonymousUser()
                if not request.path.startswith("/api/"):
                    messages.info(
                        request,
                        _(
                            "You were signed out after a while without "
                            "activity. Sign in again to go on."
                        ),
                    )
                    return redirect_to_login(request.get_full_path())
            elif now - last_seen >= 60 or "bryggan_last_seen" not in session:
                # Written at most once a minute, so a busy page does not write every request.
                session["bryggan_last_seen"] = now
        return self.get_response(request)
