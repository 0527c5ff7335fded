"""Each role's home page: what needs that person now, each item leading to a page they can
act on, most urgent first; a fixed number of queries whatever the municipality's size; the
count in the menu."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from bryggan.core.models import AccessLogEntry
from bryggan.core.navigation import INBOX_SESSION_KEY
from bryggan.core.roles import Role
from bryggan.programme.models import HoursEntry, Offer, OfferStatus
from tests.clients import query_counts
from tests.conftest import TENANT_ROLES
from tests.matching_data import add_applicant

pytestmark = pytest.mark.django_db

MAX_QUERIES = 40

INBOX = re.compile(r'<ul class="inbox-items">(.*?)</ul>', re.S)
LINK = re.compile(r'<li[^>]*>\s*(?:<strong class="tag">[^<]*</strong> )?<a href="([^"]+)">')


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _links(body: str) -> list[str]:
    inbox = "".join(INBOX.findall(body))
    return [url.replace("&amp;", "&") for url in LINK.findall(inbox)]


def test_the_coordinator_is_told_what_waits_in_recruitment_matching_and_the_programme(rworld):
    home = rworld.home
    rec = home.rec
    for name in ("Greta", "Hugo"):
        add_applicant(home, rec, name, [home.objects["unit"]]).__class__.objects.filter(
            person__first_name=name
        ).update(stage="received", created_at=timezone.now() - timedelta(days=10))
    offer = rec["offer"]
    Offer.objects.filter(pk=offer.pk).update(reply_by=timezone.localdate() - timedelta(days=1))

    body = _home(home.client(Role.COORDINATOR))
    assert "Rekrytering och matchning" in body and "Programmet" in body
    assert f"2 ansökningar väntar på granskning: {rec['posting'].title}" in body
    assert "den äldsta har väntat 10 dagar" in body
    assert f"Matchningskörning {rec['run'].number} är klar att publicera" in body
    assert "Svaret på erbjudandet till" in body  # the late answer, marked urgent
    urgent = body.index("Brådskande")
    assert urgent < body.index("Matchningskörning")  # urgent first
    assert "Organisationen i siffror" in body


def test_the_supervisor_sees_hours_to_approve_and_assessments_to_sign(rworld):
    home = rworld.home
    body = _home(home.client(Role.SUPERVISOR))
    assert "Dina studenter" in body
    participant = home.rec["participant"]
    assert f"{participant.person}: 1 dag med timmar att attestera" in body


def test_the_student_sees_their_week_and_the_offer_to_answer(rworld):
    body = _home(rworld.home.client(Role.STUDENT))
    assert "Ditt program" in body
    assert "Den här veckan har du registrerat" in body
    assert "Svara på erbjudandet" in body and "svara senast" in body
    assert "Rekrytering och matchning" not in body  # nothing that is not theirs


def test_hr_is_told_about_accepted_offers_to_register(rworld):
    offer = rworld.home.rec["offer"]
    Offer.objects.filter(pk=offer.pk).update(status=OfferStatus.ACCEPTED)
    body = _home(rworld.home.client(Role.HR))
    assert "förbered anställningen" in body


def test_the_university_contact_sees_their_students_here(rworld):
    body = _home(rworld.home.client(Role.UNIVERSITY_CONTACT))
    assert "Ditt lärosätes studenter" in body
    assert re.search(r"\d+ av ditt lärosätes studenter är placerad", body)


def test_the_unit_manager_sees_their_units(rworld):
    body = _home(rworld.home.client(Role.UNIT_MANAGER))
    assert "Dina enheter" in body and "På dina enheter nu" in body


def test_the_dpo_is_told_of_a_purge_that_never_ran_and_of_unusual_reading(rworld):
    home = rworld.home
    reader = home.user(Role.COORDINATOR)
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            municipality=home.municipality,
            user=reader,
            at=timezone.now() - timedelta(hours=n),
            subject_type="application",
            subject_id=str(n),
            purpose="application file",
        )
        for n in range(60)
    )
    body = _home(home.client(Role.DPO))
    assert "Gallringen har aldrig körts" in body
    assert f"{reader.email} läste 60 poster den senaste veckan" in body


@pytest.mark.parametrize("role", TENANT_ROLES)
def test_every_item_leads_to_a_page_the_person_can_open(rworld, role):
    client = rworld.home.client(role)
    links = _links(_home(client))
    for url in links:
        response = client.get(url)
        assert response.status_code == 200, (role, url, response.status_code)


def _grow(world) -> None:
    home = world.home
    rec = home.rec
    for n in range(15):
        add_applicant(home, rec, f"Extra{n}", [home.objects["unit"]])
    participant = rec["participant"]
    HoursEntry.objects.bulk_create(
        HoursEntry(
            municipality=home.municipality,
            participant=participant,
            day=timezone.localdate() - timedelta(days=n + 2),
            hours=2,
            activity="Extra",
            kind="aspirant",
        )
        for n in range(15)
    )


def _queries(client) -> int:
    # every measured visit writes the menu's count (as a first visit and a changed count do)
    return query_counts([(client, "/")])[0]


def test_every_home_page_runs_a_fixed_number_of_queries(rworld):
    clients = {role: rworld.home.client(role) for role in TENANT_ROLES}
    small = {role: _queries(client) for role, client in clients.items()}
    _grow(rworld)
    large = {role: _queries(client) for role, client in clients.items()}
    for role in TENANT_ROLES:
        assert large[role] == small[role], f"{role}: {small[role]} → {large[role]} queries"
        assert large[role] <= MAX_QUERIES, f"{role}: {large[role]} queries"


def test_the_menu_counts_what_waits(rworld):
    client = rworld.home.client(Role.STUDENT)
    body = _home(client)
    waiting = len(_links(body))
    assert waiting >= 2
    other = client.get("/programmet/mitt/").content.decode()
    badge = f'Översikt <span class="badge">{waiting}<span class="visually-hidden">'
    assert badge in other


def test_only_the_newest_proposal_of_a_posting_waits_to_be_published(rworld):
    from bryggan.matching.models import MatchingRun

    home = rworld.home
    run = home.rec["run"]
    newer = MatchingRun.objects.create(
        municipality=home.municipality,
        posting=run.posting,
        number=run.number + 1,
        status="proposed",
        instance={"students": [], "units": []},
    )
    body = _home(home.client(Role.COORDINATOR))
    assert f"Matchningskörning {newer.number} är klar att publicera" in body
    assert f"Matchningskörning {run.number} är klar att publicera" not in body


def test_the_menu_count_is_written_to_the_session_only_when_it_changed(rworld):
    home = rworld.home
    client = home.client(Role.COORDINATOR)
    first = len(_links(_home(client)))
    kept = client.session[INBOX_SESSION_KEY]
    assert kept["n"] == first
    _home(client)
    assert client.session[INBOX_SESSION_KEY] == kept  # unchanged: not written again
    Offer.objects.filter(pk=home.rec["offer"].pk).update(
        reply_by=timezone.localdate() - timedelta(days=1)
    )
    later = len(_links(_home(client)))
    assert later != first
    assert client.session[INBOX_SESSION_KEY]["n"] == later
    badge = f'Översikt <span class="badge">{later}<span class="visually-hidden">'
    assert badge in client.get("/programmet/").content.decode()


def test_the_coordinator_is_told_which_practicum_students_are_due_for_step_two(rworld):
    """Counted from the state kept on each participant, as the overview says it."""
    from bryggan.core.permissions import actor_for
    from bryggan.programme import services
    from bryggan.programme.models import Participant

    home = rworld.home
    actor = actor_for(home.user(Role.COORDINATOR))
    term = home.objects["term"]
    today = timezone.localdate()
    term.starts_on, term.ends_on = today - timedelta(days=60), today + timedelta(days=20)
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
    assert participant.stage == "practicum" and participant.current_until == term.ends_on
    body = _home(home.client(Role.COORDINATOR))
    assert "1 VFU-student ska snart gå vidare till steg 2" in body
    assert f"den första VFU:n slutar {term.ends_on.isoformat()}" in body.replace("<", " <")


def test_the_organisation_in_numbers_counts_this_municipality_only(rworld):
    from bryggan.core.permissions import actor_for
    from bryggan.organisation.models import Department, StaffMember, Unit
    from bryggan.organisation.selectors import home_summary

    home = rworld.home
    summary = home_summary(actor=actor_for(home.user(Role.COORDINATOR)))
    m = home.municipality
    employed = StaffMember.unscoped.filter(municipality=m, employed_until__isnull=True)
    assert summary.departments == Department.unscoped.filter(municipality=m).count() > 0
    assert summary.units == Unit.unscoped.filter(municipality=m).count() > 0
    assert summary.staff == employed.count() > 0
    assert summary.supervisors == employed.filter(is_trained_supervisor=True).count()
    body = _home(home.client(Role.COORDINATOR))
    assert "Organisationen i siffror" in body
