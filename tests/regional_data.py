"""A joint round of the two test municipalities: each joins with a practicum posting of two
units (supervisors with capacity), students apply once across both, and each municipality
screens and scores its own applicants."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_scopes import scope

from bryggan.core.permissions import actor_for
from bryggan.core.roles import Role
from bryggan.recruitment import documents
from bryggan.recruitment.models import (
    Application,
    Assessment,
    Posting,
    PostingStatus,
    Round,
    ScoreCriterion,
    Stage,
)
from bryggan.regional import services
from bryggan.regional.models import JointApplication
from tests import factories as f
from tests.conftest import FOREIGN_MARK
from tests.recruitment_data import PDF_BYTES, upload

DEADLINE_DAYS = 10
PUBLICATION_DAYS = 20


def _posting(tenant, mark: str) -> dict:
    m = tenant.municipality
    today = timezone.localdate()
    term = tenant.objects["term"]
    unit = tenant.objects["unit"]
    second = f.UnitFactory(department=tenant.objects["department"], name=f"Vuxen {mark}".strip())
    staff = f.StaffMemberFactory(unit=second, last_name=f"Vägledare{mark}")
    f.SupervisorCapacityFactory(supervisor=staff, term=term, capacity=1)
    round_ = Round.objects.create(
        municipality=m,
        name=f"Gemensam VFU {mark}".strip(),
        closes_on=today + timedelta(DEADLINE_DAYS),
        term=term,
    )
    criterion = ScoreCriterion.objects.create(municipality=m, round=round_, name="Motivation")
    posting = Posting.objects.create(
        municipality=m,
        round=round_,
        kind="practicum",
        title=f"VFU hösten {mark}".strip(),
        description="Steg 1",
        places=3,
        starts_on=term.starts_on,
        ends_on=term.ends_on,
        last_application_date=today + timedelta(DEADLINE_DAYS),
        status=PostingStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    posting.units.add(unit, second)
    return {
        "posting": posting,
        "units": [unit, second],
        "criterion": criterion,
        "staff": [tenant.objects["staff"], staff],
    }


def student_data(email: str, wishes: list[int], name: str = "Sara") -> dict:
    cv, letter = upload("cv.pdf", PDF_BYTES), upload("brev.pdf", PDF_BYTES)
    cv.checked = documents.check_upload(cv)
    letter.checked = documents.check_upload(letter)
    return {
        "first_name": name,
        "last_name": "Regional",
        "email": email,
        "phone": "",
        "personnummer": "",
        "university": None,
        "programme": "Socionomprogrammet",
        "current_term": 5,
        "expected_graduation": "VT 2027",
        "interests": "",
        "cv": cv,
        "letter": letter,
        "source": "careers_page",
        "talent_pool": False,
        "wishes": wishes,
    }


def build_joint(world) -> dict:
    """The round (hosted by the home municipality, the foreign one joined), no applicants."""
    today = timezone.localdate()
    home = _posting(world.home, "")
    foreign = _posting(world.foreign, FOREIGN_MARK)
    host = actor_for(world.home.user(Role.COORDINATOR))
    joint_round = services.round_create(
        actor=host,
        name="Sydöstra regionen HT 2026",
        kind="practicum",
        term_kind=world.home.objects["term"].kind,
        term_year=world.home.objects["term"].year,
        rank_deadline=today + timedelta(DEADLINE_DAYS),
        publication_on=today + timedelta(PUBLICATION_DAYS),
        partners=[world.foreign.municipality],
        posting=home["posting"],
        today=today,
    )
    services.round_join(
        actor=actor_for(world.foreign.user(Role.COORDINATOR)),
        joint_round=joint_round,
        posting=foreign["posting"],
        today=today,
    )
    return {"round": joint_round, "home": home, "foreign": foreign}


def screen(tenant, built: dict, scores: dict[str, int]) -> None:
    """The municipality interviews and scores its own applicants (by e-mail address)."""
    with scope(municipality=tenant.municipality.pk):
        for application in Application.objects.filter(posting=built["posting"]).select_related(
            "person"
        ):
            score = scores.get(application.person.email)
            if score is None:
                continue
            application.stage = Stage.ASSESSED
            application.save(update_fields=["stage"])
            Assessment.objects.create(
                municipality=tenant.municipality,
                application=application,
                interviewer=tenant.user(Role.SUPERVISOR),
                scores={str(built["criterion"].pk): score},
            )


def build_applied(world) -> dict:
    """Five students across both municipalities, screened by each: more wishes for the
    home municipality's first unit than it has places, so the ranking decides."""
    joint = build_joint(world)
    h1, h2 = (u.pk for u in joint["home"]["units"])
    f1, f2 = (u.pk for u in joint["foreign"]["units"])
    students = {
        "ada@example.se": [h1, f1],
        "bo@example.se": [h1, h2],
        "cia@example.se": [f1, h1],
        "dan@example.se": [h1, f2, h2],
        "eva@example.se": [f2],
    }
    for email, wishes in students.items():
        services.apply(
            joint_round=joint["round"],
            data=student_data(email, wishes, name=email.split("@")[0].title()),
            consent_version="2026-1",
        )
    # The home municipality ranks Ada and Dan above Bo; the foreign one Cia above Ada.
    screen(
        world.home,
        joint["home"],
        {"ada@example.se": 5, "bo@example.se": 3, "dan@example.se": 4, "cia@example.se": 2},
    )
    screen(
        world.foreign,
        joint["foreign"],
        {"cia@example.se": 5, "ada@example.se": 4, "dan@example.se": 3, "eva@example.se": 4},
    )
    joint["students"] = {
        a.email: a for a in JointApplication.objects.filter(joint_round=joint["round"])
    }
    return joint
