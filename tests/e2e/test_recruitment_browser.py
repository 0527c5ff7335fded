"""Recruitment end to end in a real browser: a student applies from the careers page with
real files, the coordinator invites them and publishes an interview time, the student books
it from their private link and gets the .ics invite, and the interviewer fills in the
scorecard. axe-core checks every page; the public pages must have no violations at all."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from bryggan.recruitment import links
from bryggan.recruitment.models import Application, Interview
from tests.e2e.session import log_in
from tests.recruitment_data import PDF_BYTES, docx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_invite_book_and_assess(rworld, apage, browser, live_server, tmp_path):
    page = apage.page
    slug = rworld.home.municipality.slug
    posting = rworld.home.rec["posting"]
    unit = rworld.home.objects["unit"]
    cv = tmp_path / "Sara Lind CV.pdf"
    cv.write_bytes(PDF_BYTES)
    letter = tmp_path / "Personligt brev.docx"
    letter.write_bytes(docx_bytes())

    # The careers page and the posting, with its JobPosting data for search engines.
    apage.goto(f"/karriar/{slug}/", strict=True)
    page.get_by_role("link", name=posting.title).click()
    apage.check(strict=True)
    data = json.loads(page.locator('script[type="application/ld+json"]').inner_text())
    assert data["@type"] == "JobPosting" and data["title"] == posting.title
    assert data["employmentType"] == "PART_TIME"
    assert data["validThrough"].startswith(posting.last_application_date.isoformat())
    page.get_by_role("link", name="Ansök").click()
    apage.check(strict=True)

    # An empty submit: every error named, tied to its field, and still no violations.
    page.get_by_role("button", name="Skicka ansökan").click()
    expect(page.get_by_role("alert")).to_contain_text("Rätta följande")
    expect(page.get_by_label("Förnamn")).to_have_attribute("aria-invalid", "true")
    apage.check(strict=True)

    page.get_by_label("Förnamn").fill("Sara")
    page.get_by_label("Efternamn").fill("Lind")
    page.get_by_label("E-postadress").fill("sara.lind@example.se")
    page.get_by_label("Telefon").fill("070-123 45 67")
    page.get_by_label("Lärosäte").select_option(label=rworld.home.objects["university"].name)
    page.get_by_label("Vilken termin av utbildningen läser du?").fill("6")
    page.get_by_label("Beräknad examen").select_option(index=2)
    page.get_by_label("Önskemål 1").select_option(label=unit.name)
    page.get_by_label("Dina intressen").fill("Barn och unga, utredning enligt LVU.")
    page.get_by_label("CV").set_input_files(str(cv))
    page.get_by_label("Personligt brev").set_input_files(str(letter))
    page.get_by_label("Var hörde du talas om oss?").select_option("careers_page")
    page.get_by_label("Jag samtycker till behandlingen som beskrivs ovan.").check()
    page.get_by_role("button", name="Skicka ansökan").click()
    expect(page.get_by_role("heading", name=f"Din ansökan: {posting.title}")).to_be_visible()
    expect(page.get_by_text("Tack! Din ansökan är skickad.")).to_be_visible()
    apage.check(strict=True)
    application = Application.objects.get(person__email="sara.lind@example.se")
    assert application.documents.count() == 2

    # The coordinator sees it on the board and invites Sara to an interview.
    coordinator = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    from tests.e2e.conftest import AccessiblePage

    staff_page = AccessiblePage(coordinator.new_page(), live_server.url)
    log_in(staff_page, "coordinator@sodertalje.test")
    staff_page.goto(f"/rekrytering/annons/{posting.pk}/tavla/")
    sp = staff_page.page
    expect(sp.get_by_role("link", name="Sara Lind")).to_be_visible()
    sp.get_by_label("Välj Sara Lind").check()
    sp.get_by_label("Åtgärd").select_option("invite")
    sp.get_by_role("button", name="Utför").click()
    expect(sp.get_by_text("1 ansökningar flyttade.")).to_be_visible()
    staff_page.check()
    application.refresh_from_db()
    assert application.stage == "interview"

    # ... and publishes an interview time with the supervisor as interviewer.
    staff_page.goto(f"/rekrytering/annons/{posting.pk}/")
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    sp.get_by_label("Börjar").fill(f"{day}T09:00")
    sp.get_by_label("Slutar").fill(f"{day}T10:00")
    sp.get_by_label("Plats", exact=True).fill("Storgatan 12, rum 3")
    sp.locator(f'input[name="interviewers"][value="{rworld.home.objects["staff"].pk}"]').check()
    sp.get_by_role("button", name="Publicera tiden").click()
    expect(sp.get_by_text("Intervjutiden är publicerad.")).to_be_visible()
    staff_page.check()

    # Sara books it from her private link and downloads the invite.
    apage.goto(links.link_path(application), strict=True)
    page.get_by_label(f"{timezone.localdate() + timedelta(days=10):%Y}", exact=False).first.check()
    page.get_by_role("button", name="Boka tiden").click()
    expect(page.get_by_text("Din intervju är")).to_be_visible()
    apage.check(strict=True)
    interview = Interview.objects.get(application=application, status="booked")
    ics_link = page.get_by_role("link", name="Lägg till i din kalender (.ics)")
    ics = page.request.get(live_server.url + ics_link.get_attribute("href"))
    calendar = Calendar.from_ical(ics.body())
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["UID"]) == interview.uid
    assert str(calendar["METHOD"]) == "REQUEST"
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"

    # The interviewer (a supervisor) now sees the application and fills in the scorecard.
    interviewer = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    int_page = AccessiblePage(interviewer.new_page(), live_server.url)
    log_in(int_page, "supervisor@sodertalje.test")
    int_page.goto(f"/rekrytering/ansokan/{application.pk}/")
    ip = int_page.page
    ip.get_by_role("link", name="Fyll i din bedömning").click()
    int_page.check()
    for group in ip.locator("fieldset").all():
        group.get_by_label("4").check()
    ip.get_by_label("Kommentar").fill("Reflekterande, tydlig motivation.")
    ip.get_by_role("button", name="Spara bedömningen").click()
    expect(ip.get_by_text("Din bedömning är sparad.")).to_be_visible()
    expect(ip.get_by_text("Reflekterande, tydlig motivation.")).to_be_visible()
    int_page.check()
    assert application.assessments.get().total == 8
    int_page.screenshot("recruitment-application.png")
    staff_page.goto(f"/rekrytering/annons/{posting.pk}/tavla/")
    staff_page.screenshot("recruitment-board.png")
    coordinator.close()
    interviewer.close()


def test_the_public_pages_work_on_a_phone(rworld, browser, live_server):
    from tests.e2e.conftest import AccessiblePage

    context = browser.new_context(
        locale="sv-SE", viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    phone = AccessiblePage(context.new_page(), live_server.url)
    slug = rworld.home.municipality.slug
    posting = rworld.home.rec["posting"]
    for path in (
        f"/karriar/{slug}/",
        f"/karriar/{slug}/{posting.pk}/",
        f"/karriar/{slug}/{posting.pk}/ansok/",
        f"/karriar/{slug}/evenemang/{rworld.home.rec['event'].pk}/",
        links.link_path(rworld.home.rec["application"]),
    ):
        phone.goto(path, strict=True)
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways on a phone ({width}px)"
    context.close()


def test_the_board_in_columns_by_drag_and_by_keyboard(rworld, apage):
    """The coordinator moves one card by dragging it to another column and another with the
    keyboard alone (the card's stage and Move), then steps to the next applicant."""
    from tests.recruitment.test_board import _applications

    apps = _applications(rworld, 2)
    posting = rworld.home.rec["posting"]
    log_in(apage, "coordinator@sodertalje.test")
    apage.goto(f"/rekrytering/annons/{posting.pk}/tavla/")
    page = apage.page
    page.get_by_role("link", name="som kolumner per steg").click()
    expect(page.get_by_role("heading", name="Urval (0)")).to_be_visible()
    apage.check()

    first, second = apps
    # Grabbed by the card's edge (as a person does: the select and the button are controls).
    page.locator(f"#card-{first.pk}").drag_to(
        page.locator('section[data-stage="screening"]'), source_position={"x": 3, "y": 3}
    )
    expect(page.get_by_role("heading", name="Urval (1)")).to_be_visible()
    expect(page.locator(f'section[data-stage="screening"] #card-{first.pk}')).to_be_visible()
    first.refresh_from_db()
    assert first.stage == "screening"

    select = page.get_by_label(f"Flytta {second.person} till")
    select.focus()
    page.keyboard.press("End")  # Bedömd … Avslagen: the last choice
    select.select_option("assessed")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Bedömd (1)")).to_be_visible()
    second.refresh_from_db()
    assert second.stage == "assessed"
    apage.check()
    apage.screenshot("recruitment-board-columns.png")

    page.locator(f"#card-{first.pk}").get_by_role("link").click()
    expect(page.get_by_role("heading", name=str(first.person))).to_be_visible()
    apage.check()

    # Anna's CV is previewed in the page as a picture of each page, not as the PDF itself.
    anna = rworld.home.rec["application"]
    apage.goto(f"/rekrytering/ansokan/{anna.pk}/")
    page.get_by_role("link", name="Nästa sökande", exact=False).or_(
        page.get_by_role("link", name="Föregående sökande", exact=False)
    ).first.wait_for()
    page.get_by_role("link", name="Förhandsgranska", exact=False).click()
    picture = page.get_by_role("img", name="Sida 1 av 1", exact=False)
    expect(picture).to_be_visible()
    assert picture.evaluate("img => img.naturalWidth") > 500
    apage.check()
    apage.screenshot("recruitment-document-preview.png")
