"""A coordinator's day in a real browser: log in, switch language, add a unit and a supervisor
with capacity, and watch the capacity overview change. axe-core checks every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_adds_a_unit_and_supervisor_and_sees_capacity_grow(world, apage):
    page = apage.page
    term = world.home.objects["term"]
    log_in(apage, "coordinator@sodertalje.test")

    # Keyboard: the first Tab lands on the skip link, which is visible when focused.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Hoppa till innehållet")).to_be_focused()

    # Switch to English and back to Swedish.
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    apage.check()
    page.get_by_role("button", name="Svenska").click()
    expect(page.get_by_role("heading", name="Översikt")).to_be_visible()

    # Capacity before.
    apage.goto(f"/org/capacity/?term={term.pk}")
    before = int(page.locator("#total-capacity").inner_text())

    # A new unit; first an empty submit shows errors tied to the fields.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Enheter").click()
    apage.check()
    page.get_by_role("link", name="Ny enhet").click()
    apage.check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert")).to_contain_text("Rätta följande")
    expect(page.get_by_label("Namn")).to_have_attribute("aria-invalid", "true")
    apage.check()
    page.get_by_label("Avdelning").select_option(label="Barn och unga")
    page.get_by_label("Namn").fill("Familjehemsenheten")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", name="Familjehemsenheten")).to_be_visible()
    apage.check()

    # A supervisor in that unit.
    apage.goto("/org/staff/new/")
    page.get_by_label("Förnamn").fill("Leila")
    page.get_by_label("Efternamn").fill("Haddad")
    page.get_by_label("Titel").fill("Socialsekreterare")
    page.get_by_label("Enhet").select_option(label="Familjehemsenheten")
    page.get_by_label("Anställd från").fill("2021-09-01")
    page.get_by_label("Utbildad handledare").check()
    page.get_by_label("Handledarutbildning klar").fill("2023-05-15")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", name="Leila Haddad")).to_be_visible()
    apage.check()

    # Their capacity this term.
    apage.goto("/org/capacity/new/")
    page.get_by_label("Handledare").select_option(label="Leila Haddad")
    page.get_by_label("Termin").select_option(label=str(term))
    page.get_by_label("Studenter").fill("3")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text(re.compile("Sparat"))).to_be_visible()
    apage.check()

    # The overview shows the new unit with its supervisor, and the total grew by three.
    apage.goto(f"/org/capacity/?term={term.pk}")
    unit_row = page.locator("tr[data-unit='Familjehemsenheten']")
    expect(unit_row).to_contain_text("3")
    expect(page.locator("tr[data-supervisor='Leila Haddad']")).to_be_visible()
    expect(page.locator("#total-capacity")).to_have_text(str(before + 3))
    shot = apage.screenshot("capacity-overview.png")
    assert shot.stat().st_size > 10_000
    assert len(apage.checked) >= 10


def test_search_filters_the_list_as_you_type(world, apage):
    page = apage.page
    log_in(apage, "coordinator@sodertalje.test")
    apage.goto("/org/staff/")
    page.get_by_label("Sök", exact=True).fill("Handledarsson")
    expect(page.locator("#records caption")).to_contain_text("1 post")
    expect(page).to_have_url(re.compile(r"q=Handledarsson"))
    apage.check()
