"""Site administrators see rounds, postings and events; applicants' personal data stays in the
municipality's own recruitment pages, where access is role-checked and logged."""

from django.contrib import admin

from bryggan.core.admin import TenantAdmin
from bryggan.recruitment.models import InformationEvent, Posting, Round


@admin.register(Round)
class RoundAdmin(TenantAdmin):
    list_display = ["name", "closes_on", "municipality"]


@admin.register(Posting)
class PostingAdmin(TenantAdmin):
    list_display = ["title", "kind", "status", "last_application_date", "municipality"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["round"]
    filter_horizontal = ["units"]


@admin.register(InformationEvent)
class InformationEventAdmin(TenantAdmin):
    list_display = ["title", "university_name", "starts_at", "municipality"]
