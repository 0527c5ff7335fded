"""The three steps across roles in a real browser: the aspirant logs hours and sees that her
month breaks the rules; her mentor approves the hours and signs off a task (a task that needs
a degree is refused as independent); the coordinator moves her to step 2 and offers her
employment; she accepts and becomes a staff member. axe-core checks every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bryggan.organisation.models import StaffMember
from bryggan.programme.models import HoursEntry, Offer
from tests.e2e.conftest import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hours_approval_step_two_and_an_accepted_offer(rworld, browser, live_server):
    home = rworld.home
    alva = home.rec["participant"]
    Offer.objects.filter(participant=alva).delete()
    today = timezone.localdate()

    # The aspirant logs hours of three days ago (yesterday's are already logged).
    student = signed_in_page(browser, live_server, "student@sodertalje.test")
    student.goto("/programmet/mitt/")
    page = student.page
    expect(page.get_by_role("heading", name="Mitt program")).to_be_visible()
    # Her short months read as one line, not one warning each.
    expect(page.get_by_role("alert")).to_contain_text("månader under aspiranternas 10 timmar")
    page.get_by_label("Dag").fill((today - timedelta(days=3)).isoformat())
    page.get_by_role("textbox", name="Timmar").fill("25")
    page.get_by_label("Vad du gjorde").fill("Hembesök")
    page.get_by_role("button", name="Registrera timmarna").click()
    expect(page.get_by_text("En dag har mer än 0 och högst 24 timmar.").first).to_be_visible()
    student.check()
    page.get_by_role("textbox", name="Timmar").fill("6,5")
    page.get_by_role("button", name="Registrera timmarna").click()
    expect(page.get_by_text("Dina timmar är registrerade och väntar på attest.")).to_be_visible()
    student.check()
    logged = HoursEntry.objects.get(participant=alva, day=today - timedelta(days=3))

    # Her mentor approves it.
    mentor = signed_in_page(browser, live_server, "supervisor@sodertalje.test")
    mentor.goto("/programmet/attestera/")
    mp = mentor.page
    expect(mp.get_by_role("cell", name="Hembesök")).to_be_visible()
    # Nothing is ticked beforehand: an attestation is what the mentor chose.
    boxes = mp.get_by_role("checkbox")
    assert boxes.count() >= 2 and not any(box.is_checked() for box in boxes.all())
    mp.get_by_role("checkbox", name=f"{alva} {logged.day.isoformat()}").check()
    mentor.screenshot("programme-approve.png")
    mp.get_by_role("button", name="Attestera de valda timmarna").click()
    expect(mp.get_by_text("dagars timmar attesterade")).to_be_visible()
    mentor.check()
    logged.refresh_from_db()
    assert logged.status == "approved"

    # ... and signs off a task in her introduction plan; a degree task stays supervised.
    mp.get_by_role("link", name="Mina studenter").click()
    mp.get_by_role("link", name=str(alva)).click()
    mp.get_by_label("Nivå: Observera ett hembesök").select_option("independent")
    mp.get_by_role("button", name="Signera Observera ett hembesök").click()
    expect(mp.get_by_text("Signerat.")).to_be_visible()
    mp.get_by_label("Nivå: Delta i en utredning").select_option("independent")
    mp.get_by_role("button", name="Signera Delta i en utredning").click()
    expect(mp.get_by_text("kräver socionomexamen (HSLF-FS 2017:79)")).to_be_visible()
    mentor.check()

    # ... and records a mentor meeting on the same page: the form is on the page, not in
    # its title, and the meeting appears in the list once saved.
    expect(mp).to_have_title(f"Introduktionsplan: {alva} – Bryggan")
    record = mp.get_by_role("button", name="Registrera tillfället", exact=True)
    session_form = mp.locator("form", has=record)
    session_form.get_by_label("Typ").select_option("mentor")
    session_form.get_by_label("Ämnen").fill("   ")
    mp.get_by_role("button", name="Registrera tillfället", exact=True).click()
    expect(mp.get_by_text("Ange ämnena")).to_be_visible()
    session_form.get_by_label("Typ").select_option("mentor")
    session_form.get_by_label("Ämnen").fill("Första hembesöket")
    mp.get_by_role("button", name="Registrera tillfället", exact=True).click()
    expect(mp.get_by_text("Tillfället är registrerat.")).to_be_visible()
    expect(mp.get_by_role("listitem").filter(has_text="Första hembesöket")).to_be_visible()
    mentor.check()
    mentor.screenshot("programme-student-plan.png")

    # The coordinator moves her to step 2 and offers her employment.
    coordinator = signed_in_page(browser, live_server, "coordinator@sodertalje.test")
    coordinator.goto("/programmet/")
    cp = coordinator.page
    # Only those who need action: Alva has no summer job yet, so she is among them.
    cp.get_by_label("Bara de som behöver åtgärd").check()
    cp.get_by_role("button", name="Filtrera").click()
    expect(cp.get_by_label("Bara de som behöver åtgärd")).to_be_checked()
    expect(cp.get_by_role("cell", name="Inget sommarjobb registrerat ännu").first).to_be_visible()
    coordinator.check()
    coordinator.screenshot("programme-overview-action.png")
    cp.get_by_role("link", name=str(alva)).click()
    # The day the mentor approved, with its hours, status and approver
    approved = cp.get_by_role("row").filter(has_text=logged.day.isoformat())
    expect(approved).to_contain_text("6,50")
    expect(approved).to_contain_text("Attesterad (")
    coordinator.check()
    coordinator.screenshot("programme-participant.png")
    move_form = cp.locator("form", has=cp.get_by_role("button", name="Flytta", exact=True))
    move_form.get_by_role("combobox", name="Flytta till").select_option("student_employee")
    move_form.get_by_role("combobox", name="Enhet").select_option(str(home.objects["unit"].pk))
    move_form.get_by_label("Första dag").fill((today + timedelta(days=1)).isoformat())
    move_form.get_by_label("Sista dag").fill((today + timedelta(days=150)).isoformat())
    cp.get_by_role("button", name="Flytta", exact=True).click()
    expect(cp.get_by_text("Deltagaren är flyttad.")).to_be_visible()
    offer_form = cp.locator("form", has=cp.get_by_role("button", name="Lämna erbjudandet"))
    offer_form.get_by_role("combobox", name="Enhet").select_option(str(home.objects["unit"].pk))
    offer_form.get_by_label("Månadslön (kr)").fill("35400")
    offer_form.get_by_role("combobox", name="Kontaktperson").select_option(
        str(home.objects["staff"].pk)
    )
    offer_form.get_by_label("Startdatum").fill((today + timedelta(days=60)).isoformat())
    offer_form.get_by_label("Svar senast").fill((today + timedelta(days=10)).isoformat())
    cp.get_by_role("button", name="Lämna erbjudandet").click()
    expect(cp.get_by_text("Erbjudandet är lämnat")).to_be_visible()
    coordinator.check()

    # She accepts it and is a staff member from the start date.
    student.goto("/programmet/mitt/")
    expect(page.get_by_text("35400 kr före skatt")).to_be_visible()
    page.get_by_role("button", name="Acceptera erbjudandet").click()
    expect(page.get_by_role("heading", name="Acceptera erbjudandet?")).to_be_visible()
    student.check()
    page.get_by_role("button", name="Ja, jag accepterar").click()
    expect(page.get_by_text("Välkommen!")).to_be_visible()
    expect(page.get_by_text("Erbjudandet accepterat: du börjar")).to_be_visible()
    student.check()
    staff = StaffMember.objects.get(offer__participant=alva)
    assert staff.employed_from == today + timedelta(days=60)
    coordinator.goto("/programmet/?stage=employed")
    expect(cp.get_by_role("link", name=str(alva))).to_be_visible()
    coordinator.check()
