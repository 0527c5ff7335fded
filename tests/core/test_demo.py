import pytest
from django.core.management import call_command
from django.test import Client

from bryggan.core.models import Membership, Municipality, User
from bryggan.organisation.models import StaffMember, SupervisorCapacity, University
from bryggan.programme.models import Placement
from tests.clients import signed_in_client

pytestmark = pytest.mark.django_db


def test_the_demo_builds_two_realistic_municipalities_once():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (StaffMember.unscoped.count(), User.objects.count(), Placement.unscoped.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (
        StaffMember.unscoped.count(),
        User.objects.count(),
        Placement.unscoped.count(),
    ) == counts
    assert set(Municipality.objects.values_list("slug", flat=True)) == {"sodertalje", "norrkoping"}
    for municipality in Municipality.objects.all():
        staff = StaffMember.unscoped.filter(municipality=municipality)
        # plus those hired by offer, the broad introduction's new hires, and the years of
        # history the insights show (hires outside the programme, with the HR system's numbers)
        base = staff.filter(offer__isnull=True, introductions__isnull=True, employee_number="")
        assert base.count() == 300
        assert staff.filter(offer__isnull=True, employee_number__startswith="H").count() > 20
        assert staff.filter(is_trained_supervisor=True).count() >= 20
    assert set(University.unscoped.values_list("name", flat=True)) >= {
        "Södertörns högskola",
        "Stockholms universitet",
        "Linköpings universitet",
        "Örebro universitet",
        "Ersta Sköndal Bräcke högskola",
        "Marie Cederschiölds högskola",
    }
    assert Membership.objects.count() == 2 * 11 + 1
    from bryggan.identity.models import GroupMapping, IdentityProvider

    provider = IdentityProvider.unscoped.get()  # Norrköping signs in through the demo's
    assert provider.municipality.slug == "norrkoping" and GroupMapping.unscoped.count() == 3


def test_the_demo_runs_the_broad_introduction_in_one_municipality():
    """Two cohorts (20 and 12 new hires, and the accepted offer's new hire when its start is
    near the spring cohort's), both planned within capacity; the demo's new-hire login sees
    their own weeks on the home page."""
    from django_scopes import scopes_disabled

    from bryggan.introduction.models import Block, Cohort

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        planned = Block.objects.values("member__cohort")
        cohorts = list(Cohort.objects.filter(pk__in=planned).order_by("starts_on"))
        assert [c.municipality.slug for c in cohorts] == ["sodertalje", "sodertalje"]
        # and the years of history the insights show: earlier cohorts of programme hires
        assert (
            Cohort.objects.exclude(pk__in=planned)
            .filter(name__startswith="Introduktionskull")
            .count()
            >= 3
        )
        # The spring cohort takes the programme demo's accepted offer too when it starts
        # within four weeks of the cohort (the offer is dated from the day the demo is seeded).
        from datetime import timedelta

        from bryggan.programme.models import Offer

        spring = cohorts[1]
        joining = Offer.objects.filter(
            municipality=spring.municipality,
            status="accepted",
            starts_on__range=(
                spring.starts_on - timedelta(weeks=4),
                spring.starts_on + timedelta(weeks=4),
            ),
            staff_member__employed_until__isnull=True,
        ).values_list("staff_member", flat=True)
        assert set(joining) <= set(spring.members.values_list("staff", flat=True))
        assert [c.members.count() for c in cohorts] == [20, 12 + len(joining)]
        for cohort in cohorts:
            assert cohort.plan_status == "optimal", cohort.shortages
            assert Block.objects.filter(member__cohort=cohort).count() == 3 * cohort.members.count()
    home = _demo_client("new_hire@sodertalje.demo").get("/").content.decode()
    assert "Din introduktion: Introduktion hösten 2026" in home


def test_the_demo_has_specialists_in_both_municipalities():
    """Södertälje a central group serving every unit, Norrköping a department's and a unit's
    specialist; questions answered and open, a knowledge note, updates partly confirmed."""
    from django_scopes import scopes_disabled

    from bryggan.specialists.models import (
        Acknowledgement,
        Consultation,
        KnowledgeNote,
        LegalUpdate,
        SpecialistRole,
    )

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with scopes_disabled():
        serves = {
            (r.municipality.slug, r.serves)
            for r in SpecialistRole.objects.select_related("municipality")
        }
        assert ("sodertalje", "all") in serves
        assert {("norrkoping", "department"), ("norrkoping", "unit")} <= serves
        for slug in ("sodertalje", "norrkoping"):
            asked = Consultation.objects.filter(municipality__slug=slug)
            assert (
                asked.filter(status="answered").exists()
                and asked.exclude(status="answered").exists()
            )
            assert KnowledgeNote.objects.filter(municipality__slug=slug).exists()
            law = LegalUpdate.objects.filter(municipality__slug=slug, everyone=True).get()
            assert 0 < Acknowledgement.objects.filter(update=law).count() < 10
    home = _demo_client("new_hire@sodertalje.demo").get("/").content.decode()
    assert "Dina specialister" in home and "Läs och bekräfta" in home


def test_no_supervisor_in_the_demo_holds_more_students_than_their_capacity():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for capacity in SupervisorCapacity.unscoped.all():
        used = Placement.unscoped.filter(supervisor=capacity.supervisor, term=capacity.term)
        assert used.count() <= capacity.capacity


def _demo_client(email: str) -> Client:
    return signed_in_client(User.objects.get(email=email))


def test_every_demo_login_works_with_the_documented_password():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for email in [
        "coordinator@sodertalje.demo",
        "supervisor@norrkoping.demo",
        "analyst@national.demo",
        "admin@bryggan.demo",
    ]:
        response = Client().post("/login/", {"username": email, "password": "bryggan-demo"})
        assert response.status_code == 302, email


def test_the_demo_has_a_past_and_a_current_round_and_a_joint_event():
    from django.db.models import Count

    from bryggan.recruitment.models import Application, InformationEvent, Round

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    before = Application.unscoped.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Application.unscoped.count() == before
    for municipality in Municipality.objects.all():
        history = Round.unscoped.filter(municipality=municipality, name__startswith="Traineeomgång")
        assert history.count() == 7  # the years behind the insights' figures
        # the joint rounds' own rounds are tested with the joint rounds (tests/regional)
        rounds = (
            Round.unscoped.filter(municipality=municipality)
            .exclude(pk__in=history)
            .exclude(name__endswith="(gemensam)")
        )
        assert rounds.count() == 2
        for round_ in rounds:
            applications = Application.unscoped.filter(posting__round=round_)
            assert 60 <= applications.count() <= 80, round_
            interviewed = applications.filter(assessments__isnull=False).distinct().count()
            interviewed += applications.filter(stage="interview").count()
            assert applications.count() / 4 <= interviewed <= applications.count() / 2.5
    joint = InformationEvent.unscoped.annotate(n=Count("partners")).filter(n__gte=1)
    assert joint.exists()
    hosts = set(joint.values_list("municipality__slug", flat=True))
    assert hosts == {"sodertalje", "norrkoping"}
    careers = Client().get("/karriar/sodertalje/").content.decode()
    assert "Steg 1: verksamhetsförlagd utbildning" in careers


def test_the_current_round_has_a_matching_run_ready_to_review():
    from bryggan.matching.models import MatchingRun

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for municipality in Municipality.objects.all():
        runs = MatchingRun.unscoped.filter(municipality=municipality)
        assert {r.posting.kind for r in runs} == {"practicum", "aspirant", "student_employee"}
        for run in runs:
            assert run.status == "proposed" and run.stable is True
            placed = [u for u in run.result["assignment"].values() if u]
            assert len(placed) >= 3, run
        client = _demo_client(f"coordinator@{municipality.slug}.demo")
        page = client.get(f"/matchning/korning/{runs.first().pk}/")
        assert page.status_code == 200
        assert "Hur många fick vilket önskemål" in page.content.decode()


def test_the_demo_has_participants_in_every_step_and_offers_of_every_kind():
    from bryggan.programme.models import Offer, Participant

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for municipality in Municipality.objects.all():
        stages = set(
            Participant.unscoped.filter(municipality=municipality).values_list("stage", flat=True)
        )
        assert stages >= {"practicum", "aspirant", "student_employee", "employed"}
        statuses = set(
            Offer.unscoped.filter(municipality=municipality).values_list("status", flat=True)
        )
        assert statuses == {"accepted", "declined", "pending"}
        client = _demo_client(f"student@{municipality.slug}.demo")
        page = client.get("/programmet/mitt/").content.decode()
        assert "Acceptera erbjudandet" in page
        coordinator = _demo_client(f"coordinator@{municipality.slug}.demo")
        assert coordinator.get("/programmet/").status_code == 200


def test_the_demo_has_hours_some_breaking_the_rules():
    from django.utils import timezone

    from bryggan.programme.hours import breaches_for
    from bryggan.programme.models import HoursEntry, Participant
    from bryggan.programme.selectors import participants_queryset

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for municipality in Municipality.objects.all():
        hours = HoursEntry.unscoped.filter(municipality=municipality)
        assert {"practicum", "aspirant", "student_employee"} <= set(
            hours.values_list("kind", flat=True)
        )
        assert hours.filter(status="submitted").exists() and hours.filter(status="approved")
        listed = list(participants_queryset().filter(municipality=municipality))
        breaches = breaches_for(listed, today=timezone.localdate())
        breaking = sum(1 for found in breaches.values() if found)
        assert 0 < breaking < Participant.unscoped.filter(municipality=municipality).count()
