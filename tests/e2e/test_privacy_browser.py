"""The data-protection officer's day in a real browser: two-factor sign-in, the access log,
a person's data (protected identity, a legal hold, a copy of everything) and the retention
rules. axe-core checks every page; the CSP must block nothing."""

from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import expect

from bryggan.privacy.models import DataSubjectRequest, LegalHold
from tests.e2e.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dpo_audits_reads_handles_a_request_and_sets_a_retention_rule(rworld, apage, tmp_path):
    page = apage.page
    person = rworld.home.rec["person"]
    application = rworld.home.rec["application"]

    # A coordinator reads the file first, so there is something in the access log.
    from bryggan.core.roles import Role
    from tests.clients import signed_in_client

    signed_in_client(rworld.home.user(Role.COORDINATOR)).get(
        f"/rekrytering/ansokan/{application.pk}/"
    )

    log_in(apage, "dpo@sodertalje.test")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Åtkomstlogg").click()
    expect(page.get_by_role("heading", name="Åtkomstlogg")).to_be_visible()
    apage.check()
    page.get_by_label("Vems uppgifter (namn eller e-post)").fill(person.last_name)
    page.get_by_role("button", name="Sök").click()
    expect(page.get_by_role("cell", name=str(person))).to_be_visible()
    apage.check()
    # A wrong date gets a message on the field.
    page.get_by_label("Från").fill("2026-05-02")
    page.get_by_label("Till").fill("2026-05-01")
    page.get_by_role("button", name="Sök").click()
    expect(page.get_by_role("alert")).to_contain_text("Slutdatumet ligger före startdatumet")
    apage.check()

    # The person's data.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Personuppgifter"
    ).click()
    page.get_by_label("Namn eller e-post").fill(person.last_name)
    page.get_by_role("button", name="Sök").click()
    apage.check()
    page.get_by_role("link", name=str(person)).click()
    expect(page.get_by_role("heading", name=str(person))).to_be_visible()
    apage.check()
    page.get_by_role("button", name="Markera som skyddad identitet").click()
    expect(page.get_by_text("Markerad som skyddad identitet.")).to_be_visible()
    page.get_by_label("Ärende eller skäl").fill("DO 2026/55")
    page.get_by_role("button", name="Lägg en rättslig spärr").click()
    expect(page.get_by_text("Rättslig spärr lagd")).to_be_visible()
    assert LegalHold.objects.filter(person_id=person.pk, released_at__isnull=True).exists()
    apage.check()
    page.get_by_label("Begärans diarienummer").first.fill("DSB 2026/9")
    with page.expect_download() as download:
        page.get_by_role("button", name="Ladda ner allt (ZIP)").click()
    path = tmp_path / "copy.zip"
    download.value.save_as(path)
    assert "data/recruitment.Application.json" in zipfile.ZipFile(path).namelist()
    assert DataSubjectRequest.objects.filter(person_id=person.pk, kind="export").exists()
    # Erasure is stopped by the hold, with a clear message.
    page.locator("#id_erase-reference").fill("DSB 2026/10")
    page.get_by_label("Radera: ta bort allt om personen").check()
    page.get_by_label("Ja, jag har kontrollerat att det är rätt person").check()
    page.get_by_role("button", name="Utför").click()
    expect(page.get_by_role("alert")).to_contain_text("rättslig spärr")
    apage.check()

    # Retention: record the municipality's deletion decision for applicants not hired.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Gallring").click()
    expect(page.get_by_role("heading", name="Gallring", exact=True)).to_be_visible()
    apage.check()
    page.get_by_role("link", name="Ändra regeln för Sökande som inte anställdes").click()
    apage.check()
    page.get_by_label("Gallringsbeslut (diarienummer)").fill("KS 2025/412 § 7")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert")).to_contain_text("Ange beslutets datum")
    apage.check()
    page.get_by_label("Beslutat den").fill("2025-06-01")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("cell", name="KS 2025/412 § 7, 2025-06-01")).to_be_visible()
    apage.check()
    apage.screenshot("privacy-retention.png")
