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
from datetime import timedelta

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

from bryggan.identity.models import IdentityProvider, PendingSignIn
from bryggan.identity.oidc import Assertion, ProtocolError

PENDING_MINUTES = 10
ALLOWED_CLOCK_SKEW_SECONDS = 60


def _addresses(provider: IdentityProvider, request: HttpRequest) -> tuple[str, str]:
    entity = request.build_absolute_uri(reverse("identity:saml-metadata", args=[provider.slug]))
    acs = request.build_absolute_uri(reverse("identity:saml-acs", args=[provider.slug]))
    return entity, acs


def _client(provider: IdentityProvider, request: HttpRequest) -> Saml2Client:
    entity, acs = _addresses(provider, request)
    config = SPConfig()
    try:
        config.load(
            {
                "entityid": entity,
                "service": {
                    "sp": {
                        "endpoints": {"assertion_consumer_service": [(acs, BINDING_HTTP_POST)]},
                        "allow_unsolicited": False,
                        "authn_requests_signed": False,
                        "want_assertions_signed": True,
                        "want_response_signed": False,
                        "only_use_keys_in_metadata": True,
                    }
                },
                "metadata": {"inline": [provider.saml_metadata]} if provider.saml_metadata else {},
                "xmlsec_binary": shutil.which("xmlsec1"),
                "accepted_time_diff": ALLOWED_CLOCK_SKEW_SECONDS,
                "allow_unknown_attributes": True,
            }
        )
    except (SAMLError, ValueError, TypeError, SyntaxError) as error:
        raise ProtocolError(_("The identity provider's SAML metadata cannot be read.")) from error
    return Saml2Client(config)


def metadata(provider: IdentityProvider, request: HttpRequest) -> str:
    """Bryggan's own metadata for this provider, for the provider's administrator."""
    entity, acs = _addresses(provider, request)
    config = SPConfig()
    config.load(
        {
            "entityid": entity,
            "service": {
                "sp": {
                    "endpoints": {"assertion_consumer_service": [(acs, BINDING_HTTP_POST)]},
                    "want_assertions_signed": True,
                }
            },
            "xmlsec_binary": shutil.which("xmlsec1"),
        }
    )
    return create_metadata_string(None, config=config).decode()


def send_to_provider(provider: IdentityProvider, request: HttpRequest) -> HttpResponse:
    client = _client(provider, request)
    try:
        request_id, info = client.prepare_for_authenticate(
            entityid=provider.issuer, binding=BINDING_HTTP_REDIRECT
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
    return Assertion(
        subject=str(response.get_subject().text),
        email=email.strip().lower(),
        name=str(names[0]),
        groups=tuple(str(g) for g in identity.get(provider.groups_claim) or []),
        factors=factors,
    )
