"""The client's address, the one rule for it (throttles, sign-in lock-outs, the token log).

Without a proxy it is REMOTE_ADDR. Behind proxies that append the address they saw to
X-Forwarded-For (nginx's ``$proxy_add_x_forwarded_for``), set ``TRUSTED_PROXY_HOPS`` to how
many there are: the address is then that many entries from the right of the header, the one
the outermost trusted proxy wrote. Entries further left are the client's own claims and are
never believed, so a forged header cannot make one client look like many.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "0.0.0.0"  # noqa: S104 - a placeholder, never bound


def _valid(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or UNKNOWN
    hops = settings.TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote
    forwarded = [
        part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < hops:
        return remote
    return _valid(forwarded[-hops]) or remote


def axes_client_address(request: HttpRequest) -> str:
    """django-axes asks for the address with this signature (AXES_CLIENT_IP_CALLABLE)."""
    return client_address(request)
