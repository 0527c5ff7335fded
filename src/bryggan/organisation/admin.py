from django.contrib import admin

from bryggan.core.admin import TenantAdmin
from bryggan.organisation.models import (
    Department,
    PracticumPeriod,
    Programme,
    StaffMember,
    SupervisorCapacity,
    Term,
    Unit,
    University,
)

for model in (Department, Unit, University, Programme, Term, PracticumPeriod, SupervisorCapacity):
    admin.site.register(model, TenantAdmin)


@admin.register(StaffMember)
class StaffMemberAdmin(TenantAdmin):
    list_display = ["last_name", "first_name", "title", "unit", "municipality"]
    search_fields = ["last_name", "first_name"]
    raw_id_fields = ["unit", "user"]
