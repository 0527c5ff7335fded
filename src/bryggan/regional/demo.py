"""The demo's joint rounds of Södertälje and Norrköping.

- "Gemensam VFU vårterminen 2027": applications closed a week ago; 30 students applied once
  across both municipalities (many to both), each municipality interviewed and scored its
  own, the joint matching has run, Norrköping has approved its part and the publication
  day is today: Södertälje's coordinator approves and publishes for both.
- "Gemensamma studentmedarbetare vårterminen 2027": open for applications on the regional
  careers page (/region/<slug>/), with a few students already in.

Everything is written through the services, as the coordinators and students would."""

from __future__ import annotations

import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from bryggan.core.models import Municipality, User
from bryggan.core.permissions import actor_for
from bryggan.organisation.models import SupervisorCapacity, Term, TermKind
from bryggan.recruitment import documents
from bryggan.recruitment.demo import _pdf
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
from bryggan.regional.models import JointRound

SLUGS = ("norrkoping", "sodertalje")
FIRST = ["Amira", "Bodil", "Cecilia", "David", "Emil", "Fatima", "Gustav", "Hanna", "Ivan"]
FIRST += ["Jasmin", "Kevin", "Leila", "Mohammed", "Nora", "Oskar", "Petra", "Rasmus", "Selma"]
LAST = ["Lindqvist", "Öberg", "Yilmaz", "Sandberg", "Nyström", "Ahmadi", "Wikström", "Berglund"]


def _coordinator(municipality: Municipality):
    user = User.objects.filter(email=f"coordinator@{municipality.slug}.demo").first()
    return actor_for(user) if user else None


def _posting(municipality: Municipality, kind: str, title: str, last_day, rng) -> Posting:
    """A posting of VT 2027 at three units with few supervision places: the students will
    compete for them."""
    term = Term.objects.get(kind=TermKind.SPRING, year=2027)
    round_ = Round.objects.create(
        municipality=municipality, name=f"{title} (gemensam)", closes_on=last_day, term=term
    )
    ScoreCriterion.objects.create(municipality=municipality, round=round_, name="Motivation")
    ScoreCriterion.objects.create(
        municipality=municipality, round=round_, name="Samarbetsförmåga", position=1
    )
    free: dict = {}
    for row in SupervisorCapacity.objects.filter(term=term).select_related("supervisor__unit"):
        free[row.supervisor.unit] = free.get(row.supervisor.unit, 0) + row.capacity
    units = sorted((u for u in free if free[u] > 0), key=lambda u: (free[u], u.name))[:3]
    posting = Posting.objects.create(
        municipality=municipality,
        round=round_,
        kind=kind,
        title=title,
        description="Vi rekryterar tillsammans med grannkommunen: sök en gång, få ett besked.",
        places=sum(free[u] for u in units),
        starts_on=term.starts_on,
        ends_on=term.ends_on,
        last_application_date=last_day,
        status=PostingStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    posting.units.set(units)
    return posting


def _student(n: int, rng, wishes: list[int]) -> dict:
    first, last = FIRST[n % len(FIRST)], LAST[(n * 7) % len(LAST)]
    uploads = []
    for name in ("cv.pdf", "brev.pdf"):
        upload = SimpleUploadedFile(name, _pdf(f"{first} {last}"), content_type="application/pdf")
        upload.checked = documents.check_upload(upload)  # type: ignore[attr-defined]
        uploads.append(upload)
    return {
        "first_name": first,
        "last_name": last,
        "email": f"{first.lower()}.{last.lower()}{n}@student.example".replace("ö", "o"),
        "phone": "",
        "personnummer": "",
        "university": None,
        "programme": "Socionomprogrammet",
        "current_term": rng.choice([5, 6]),
        "expected_graduation": "HT 2027",
        "interests": "",
        "cv": uploads[0],
        "letter": uploads[1],
        "source": rng.choice(["event", "careers_page", "university_list"]),
        "talent_pool": False,
        "wishes": wishes,
    }


def _wishes(rng, units: dict[str, list[int]]) -> list[int]:
    """Most students want both municipalities (they live between them), some only one."""
    near, far = rng.sample(list(units), 2)
    # The first unit of each municipality is the one most students want.
    chosen = [units[near][0]] if rng.random() < 0.6 else []
    chosen += [u for u in rng.sample(units[near], rng.randint(1, 3)) if u not in chosen]
    if rng.random() < 0.7:
        chosen += rng.sample(units[far], rng.randint(1, 2))
        rng.shuffle(chosen)
    return chosen


def _screen(municipality: Municipality, posting: Posting, rng) -> None:
    """Each municipality interviews and scores its own applicants; a few it turns down."""
    interviewer = User.objects.filter(email=f"supervisor@{municipality.slug}.demo").first()
    if interviewer is None:
        return
    criteria = list(ScoreCriterion.objects.filter(round=posting.round))
    for application in Application.objects.filter(posting=posting).order_by("pk"):
        if rng.random() < 0.1:
            application.stage = Stage.REJECTED
            application.save(update_fields=["stage"])
            continue
        application.stage = Stage.ASSESSED
        application.save(update_fields=["stage"])
        Assessment.objects.create(
            municipality=municipality,
            application=application,
            interviewer=interviewer,
            scores={str(c.pk): rng.randint(2, 5) for c in criteria},
        )


def seed(municipalities: list[Municipality]) -> None:
    with scopes_disabled():
        if JointRound.objects.exists():
            return  # seeded before
    pair = sorted((m for m in municipalities if m.slug in SLUGS), key=lambda m: m.slug)
    if len(pair) != 2:
        return
    actors = [_coordinator(m) for m in pair]
    if None in actors:
        return
    rng = random.Random(2027)  # noqa: S311 - made-up demo data
    today = timezone.localdate()
    _matched_round(pair, actors, rng, today)
    _open_round(pair, actors, rng, today)


def _joint(pair, actors, kind: str, titles, deadline, publication, rng, today):
    postings = []
    for municipality, title in zip(pair, titles, strict=True):
        with scope(municipality=municipality.pk):
            postings.append(_posting(municipality, kind, title, deadline, rng))
    host = actors[1]  # Södertälje hosts
    joint_round = services.round_create(
        actor=host,
        name=titles[1].replace("Södertälje", "Södertälje och Norrköping"),
        kind=kind,
        term_kind=TermKind.SPRING,
        term_year=2027,
        rank_deadline=deadline,
        publication_on=publication,
        partners=[pair[0]],
        posting=postings[1],
        today=min(today, deadline),
    )
    services.round_join(
        actor=actors[0], joint_round=joint_round, posting=postings[0], today=min(today, deadline)
    )
    units = {}
    for municipality, posting in zip(pair, postings, strict=True):
        with scopes_disabled():
            units[municipality.slug] = list(posting.units.values_list("pk", flat=True))
    return joint_round, postings, units


def _matched_round(pair, actors, rng, today) -> None:
    deadline = today - timedelta(days=7)
    joint_round, postings, units = _joint(
        pair,
        actors,
        "practicum",
        ("VFU vårterminen 2027 Norrköping", "Gemensam VFU vårterminen 2027 Södertälje"),
        deadline,
        today,
        rng,
        today,
    )
    # The applications came in before the deadline: the postings were open then.
    with scopes_disabled():
        Posting.objects.filter(pk__in=[p.pk for p in postings]).update(last_application_date=today)
    for n in range(30):
        services.apply(
            joint_round=joint_round,
            data=_student(n, rng, _wishes(rng, units)),
            consent_version="2026-1",
            today=deadline - timedelta(days=1),
        )
    with scopes_disabled():
        Posting.objects.filter(pk__in=[p.pk for p in postings]).update(
            last_application_date=deadline
        )
    for municipality, posting in zip(pair, postings, strict=True):
        with scope(municipality=municipality.pk):
            _screen(municipality, posting, rng)
    services.match(actor=actors[1], joint_round=joint_round, today=today)
    services.approve(actor=actors[0], joint_round=joint_round)  # Norrköping has approved


def _open_round(pair, actors, rng, today) -> None:
    joint_round, _postings, units = _joint(
        pair,
        actors,
        "student_employee",
        (
            "Studentmedarbetare vårterminen 2027 Norrköping",
            "Gemensamma studentmedarbetare vårterminen 2027 Södertälje",
        ),
        today + timedelta(days=14),
        today + timedelta(days=28),
        rng,
        today,
    )
    for n in range(40, 46):
        services.apply(
            joint_round=joint_round,
            data=_student(n, rng, _wishes(rng, units)),
            consent_version="2026-1",
        )
