"""Reads for single sign-on: the providers a sign-in page offers, one provider by its short
name, and a municipality's providers for its administrators."""

from __future__ import annotations

from django.urls import reverse
from django_scopes import scopes_disabled

from bryggan.core.gate import one_or_404, tenant_scoped
from bryggan.core.permissions import Actor, Perm
from bryggan.identity.models import GroupMapping, IdentityProvider


def sign_in_options() -> list[tuple[str, str]]:
    """Every provider in use, as (name, address) for the sign-in page. Before anyone signs
    in there is no municipality to scope by; only names and addresses are read."""
    with scopes_disabled():
        rows = IdentityProvider.objects.filter(enabled=True).values_list("name", "slug")
        return [(name, reverse("identity:start", args=[slug])) for name, slug in rows]


def provider_for_sign_in(slug: str, protocol: str | None = None) -> IdentityProvider | None:
    """The provider in use at this short name (and of this protocol, when given)."""
    with scopes_disabled():
        found = (
            IdentityProvider.objects.filter(slug=slug, enabled=True)
            .select_related("municipality")
            .first()
        )
    if found is None or (protocol is not None and found.protocol != protocol):
        return None
    return found


@tenant_scoped
def providers_for(*, actor: Actor) -> list[IdentityProvider]:
    actor.require(Perm.SSO_MANAGE)
    return list(IdentityProvider.objects.select_related("break_glass").prefetch_related("mappings"))


@tenant_scoped
def provider_by_id(*, actor: Actor, pk: object) -> IdentityProvider:
    actor.require(Perm.SSO_MANAGE)
    return one_or_404(IdentityProvider.objects.prefetch_related("mappings"), pk)


@tenant_scoped
def mapping_by_id(*, actor: Actor, provider: IdentityProvider, pk: object) -> GroupMapping:
    actor.require(Perm.SSO_MANAGE)
    return one_or_404(GroupMapping.objects.filter(provider=provider), pk)
