from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntroductionConfig(AppConfig):
    name = "bryggan.introduction"
    label = "introduction"
    verbose_name = _("Broad introduction")

    def ready(self) -> None:
        from bryggan.introduction.services import weekly_use
        from bryggan.organisation.capacity import register_weekly_use

        register_weekly_use(weekly_use)
