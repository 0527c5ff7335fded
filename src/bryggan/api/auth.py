"""API authentication: a personal bearer token (integrations) or the browser's session."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import SessionAuth


class ActorAuth(SessionAuth):
    """Accept a request whose actor the tenant middleware resolved.

    A bearer token was already checked by ``TenantMiddleware`` (so the tenant scope is right
    from the first query); a session must also pass the CSRF check on unsafe methods.
    """

    def __call__(self, request: HttpRequest):
        if getattr(request, "api_token", None) is not None:
            return request.user
        if "Authorization" in request.headers:
            return None  # a bad or revoked token is not silently replaced by the session
        return super().__call__(request)
