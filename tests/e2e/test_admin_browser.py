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
