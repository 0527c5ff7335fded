from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "bryggan.programme"
    label = "programme"
    verbose_name = _("Programme")

    def ready(self) -> None:
        from bryggan.core.permissions import register_relations
        from bryggan.programme.supervision import RELATED_MODELS, relations_to

        for label in RELATED_MODELS:
            register_relations(label, relations_to)
