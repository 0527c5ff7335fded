"""Two-factor sign-in (TOTP, django-otp) for the roles that see most personal data.

The one place for the rule of who must use a second factor (``needs_two_factor``), the
middleware that holds such users at the two-factor page until they have passed it in this
session, and the services that enrol and verify an authenticator app.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from bryggan.core.errors import InvalidInputError
from bryggan.core.middleware import Handler
from bryggan.core.permissions import Actor
from bryggan.core.roles import Role

# Coordinators, HR and data-protection officers read whole files; site admins can read all.
TWO_FACTOR_ROLES = frozenset({Role.COORDINATOR, Role.HR, Role.DPO})

# Set in the session when the identity provider asserted that the person signed in with
# more than one factor (identity/views.py); Bryggan then asks for no code of its own.
FACTORS_BY_PROVIDER = "bryggan_factors_by_provider"

# Paths a user who still owes the second factor may reach (prefix match).
_OPEN_PATHS = ("/account/two-factor/", "/logout/", "/i18n/", "/static/", "/healthz")


def needs_two_factor(actor: Actor) -> bool:
    if actor.user is None:
        return False
    return bool(actor.roles & TWO_FACTOR_ROLES) or actor.user.is_staff or actor.is_site_admin


def fresh_code_needed(actor: Actor) -> bool:
    """Something that outlives the session (an API token) is made only with a code given
    just then, by anyone whose sign-in needs two factors."""
    return bool(settings.TWO_FACTOR_REQUIRED and needs_two_factor(actor))


def owes_second_factor(request: HttpRequest) -> bool:
    """Signed in with a password, but not yet with the code their role requires."""
    user = getattr(request, "user", None)
    return bool(
        settings.TWO_FACTOR_REQUIRED
        and user is not None
        and user.is_authenticated
        and not getattr(request, "api_token", None)
        and not user.is_verified()  # type: ignore[union-attr,attr-defined]
        and not request.session.get(FACTORS_BY_PROVIDER)
        and needs_two_factor(request.actor)  # type: ignore[attr-defined]
    )


class TwoFactorMiddleware:
    """Until a user who needs two factors has given a valid code in this session, every page
    sends them to the two-factor page and the session API answers 403. A bearer token was
    made in a verified session and is checked by itself (core/middleware.py)."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if owes_second_factor(request) and not request.path.startswith(_OPEN_PATHS):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Two-factor sign-in is required for this account.")},
                    status=403,
                )
            url = reverse("core:two-factor")
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@dataclass(frozen=True)
class Enrolment:
    device: TOTPDevice
    secret: str  # base32, in groups of four, for typing into an app
    qr_svg: str  # inline SVG of the otpauth:// URL

    @property
    def config_url(self) -> str:
        return self.device.config_url


def enrolment_for(user) -> Enrolment:
    """The unconfirmed authenticator waiting to be set up (created on first call)."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, name=_("Authenticator app"), confirmed=False
            )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=_("QR code for the authenticator app"), svgclass="qr"
    )
    return Enrolment(device=device, secret=grouped, qr_svg=svg)


def _code_error(message: str) -> dict[str, list[str]]:
    return {"code": [message]}


def _clean_code(raw: str) -> str:
    code = "".join(ch for ch in (raw or "") if not ch.isspace())
    if not (code.isdigit() and len(code) == 6):
        raise InvalidInputError(
            _code_error(_("Enter the six digits your authenticator app shows."))
        )
    return code


def verify(request: HttpRequest, *, raw_code: str) -> TOTPDevice:
    """Check a code against the user's authenticator (confirming it on first use) and mark
    the session verified. Too many wrong codes make django-otp refuse for a growing while."""
    code = _clean_code(raw_code)
    user = request.user
    # The failure count django-otp keeps must be saved, so refusals are raised only after the
    # transaction has committed.
    refusal = None
    with transaction.atomic():
        device = confirmed_device(user) or (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None:
            refusal = _("Set up your authenticator app first.")
        elif not device.verify_is_allowed()[0]:
            refusal = _("Too many wrong codes. Wait a minute and try again with a new code.")
        elif not device.verify_token(code):
            refusal = _("The code is not right. Try the newest code in the app.")
        elif not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
    if refusal is not None or device is None:
        raise InvalidInputError(_code_error(refusal or ""))
    otp_login(request, device)
    return device


def safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


__all__ = [
    "TWO_FACTOR_ROLES",
    "Enrolment",
    "TwoFactorMiddleware",
    "confirmed_device",
    "enrolment_for",
    "fresh_code_needed",
    "needs_two_factor",
    "safe_next",
    "verify",
]
