"""SAML 2.0 with a municipality's identity provider, through pysaml2 (no protocol code here).

pysaml2 builds the AuthnRequest (HTTP-Redirect binding) and checks the answer (HTTP-POST
binding): the assertion's signature against the certificate in the provider's metadata,
the audience (our entity id), the time window, the destination and InResponseTo. Requests
sent are kept in the database (``PendingSignIn``), not the session: the answer is a
cross-site POST that carries no session cookie. Each is used once, so a replayed answer is
refused. Anything refused becomes a ``ProtocolError`` with a message a person can act on.
"""

from __future__ import annotations

import shutil
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, SAMLError
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.response import StatusError
from saml2.saml import NameID

from bryggan.identity.keys import self_signed
from bryggan.identity.models import IdentityProvider, PendingSignIn
from bryggan.identity.protocol import SESSION_KEY, Assertion, NeedsInteraction, ProtocolError

PENDING_MINUTES = 10
ALLOWED_CLOCK_SKEW_SECONDS = 60


def _settings(provider: IdentityProvider, request: HttpRequest) -> dict:
    """Bryggan as a SAML service provider for this identity provider."""
    entity = request.build_absolute_uri(reverse("identity:saml-metadata", args=[provider.slug]))
    acs = request.build_absolute_uri(reverse("identity:saml-acs", args=[provider.slug]))
    sls = request.build_absolute_uri(reverse("identity:saml-sls", args=[provider.slug]))
    key_file, cert_file = settings.SAML_SP_KEY_FILE, settings.SAML_SP_CERT_FILE
    self_signed(key_file, cert_file, "Bryggan")
    return {
        "entityid": entity,
        "service": {
            "sp": {
                "endpoints": {
                    "assertion_consumer_service": [(acs, BINDING_HTTP_POST)],
                    "single_logout_service": [(sls, BINDING_HTTP_REDIRECT)],
                },
                "allow_unsolicited": False,
                "authn_requests_signed": False,
                "logout_requests_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "only_use_keys_in_metadata": True,
            }
        },
        "key_file": str(key_file),
        "cert_file": str(cert_file),
        "xmlsec_binary": shutil.which("xmlsec1"),
        "accepted_time_diff": ALLOWED_CLOCK_SKEW_SECONDS,
        "allow_unknown_attributes": True,
    }


def _addresses(provider: IdentityProvider, request: HttpRequest) -> tuple[str, str]:
    found = _settings(provider, request)
    return found["entityid"], found["service"]["sp"]["endpoints"]["assertion_consumer_service"][0][
        0
    ]


def _client(provider: IdentityProvider, request: HttpRequest) -> Saml2Client:
    config = SPConfig()
    try:
        config.load(
            {
                **_settings(provider, request),
                "metadata": {"inline": [provider.saml_metadata]} if provider.saml_metadata else {},
            }
        )
    except (SAMLError, ValueError, TypeError, SyntaxError) as error:
        raise ProtocolError(_("The identity provider's SAML metadata cannot be read.")) from error
    return Saml2Client(config)


def metadata(provider: IdentityProvider, request: HttpRequest) -> str:
    """Bryggan's own metadata for this provider, for the provider's administrator: where
    answers go, where logouts come back, and the certificate its logout requests carry."""
    config = SPConfig()
    config.load(_settings(provider, request))
    return create_metadata_string(None, config=config).decode()


def remember(request: HttpRequest, provider: IdentityProvider, assertion: Assertion) -> None:
    """After the sign-in: the provider (for the periodic check) and what a logout request to
    it must name."""
    request.session[SESSION_KEY] = {
        "provider": provider.pk,
        "slug": provider.slug,
        "checked": time.time(),
        **assertion.session,
    }


def sign_out_address(request: HttpRequest, provider: IdentityProvider, kept: dict) -> str | None:
    """A signed LogoutRequest to the provider's single-logout service (HTTP-Redirect), which
    ends the person's session there and comes back to /sso/<slug>/sls/; None when the
    provider offers no such service."""
    try:
        client = _client(provider, request)
        services = client.metadata.single_logout_service(
            provider.issuer, BINDING_HTTP_REDIRECT, "idpsso"
        )
        if not services:
            return None
        destination = services[0]["location"]
        _request_id, logout = client.create_logout_request(
            destination,
            provider.issuer,
            name_id=NameID(format=kept.get("name_id_format") or None, text=kept["name_id"]),
            session_indexes=[kept["session_index"]] if kept.get("session_index") else None,
        )
        info = client.apply_binding(BINDING_HTTP_REDIRECT, str(logout), destination, sign=True)
    except (ProtocolError, SAMLError, KeyError, ValueError, TypeError):
        return None
    return dict(info["headers"])["Location"]


def logged_out(provider: IdentityProvider, request: HttpRequest) -> None:
    """The provider's LogoutResponse, checked (its signature against the metadata)."""
    raw = request.GET.get("SAMLResponse", "")
    if not raw:
        raise ProtocolError(_("The identity provider's answer is missing. Please start again."))
    try:
        response = _client(provider, request).parse_logout_request_response(
            raw, BINDING_HTTP_REDIRECT
        )
    except Exception as error:
        raise ProtocolError(
            _("The identity provider's answer could not be verified, so no one was signed in.")
        ) from error
    if response is None:
        raise ProtocolError(
            _("The identity provider's answer could not be verified, so no one was signed in.")
        )


def send_to_provider(
    provider: IdentityProvider, request: HttpRequest, *, quiet: bool = False
) -> HttpResponse:
    """To the provider's sign-in; ``quiet`` asks it not to ask the person anything
    (``IsPassive``), for the periodic check of a running session."""
    client = _client(provider, request)
    try:
        request_id, info = client.prepare_for_authenticate(
            entityid=provider.issuer,
            binding=BINDING_HTTP_REDIRECT,
            **({"is_passive": "true"} if quiet else {}),
        )
    except (SAMLError, ValueError, KeyError, TypeError) as error:
        raise ProtocolError(_("The identity provider could not be reached.")) from error
    with scopes_disabled():
        PendingSignIn.objects.filter(
            created_at__lt=timezone.now() - timedelta(minutes=PENDING_MINUTES)
        ).delete()
        PendingSignIn.objects.create(
            municipality_id=provider.municipality_id, provider=provider, request_id=request_id
        )
    location = dict(info["headers"])["Location"]
    return HttpResponseRedirect(location)


def assertion_from(provider: IdentityProvider, request: HttpRequest) -> Assertion:
    raw = request.POST.get("SAMLResponse", "")
    if not raw:
        raise ProtocolError(_("The identity provider's answer is missing. Please start again."))
    client = _client(provider, request)
    _entity, acs = _addresses(provider, request)
    with scopes_disabled():
        since = timezone.now() - timedelta(minutes=PENDING_MINUTES)
        sent = PendingSignIn.objects.filter(provider=provider, created_at__gte=since)
        outstanding = dict.fromkeys(sent.values_list("request_id", flat=True), acs)
    try:
        response = client.parse_authn_request_response(
            raw, BINDING_HTTP_POST, outstanding=outstanding
        )
    except StatusError as error:
        if "NoPassive" in type(error).__name__ or "NoPassive" in str(error):
            raise NeedsInteraction(str(error)) from error
        raise ProtocolError(
            _("The identity provider refused the sign-in (%(reason)s).") % {"reason": error}
        ) from error
    except Exception as error:
        unsolicited = type(error).__name__ in {"UnsolicitedResponse", "UnknownPrincipal"}
        raise ProtocolError(
            _("This sign-in answer was already used or has expired. Please start again.")
            if unsolicited
            else _("The identity provider's answer could not be verified, so no one was signed in.")
        ) from error
    if response is None:
        raise ProtocolError(
            _("The identity provider's answer could not be verified, so no one was signed in.")
        )
    with scopes_disabled(), transaction.atomic():
        used = PendingSignIn.objects.filter(
            provider=provider, request_id=response.in_response_to
        ).delete()[0]
    if not used:  # answered twice at the same moment
        raise ProtocolError(
            _("This sign-in answer was already used or has expired. Please start again.")
        )
    identity = response.get_identity()
    emails = identity.get(provider.email_claim) or []
    email = emails[0] if emails else ""
    if not isinstance(email, str) or "@" not in email:
        raise ProtocolError(
            _("The identity provider sent no e-mail address (claim %(claim)s).")
            % {"claim": provider.email_claim}
        )
    names = identity.get("name") or identity.get("displayName") or [""]
    factors = tuple(str(info[0]) for info in response.authn_info() if info and info[0])
    subject = response.get_subject()
    statements = response.assertion.authn_statement or []
    session_index = statements[0].session_index if statements else None
    return Assertion(
        subject=str(subject.text),
        email=email.strip().lower(),
        name=str(names[0]),
        groups=tuple(str(g) for g in identity.get(provider.groups_claim) or []),
        factors=factors,
        session={
            "name_id": str(subject.text),
            "name_id_format": str(subject.format or ""),
            "session_index": str(session_index or ""),
        },
    )
