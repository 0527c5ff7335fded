"""Single sign-on: each municipality's identity providers, how their groups become Bryggan
roles, and which provider accounts are which Bryggan users."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bryggan.core.models import TenantModel
from bryggan.core.roles import Role

# Authentication method references (OIDC ``amr``, RFC 8176) and context classes (``acr``)
# that mean more than one factor. Entra ID says "mfa"; AD FS "http://schemas.microsoft.com/
# claims/multipleauthn"; a provider may name its own in the provider's settings.
DEFAULT_MFA_VALUES = (
    "mfa otp hwk swk sms tel fido face fpt sc http://schemas.microsoft.com/claims/multipleauthn"
)


class IdentityProvider(TenantModel):
    class Protocol(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")

    name = models.CharField(_("name on the sign-in page"), max_length=100)
    slug = models.SlugField(
        _("short name in the address"),
        max_length=50,
        unique=True,
        help_text=_("Used in the sign-in address /sso/<short name>/, e.g. malmo."),
    )
    protocol = models.CharField(
        _("protocol"), max_length=8, choices=Protocol.choices, default=Protocol.OIDC
    )
    issuer = models.URLField(
        _("issuer"),
        help_text=_(
            "OpenID Connect: the issuer address (its /.well-known/openid-configuration must "
            "answer). SAML: the identity provider's entity id."
        ),
    )
    client_id = models.CharField(_("client id"), max_length=255, blank=True)
    client_secret = models.CharField(_("client secret"), max_length=255, blank=True)
    saml_metadata = models.TextField(
        _("SAML metadata"),
        blank=True,
        help_text=_("SAML: the identity provider's metadata XML (its federation metadata)."),
    )
    email_claim = models.CharField(
        _("claim with the e-mail address"), max_length=64, default="email"
    )
    groups_claim = models.CharField(_("claim with the groups"), max_length=64, default="groups")
    mfa_values = models.CharField(
        _("values that mean two factors"),
        max_length=500,
        default=DEFAULT_MFA_VALUES,
        help_text=_("amr or acr values, separated by spaces."),
    )
    required_for_staff = models.BooleanField(
        _("staff must sign in through the provider"),
        default=False,
        help_text=_("Passwords are then refused for the municipality's staff."),
    )
    break_glass = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("break-glass account"),
        help_text=_(
            "One administrator who may still sign in with a password; every use is logged."
        ),
    )
    enabled = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def means_two_factors(self, values: list[str]) -> bool:
        return bool(set(values) & set(self.mfa_values.split()))


class GroupMapping(TenantModel):
    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="mappings"
    )
    group = models.CharField(
        _("group"), max_length=255, help_text=_("The group's name or id as the provider sends it.")
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("group mapping")
        verbose_name_plural = _("group mappings")
        ordering = ["group", "role"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "group", "role"], name="mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.get_role_display()}"


class ExternalAccount(TenantModel):
    """A provider's account (its ``sub``) and the Bryggan user it signs in as."""

    provider = models.ForeignKey(
        IdentityProvider, on_delete=models.CASCADE, related_name="accounts"
    )
    subject = models.CharField(_("subject"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_accounts"
    )
    last_sign_in = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("provider account")
        verbose_name_plural = _("provider accounts")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="external_unique")
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.subject}"


class PendingSignIn(TenantModel):
    """A SAML authentication request sent and not yet answered. The answer comes back as a
    cross-site POST, which carries no session cookie (SameSite), so the request is kept
    here; it is used once (a replayed answer finds it gone) and expires after ten minutes."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="pending")
    request_id = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pending sign-in")
        verbose_name_plural = _("pending sign-ins")

    def __str__(self) -> str:
        return self.request_id
