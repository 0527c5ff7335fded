"""The demo's outbox: with its backend on, every e-mail Bryggan sends is kept and the site
administrator reads it in the browser; without it the pages do not exist."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings

from bryggan.core.roles import Role
from bryggan.demo import outbox
from bryggan.demo.models import OutboxMessage
from tests.clients import signed_in_client

pytestmark = pytest.mark.django_db
OUTBOX = "bryggan.demo.outbox.OutboxBackend"


@override_settings(EMAIL_BACKEND=OUTBOX)
def test_the_outbox_keeps_each_email_and_the_administrator_reads_it(world):
    message = mail.EmailMessage(
        "Inbjudan till intervju: Aspirant",
        "Hej Sara,\n\nVälj en tid: https://example.se/ansokan/x/\n\n<script>alert(1)</script>",
        to=["sara@example.se", "hr@example.se"],
    )
    message.attach("intervju.ics", "BEGIN:VCALENDAR", "text/calendar")
    assert message.send() == 1
    kept = OutboxMessage.objects.get()
    assert kept.to == "sara@example.se, hr@example.se" and kept.attachments == "intervju.ics"

    admin = signed_in_client(world.admin)
    listing = admin.get("/demo/utkorg/").content.decode()
    assert "Inbjudan till intervju: Aspirant" in listing and "sara@example.se" in listing
    page = admin.get(f"/demo/utkorg/{kept.pk}/").content.decode()
    assert "Välj en tid" in page and "intervju.ics" in page
    assert "<script>alert(1)</script>" not in page  # the text is escaped, never markup
    assert admin.get("/demo/utkorg/999999/").status_code == 404
    assert admin.get("/demo/utkorg/?page=abc").status_code == 200
    # A municipality's coordinator does not read the outbox.
    assert world.home.client(Role.COORDINATOR).get("/demo/utkorg/").status_code == 404


def test_without_the_outbox_backend_the_pages_do_not_exist(world):
    admin = signed_in_client(world.admin)
    assert admin.get("/demo/utkorg/").status_code == 404


@override_settings(EMAIL_BACKEND=OUTBOX)
def test_the_outbox_keeps_only_the_newest(monkeypatch):
    monkeypatch.setattr(outbox, "KEEP", 3)
    for i in range(5):
        mail.send_mail(f"Nr {i}", "x", None, ["a@example.se"])
    assert list(OutboxMessage.objects.values_list("subject", flat=True)) == ["Nr 4", "Nr 3", "Nr 2"]
