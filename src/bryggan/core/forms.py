from django import forms
from django.utils.translation import gettext_lazy as _

from bryggan.core.forms_a11y import AccessibleErrorsMixin


class ApiTokenForm(AccessibleErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Payroll export”."),
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        choices=[(30, _("30 days")), (90, _("90 days")), (365, _("one year"))],
        coerce=int,
        initial=30,
        help_text=_("The token stops working after this; make a new one then."),
    )

    def __init__(self, *args, ask_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if ask_code:
            # A token outlives the session: making one asks for the second factor again.
            self.fields["code"] = forms.CharField(
                label=_("Six-digit code from the app"),
                max_length=12,
                help_text=_("Your role signs in with two factors: a new token needs a new code."),
                widget=forms.TextInput(
                    attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
                ),
            )


class TwoFactorCodeForm(AccessibleErrorsMixin, forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from the app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
