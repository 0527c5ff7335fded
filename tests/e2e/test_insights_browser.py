"""The insights in a real browser: the coordinator opens the funnel, staying on, workforce
health, supervisor load and the forecast (the charts load and the tables stand beside
them), enters a hiring need, imports an HR file through its preview, downloads the
council's PDF, writes a survey that a colleague answers anonymously, and the national
analyst compares municipalities. axe-core checks every page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from bryggan.insights.models import HiringNeed, UnitMonth
from tests import factories as f
from tests.e2e.conftest import signed_in_page
from tests.insights_data import build_insights

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _images_loaded(page) -> None:
    """Every chart on the page is a picture the browser could decode."""
    images = page.locator("figure.chart img")
    assert images.count() > 0, page.url
    for n in range(images.count()):
        expect(images.nth(n)).to_have_js_property("complete", True)
        width = images.nth(n).evaluate("i => i.naturalWidth")
        assert width > 0, (page.url, n, images.nth(n).get_attribute("src")[:80])


def test_the_coordinator_reads_the_figures_plans_imports_and_reports(world, browser, live_server):
    build_insights(world.home)
    coordinator = signed_in_page(browser, live_server, "coordinator@sodertalje.test")
    page = coordinator.page
    page.get_by_role("link", name="Insikter").click()
    expect(
        page.get_by_role("heading", name="Från ansökan till anställning", level=1)
    ).to_be_visible()
    expect(page.locator("#funnel")).to_contain_text("Sökte")
    _images_loaded(page)
    coordinator.check()
    for link, heading in (
        ("Kvarstannande", "Stannar de vi anställer?"),
        ("Personal och arbetsmiljö", "Personal och arbetsmiljö"),
        ("Handledarbelastning", "Handledarbelastning"),
    ):
        page.get_by_role("navigation", name="Insikter").get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        _images_loaded(page)
        coordinator.check()
    expect(page.locator("#load-units")).to_contain_text(world.home.objects["unit"].name)

    page.get_by_role("navigation", name="Insikter").get_by_role("link", name="Prognos").click()
    page.get_by_label("Avdelning (obligatoriskt)").select_option(
        str(world.home.objects["department"].pk)
    )
    page.get_by_label("Rekryteringsbehov (obligatoriskt)").fill("-2")
    page.get_by_role("button", name="Spara behovet").click()
    expect(page.get_by_text("Behovet kan inte vara negativt.", exact=True)).to_be_visible()
    coordinator.check()
    page.get_by_label("Rekryteringsbehov (obligatoriskt)").fill("6")
    page.get_by_role("button", name="Spara behovet").click()
    expect(page.get_by_text("Rekryteringsbehovet är sparat.")).to_be_visible()
    expect(page.locator("#forecast")).to_contain_text("6")
    _images_loaded(page)
    coordinator.check()
    assert HiringNeed.unscoped.get(department=world.home.objects["department"]).need == 6

    with page.expect_download() as pdf:
        page.get_by_role("link", name="Rapport till programrådet (PDF)").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    with open(pdf.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    page.get_by_role("link", name="Import från HR").click()
    coordinator.check()
    unit = world.home.objects["unit"].name
    page.get_by_label("Filen innehåller (obligatoriskt)").select_option("unit_months")
    page.get_by_label("Fil (CSV eller Excel .xlsx) (obligatoriskt)").set_input_files(
        files=[
            {
                "name": "hr.csv",
                "mimeType": "text/csv",
                "buffer": (
                    "unit;month;sick_leave_percent;open_cases;case_workers\n"
                    f"{unit};2025-09;5,5;100;4\n{unit};2025-10;NaN;100;4\n"
                ).encode(),
            }
        ]
    )
    page.get_by_role("button", name="Kontrollera filen").click()
    expect(page.get_by_text("rad 3: Sjukfrånvaron ska vara en procentsats")).to_be_visible()
    coordinator.check()
    page.get_by_label("Filen innehåller (obligatoriskt)").select_option("unit_months")
    page.get_by_label("Fil (CSV eller Excel .xlsx) (obligatoriskt)").set_input_files(
        files=[
            {
                "name": "hr.csv",
                "mimeType": "text/csv",
                "buffer": (
                    "unit;month;sick_leave_percent;open_cases;case_workers\n"
                    f"{unit};2025-09;5,5;100;4\n{unit};2025-10;6,1;104;4\n"
                ).encode(),
            }
        ]
    )
    page.get_by_role("button", name="Kontrollera filen").click()
    expect(page.get_by_role("heading", name="Kontrollera innan import")).to_be_visible()
    expect(page.locator("#preview")).to_contain_text(unit)
    coordinator.check()
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_text("Importerat: 2 nya och 0 uppdaterade rader.")).to_be_visible()
    assert UnitMonth.unscoped.filter(unit=world.home.objects["unit"], month__year=2025).count() >= 2


def test_a_survey_is_answered_anonymously_and_the_analyst_compares(world, browser, live_server):
    build_insights(world.home)
    for k in range(5):
        f.StaffMemberFactory(unit=world.home.objects["unit"], email=f"kollega{k}@example.org")
    coordinator = signed_in_page(browser, live_server, "coordinator@sodertalje.test")
    page = coordinator.page
    coordinator.goto("/insikter/enkater/")
    page.get_by_label("Titel (obligatoriskt)").fill("Hur är det att handleda?")
    page.get_by_label("Stänger (obligatoriskt)").fill(
        (timezone.localdate() + timezone.timedelta(days=10)).isoformat()
    )
    page.get_by_label("Fråga 1 (obligatoriskt)", exact=True).fill("Handledningen är värd sin tid")
    page.get_by_label("Fråga 2", exact=True).fill("Vad saknar du?")
    page.get_by_label("Svarstyp för fråga 2").select_option("text")
    page.get_by_role("button", name="Spara enkäten").click()
    expect(page.get_by_text("Enkäten är sparad.")).to_be_visible()
    coordinator.check()
    mail.outbox.clear()
    page.get_by_role("button", name="Skicka enkäten").click()
    expect(page.get_by_text("Skickad till")).to_be_visible()
    expect(page.locator("#too-few")).to_be_visible()
    link = re.search(r"(/enkat/[^/\s]+/)", mail.outbox[0].body).group(1)

    colleague = browser.new_context(locale="sv-SE").new_page()
    colleague.goto(live_server.url + link)
    expect(colleague.get_by_role("heading", name="Hur är det att handleda?")).to_be_visible()
    colleague.get_by_role("group", name="1. Handledningen är värd sin tid").get_by_label(
        "4"
    ).check()
    colleague.get_by_label("2. Vad saknar du?").fill("Tid att förbereda.")
    colleague.get_by_role("button", name="Skicka mina svar").click()
    expect(colleague.get_by_role("heading", name="Tack för dina svar")).to_be_visible()
    colleague.goto(live_server.url + link)
    expect(colleague.get_by_text("Länken har redan använts")).to_be_visible()

    analyst = signed_in_page(browser, live_server, "analyst@national.test")
    analyst.goto("/insikter/nationellt/")
    expect(analyst.page.get_by_role("heading", name="Kommuner jämförda", level=1)).to_be_visible()
    expect(analyst.page.locator("#national")).to_contain_text("Södertälje")
    expect(analyst.page.locator("#national")).to_contain_text("Nationell median")
    analyst.check()
