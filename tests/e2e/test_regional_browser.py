"""A joint round end to end in a real browser: a student applies once on the regional page
ranking units of both municipalities, each municipality screens its own, the host's
coordinator runs the one matching and approves, the other municipality's coordinator
approves and publishes for both, and the student sees one result. axe-core checks every
page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from bryggan.programme.models import Placement
from bryggan.regional import links, services
from bryggan.regional.models import JointApplication, JointRound
from tests.conftest import FOREIGN_MARK
from tests.e2e.conftest import signed_in_page
from tests.e2e.session import log_in
from tests.recruitment_data import PDF_BYTES
from tests.regional_data import build_joint, screen, student_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_once_match_across_municipalities_and_publish_in_both(
    world, apage, browser, live_server, tmp_path
):
    joint = build_joint(world)
    jr = joint["round"]
    home_first, home_second = joint["home"]["units"]
    foreign_first = joint["foreign"]["units"][0]
    page = apage.page

    # The student: the regional page lists both municipalities; one application ranks both.
    apage.goto(f"/region/{jr.slug}/", strict=True)
    expect(page.get_by_role("heading", name=jr.name)).to_be_visible()
    expect(page.get_by_text(f"Norrköping: {joint['foreign']['posting'].title}")).to_be_visible()
    page.get_by_role("link", name="Ansök").click()
    apage.check(strict=True)
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(PDF_BYTES)
    page.get_by_label("Förnamn").fill("Stina")
    page.get_by_label("Efternamn").fill("Regionsdotter")
    page.get_by_label("E-postadress").fill("stina@example.se")
    page.get_by_label("Vilken termin av utbildningen läser du?").fill("5")
    page.get_by_label("Önskemål 1").select_option(value=str(foreign_first.pk))
    page.get_by_label("Önskemål 2").select_option(value=str(home_first.pk))
    page.get_by_label("CV").set_input_files(str(cv))
    page.get_by_label("Personligt brev").set_input_files(str(cv))
    page.get_by_role("button", name="Skicka ansökan").click()
    # refused without consent, the summary linking to the box
    expect(page.get_by_role("link", name="Jag godkänner att min ansökan")).to_be_visible()
    apage.check(strict=True)
    page.get_by_label("Jag godkänner att min ansökan delas").check()
    page.get_by_label("CV").set_input_files(str(cv))
    page.get_by_label("Personligt brev").set_input_files(str(cv))
    page.get_by_role("button", name="Skicka ansökan").click()
    expect(page.get_by_text("Tack! Din ansökan är skickad.")).to_be_visible()
    expect(page.get_by_text("Din ansökan delades med: Norrköping, Södertälje")).to_be_visible()
    apage.check(strict=True)
    result_path = page.url.replace(live_server.url, "")

    # Two more students applied; the foreign municipality prefers Stina's rival for its unit.
    services.apply(
        joint_round=jr,
        data=student_data("rival@example.se", [foreign_first.pk], name=f"Rival{FOREIGN_MARK}"),
        consent_version="1",
    )
    services.apply(
        joint_round=jr,
        data=student_data("hem@example.se", [home_second.pk], name="Hemma"),
        consent_version="1",
    )
    screen(world.home, joint["home"], {"stina@example.se": 4, "hem@example.se": 4})
    screen(world.foreign, joint["foreign"], {"stina@example.se": 3, "rival@example.se": 5})
    with scopes_disabled():
        # the foreign unit has one place this term: the ranking decides
        joint["foreign"]["staff"][0].capacities.update(capacity=1)
    # The rank deadline passed yesterday; today is the publication day.
    today = timezone.localdate()
    JointRound.objects.filter(pk=jr.pk).update(
        rank_deadline=today - timedelta(days=1), publication_on=today
    )

    # The host's coordinator runs the one matching and approves the home part.
    log_in(apage, "coordinator@sodertalje.test")
    apage.goto(f"/gemensamma-omgangar/{jr.pk}/")
    page.get_by_role("button", name="Kör den gemensamma matchningen").click()
    expect(page.get_by_text("Den gemensamma matchningen är klar.")).to_be_visible()
    expect(page.locator("#outcomes")).to_contain_text("Stina Regionsdotter")
    expect(page.locator("#outcomes")).to_contain_text(home_first.name)
    expect(page.locator("#outcomes")).not_to_contain_text("Rival")
    apage.check()
    page.get_by_role("button", name="Godkänn vår del för publicering").click()
    expect(page.get_by_text("Er del är godkänd för publiceringsdagen.")).to_be_visible()
    apage.check()
    apage.screenshot("regional-round.png")

    # The other municipality's coordinator approves and publishes for both.
    other = signed_in_page(browser, live_server, "coordinator@norrkoping.test")
    other.goto(f"/gemensamma-omgangar/{jr.pk}/")
    expect(other.page.locator("#outcomes")).to_contain_text("Placerad i en annan kommun i omgången")
    other.page.get_by_role("button", name="Godkänn vår del för publicering").click()
    other.check()
    other.page.get_by_role("button", name="Publicera i alla kommuner").click()
    expect(other.page.get_by_text("Publicerat i alla kommuner: 3 placeringar.")).to_be_visible()
    other.check()
    with scopes_disabled():
        assert Placement.objects.filter(municipality=world.home.municipality).count() == 2
        assert Placement.objects.filter(municipality=world.foreign.municipality).count() == 1

    # The student's one result: a place at home, and why not the foreign first wish.
    apage.goto(result_path, strict=True)
    expect(page.locator("#placed")).to_contain_text(
        f"Du har fått en plats på {home_first.name} i Södertälje"
    )
    expect(page.get_by_text(f"{foreign_first.name} (Norrköping) var full")).to_be_visible()
    apage.check(strict=True)
    stina = JointApplication.objects.get(email="stina@example.se")
    assert result_path.startswith(links.link_path(stina).split("?")[0][:20])
