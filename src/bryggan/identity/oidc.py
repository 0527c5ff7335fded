"""OpenID Connect with a municipality's provider, through Authlib (no protocol code here).

Authlib reads the provider's discovery document, sends the person there with a fresh
``state`` and ``nonce`` kept in their session, exchanges the code at the token endpoint and
verifies the ID token: its signature against the provider's published keys, the issuer,
the audience (our client id), the expiry and the nonce. Anything it refuses becomes a
``ProtocolError`` with a message a person can act on.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from bryggan.identity.models import IdentityProvider
from bryggan.identity.protocol import SESSION_KEY, Assertion, NeedsInteraction, ProtocolError

try:  # Authlib verifies with joserfc from 1.7 on
    from joserfc.errors import JoseError
except ImportError:  # pragma: no cover
    from authlib.jose.errors import JoseError  # type: ignore[no-redef]

TIMEOUT_SECONDS = 10


def _client(provider: IdentityProvider):
    return OAuth().register(
        name=f"idp{provider.pk}",
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        server_metadata_url=provider.issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "timeout": TIMEOUT_SECONDS},
    )


def send_to_provider(
    provider: IdentityProvider, request: HttpRequest, back: str, *, quiet: bool = False
) -> HttpResponse:
    """To the provider's sign-in; ``quiet`` asks it to answer without asking the person
    anything (``prompt=none``), for the periodic check of a running session."""
    extra = {"prompt": "none"} if quiet else {}
    try:
        return _client(provider).authorize_redirect(request, back, **extra)
    except (requests.RequestException, ValueError, AuthlibBaseError) as error:
        raise ProtocolError(_("The identity provider could not be reached.")) from error


def assertion_from(provider: IdentityProvider, request: HttpRequest) -> Assertion:
    if request.GET.get("error") in {"login_required", "interaction_required", "consent_required"}:
        raise NeedsInteraction(request.GET["error"])
    if request.GET.get("error"):
        raise ProtocolError(
            _("The identity provider did not sign you in (%(reason)s).")
            % {"reason": request.GET.get("error_description") or request.GET["error"]}
        )
    try:
        token = _client(provider).authorize_access_token(request)
    except MismatchingStateError as error:
        raise ProtocolError(
            _("This sign-in answer was already used or has expired. Please start again.")
        ) from error
    except OAuthError as error:
        raise ProtocolError(
            _("The identity provider refused the sign-in (%(reason)s).") % {"reason": error.error}
        ) from error
    except (AuthlibBaseError, JoseError, KeyError, ValueError) as error:
        raise ProtocolError(
            _("The identity provider's answer could not be verified, so no one was signed in.")
        ) from error
    except requests.RequestException as error:
        raise ProtocolError(_("The identity provider could not be reached.")) from error
    claims = token.get("userinfo") or {}
    email = claims.get(provider.email_claim)
    if not isinstance(email, str) or "@" not in email:
        raise ProtocolError(
            _("The identity provider sent no e-mail address (claim %(claim)s).")
            % {"claim": provider.email_claim}
        )
    groups = claims.get(provider.groups_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    factors = [str(v) for v in claims.get("amr") or [] if isinstance(v, str)]
    if isinstance(claims.get("acr"), str):
        factors.append(claims["acr"])
    return Assertion(
        subject=str(claims["sub"]),
        email=email.strip().lower(),
        name=str(claims.get("name") or ""),
        groups=tuple(str(g) for g in groups if isinstance(g, str | int)),
        factors=tuple(factors),
        id_token=str(token.get("id_token", "")),
    )


def remember(request: HttpRequest, provider: IdentityProvider, assertion: Assertion) -> None:
    """After the sign-in: note the provider (for the periodic check) and its ID token (for the
    sign-out)."""
    request.session[SESSION_KEY] = {
        "provider": provider.pk,
        "slug": provider.slug,
        "checked": time.time(),
        "id_token": assertion.id_token,
    }


def sign_out_address(request: HttpRequest) -> str | None:
    """The provider's end-session address (OpenID Connect RP-initiated logout), which signs
    the person out there too and sends them back to Bryggan's sign-in page; None when the
    session did not begin at a provider or the provider offers no such endpoint."""
    kept = request.session.get(SESSION_KEY)
    if not isinstance(kept, dict) or not isinstance(kept.get("provider"), int):
        return None
    with scopes_disabled():
        provider = IdentityProvider.objects.filter(pk=kept["provider"]).first()
    if provider is None:
        return None
    if provider.protocol == IdentityProvider.Protocol.SAML:
        from bryggan.identity import saml

        return saml.sign_out_address(request, provider, kept)
    try:
        metadata = _client(provider).load_server_metadata()
    except (requests.RequestException, ValueError, AuthlibBaseError):
        return None
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": kept.get("id_token", ""),
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
            "client_id": provider.client_id,
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
