"""Recruitment in the demo: a past and a current round in each municipality, 60–80
applications a round (about a third interviewed and assessed), booked interviews, and
information events that both demo municipalities hold together.

Called by ``bryggan.demo.seed`` once a municipality's organisation and logins exist. Dates
are relative to today, so the careers page always has open postings.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from faker import Faker

from bryggan.core.models import Municipality, Person, User
from bryggan.organisation.models import StaffMember, Term, Unit, University
from bryggan.recruitment import documents
from bryggan.recruitment.models import (
    Application,
    ApplicationNote,
    ApplicationWish,
    Assessment,
    Document,
    EventRegistration,
    InformationEvent,
    Interview,
    InterviewSlot,
    Posting,
    PostingKind,
    PostingStatus,
    Round,
    ScoreCriterion,
    Source,
    Stage,
    StageChange,
)

CRITERIA = [
    "Motivation",
    "Intresse för myndighetsutövning",
    "Personliga egenskaper",
    "Passar de önskade enheterna",
]

TEXTS = {
    PostingKind.ASPIRANT: (
        "Aspirant – socialsekreterare {dept}",
        "Läser du sista året på socionomprogrammet? Som aspirant arbetar du betalt vid sidan "
        "av studierna, med en erfaren handledare, och lär känna myndighetsutövningen inifrån. "
        "Efter examen erbjuds du en tillsvidareanställning med strukturerad introduktion.",
    ),
    PostingKind.PRACTICUM: (
        "Steg 1: verksamhetsförlagd utbildning (VFU)",
        "Gör din praktik hos oss. Du får en utbildad handledare, ett eget ärende under "
        "handledning och en plats i vår studentgrupp. Praktiken ingår i utbildningen och är "
        "obetald.",
    ),
    PostingKind.STUDENT_EMPLOYEE: (
        "Steg 2: studentanställning socialtjänsten",
        "Efter praktiken kan du fortsätta som studentanställd 10–20 timmar i veckan under "
        "resten av utbildningen, med lön, handledning och introduktion till ditt framtida "
        "arbete.",
    ),
    PostingKind.SUMMER_JOB: (
        "Sommarjobb för socionomstudenter",
        "Arbeta som socialsekreterarassistent under sommaren på någon av våra enheter.",
    ),
}

INTERESTS = [
    "Barn och ungas uppväxtvillkor, särskilt utredning enligt SoL och LVU.",
    "Jag vill arbeta med ekonomiskt bistånd och vägen till egen försörjning.",
    "Missbruks- och beroendevård, motiverande samtal.",
    "Våld i nära relationer och stöd till barn som upplevt våld.",
    "Myndighetsutövning och att göra rättssäkra bedömningar.",
    "Familjehemsvård och placerade barns rätt till kontinuitet.",
    "Funktionshinderområdet och LSS.",
    "",
]

NOTES = [
    "Starkt personligt brev, tydlig motivation för myndighetsutövning.",
    "Har arbetat extra på HVB-hem; fråga om erfarenheten på intervjun.",
    "Kan börja tidigast i februari.",
    "Referens kontaktad, mycket positiv.",
]


def _pdf(title: str) -> bytes:
    """A one-page PDF with a line of text: enough for the demo's documents to open."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
        b"/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length " + str(len(stream)).encode() + b">>stream\n" + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


class _Bytes:
    """Just enough of an uploaded file for the document checks and storage."""

    def __init__(self, content: bytes):
        self.content, self.size, self._pos = content, len(content), 0

    def seek(self, pos: int) -> None:
        self._pos = pos

    def read(self, n: int = -1) -> bytes:
        end = self.size if n < 0 else self._pos + n
        chunk = self.content[self._pos : end]
        self._pos += len(chunk)
        return chunk

    def chunks(self):
        yield self.content


def _store_pdf(application: Application, kind: str, title: str, filename: str) -> Document:
    upload = _Bytes(_pdf(title))
    checked = documents.check_upload(upload)  # type: ignore[arg-type]
    name = documents.store(upload, checked)  # type: ignore[arg-type]
    return Document(
        municipality=application.municipality,
        application=application,
        kind=kind,
        storage_name=name,
        original_name=filename,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def seed_events(municipalities: list[Municipality]) -> dict[int, list[InformationEvent]]:
    """Information events the demo municipalities hold together: one past, one ahead."""
    if len(municipalities) < 2 or InformationEvent.unscoped.exists():
        return {
            m.pk: list(InformationEvent.unscoped.filter(municipality=m)) for m in municipalities
        }
    first, second = municipalities[0], municipalities[1]
    today = timezone.localdate()
    rng = random.Random(2026)
    fake = Faker("sv_SE")
    fake.seed_instance(2026)
    past = InformationEvent.objects.create(
        municipality=second,
        title="Socionomdagen – möt socialtjänsten",
        university_name="Linköpings universitet",
        place="Campus Norrköping, Kåkenhus",
        starts_at=_at(today - timedelta(days=75), 12),
    )
    ahead = InformationEvent.objects.create(
        municipality=first,
        title="Från student till socialsekreterare",
        university_name="Stockholms universitet",
        place="Aula Magna, Frescati",
        starts_at=_at(today + timedelta(days=20), 13),
    )
    older = InformationEvent.objects.create(
        municipality=first,
        title="Socialtjänstens karriärdag",
        university_name="Södertörns högskola",
        place="Moas båge, Flemingsberg",
        starts_at=_at(today - timedelta(days=300), 11),
    )
    for event in (past, ahead, older):
        event.partners.add(second if event.municipality_id == first.pk else first)
    for event, count in ((past, 48), (ahead, 23), (older, 61)):
        EventRegistration.objects.bulk_create(
            EventRegistration(
                event=event, name=fake.name(), email=f"student{event.pk}-{i}@student.example.se"
            )
            for i in range(count + rng.randint(0, 5))
        )
    return {first.pk: [older, past, ahead], second.pk: [older, past, ahead]}


def seed_municipality(
    municipality: Municipality, events: list[InformationEvent], interviewers: list[User]
) -> None:
    """A past and a current round with postings, applicants, interviews and assessments."""
    if Round.objects.filter(municipality=municipality).exists():
        return
    rng = random.Random(f"rec-{municipality.kommunkod}")
    fake = Faker("sv_SE")
    fake.seed_instance(int(municipality.kommunkod) + 7)
    today = timezone.localdate()
    units = list(
        Unit.objects.filter(municipality=municipality).select_related("department").order_by("pk")
    )
    universities = list(University.objects.filter(municipality=municipality).order_by("pk"))
    terms = {str(t): t for t in Term.objects.filter(municipality=municipality)}
    interviewer_staff = list(
        StaffMember.objects.filter(municipality=municipality, user__in=interviewers).order_by("pk")
    )
    people: list[Person] = []

    rounds = [
        # name, closes (days from today), term, postings: (kind, status, deadline, places, n)
        (
            "Traineeprogrammet VT 2026",
            -230,
            terms.get("VT 2026"),
            [
                (PostingKind.PRACTICUM, PostingStatus.CLOSED, -260, 8, 34),
                (PostingKind.ASPIRANT, PostingStatus.CLOSED, -250, 4, 36),
            ],
        ),
        (
            "Traineeprogrammet VT 2027",
            60,
            terms.get("VT 2027"),
            [
                (PostingKind.PRACTICUM, PostingStatus.PUBLISHED, 30, 10, 30),
                (PostingKind.ASPIRANT, PostingStatus.PUBLISHED, 25, 4, 26),
                (PostingKind.STUDENT_EMPLOYEE, PostingStatus.PUBLISHED, 40, 6, 16),
                (PostingKind.SUMMER_JOB, PostingStatus.DRAFT, 90, 5, 0),
            ],
        ),
    ]
    for round_name, closes, term, postings in rounds:
        round_ = Round.objects.create(
            municipality=municipality,
            name=round_name,
            term=term,
            closes_on=today + timedelta(days=closes),
        )
        criteria = ScoreCriterion.objects.bulk_create(
            ScoreCriterion(municipality=municipality, round=round_, name=name, position=i)
            for i, name in enumerate(CRITERIA)
        )
        for kind, status, deadline, places, count in postings:
            last_day = today + timedelta(days=deadline)
            title, text = TEXTS[kind]
            department = rng.choice(units).department
            posting_units = (
                [u for u in units if u.department_id == department.pk]
                if kind == PostingKind.ASPIRANT
                else rng.sample(units, k=min(6, len(units)))
            )
            posting = Posting.objects.create(
                municipality=municipality,
                round=round_,
                kind=kind,
                title=title.format(dept=department.name.lower()),
                description=f"{text}\n\n{municipality.name} kommun, {department.name}.",
                places=places,
                starts_on=last_day + timedelta(days=45),
                ends_on=last_day + timedelta(days=45 + (120 if kind == "practicum" else 300)),
                last_application_date=last_day,
                status=status,
                published_at=(
                    timezone.now() - timedelta(days=60 - deadline // 4)
                    if status != PostingStatus.DRAFT
                    else None
                ),
                export_to_job_board=kind in (PostingKind.ASPIRANT, PostingKind.STUDENT_EMPLOYEE),
            )
            posting.units.set(posting_units)
            past = deadline < 0
            _seed_applications(
                posting,
                posting_units,
                count,
                past,
                people,
                criteria,
                events,
                universities,
                interviewers,
                interviewer_staff,
                rng,
                fake,
            )


def _stages(count: int, past: bool, places: int, rng: random.Random) -> list[tuple[Stage, bool]]:
    """Each applicant's stage, and whether they were interviewed (about a third are)."""
    interviewed = round(count / 3)
    if past:
        offered = min(places, interviewed)
        stages = (
            [(Stage.OFFERED, True)] * offered
            + [(Stage.REJECTED, True)] * (interviewed - offered)
            + [(Stage.REJECTED, False)] * (count - interviewed - 2)
            + [(Stage.WITHDRAWN, False)] * 2
        )
    else:
        assessed = interviewed // 3
        stages = (
            [(Stage.ASSESSED, True)] * assessed
            + [(Stage.INTERVIEW, False)] * (interviewed - assessed)
            + [(Stage.SCREENING, False)] * (count // 4)
            + [(Stage.REJECTED, False)] * 3
            + [(Stage.WITHDRAWN, False)]
        )
        stages += [(Stage.RECEIVED, False)] * (count - len(stages))
    rng.shuffle(stages)
    return stages[:count]


PATHS: dict[str, list[str]] = {
    Stage.RECEIVED: [Stage.RECEIVED],
    Stage.SCREENING: [Stage.RECEIVED, Stage.SCREENING],
    Stage.INTERVIEW: [Stage.RECEIVED, Stage.SCREENING, Stage.INTERVIEW],
    Stage.ASSESSED: [Stage.RECEIVED, Stage.SCREENING, Stage.INTERVIEW, Stage.ASSESSED],
    Stage.OFFERED: [
        Stage.RECEIVED,
        Stage.SCREENING,
        Stage.INTERVIEW,
        Stage.ASSESSED,
        Stage.OFFERED,
    ],
}


def _seed_applications(
    posting,
    units,
    count,
    past,
    people,
    criteria,
    events,
    universities,
    interviewers,
    interviewer_staff,
    rng,
    fake,
) -> None:
    municipality = posting.municipality
    if count == 0:
        return
    deadline = posting.last_application_date
    opened = deadline - timedelta(days=45)
    now = timezone.now()
    stages = _stages(count, past, posting.places, rng)
    applications: list[Application] = []
    wishes: list[ApplicationWish] = []
    changes: list[StageChange] = []
    docs: list[Document] = []
    notes: list[ApplicationNote] = []
    assessments: list[Assessment] = []
    slots_needed: list[Application] = []
    for index, (stage, was_interviewed) in enumerate(stages):
        # About one applicant in ten has applied to another posting too: one person.
        if people and rng.random() < 0.1:
            person = rng.choice(people)
        else:
            first, last = fake.first_name(), fake.last_name()
            person = Person.objects.create(
                municipality=municipality,
                first_name=first,
                last_name=last,
                email=f"{first}.{last}.{len(people)}@student.example.se".lower()
                .replace(" ", "")
                .replace("å", "a")
                .replace("ä", "a")
                .replace("ö", "o"),
            )
            people.append(person)
        if Application.objects.filter(posting=posting, person=person).exists() or any(
            a.person_id == person.pk for a in applications
        ):
            continue
        sent = min(
            _at(opened + timedelta(days=rng.randint(0, 44)), rng.randint(8, 22)),
            now - timedelta(hours=2),
        )
        source = rng.choices(
            [Source.CAREERS_PAGE, Source.EVENT, Source.UNIVERSITY_LIST, Source.OTHER],
            weights=[5, 3, 2, 1],
        )[0]
        held = [e for e in events if e.starts_at < sent]
        event = rng.choice(held) if source == Source.EVENT and held else None
        if event is None and source == Source.EVENT:
            source = Source.CAREERS_PAGE
        application = Application(
            municipality=municipality,
            posting=posting,
            person=person,
            phone=f"07{rng.randint(0, 9)}-{rng.randint(100, 999)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}",
            university=rng.choice(universities) if universities else None,
            programme="Socionomprogrammet",
            current_term=rng.choice([4, 5, 5, 6, 6, 7]),
            expected_graduation=rng.choice(["VT 2027", "HT 2027", "VT 2028"]),
            interests=rng.choice(INTERESTS),
            source=source,
            event=event,
            consent_version="2026-1",
            consented_at=sent,
            stage=stage,
        )
        application.save()
        Application.objects.filter(pk=application.pk).update(created_at=sent)
        applications.append(application)
        for rank, unit in enumerate(
            rng.sample(units, k=min(len(units), rng.randint(1, 3))), start=1
        ):
            wishes.append(
                ApplicationWish(
                    municipality=municipality, application=application, unit=unit, rank=rank
                )
            )
        docs.append(_store_pdf(application, "cv", f"CV - {person}", f"CV {person}.pdf"))
        docs.append(
            _store_pdf(application, "letter", f"Personligt brev - {person}", "Personligt brev.pdf")
        )
        if stage in PATHS:
            path = PATHS[stage]
        elif was_interviewed:
            path = [*PATHS[Stage.ASSESSED], stage]
        else:
            path = (
                [Stage.RECEIVED, Stage.SCREENING, stage] if index % 3 else [Stage.RECEIVED, stage]
            )
        moment = sent
        previous = ""
        for step in path:
            changes.append(
                StageChange(
                    municipality=municipality,
                    application=application,
                    from_stage=previous,
                    to_stage=step,
                    at=moment,
                    email_sent=step != Stage.SCREENING,
                    actor=None if step in (Stage.RECEIVED, Stage.WITHDRAWN) else interviewers[0],
                )
            )
            previous = step
            moment = min(moment + timedelta(days=rng.randint(2, 9)), now)
        if rng.random() < 0.25:
            notes.append(
                ApplicationNote(
                    municipality=municipality,
                    application=application,
                    author=interviewers[0],
                    text=rng.choice(NOTES),
                )
            )
        if was_interviewed:
            for interviewer in interviewers:
                assessments.append(
                    Assessment(
                        municipality=municipality,
                        application=application,
                        interviewer=interviewer,
                        scores={str(c.pk): rng.choice([2, 3, 3, 4, 4, 5]) for c in criteria},
                        comment=rng.choice(
                            [
                                "",
                                "Reflekterande och trygg.",
                                "Tydlig drivkraft.",
                                "Behöver mer erfarenhet av samtal.",
                            ]
                        ),
                    )
                )
        if stage == Stage.INTERVIEW:
            slots_needed.append(application)
    ApplicationWish.objects.bulk_create(wishes)
    StageChange.objects.bulk_create(changes)
    Document.objects.bulk_create(docs)
    ApplicationNote.objects.bulk_create(notes)
    Assessment.objects.bulk_create(assessments)
    _seed_slots(posting, slots_needed, interviewer_staff, rng)


def _seed_slots(posting, invited, interviewer_staff, rng) -> None:
    """Interview times ahead: about half the invited have booked one, some are still free."""
    if not invited:
        return
    day = timezone.localdate() + timedelta(days=5)
    slots = []
    for i in range(len(invited) + 4):
        start = _at(day + timedelta(days=i // 4), 9 + 2 * (i % 4))
        slots.append(
            InterviewSlot(
                municipality=posting.municipality,
                posting=posting,
                starts_at=start,
                ends_at=start + timedelta(minutes=60),
                location="Storgatan 12, rum 3" if i % 3 else "",
                video_link="" if i % 3 else "https://meet.example.se/intervju",
            )
        )
    InterviewSlot.objects.bulk_create(slots)
    for slot in slots:
        slot.interviewers.set(interviewer_staff)
    for application, slot in zip(invited, slots, strict=False):
        if rng.random() < 0.5:
            continue
        Interview.objects.create(
            municipality=posting.municipality,
            application=application,
            slot=slot,
            uid=f"demo-{application.pk}@bryggan",
        )
        application.shared_with.add(*interviewer_staff)
