"""API authentication: a personal bearer token (integrations) or the browser's session.

Both are declared in the OpenAPI schema as alternatives. The token itself was already checked
by ``TenantMiddleware`` (so the tenant scope is right from the first query); here the API only
asks whether it was. A session must also pass the CSRF check on unsafe methods.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer bry_…``: a personal API token (API tokens page)."""

    def authenticate(self, request: HttpRequest, token: str):
        if getattr(request, "api_token", None) is not None:
            return request.user
        return None


class SessionCookieAuth(SessionAuth):
    """The browser's session cookie, with Django's CSRF check on unsafe methods."""

    def __call__(self, request: HttpRequest):
        if "Authorization" in request.headers:
            return None  # a bad or revoked token is not silently replaced by the session
        return super().__call__(request)


API_AUTH = [BearerTokenAuth(), SessionCookieAuth()]
