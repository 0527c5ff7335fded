"""The specialists in a real browser: a new hire sees their specialists, tries to send a
question with a personnummer (refused), asks without it; the specialist takes it, answers and
makes a knowledge note the new hire then finds; the specialist publishes an update, a case
worker sees it on the home page and confirms it, and HR sees who has not. axe-core checks
every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bryggan.core.roles import Role
from bryggan.specialists.models import Acknowledgement, Consultation, KnowledgeNote
from tests.e2e.conftest import signed_in_page
from tests.specialists_data import build_specialists, link_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ask_answer_note_publish_and_acknowledge(world, browser, live_server):
    spec = build_specialists(world.home)
    link_staff(world.home, Role.NEW_HIRE, spec["unit"], "Nyanställdsson")

    hire = signed_in_page(browser, live_server, "new_hire@sodertalje.test")
    page = hire.page
    expect(page.get_by_role("heading", name="Dina specialister")).to_be_visible()
    page.get_by_role("link", name="Ställ en fråga till dem").click()
    hire.check()
    expect(page.locator("#your-specialists")).to_contain_text(str(spec["specialist"]))
    page.get_by_label("Område (obligatoriskt)").select_option(str(spec["children"].pk))
    page.get_by_label("Din fråga (obligatoriskt)").fill(
        "Pojken 850709-9805 vill inte flytta hem. Vad gäller?"
    )
    page.get_by_role("button", name="Skicka frågan").click()
    expect(page.get_by_text("Ta bort personnumret").first).to_be_visible()
    hire.check()
    assert not Consultation.unscoped.filter(question__contains="Pojken").exists()
    page.get_by_label("Din fråga (obligatoriskt)").fill(
        "En ungdom vill inte flytta hem efter placering. Vad gäller?"
    )
    page.get_by_role("button", name="Skicka frågan").click()
    expect(page.get_by_text("Din fråga är skickad till specialisterna.")).to_be_visible()
    asked = Consultation.unscoped.get(question__startswith="En ungdom")

    specialist = signed_in_page(browser, live_server, "specialist@sodertalje.test")
    sp = specialist.page
    specialist.goto("/specialister/")
    sp.locator("#queue").get_by_role("link", name="En ungdom vill inte flytta hem").click()
    sp.get_by_role("button", name="Ta frågan").click()
    expect(sp.get_by_text("Frågan är din att besvara.")).to_be_visible()
    sp.get_by_label("Svar (obligatoriskt)").fill(
        "Se 21 § LVU: socialnämnden prövar om vården ska upphöra."
    )
    sp.get_by_role("button", name="Skicka svaret").click()
    expect(sp.get_by_text("Svaret är skickat.")).to_be_visible()
    specialist.check()
    sp.get_by_label("Titel (obligatoriskt)").fill("När vården enligt LVU upphör")
    sp.get_by_role("button", name="Spara kunskapsnotisen").click()
    expect(sp.get_by_text("Kunskapsnotisen är sparad.")).to_be_visible()
    assert KnowledgeNote.unscoped.filter(consultation=asked).exists()

    hire.goto(f"/specialister/fraga/{asked.pk}/")
    expect(page.locator("#answer")).to_contain_text("21 § LVU")
    page.get_by_role("button", name="Ja, det hjälpte").click()
    expect(page.get_by_text("Tack: specialisterna ser det.")).to_be_visible()
    hire.goto("/specialister/kunskap/?q=LVU")
    expect(page.locator("#notes")).to_contain_text("När vården enligt LVU upphör")
    hire.check()

    # An update for the unit, to be read within a week.
    specialist.goto("/specialister/uppdateringar/")
    sp.get_by_label("Titel (obligatoriskt)").fill("Ny vägledning om placeringar")
    sp.get_by_label("Sammanfattning (obligatoriskt)").fill(
        "Socialstyrelsen har gett ut ny vägledning."
    )
    sp.get_by_label("Ska vara läst senast (obligatoriskt)").fill(
        (timezone.localdate() - timedelta(days=1)).isoformat()
    )
    sp.get_by_label("Gäller alla").check()
    sp.get_by_role("button", name="Publicera").click()
    expect(sp.get_by_text("har passerat").first).to_be_visible()
    specialist.check()
    sp.get_by_label("Ska vara läst senast (obligatoriskt)").fill(
        (timezone.localdate() + timedelta(days=7)).isoformat()
    )
    sp.get_by_role("button", name="Publicera").click()
    expect(sp.get_by_text("Uppdateringen är publicerad för dem den gäller.")).to_be_visible()
    specialist.screenshot("specialists-updates.png")

    worker = signed_in_page(browser, live_server, "supervisor@sodertalje.test")
    wp = worker.page
    wp.get_by_role("link", name="Läs och bekräfta: Ny vägledning om placeringar").click()
    wp.get_by_role("button", name="Jag har läst den").click()
    expect(wp.get_by_text("du har bekräftat att du har läst den").first).to_be_visible()
    worker.check()
    assert (
        Acknowledgement.unscoped.filter(update__title="Ny vägledning om placeringar").count() == 1
    )

    hr = signed_in_page(browser, live_server, "hr@sodertalje.test")
    hr.goto("/specialister/uppdateringar/")
    hr.page.get_by_role("link", name="Ny vägledning om placeringar").click()
    expect(hr.page.locator("#missing")).to_contain_text(world.home.user(Role.MENTOR).full_name)
    expect(hr.page.locator("#missing")).not_to_contain_text(
        world.home.user(Role.SUPERVISOR).full_name
    )
    hr.check()
    hr.screenshot("specialists-missing.png")
