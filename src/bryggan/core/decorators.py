"""View guards: a signed-in actor, and permission errors answered as 403 pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from bryggan.core.permissions import PermissionDeniedError


def actor_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if request.actor.user is None:  # type: ignore[attr-defined]
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except PermissionDeniedError:
            return render(request, "core/403.html", status=403)

    return wrapper
