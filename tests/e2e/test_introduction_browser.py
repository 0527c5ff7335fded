"""The broad introduction in a real browser: the coordinator gives a unit's trainer places,
creates a cohort that began last week, adds new hires by hand, plans the schedule and reads
it in the chart and the list, marks the trainer absent and plans again from this week — the
weeks already begun stay, the unit's places are kept; the unit's supervisor sees whom it
receives and the new hire sees their own weeks. axe-core checks every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bryggan.core.roles import Role
from bryggan.introduction.models import Absence, Block, Cohort
from bryggan.organisation.models import StaffMember
from tests import factories as f
from tests.e2e.conftest import signed_in_page
from tests.introduction_data import build_introduction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_plan_read_and_replan_a_cohort(world, browser, live_server):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    start = monday - timedelta(weeks=1)
    # A term around today, so supervisors have places whatever day the test runs.
    term = f.TermFactory(
        municipality=world.home.municipality,
        starts_on=start - timedelta(weeks=2),
        ends_on=start + timedelta(weeks=20),
    )
    intro = build_introduction(world.home, hires=0, start=start, term=term)
    unit = intro["units"][0]
    trainer = f.StaffMemberFactory(
        unit=unit, last_name="Utbildarsson", is_trainer=True, is_trained_supervisor=False
    )
    hires = [
        f.StaffMemberFactory(
            unit=intro["units"][n], last_name=f"Nyanställd{n}", is_trained_supervisor=False
        )
        for n in range(3)
    ]

    coordinator = signed_in_page(browser, live_server, "coordinator@sodertalje.test")
    page = coordinator.page
    coordinator.goto("/introduktion/")
    expect(page.get_by_role("heading", name="Bred introduktion", exact=True)).to_be_visible()
    page.locator("#main").get_by_role("link", name=intro["programme"].name).click()
    coordinator.check()

    # The trainer's places at the unit.
    page.get_by_label("Enhet (obligatoriskt)").select_option(str(unit.pk))
    page.get_by_label("Utbildare (frivilligt)").select_option(str(trainer.pk))
    page.get_by_label("Nyanställda per vecka (obligatoriskt)").fill("-1")
    page.get_by_role("button", name="Spara platserna").click()
    expect(page.get_by_text("Antalet platser kan inte vara negativt.").first).to_be_visible()
    coordinator.check()
    page.get_by_label("Nyanställda per vecka (obligatoriskt)").fill("1")
    page.get_by_role("button", name="Spara platserna").click()
    expect(page.get_by_text("Platserna är sparade.")).to_be_visible()
    expect(page.get_by_role("cell", name=str(trainer))).to_be_visible()

    # A cohort that began last week.
    page.get_by_label("Namn (obligatoriskt)").fill("Kull i webbläsaren")
    page.get_by_label("Börjar (en måndag) (obligatoriskt)").fill(start.isoformat())
    page.get_by_role("button", name="Skapa kullen").click()
    expect(page.get_by_role("heading", name="Kull i webbläsaren")).to_be_visible()
    coordinator.check()
    cohort = Cohort.unscoped.get(name="Kull i webbläsaren")

    for hire in hires:
        page.get_by_label("Nyanställd (obligatoriskt)").select_option(str(hire.pk))
        page.get_by_role("button", name="Lägg till", exact=True).click()
        expect(page.get_by_text("Den nyanställda är tillagd.")).to_be_visible()
    page.get_by_role("button", name="Planera schemat").click()
    expect(page.get_by_text("Schemat är planerat (bevisat optimalt")).to_be_visible()
    coordinator.check()

    # The chart: a row per new hire, a column per week, this week marked; the list beside.
    chart = page.locator("table.gantt")
    expect(chart.locator("tbody tr")).to_have_count(3)
    expect(chart.locator("thead th")).to_have_count(1 + 6)
    expect(chart.locator("thead th[aria-current='date']")).to_have_text("2")
    schedule = page.locator("#schedule")
    expect(schedule.locator("tbody tr")).to_have_count(9)
    before = {
        (b.member_id, b.area_id): b
        for b in Block.unscoped.filter(member__cohort=cohort).select_related("supervisor")
    }
    first = next(b for b in before.values() if b.start_week == 0)
    expect(schedule).to_contain_text(str(first.supervisor))
    coordinator.screenshot("introduction-cohort.png")

    # The trainer falls ill from today to the end: plan again from this week.
    page.get_by_label("Utbildare eller handledare (obligatoriskt)").select_option(str(trainer.pk))
    page.get_by_label("Från (obligatoriskt)").fill(today.isoformat())
    page.get_by_label("Till (obligatoriskt)").fill(
        (start + timedelta(weeks=6, days=-1)).isoformat()
    )
    page.get_by_label("Anteckning").fill("Sjukskriven")
    page.get_by_role("button", name="Registrera frånvaron").click()
    expect(page.get_by_text("Frånvaron är registrerad.")).to_be_visible()
    expect(page.locator("#absences")).to_contain_text("Sjukskriven")
    assert Absence.unscoped.filter(cohort=cohort, staff=trainer).exists()
    page.get_by_role("button", name="Planera om från den här veckan").click()
    expect(page.get_by_text("Schemat är planerat")).to_be_visible()
    coordinator.check()
    after = {(b.member_id, b.area_id): b for b in Block.unscoped.filter(member__cohort=cohort)}
    assert set(after) == set(before)
    for key, old in before.items():
        if old.start_week < 1:  # begun before this week: kept where it is
            assert (after[key].unit_id, after[key].start_week) == (old.unit_id, old.start_week)
    # The unit has 2 places of its own once the trainer is away: never more from week 2 on.
    for week in range(1, 6):
        at_unit = [
            b for b in after.values() if b.unit_id == unit.pk and b.start_week <= week < b.end_week
        ]
        assert len(at_unit) <= 2

    # Bad input: an absence outside the cohort is a message, nothing written.
    page.get_by_label("Utbildare eller handledare (obligatoriskt)").select_option(str(trainer.pk))
    page.get_by_label("Från (obligatoriskt)").fill((start - timedelta(days=30)).isoformat())
    page.get_by_label("Till (obligatoriskt)").fill((start - timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Registrera frånvaron").click()
    expect(page.get_by_text("En frånvaro måste ligga inom kullens veckor").first).to_be_visible()
    coordinator.check()
    assert Absence.unscoped.filter(cohort=cohort).count() == 1

    # The unit's supervisor sees whom the unit receives, week by week.
    supervisor = StaffMember.unscoped.get(pk=intro["supervisors"][0].pk)
    supervisor.user = world.home.user(Role.SUPERVISOR)
    supervisor.save()
    unit_view = signed_in_page(browser, live_server, "supervisor@sodertalje.test")
    unit_view.goto(f"/introduktion/enhet/{unit.pk}/?fran={start.isoformat()}")
    at_unit = [b for b in after.values() if b.unit_id == unit.pk]
    expect(unit_view.page.get_by_role("heading", level=1)).to_contain_text(unit.name)
    if at_unit:
        expect(unit_view.page.locator("table")).to_contain_text(
            str(StaffMember.unscoped.get(pk=at_unit[0].member.staff_id))
        )

    # The new hire sees their own weeks on the home page.
    hire_user = f.UserFactory(email="nyanstalld@sodertalje.test")
    f.MembershipFactory(user=hire_user, municipality=world.home.municipality, role=Role.NEW_HIRE)
    hires[0].user = hire_user
    hires[0].save()
    hire = signed_in_page(browser, live_server, "nyanstalld@sodertalje.test")
    hire.goto("/")
    expect(
        hire.page.get_by_role("heading", name="Din introduktion: Kull i webbläsaren")
    ).to_be_visible()
    expect(hire.page.get_by_role("link", name="Ditt schema i din kalender (iCal)")).to_be_visible()
    hire.page.get_by_label("Där jag vill arbeta efter introduktionen").select_option(str(unit.pk))
    hire.page.get_by_role("button", name="Spara mitt önskemål").click()
    expect(hire.page.get_by_text("Ditt önskemål är sparat")).to_be_visible()
    hire.check()
    hire.screenshot("introduction-home.png")
    coordinator.goto(f"/introduktion/kull/{cohort.pk}/")
    expect(page.locator("#members")).to_contain_text(f"vill till {unit.name}")
