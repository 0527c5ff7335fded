from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bryggan.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from bryggan.core import audit

        audit.register_models()
