"""Writes for single sign-on: an account from what the provider vouched for, roles that
follow its groups, and the password rule of municipalities that require single sign-on.

Every change is in the audit trail of the provider's municipality: the account created,
roles added and removed (each membership's own entry, and one summary per sign-in), an
account disabled because its groups no longer give any role, and every use of the
break-glass password.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from bryggan.core.gate import tenant_scoped
from bryggan.core.models import Membership, Municipality, User
from bryggan.core.permissions import Actor, Perm
from bryggan.core.roles import Role
from bryggan.core.services import form_save
from bryggan.core.sign_in import audit_sign_in
from bryggan.identity.forms import MappingForm, ProviderForm
from bryggan.identity.models import ExternalAccount, GroupMapping, IdentityProvider
from bryggan.identity.protocol import Assertion


class SignInRefused(Exception):
    """The provider vouched for the person, but Bryggan lets them in nowhere."""


@dataclass
class Outcome:
    user: User | None
    refusal: str = ""
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def sign_in(provider: IdentityProvider, assertion: Assertion, *, address: str) -> User:
    """The Bryggan user for a verified assertion, created or updated to match it.

    Refusals that change something (an account disabled) are committed before they are
    raised, so the change stays when the person is turned away.
    """
    try:
        with scopes_disabled(), transaction.atomic():
            outcome = _apply(provider, assertion, address)
    except IntegrityError:  # the same first sign-in twice at once: one made the account
        raise SignInRefused(
            _("You signed in twice at the same moment. Please try again.")
        ) from None
    if outcome.user is None or outcome.refusal:
        raise SignInRefused(outcome.refusal)
    return outcome.user


def _labels(roles) -> str:
    return ", ".join(str(Role(role).label) for role in sorted(roles))


def _roles_from(provider: IdentityProvider, groups: tuple[str, ...]) -> tuple[set[str], set[str]]:
    mappings = list(provider.mappings.all())
    granted = {m.role for m in mappings if m.group in groups}
    managed = {m.role for m in mappings}
    return granted, managed


def _apply(provider: IdentityProvider, assertion: Assertion, address: str) -> Outcome:
    municipality = provider.municipality
    granted, managed = _roles_from(provider, assertion.groups)
    account = (
        ExternalAccount.objects.select_for_update()
        .select_related("user")
        .filter(provider=provider, subject=assertion.subject)
        .first()
    )
    user = account.user if account else User.objects.filter(email__iexact=assertion.email).first()
    if user is not None and account is None:
        elsewhere = user.memberships.exclude(municipality=municipality).exists()
        if elsewhere or user.is_staff or user.is_superuser:
            return Outcome(
                None,
                _(
                    "A Bryggan account with this e-mail address belongs elsewhere, so it cannot "
                    "be joined to this sign-in. Ask your administrator."
                ),
            )
    if not granted:
        if user is not None:
            _remove_roles(user, municipality, managed, provider, address)
        return Outcome(
            None,
            _(
                "Your account at %(provider)s gives you no role in Bryggan. Ask your "
                "administrator if you need access."
            )
            % {"provider": provider.name},
        )
    if user is None:
        user = User.objects.create_user(email=assertion.email, full_name=assertion.name)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    if account is None:
        account = ExternalAccount.objects.create(
            municipality=municipality, provider=provider, subject=assertion.subject, user=user
        )
    account.last_sign_in = timezone.now()
    account.save(update_fields=["last_sign_in"])
    outcome = Outcome(user)
    current = set(
        Membership.objects.filter(
            user=user, municipality=municipality, role__in=managed
        ).values_list("role", flat=True)
    )
    for role in sorted(granted - current):
        Membership.objects.create(user=user, municipality=municipality, role=role)
        outcome.added.append(role)
    gone = current - granted
    if gone:
        for membership in Membership.objects.filter(
            user=user, municipality=municipality, role__in=gone
        ):
            membership.delete()  # one by one, so each removal has its audit entry
        outcome.removed.extend(sorted(gone))
    what = _("signed in through %(provider)s") % {"provider": provider.name}
    if outcome.added:
        what += "; " + _("roles added: %(roles)s") % {"roles": _labels(outcome.added)}
    if outcome.removed:
        what += "; " + _("roles removed: %(roles)s") % {"roles": _labels(outcome.removed)}
    audit_sign_in(user, what, address, event="sso", municipality_id=municipality.pk)
    return outcome


def _remove_roles(
    user: User,
    municipality: Municipality,
    managed: set[str],
    provider: IdentityProvider,
    address: str,
) -> None:
    """The provider no longer puts the person in any mapped group: their roles here go, and
    with no role left anywhere their account is disabled (every session ends with it)."""
    memberships = list(
        Membership.objects.filter(user=user, municipality=municipality, role__in=managed)
    )
    for membership in memberships:
        membership.delete()
    disable = not user.memberships.exists() and not user.is_staff
    parts = [_("refused by %(provider)s's groups") % {"provider": provider.name}]
    if memberships:
        parts.append(
            _("roles removed: %(roles)s") % {"roles": _labels({m.role for m in memberships})}
        )
    if disable and user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        parts.append(_("account disabled"))
    audit_sign_in(
        user, "; ".join(parts), address, event="sso-removed", municipality_id=municipality.pk
    )


@tenant_scoped
def provider_save(*, actor: Actor, form: ProviderForm) -> IdentityProvider:
    """A provider created or changed by the municipality's administrator (audited as every
    tenant row is, the client secret left out of the trail)."""
    return form_save(actor=actor, form=form, perm=Perm.SSO_MANAGE)  # type: ignore[return-value]


@tenant_scoped
def mapping_add(*, actor: Actor, form: MappingForm) -> GroupMapping:
    return form_save(actor=actor, form=form, perm=Perm.SSO_MANAGE)  # type: ignore[return-value]


@tenant_scoped
def mapping_delete(*, actor: Actor, mapping: GroupMapping) -> None:
    """A group stops giving a role; people keep it until their next sign-in through the
    provider, which then removes it."""
    actor.require(Perm.SSO_MANAGE)
    mapping.delete()


def password_refusal(user: User, address: str) -> str | None:
    """Staff of a municipality that requires single sign-on may not use a password — except
    its break-glass administrator, whose every password sign-in is in the audit trail."""
    with scopes_disabled():
        staff_in = set(
            user.memberships.exclude(role__in=[Role.STUDENT, Role.UNIVERSITY_CONTACT])
            .exclude(municipality=None)
            .values_list("municipality_id", flat=True)
        )
        if not staff_in:
            return None
        requiring = list(
            IdentityProvider.objects.filter(
                municipality_id__in=staff_in, enabled=True, required_for_staff=True
            )
        )
    if not requiring:
        return None
    glass = next((p for p in requiring if p.break_glass_id == user.pk), None)
    if glass is not None:
        audit_sign_in(
            user,
            _("break-glass sign-in with a password"),
            address,
            event="break-glass",
            municipality_id=glass.municipality_id,
        )
        return None
    return _("Your municipality's staff sign in through %(provider)s. Use the button below.") % {
        "provider": requiring[0].name
    }
