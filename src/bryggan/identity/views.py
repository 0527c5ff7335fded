"""Signing in through the municipality's identity provider: out to it, and back."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from bryggan.core.client_address import client_address
from bryggan.core.two_factor import FACTORS_BY_PROVIDER
from bryggan.identity import oidc, selectors, services

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "identity/refused.html", {"message": message}, status=status)


def _unknown(request: HttpRequest) -> HttpResponse:
    return _refused(
        request,
        _("No municipality signs in at this address. Check the link, or sign in below."),
        404,
    )


@never_cache
@require_GET
def start(request: HttpRequest, slug: str) -> HttpResponse:
    provider = selectors.provider_for_sign_in(slug)
    if provider is None:
        return _unknown(request)
    back = request.build_absolute_uri(reverse("identity:callback", args=[slug]))
    try:
        return oidc.send_to_provider(provider, request, back)
    except oidc.ProtocolError as error:
        return _refused(request, str(error), 502)


@never_cache
@require_GET
def callback(request: HttpRequest, slug: str) -> HttpResponse:
    provider = selectors.provider_for_sign_in(slug)
    if provider is None:
        return _unknown(request)
    try:
        assertion = oidc.assertion_from(provider, request)
    except oidc.ProtocolError as error:
        return _refused(request, str(error), 400)
    try:
        user = services.sign_in(provider, assertion, address=client_address(request))
    except services.SignInRefused as refused:
        return _refused(request, str(refused), 403)
    login(request, user, backend=BACKEND)
    if provider.means_two_factors(list(assertion.factors)):
        request.session[FACTORS_BY_PROVIDER] = True
    return redirect("home")
