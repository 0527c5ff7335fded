from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "bryggan.identity"
    label = "identity"
    verbose_name = _("Single sign-on")

    def ready(self) -> None:
        from bryggan.core import sign_in
        from bryggan.identity import oidc, selectors, services

        sign_in.register_sign_in_options(selectors.sign_in_options)
        sign_in.register_password_policy(services.password_refusal)
        sign_in.register_sign_out(oidc.sign_out_address)
