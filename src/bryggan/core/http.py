"""The request as Bryggan's middleware leaves it, for type-checked views."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from bryggan.core.models import ApiToken
from bryggan.core.permissions import Actor


class ActorRequest(HttpRequest):
    actor: Actor
    htmx: HtmxDetails
    api_token: ApiToken | None
