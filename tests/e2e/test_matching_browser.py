"""Matching end to end in a real browser: the coordinator opens the inputs from the posting,
runs the matching, reads why a student did not get their first wish, changes one placement
by hand (first without a reason, which is refused), and publishes. axe-core checks every
page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bryggan.matching.models import MatchingOverride, MatchingRun
from bryggan.programme.models import Placement
from tests.e2e.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_run_explain_override_and_publish(scene, apage):
    page = apage.page
    posting = scene["posting"]
    cia = scene["apps"]["cia"]
    log_in(apage, "coordinator@sodertalje.test")

    apage.goto(f"/rekrytering/annons/{posting.pk}/")
    page.get_by_role("link", name="Matchning").click()
    expect(page.get_by_role("heading", name=f"Matchning: {posting.title}")).to_be_visible()
    expect(page.get_by_text("Återvändande aspirant")).to_be_visible()  # the pinned pair
    apage.check()

    page.get_by_label("Lottningsnummer vid lika rankning").fill("11")
    page.get_by_role("button", name="Starta körningen").click()
    run = MatchingRun.objects.filter(posting=posting).order_by("-number").first()
    expect(
        page.get_by_role("heading", name=f"Matchning #{run.number}: {posting.title}")
    ).to_be_visible()
    expect(page.get_by_text("Stabil")).to_be_visible()
    apage.check()

    # Why did Cia not get Mottagning, her first wish?
    row = page.locator(f"#student-{cia.pk}")
    row.get_by_text("1 skäl").click()
    expect(row).to_contain_text(
        "Mottagning var full med studenter den rankade högre; den sista som antogs var dess "
        "rank 1, du var dess rank 2."
    )
    apage.check()

    # Change Cia's placement: without a reason it is refused, with one it is kept.
    page.get_by_label("Student", exact=True).select_option(value=str(cia.pk))
    page.get_by_label("Ny placering").select_option(value="")
    page.get_by_role("button", name="Ändra placeringen").click()
    expect(page.get_by_text("Skriv varför du ändrar placeringen")).to_be_visible()
    assert not MatchingOverride.objects.exists()
    page.get_by_label("Student", exact=True).select_option(value=str(cia.pk))
    page.get_by_label("Ny placering").select_option(value="")
    page.get_by_label("Skäl").fill("Cia tackade nej till platsen i telefon")
    page.get_by_role("button", name="Ändra placeringen").click()
    expect(page.get_by_text("Placeringen är ändrad")).to_be_visible()
    expect(row).to_contain_text("Cia tackade nej till platsen i telefon")
    apage.check()
    apage.screenshot("matching-run.png")

    # Publishing shows what would happen first: Anna's interview is not assessed, so she
    # waits unless she is named; the coordinator names her, sees the summary, confirms.
    page.get_by_role("link", name="Publicera: skapa placeringarna och meddela studenterna").click()
    expect(page.get_by_role("heading", name="Publicera placeringarna?")).to_be_visible()
    expect(page.get_by_text("1 sökande erbjuds en plats")).to_be_visible()
    anna = scene["apps"]["anna"]
    waiting = page.get_by_label(str(anna.person), exact=False)
    expect(waiting).not_to_be_checked()
    apage.check()
    waiting.check()
    page.get_by_role("button", name="Uppdatera sammanfattningen").click()
    expect(page.get_by_text("2 sökande erbjuds en plats")).to_be_visible()
    apage.check()
    apage.screenshot("matching-publish.png")
    page.get_by_role("button", name="Ja, publicera 2 placeringar").click()
    expect(
        page.get_by_text("2 placeringar är skapade och studenterna har meddelats.")
    ).to_be_visible()
    expect(page.get_by_text("Publicerad", exact=False).first).to_be_visible()
    apage.check()
    assert Placement.objects.filter(person=cia.person).count() == 0
    assert Placement.objects.filter(term=scene["world"].home.objects["term"]).count() == 2
