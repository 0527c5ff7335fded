from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "bryggan.privacy"
    label = "privacy"
    verbose_name = _("Data protection")

    def ready(self) -> None:
        from bryggan.privacy.retention import application_retention_months
        from bryggan.recruitment.notices import register_retention_months

        register_retention_months(application_retention_months)
