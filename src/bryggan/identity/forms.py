"""The administrators' forms: an identity provider, and a group that gives a role."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from bryggan.core.forms_tenant import TenantModelForm
from bryggan.core.models import User
from bryggan.core.roles import Role
from bryggan.identity.models import GroupMapping, IdentityProvider

# Roles a municipality's provider may give: its staff's. Students, university contacts and
# applicants have their own ways in; the national analyst belongs to no municipality.
STAFF_ROLES = [
    Role.COORDINATOR,
    Role.HR,
    Role.UNIT_MANAGER,
    Role.SUPERVISOR,
    Role.MENTOR,
    Role.TRAINER,
    Role.SPECIALIST,
    Role.DPO,
]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class _AccountChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class ProviderForm(TenantModelForm):
    issuer = forms.URLField(
        label=_("issuer"),
        max_length=200,
        assume_scheme="https",
        help_text=_(
            "OpenID Connect: the issuer address (its /.well-known/openid-configuration must "
            "answer). SAML: the identity provider's entity id."
        ),
    )
    break_glass = _AccountChoice(
        queryset=User.objects.none(),
        required=False,
        label=_("break-glass account"),
        help_text=_(
            "One administrator who may still sign in with a password; every use is logged."
        ),
    )
    client_secret = forms.CharField(
        label=_("client secret"),
        required=False,
        max_length=255,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the secret saved before."),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "name",
            "slug",
            "protocol",
            "issuer",
            "client_id",
            "client_secret",
            "saml_metadata",
            "email_claim",
            "groups_claim",
            "mfa_values",
            "required_for_staff",
            "break_glass",
            "enabled",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("issuer", "break_glass", "client_secret"):
            self.fields[name].label = capfirst(self.fields[name].label)
        self.saved_secret = self.instance.client_secret
        self.fields["break_glass"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(memberships__municipality=self.actor.municipality, is_active=True)
            .distinct()
            .order_by("email")
        )
        self.fields["saml_metadata"].widget.attrs["rows"] = 4

    def clean_issuer(self) -> str:
        issuer = self.cleaned_data["issuer"]
        parts = urlsplit(issuer)
        saml = self.cleaned_data.get("protocol") == IdentityProvider.Protocol.SAML
        # A SAML entity id only names the provider (AD FS's is http://…/adfs/services/trust);
        # an OpenID Connect issuer is where Bryggan fetches keys, so only https.
        if not saml and parts.scheme != "https" and parts.hostname not in LOOPBACK:
            raise forms.ValidationError(_("The issuer must be an https address."))
        return issuer

    def clean_client_secret(self) -> str:
        return self.cleaned_data["client_secret"] or self.saved_secret

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("protocol") == IdentityProvider.Protocol.SAML:
            self._clean_saml(cleaned)
        else:
            for name in ("client_id", "client_secret"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("OpenID Connect needs this."))
        if cleaned.get("required_for_staff") and not cleaned.get("break_glass"):
            self.add_error(
                "break_glass",
                _(
                    "Choose a break-glass account before passwords are refused, so that no "
                    "one is locked out when the provider is down."
                ),
            )
        return cleaned

    def _clean_saml(self, cleaned: dict) -> None:
        """The metadata must be the identity provider's, for the entity id given, with its
        signing certificate (pysaml2 reads it as Bryggan will at sign-in)."""
        from saml2.mdstore import MetadataStore

        text = cleaned.get("saml_metadata", "")
        if not text:
            self.add_error("saml_metadata", _("SAML needs the identity provider's metadata."))
            return
        store = MetadataStore(None, None)
        try:
            store.load("inline", text)
            found = cleaned.get("issuer") in set(store.identity_providers())
        except Exception:
            found = None
        if found is None:
            self.add_error("saml_metadata", _("This is not SAML metadata."))
        elif not found:
            self.add_error(
                "saml_metadata",
                _("The metadata names no identity provider with the entity id given above."),
            )


class MappingForm(TenantModelForm):
    role = forms.ChoiceField(label=_("role"), choices=[(r.value, r.label) for r in STAFF_ROLES])

    class Meta:
        model = GroupMapping
        fields = ["group", "role"]

    def __init__(self, *args, provider: IdentityProvider, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].label = capfirst(self.fields["role"].label)
        self.instance.provider = provider

    def clean_group(self) -> str:
        group = self.cleaned_data["group"].strip()
        if not group:
            raise forms.ValidationError(_("Write the group's name or id."))
        return group
