"""Signing in through the municipality's identity provider: out to it, and back."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bryggan.core.client_address import client_address
from bryggan.core.decorators import actor_required
from bryggan.core.errors import InvalidInputError
from bryggan.core.http import ActorRequest
from bryggan.core.permissions import Perm
from bryggan.core.two_factor import FACTORS_BY_PROVIDER
from bryggan.identity import oidc, saml, selectors, services
from bryggan.identity.forms import MappingForm, ProviderForm
from bryggan.identity.middleware import RETURN_KEY
from bryggan.identity.models import IdentityProvider
from bryggan.identity.protocol import NeedsInteraction, ProtocolError

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
    quiet = request.GET.get("quiet") == "1" and request.user.is_authenticated
    try:
        if provider.protocol == provider.Protocol.SAML:
            return saml.send_to_provider(provider, request, quiet=quiet)
        back = request.build_absolute_uri(reverse("identity:callback", args=[slug]))
        return oidc.send_to_provider(provider, request, back, quiet=quiet)
    except ProtocolError as error:
        return _refused(request, str(error), 502)


def _finish(request: HttpRequest, provider, read) -> HttpResponse:
    """The provider's answer, read by its protocol; then the account, the session and
    home."""
    try:
        assertion = read(provider, request)
    except NeedsInteraction:
        # The quiet check found no session at the provider: sign in there as usual.
        return redirect("identity:start", slug=provider.slug)
    except ProtocolError as error:
        return _refused(request, str(error), 400)
    back = request.session.pop(RETURN_KEY, "")
    try:
        user = services.sign_in(provider, assertion, address=client_address(request))
    except services.SignInRefused as refused:
        logout(request)  # a check of a running session that the provider no longer vouches for
        return _refused(request, str(refused), 403)
    login(request, user, backend=BACKEND)
    if assertion.id_token:
        oidc.remember(request, provider, assertion)
    elif assertion.session:
        saml.remember(request, provider, assertion)
    if provider.means_two_factors(list(assertion.factors)):
        request.session[FACTORS_BY_PROVIDER] = True
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("home")


@never_cache
@require_GET
def callback(request: HttpRequest, slug: str) -> HttpResponse:
    provider = selectors.provider_for_sign_in(slug, IdentityProvider.Protocol.OIDC)
    if provider is None:
        return _unknown(request)
    return _finish(request, provider, oidc.assertion_from)


@csrf_exempt  # the identity provider's signed answer, posted cross-site; pysaml2 checks it
@never_cache
@require_POST
def saml_acs(request: HttpRequest, slug: str) -> HttpResponse:
    provider = selectors.provider_for_sign_in(slug, IdentityProvider.Protocol.SAML)
    if provider is None:
        return _unknown(request)
    return _finish(request, provider, saml.assertion_from)


@never_cache
@require_GET
def saml_logged_out(request: HttpRequest, slug: str) -> HttpResponse:
    """The provider confirms the single logout; Bryggan's session ended before."""
    provider = selectors.provider_for_sign_in(slug, IdentityProvider.Protocol.SAML)
    if provider is None:
        return _unknown(request)
    try:
        saml.logged_out(provider, request)
    except ProtocolError as error:
        return _refused(request, str(error), 400)
    return redirect("login")


@require_GET
def saml_metadata(request: HttpRequest, slug: str) -> HttpResponse:
    """Bryggan's service-provider metadata, for the municipality's IdP administrator."""
    provider = selectors.provider_for_sign_in(slug, IdentityProvider.Protocol.SAML)
    if provider is None:
        return _unknown(request)
    return HttpResponse(
        saml.metadata(provider, request), content_type="application/samlmetadata+xml"
    )


# --- the administrators' pages --------------------------------------------------------------


def _form_errors(form, error: InvalidInputError) -> None:
    for name, messages_ in error.errors.items():
        for message in messages_:
            if message not in form.errors.get(name, []):
                form.add_error(name if name in form.fields else None, message)


@require_GET
@actor_required
def settings_page(request: ActorRequest) -> HttpResponse:
    found = selectors.providers_for(actor=request.actor)
    return render(request, "identity/settings.html", {"providers": found})


def _provider_page(request, form, provider=None, mapping_form=None, status=200) -> HttpResponse:
    return render(
        request,
        "identity/provider.html",
        {
            "form": form,
            "provider": provider,
            "mapping_form": mapping_form,
            "callback": request.build_absolute_uri(
                reverse(
                    "identity:saml-acs"
                    if provider.protocol == provider.Protocol.SAML
                    else "identity:callback",
                    args=[provider.slug],
                )
            )
            if provider
            else "",
            "metadata_url": request.build_absolute_uri(
                reverse("identity:saml-metadata", args=[provider.slug])
            )
            if provider and provider.protocol == provider.Protocol.SAML
            else "",
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@actor_required
def provider_new(request: ActorRequest) -> HttpResponse:
    request.actor.require(Perm.SSO_MANAGE)
    form = ProviderForm(request.POST if request.method == "POST" else None, actor=request.actor)
    if request.method == "POST":
        try:
            provider = services.provider_save(actor=request.actor, form=form)
        except InvalidInputError as error:
            _form_errors(form, error)
            return _provider_page(request, form, status=400)
        messages.success(request, _("The identity provider is saved. Now map its groups."))
        return redirect("identity:provider", pk=provider.pk)
    return _provider_page(request, form)


@require_http_methods(["GET", "POST"])
@actor_required
def provider_edit(request: ActorRequest, pk: int) -> HttpResponse:
    provider = selectors.provider_by_id(actor=request.actor, pk=pk)
    form = ProviderForm(
        request.POST if request.method == "POST" else None, instance=provider, actor=request.actor
    )
    mapping_form = MappingForm(actor=request.actor, provider=provider, prefix="mapping")
    if request.method == "POST":
        try:
            services.provider_save(actor=request.actor, form=form)
        except InvalidInputError as error:
            _form_errors(form, error)
            return _provider_page(request, form, provider, mapping_form, status=400)
        messages.success(request, _("The identity provider is saved."))
        return redirect("identity:provider", pk=provider.pk)
    return _provider_page(request, form, provider, mapping_form)


@require_POST
@actor_required
def mapping_add(request: ActorRequest, pk: int) -> HttpResponse:
    provider = selectors.provider_by_id(actor=request.actor, pk=pk)
    mapping_form = MappingForm(
        request.POST, actor=request.actor, provider=provider, prefix="mapping"
    )
    try:
        services.mapping_add(actor=request.actor, form=mapping_form)
    except InvalidInputError as error:
        _form_errors(mapping_form, error)
        form = ProviderForm(instance=provider, actor=request.actor)
        return _provider_page(request, form, provider, mapping_form, status=400)
    messages.success(request, _("The group now gives its role at the next sign-in."))
    return redirect("identity:provider", pk=provider.pk)


@require_POST
@actor_required
def mapping_delete(request: ActorRequest, pk: int, mapping: int) -> HttpResponse:
    provider = selectors.provider_by_id(actor=request.actor, pk=pk)
    found = selectors.mapping_by_id(actor=request.actor, provider=provider, pk=mapping)
    services.mapping_delete(actor=request.actor, mapping=found)
    messages.success(
        request, _("The group no longer gives a role; it goes at each person's next sign-in.")
    )
    return redirect("identity:provider", pk=provider.pk)
