"""Test clients signed in the way a real user is."""

from __future__ import annotations

from django.test import Client

from bryggan.core.models import User


def signed_in_client(user: User, client_class: type[Client] = Client, **client_options) -> Client:
    """A client signed in as ``user``, past the second factor when their role needs one (as
    if they had entered their authenticator's code; tests/core/test_two_factor.py tests that
    step itself)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bryggan.core.permissions import actor_for
    from bryggan.core.two_factor import needs_two_factor

    client = client_class(**client_options)
    client.force_login(user)
    if needs_two_factor(actor_for(user)):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def query_counts(pages: list[tuple[Client, str]]) -> list[int]:
    """How many database queries each (client, path) GET runs; each must answer 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bryggan.core.navigation import INBOX_SESSION_KEY

    found = []
    for client, path in pages:
        # the home page writes the menu's count to the session when it changed (or was never
        # written): measured as a first visit, the same at every size
        session = client.session
        if session.pop(INBOX_SESSION_KEY, None) is not None:
            session.save()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200, path
        found.append(len(queries.captured_queries))
    return found
