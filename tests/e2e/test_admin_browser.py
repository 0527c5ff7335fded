"""The Django admin under Bryggan's Content-Security-Policy: a site administrator signs in
(second factor included) and the admin's pages work without a single CSP violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_admin_works_under_the_content_security_policy(world, apage):
    page = apage.page
    log_in(apage, "admin@bryggan.test")
    unit = world.home.objects["unit"]
    for path in (
        "/admin/",
        "/admin/organisation/unit/",
        f"/admin/organisation/unit/{unit.pk}/change/",
        "/admin/core/accesslogentry/",
    ):
        page.goto(apage.base_url + path)
        page.wait_for_load_state("networkidle")
        expect(page.locator("#content")).to_be_visible()
    assert not apage.csp_violations, apage.csp_violations


def test_the_demo_administrator_reads_the_emails_in_the_outbox(world, apage, settings):
    """In the demo, what Bryggan sends lands in the outbox: the administrator finds it from
    the menu and reads one e-mail, in a page axe-core finds nothing serious on."""
    from django.core import mail

    settings.EMAIL_BACKEND = "bryggan.demo.outbox.OutboxBackend"
    mail.send_mail(
        "Välkommen till Bryggan",
        "Hej Sara,\n\nVälj ditt lösenord: https://example.se/reset/x/",
        None,
        ["sara@example.se"],
    )
    page = apage.page
    log_in(apage, "admin@bryggan.test")
    apage.goto("/")
    page.get_by_role("link", name="Demots utkorg").click()
    expect(page.get_by_role("heading", name="Demots utkorg")).to_be_visible()
    apage.check()
    page.get_by_role("link", name="Välkommen till Bryggan").click()
    expect(page.get_by_text("Välj ditt lösenord")).to_be_visible()
    expect(page.get_by_role("link", name="https://example.se/reset/x/")).to_be_visible()
    apage.check()
    apage.screenshot("demo-outbox.png")
