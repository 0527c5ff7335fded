"""Someone the identity provider no longer vouches for loses access within minutes, not at
their next sign-in: a session begun at a provider is checked with it again every
``SSO_RECHECK_MINUTES`` (default 15). The check is a sign-in that asks the person nothing
(OpenID Connect ``prompt=none``, SAML ``IsPassive``): while their session at the provider
lasts, the browser goes there and straight back, and the groups are applied again — a
removed person is refused, their roles go and their account is disabled. When the
provider's own session has ended, it asks them to sign in again.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from bryggan.core.middleware import Handler
from bryggan.identity.protocol import SESSION_KEY

RETURN_KEY = "bryggan_sso_return"
# Requests that never wait for a check: the sign-in itself, the API, files, sign-out.
_PASS = ("/sso/", "/api/", "/static/", "/logout/", "/healthz", "/i18n/", "/login/")


def due(request: HttpRequest) -> str | None:
    """The provider's short name when this session's check is due, else None."""
    kept = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not isinstance(kept, dict) or not kept.get("slug"):
        return None
    checked = kept.get("checked", 0)
    if time.time() - checked < settings.SSO_RECHECK_MINUTES * 60:
        return None
    return str(kept["slug"])


class ProviderRecheckMiddleware:
    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.method == "GET"
            and not request.path.startswith(_PASS)
            and not request.headers.get("HX-Request")
            and (slug := due(request))
        ):
            request.session[RETURN_KEY] = request.get_full_path()
            return redirect(reverse("identity:start", args=[slug]) + "?quiet=1")
        return self.get_response(request)
