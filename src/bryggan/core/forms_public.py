"""What every public form (no account) carries against bots: a field a person never sees
(a bot that fills in every field fills it in too) and the time the form was shown, signed, so
a submission faster than a person could type is refused. Nothing is stored for either."""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

SALT = "bryggan.public-form-started"
HUMAN_FIELDS = ("website", "started")


class HumanCheckMixin(forms.Form):
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    human_fields = HUMAN_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = signing.dumps(time.time(), salt=SALT)

    def clean(self):
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(
                _("The form could not be sent. Reload the page and fill it in again."),
                code="honeypot",
            )
        least = settings.PUBLIC_FORM_MIN_SECONDS
        if least > 0:
            try:
                started = float(signing.loads(data.get("started") or "", salt=SALT, max_age=86400))
            except (signing.BadSignature, TypeError, ValueError):
                raise forms.ValidationError(
                    _("The form has expired. Reload the page and fill it in again."),
                    code="stale",
                ) from None
            if time.time() - started < least:
                raise forms.ValidationError(
                    _(
                        "The form was sent faster than a person can fill it in. Wait a moment "
                        "and send it again."
                    ),
                    code="too_fast",
                )
        return data
