"""A working day of each role, end to end in a real browser from the home page: the
coordinator publishes placements, the supervisor approves two of ten entries and records a
supervision session, the student logs hours on a phone, the university contact reads an
assessment. axe-core checks every page visited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bryggan.core.roles import Role
from bryggan.programme.models import HoursEntry, Placement
from tests.e2e.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_goes_from_home_to_published_placements(rworld, apage):
    page = apage.page
    run = rworld.home.rec["run"]
    anna = rworld.home.rec["application"]
    log_in(apage, rworld.home.user(Role.COORDINATOR).email)
    page.get_by_role("link", name=f"Matchningskörning {run.number} är klar att publicera").click()
    page.get_by_role("link", name="Publicera: skapa placeringarna och meddela studenterna").click()
    expect(page.get_by_role("heading", name="Publicera placeringarna?")).to_be_visible()
    apage.check()
    # Anna's interview is not assessed: she is offered a place only when named.
    page.get_by_label(str(anna.person), exact=False).check()
    page.get_by_role("button", name="Uppdatera sammanfattningen").click()
    page.get_by_role("button", name="Ja, publicera", exact=False).click()
    expect(page.get_by_text("placeringar är skapade och studenterna har meddelats")).to_be_visible()
    apage.check()
    assert Placement.objects.filter(person=anna.person).exists()


def test_the_supervisor_approves_two_of_ten_and_records_a_session(rworld, apage):
    page = apage.page
    pia = rworld.home.rec["practicum_participant"]
    today = timezone.localdate()
    entries = [
        HoursEntry.objects.create(
            municipality=pia.municipality,
            participant=pia,
            day=today - timedelta(days=n),
            hours=7,
            activity=f"Dag {n}",
            kind="practicum",
        )
        for n in range(1, 11)
    ]
    log_in(apage, rworld.home.user(Role.SUPERVISOR).email)
    apage.goto("/programmet/attestera/")
    apage.check()
    boxes = [page.get_by_role("checkbox", name=f"{pia} {e.day.isoformat()}") for e in entries]
    for box in boxes:
        expect(box).not_to_be_checked()  # nothing pre-ticked: an attestation is chosen
    boxes[0].check()
    boxes[4].check()
    page.get_by_role("button", name="Attestera de valda timmarna").click()
    expect(page.get_by_text("2 dagars timmar attesterade.")).to_be_visible()
    apage.check()
    approved = set(
        HoursEntry.objects.filter(participant=pia, status="approved").values_list("pk", flat=True)
    )
    assert {entries[0].pk, entries[4].pk} <= approved
    assert not approved & {e.pk for e in entries[1:4] + entries[5:]}

    apage.goto(f"/programmet/deltagare/{pia.pk}/plan/")
    form = page.locator("form", has=page.get_by_role("button", name="Registrera tillfället"))
    form.get_by_label("Ämnen").fill("Första veckans ärenden")
    page.get_by_role("button", name="Registrera tillfället", exact=True).click()
    expect(page.get_by_text("Första veckans ärenden")).to_be_visible()
    apage.check()


def test_the_student_logs_hours_on_a_phone(rworld, browser, live_server):
    from tests.e2e.conftest import AccessiblePage

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")
    apage = AccessiblePage(context.new_page(), live_server.url)
    log_in(apage, rworld.home.user(Role.STUDENT).email)
    apage.goto("/programmet/mitt/")
    page = apage.page
    day = timezone.localdate() - timedelta(days=2)
    page.get_by_label("Dag").fill(day.isoformat())
    page.get_by_role("textbox", name="Timmar").fill("3,5")
    page.get_by_label("Vad du gjorde").fill("Journalföring")
    page.get_by_role("button", name="Registrera timmarna").click()
    expect(page.get_by_role("cell", name="Journalföring")).to_be_visible()
    apage.check()
    context.close()


def test_the_university_contact_reads_an_assessment(rworld, apage):
    page = apage.page
    assessment = rworld.home.rec["assessment"]
    log_in(apage, rworld.home.user(Role.UNIVERSITY_CONTACT).email)
    expect(page.get_by_role("heading", name="Ditt lärosätes studenter")).to_be_visible()
    page.get_by_role("link", name="Bedömningar", exact=False).first.click()
    page.get_by_role("link", name=f"{assessment.participant} , Halvtidsbedömning").click()
    expect(page.get_by_role("heading", name="Kunskap och förståelse", exact=False)).to_be_visible()
    expect(page.get_by_text(assessment.knowledge)).to_be_visible()
    expect(page.get_by_role("link", name="Ladda ner som PDF")).to_be_visible()
    apage.check()
    apage.screenshot("assessment-read.png")


def test_the_coordinator_rejects_after_reading_the_e_mail_and_undoes_it(rworld, apage):
    """A bulk rejection shows who and the e-mail before anything happens, then waits: the
    coordinator undoes it on the board and nobody is told."""
    from bryggan.recruitment.models import Application

    page = apage.page
    anna = rworld.home.rec["application"]
    stage_before = anna.stage
    log_in(apage, rworld.home.user(Role.COORDINATOR).email)
    apage.goto(f"/rekrytering/annons/{anna.posting_id}/tavla/")
    page.get_by_label(f"Välj {anna.person}").check()
    page.get_by_label("Åtgärd").select_option("reject")
    page.get_by_role("button", name="Utför").click()
    expect(page.get_by_role("heading", name="Avslå 1 ansökan?")).to_be_visible()
    expect(page.get_by_text(str(anna.person)).first).to_be_visible()
    expect(page.get_by_role("heading", name="Mejlet")).to_be_visible()
    apage.check()
    apage.screenshot("recruitment-reject-confirm.png")
    assert Application.objects.get(pk=anna.pk).stage == stage_before  # nothing yet
    page.get_by_role("button", name="Ja, avslå 1 ansökan").click()
    expect(page.get_by_text("1 ansökan är avslagen")).to_be_visible()
    apage.check()
    assert Application.objects.get(pk=anna.pk).stage == "rejected"
    page.get_by_role("button", name="Ångra avslaget").click()
    expect(page.get_by_text("Avslaget är ångrat")).to_be_visible()
    apage.check()
    assert Application.objects.get(pk=anna.pk).stage == stage_before
