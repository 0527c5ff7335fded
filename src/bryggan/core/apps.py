from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bryggan.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from bryggan.core import audit

        audit.register_models()

        from django.contrib.auth.signals import user_logged_in

        from bryggan.core.middleware import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="bryggan_session_clock")

        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_login_failed

        from bryggan.core import sign_in

        user_login_failed.connect(sign_in.record_failure, dispatch_uid="bryggan_sign_in_failed")
        user_locked_out.connect(sign_in.on_locked_out, dispatch_uid="bryggan_locked_out")
