"""The coordinator's overview and participant page, moves between steps, offers, and the
student's own page where they accept or decline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bryggan.core.models import AccessLogEntry
from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from bryggan.organisation.models import StaffMember
from bryggan.programme import services
from bryggan.programme.models import (
    EmploymentPeriod,
    Offer,
    OfferStatus,
    Participant,
    Placement,
    Stage,
    StageMove,
)

pytestmark = pytest.mark.django_db


def _d(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_the_overview_shows_everyone_per_step_with_what_needs_action(rworld):
    client = rworld.home.client(Role.COORDINATOR)
    response = client.get("/programmet/")
    assert response.status_code == 200
    body = response.content.decode()
    alva = rworld.home.rec["participant"]
    assert str(alva) in body and "Aspirant" in body
    assert "Inget sommarjobb registrerat ännu" in body  # the summer-job guarantee
    assert AccessLogEntry.objects.filter(purpose="programme overview").exists()
    assert str(alva) not in client.get("/programmet/", {"stage": "practicum"}).content.decode()


def test_a_matching_placement_makes_a_participant_in_step_one(rworld):
    home = rworld.home
    actor = actor_for(home.user(Role.COORDINATOR))
    person = home.rec["person"]
    placement = services.placement_create(
        actor=actor,
        person=person,
        unit=home.objects["unit"],
        supervisor=home.objects["staff"],
        term=home.objects["term"],
        step="practicum",
    )
    participant = Participant.objects.get(person=person)
    assert participant.stage == Stage.PRACTICUM
    assert StageMove.objects.filter(participant=participant, to_stage="practicum").count() == 1
    body = home.client(Role.COORDINATOR).get("/programmet/").content.decode()
    assert placement.supervisor.last_name in body


def test_moving_to_step_two_starts_an_employment_period(rworld):
    home = rworld.home
    alva = home.rec["participant"]
    client = home.client(Role.COORDINATOR)
    response = client.post(
        f"/programmet/deltagare/{alva.pk}/flytta/",
        {
            "move-stage": "student_employee",
            "move-unit": home.objects["unit"].pk,
            "move-mentor": home.objects["staff"].pk,
            "move-starts_on": _d(1),
            "move-ends_on": _d(200),
        },
    )
    assert response.status_code == 302
    alva.refresh_from_db()
    assert alva.stage == Stage.STUDENT_EMPLOYEE
    assert EmploymentPeriod.objects.filter(participant=alva, kind="student_employee").exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"move-stage": "student_employee"}, "Välj enheten"),
        (
            {
                "move-stage": "student_employee",
                "move-unit": "UNIT",
                "move-starts_on": "+10",
                "move-ends_on": "+1",
            },
            "Sista dagen kommer före den första",
        ),
        ({"move-stage": "left"}, "Skriv varför deltagaren lämnar"),
        ({"move-stage": "employed"}, "Välj ett giltigt alternativ"),
        (
            {
                "move-stage": "student_employee",
                "move-unit": "FOREIGN_UNIT",
                "move-starts_on": "+1",
                "move-ends_on": "+9",
            },
            "Välj ett giltigt alternativ",
        ),
        (
            {
                "move-stage": "aspirant",
                "move-unit": "UNIT",
                "move-starts_on": "2026-13-01",
                "move-ends_on": "+9",
            },
            "Fyll i ett giltigt datum",
        ),
    ],
)
def test_bad_moves_are_refused_and_nothing_is_written(rworld, data, message):
    home = rworld.home
    alva = home.rec["participant"]
    values = {"UNIT": home.objects["unit"].pk, "FOREIGN_UNIT": rworld.foreign.objects["unit"].pk}
    data = {
        k: values.get(v, _d(int(v[1:])) if str(v).startswith("+") else v) for k, v in data.items()
    }
    before = (EmploymentPeriod.objects.count(), StageMove.objects.count())
    response = home.client(Role.COORDINATOR).post(f"/programmet/deltagare/{alva.pk}/flytta/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    alva.refresh_from_db()
    assert alva.stage == Stage.ASPIRANT
    assert (EmploymentPeriod.objects.count(), StageMove.objects.count()) == before


def test_a_participant_in_practicum_moves_to_step_two_only_near_its_end(rworld):
    home = rworld.home
    actor = actor_for(home.user(Role.COORDINATOR))
    term = home.objects["term"]
    term.starts_on, term.ends_on = timezone.localdate(), timezone.localdate() + timedelta(100)
    term.save()
    services.placement_create(
        actor=actor,
        person=home.rec["person"],
        unit=home.objects["unit"],
        supervisor=home.objects["staff"],
        term=term,
        step="practicum",
    )
    participant = Participant.objects.get(person=home.rec["person"])
    response = home.client(Role.COORDINATOR).post(
        f"/programmet/deltagare/{participant.pk}/flytta/",
        {
            "move-stage": "student_employee",
            "move-unit": home.objects["unit"].pk,
            "move-starts_on": _d(1),
            "move-ends_on": _d(90),
        },
    )
    assert response.status_code == 400
    assert "Steg 2 börjar mot slutet av VFU:n" in response.content.decode()


def test_leaving_frees_the_supervisors_place(rworld):
    home = rworld.home
    actor = actor_for(home.user(Role.COORDINATOR))
    services.placement_create(
        actor=actor,
        person=home.rec["person"],
        unit=home.objects["unit"],
        supervisor=home.objects["staff"],
        term=home.objects["term"],
        step="practicum",
    )
    participant = Participant.objects.get(person=home.rec["person"])
    services.step_move(
        actor=actor, participant=participant, stage="left", reason="Byter utbildning"
    )
    assert not Placement.objects.filter(person=home.rec["person"], ended_at__isnull=True).exists()
    participant.refresh_from_db()
    assert participant.left_reason == "Byter utbildning"


def test_an_offer_is_issued_and_the_student_accepts_and_becomes_staff(rworld, mailoutbox):
    home = rworld.home
    alva = home.rec["participant"]
    alva.offers.all().delete()
    coordinator = home.client(Role.COORDINATOR)
    response = coordinator.post(
        f"/programmet/deltagare/{alva.pk}/erbjudande/",
        {
            "offer-title": "Socialsekreterare",
            "offer-unit": home.objects["unit"].pk,
            "offer-employment_type": "permanent",
            "offer-monthly_salary": "35400",
            "offer-contact": home.objects["staff"].pk,
            "offer-starts_on": _d(60),
            "offer-reply_by": _d(10),
        },
    )
    assert response.status_code == 302
    offer = Offer.objects.get(participant=alva)
    assert (offer.monthly_salary, offer.contact) == (35400, home.objects["staff"])
    student = home.client(Role.STUDENT)
    page = student.get("/programmet/mitt/").content.decode()
    assert "Acceptera erbjudandet" in page and home.objects["unit"].name in page
    # The offer states what the student decides on.
    assert "Tillsvidareanställning" in page
    assert "35400 kr före skatt" in page and str(home.objects["staff"]) in page
    # Accepting asks once more, with the terms; nothing is answered until confirmed.
    asked = student.post(f"/programmet/mitt/erbjudande/{offer.pk}/", {"answer": "accept"})
    assert asked.status_code == 200 and "Ja, jag accepterar" in asked.content.decode()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING
    response = student.post(
        f"/programmet/mitt/erbjudande/{offer.pk}/",
        {"answer": "accept", "confirm": "yes"},
        follow=True,
    )
    assert "Välkommen!" in response.content.decode()
    # Until the first day, the student reads "accepted, starts on", not "employed".
    assert f"Erbjudandet accepterat: du börjar {_d(60)}" in response.content.decode()
    offer.refresh_from_db()
    alva.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED and alva.stage == Stage.EMPLOYED
    staff = StaffMember.objects.get(pk=offer.staff_member_id)
    assert (staff.first_name, staff.employed_from, staff.unit) == (
        alva.person.first_name,
        offer.starts_on,
        home.objects["unit"],
    )
    assert staff.user == home.user(Role.STUDENT)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"offer-reply_by": "-1", "offer-starts_on": "+30"}, "Svarsdatumet har passerat"),
        ({"offer-reply_by": "+30", "offer-starts_on": "+10"}, "Startdatumet ska komma efter"),
        (
            {"offer-reply_by": "+10", "offer-starts_on": "+30", "offer-title": " "},
            "Detta fält måste fyllas i",
        ),
        ({"offer-reply_by": "+10", "offer-starts_on": "+30"}, "redan ett erbjudande"),
        (
            {"offer-reply_by": "+10", "offer-starts_on": "+30", "offer-monthly_salary": "900"},
            "större än eller lika med 15000",
        ),
        (
            {"offer-reply_by": "+10", "offer-starts_on": "+30", "offer-contact": "999999"},
            "Välj ett giltigt alternativ",
        ),
    ],
)
def test_bad_offers_are_refused(rworld, data, message):
    home = rworld.home
    alva = home.rec["participant"]
    data = {
        "offer-title": "Socialsekreterare",
        "offer-unit": home.objects["unit"].pk,
        "offer-employment_type": "permanent",
        "offer-monthly_salary": "35000",
        "offer-contact": home.objects["staff"].pk,
    } | {k: _d(int(v)) if v[0] in "+-" and v[1:].isdigit() else v for k, v in data.items()}
    before = Offer.objects.count()
    response = home.client(Role.COORDINATOR).post(
        f"/programmet/deltagare/{alva.pk}/erbjudande/", data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Offer.objects.count() == before


def test_no_offer_to_a_student_in_practicum_unless_a_direct_hire(rworld):
    home = rworld.home
    actor = actor_for(home.user(Role.COORDINATOR))
    services.placement_create(
        actor=actor,
        person=home.rec["person"],
        unit=home.objects["unit"],
        supervisor=home.objects["staff"],
        term=home.objects["term"],
        step="practicum",
    )
    participant = Participant.objects.get(person=home.rec["person"])
    data = {
        "offer-title": "Socialsekreterare",
        "offer-unit": home.objects["unit"].pk,
        "offer-employment_type": "fixed_term",
        "offer-monthly_salary": "33000",
        "offer-contact": home.objects["staff"].pk,
        "offer-starts_on": _d(60),
        "offer-reply_by": _d(10),
    }
    path = f"/programmet/deltagare/{participant.pk}/erbjudande/"
    client = home.client(Role.COORDINATOR)
    assert "följer på steg 2" in client.post(path, data).content.decode()
    assert client.post(path, data | {"offer-direct_hire": "on"}).status_code == 302
    # Accepting a direct hire's offer employs her straight from the practicum.
    Participant.objects.filter(pk=home.rec["participant"].pk).update(user=None)
    Participant.objects.filter(pk=participant.pk).update(user=home.user(Role.STUDENT))
    offer = Offer.objects.get(participant=participant)
    assert offer.direct_hire
    home.client(Role.STUDENT).post(
        f"/programmet/mitt/erbjudande/{offer.pk}/", {"answer": "accept", "confirm": "yes"}
    )
    participant.refresh_from_db()
    assert participant.stage == Stage.EMPLOYED


def test_an_expired_offer_cannot_be_accepted(rworld):
    home = rworld.home
    offer = home.rec["offer"]
    Offer.objects.filter(pk=offer.pk).update(reply_by=timezone.localdate() - timedelta(days=1))
    response = home.client(Role.STUDENT).post(
        f"/programmet/mitt/erbjudande/{offer.pk}/",
        {"answer": "accept", "confirm": "yes"},
        follow=True,
    )
    assert "Erbjudandet gick ut" in response.content.decode()
    offer.refresh_from_db()
    assert (
        offer.status == OfferStatus.PENDING and not StaffMember.objects.filter(offer=offer).exists()
    )
    assert services.offers_expire() == 1
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED


def test_a_student_answers_only_their_own_offer_and_a_bad_answer_is_refused(rworld):
    home = rworld.home
    offer = home.rec["offer"]
    other = home.client(Role.MENTOR)
    assert (
        other.post(f"/programmet/mitt/erbjudande/{offer.pk}/", {"answer": "accept"}).status_code
        == 403
    )
    response = home.client(Role.STUDENT).post(
        f"/programmet/mitt/erbjudande/{offer.pk}/", {"answer": "maybe"}, follow=True
    )
    assert "Välj att acceptera eller tacka nej" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PENDING


def test_declining_keeps_the_participant_in_their_step(rworld):
    home = rworld.home
    offer = home.rec["offer"]
    home.client(Role.STUDENT).post(
        f"/programmet/mitt/erbjudande/{offer.pk}/", {"answer": "decline", "confirm": "yes"}
    )
    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED
    home.rec["participant"].refresh_from_db()
    assert home.rec["participant"].stage == Stage.ASPIRANT


@pytest.mark.parametrize(
    "role", [Role.SUPERVISOR, Role.UNIT_MANAGER, Role.STUDENT, Role.UNIVERSITY_CONTACT]
)
def test_only_coordinators_and_hr_manage_the_programme(rworld, role):
    client = rworld.home.client(role)
    assert client.get("/programmet/").status_code == 403
    pk = rworld.home.rec["participant"].pk
    assert client.get(f"/programmet/deltagare/{pk}/").status_code == 403
    assert rworld.home.client(Role.HR).get(f"/programmet/deltagare/{pk}/").status_code == 200


def test_a_student_without_a_path_sees_a_friendly_page(rworld):
    Participant.objects.filter(pk=rworld.home.rec["participant"].pk).update(user=None)
    body = rworld.home.client(Role.STUDENT).get("/programmet/mitt/").content.decode()
    assert "Du är inte med i programmet ännu" in body


def test_the_summer_job_is_registered_and_bad_dates_refused(rworld):
    home = rworld.home
    alva = home.rec["participant"]
    client = home.client(Role.COORDINATOR)
    path = f"/programmet/deltagare/{alva.pk}/sommarjobb/"
    bad = client.post(
        path,
        {
            "summer-unit": home.objects["unit"].pk,
            "summer-starts_on": _d(200),
            "summer-ends_on": _d(150),
        },
    )
    assert bad.status_code == 400 and "Sista dagen kommer före" in bad.content.decode()
    good = client.post(
        path,
        {
            "summer-unit": home.objects["unit"].pk,
            "summer-starts_on": _d(150),
            "summer-ends_on": _d(200),
        },
    )
    assert good.status_code == 302
    assert "Inget sommarjobb" not in client.get("/programmet/").content.decode()


def test_the_participant_page_lists_every_unit_and_active_staff_member_in_each_form(rworld):
    """The page's four forms share their lists (read once, rendered once per selection)."""
    import re as regex

    from bryggan.organisation.models import StaffMember, Unit

    home = rworld.home
    participant = home.rec["participant"]
    page = home.client(Role.COORDINATOR).get(f"/programmet/deltagare/{participant.pk}/")
    html = page.content.decode()
    units = Unit.objects.filter(municipality=home.municipality).order_by("name")
    staff = StaffMember.objects.filter(municipality=home.municipality, employed_until=None)
    for name in ("move-unit", "offer-unit", "summer-unit"):
        select = regex.search(rf'<select name="{name}".*?</select>', html, regex.S).group()
        assert regex.findall(r'<option value="(\d+)"', select) == [str(u.pk) for u in units]
    for name in ("move-mentor", "offer-contact", "thesis-unit_contact"):
        select = regex.search(rf'<select name="{name}".*?</select>', html, regex.S).group()
        listed = set(regex.findall(r'<option value="(\d+)">([^<]*)</option>', select))
        assert listed == {(str(s.pk), f"{s.first_name} {s.last_name}") for s in staff}


def test_the_participant_page_lists_the_recent_hours_with_status_and_approver(rworld):
    from decimal import Decimal

    from bryggan.programme.models import HoursEntry

    home = rworld.home
    participant = home.rec["participant"]
    approver = home.user(Role.SUPERVISOR)
    today = timezone.localdate()
    HoursEntry.objects.bulk_create(
        [
            HoursEntry(
                municipality=home.municipality,
                participant=participant,
                day=today - timedelta(days=3),
                hours=Decimal("7.5"),
                activity="Hembesök <med> kollega",
                kind="aspirant",
                status="approved",
                approved_by=approver,
            ),
            HoursEntry(
                municipality=home.municipality,
                participant=participant,
                day=today - timedelta(days=90),  # older than two months: not listed
                hours=2,
                activity="Gammal dag",
                kind="aspirant",
            ),
        ]
    )
    html = (
        home.client(Role.COORDINATOR)
        .get(f"/programmet/deltagare/{participant.pk}/")
        .content.decode()
    )
    row = (
        f"<td>{(today - timedelta(days=3)).isoformat()}</td>\n"
        '        <td class="num">7,50</td>\n'
        "        <td>Hembesök &lt;med&gt; kollega</td>\n"
        f"        <td>Attesterad ({approver})</td>"
    )
    assert row in html
    assert "Gammal dag" not in html
