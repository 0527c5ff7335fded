"""The Django admin is the site administrators' tool; municipalities use Bryggan's own pages."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bryggan.core import branding
from bryggan.core.models import AccessLogEntry, ApiToken, Membership, Municipality, Person, User


class SiteAdminOnly(admin.ModelAdmin):
    """Every admin page asks the permission module: only site administrators get in."""

    def _site_admin(self, request) -> bool:
        return request.actor.is_site_admin

    def has_module_permission(self, request) -> bool:
        return self._site_admin(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._site_admin(request)

    def has_add_permission(self, request) -> bool:
        return self._site_admin(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._site_admin(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._site_admin(request)


class TenantAdmin(SiteAdminOnly):
    """Tenant rows are made by the municipality's own users; the admin views and edits them."""

    def has_add_permission(self, request) -> bool:
        return False


class MunicipalityForm(forms.ModelForm):
    logo_upload = forms.FileField(
        label=_("logo"),
        required=False,
        help_text=_("A PNG or JPEG picture of at most 1 MB; shown 48 pixels high in the header."),
    )
    logo_remove = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Municipality
        fields = ["name", "slug", "kommunkod", "brand_colour"]

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        return branding.logo_png(upload) if upload else None

    def save(self, commit=True):
        municipality = super().save(commit=False)
        png = self.cleaned_data.get("logo_upload")
        if png:
            municipality.logo, municipality.logo_changed_at = png, timezone.now()
        elif self.cleaned_data.get("logo_remove"):
            municipality.logo, municipality.logo_changed_at = b"", None
        if commit:
            municipality.save()
        return municipality


@admin.register(Municipality)
class MunicipalityAdmin(SiteAdminOnly):
    form = MunicipalityForm
    list_display = ["name", "slug", "kommunkod", "brand_colour"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = []
    raw_id_fields = ["department", "unit", "university"]


@admin.register(User)
class UserAdmin(SiteAdminOnly, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password", "full_name")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    list_filter = ["is_active", "is_staff"]
    filter_horizontal = []
    inlines = [MembershipInline]


@admin.register(ApiToken)
class ApiTokenAdmin(SiteAdminOnly):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["hint", "created_at", "last_used_at"]
    exclude = ["token_hash"]


@admin.register(AccessLogEntry)
class AccessLogAdmin(SiteAdminOnly):
    list_display = ["at", "user", "municipality", "subject_type", "subject_id", "purpose"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Person)
class PersonAdmin(TenantAdmin):
    list_display = ["last_name", "first_name", "municipality"]
