from django.contrib import admin

from bryggan.core.admin import TenantAdmin
from bryggan.programme.models import Placement

admin.site.register(Placement, TenantAdmin)
