"""Each role's home page in a real browser: signed in through the login page, the inbox shows
what needs that person, an item leads to the work, and axe-core finds nothing serious. The
student's is also seen on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bryggan.core.roles import Role
from tests.e2e.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECTIONS = {
    Role.COORDINATOR: ["Rekrytering och matchning", "Programmet"],
    Role.SUPERVISOR: ["Dina studenter"],
    Role.STUDENT: ["Ditt program"],
    Role.UNIVERSITY_CONTACT: ["Ditt lärosätes studenter"],
    Role.UNIT_MANAGER: ["Dina enheter"],
    Role.HR: ["Anställningar"],
    Role.DPO: ["Dataskydd"],
}


@pytest.mark.parametrize("role", list(SECTIONS))
def test_each_role_lands_on_what_needs_them(rworld, apage, role):
    page = apage.page
    email = rworld.home.user(role).email
    log_in(apage, email)
    for title in SECTIONS[role]:
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    apage.check()
    apage.screenshot(f"home-{role.value}.png")


def test_the_coordinator_follows_an_item_to_the_work(rworld, apage):
    page = apage.page
    log_in(apage, rworld.home.user(Role.COORDINATOR).email)
    run = rworld.home.rec["run"]
    page.get_by_role("link", name=f"Matchningskörning {run.number} är klar att publicera").click()
    expect(page).to_have_url(f"{apage.base_url}/matchning/korning/{run.pk}/")
    apage.check()
    # The menu carries the count of what waits, on every page.
    expect(page.get_by_role("navigation", name="Huvudmeny").locator(".badge")).to_be_visible()


def test_the_students_home_on_a_phone(rworld, browser, live_server):
    from tests.e2e.conftest import AccessiblePage

    context = browser.new_context(viewport={"width": 390, "height": 844})
    apage = AccessiblePage(context.new_page(), live_server.url)
    log_in(apage, rworld.home.user(Role.STUDENT).email)
    page = apage.page
    expect(page.get_by_role("link", name="Den här veckan har du registrerat")).to_be_visible()
    apage.check()
    apage.screenshot("home-student-phone.png")
    page.get_by_role("link", name="Den här veckan har du registrerat").click()
    expect(page.get_by_role("heading", name="Mina timmar")).to_be_visible()
    # On the phone, the week's hours and the form to log them come first, above the fold.
    button = page.get_by_role("button", name="Registrera timmarna")
    apage.page.goto(apage.base_url + "/programmet/mitt/")
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box
    apage.check()
    apage.screenshot("mine-phone.png")
    context.close()
