"""Recruitment test data: real document bytes and a round with a posting, an applicant, an
interview, an assessment and an information event in a municipality."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bryggan.core.models import Person
from bryggan.core.roles import Role
from bryggan.recruitment import documents
from bryggan.recruitment.demo import _pdf as _demo_pdf
from bryggan.recruitment.models import (
    Application,
    ApplicationWish,
    Assessment,
    Document,
    EventRegistration,
    InformationEvent,
    Interview,
    InterviewSlot,
    Posting,
    PostingStatus,
    RejectionBatch,
    Round,
    ScoreCriterion,
    Stage,
)

# A real one-page PDF (with its cross-reference table), as the demo's documents are.
PDF_BYTES = _demo_pdf("Curriculum vitae")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        package.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def build_recruitment(tenant, mark: str = "") -> dict:
    """A published posting with one interviewed, assessed applicant, and a joint event."""
    m = tenant.municipality
    today = timezone.localdate()
    unit = tenant.objects["unit"]
    staff = tenant.objects["staff"]
    staff.user = tenant.user(Role.SUPERVISOR)
    staff.save()
    round_ = Round.objects.create(
        municipality=m, name=f"Traineeprogrammet {mark}".strip(), closes_on=today + timedelta(60)
    )
    for i, name in enumerate(["Motivation", "Personliga egenskaper"]):
        ScoreCriterion.objects.create(municipality=m, round=round_, name=name, position=i)
    posting = Posting.objects.create(
        municipality=m,
        round=round_,
        kind="aspirant",
        title=f"Aspirant {mark}".strip(),
        description=f"Bli aspirant hos oss {mark}",
        places=3,
        starts_on=today + timedelta(60),
        ends_on=today + timedelta(240),
        last_application_date=today + timedelta(30),
        status=PostingStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    posting.units.add(unit)
    event = InformationEvent.objects.create(
        municipality=m,
        title=f"Socionomdagen {mark}".strip(),
        university_name="Högskolan",
        place="Aula",
        starts_at=timezone.now() + timedelta(days=14),
    )
    EventRegistration.objects.create(event=event, name=f"Student {mark}", email="s@example.se")
    person = Person.objects.create(
        municipality=m,
        first_name=f"Anna{mark}",
        last_name=f"Sökande{mark}",
        email=f"anna.{m.slug}@example.se",
    )
    application = Application.objects.create(
        municipality=m,
        posting=posting,
        person=person,
        programme="Socionomprogrammet",
        current_term=5,
        expected_graduation="VT 2027",
        interests=f"Barn och unga {mark}",
        consent_version="2026-1",
        consented_at=timezone.now(),
        stage=Stage.INTERVIEW,
        event=event,
        source="event",
    )
    application.shared_with.add(staff)
    ApplicationWish.objects.create(municipality=m, application=application, unit=unit, rank=1)
    checked = documents.check_upload(upload("cv.pdf", PDF_BYTES))
    name = documents.store(upload("cv.pdf", PDF_BYTES), checked)
    document = Document.objects.create(
        municipality=m,
        application=application,
        kind="cv",
        storage_name=name,
        original_name=f"cv{mark}.pdf",
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )
    slot = InterviewSlot.objects.create(
        municipality=m,
        posting=posting,
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=1),
        location=f"Rum 1 {mark}",
    )
    slot.interviewers.add(staff)
    free_slot = InterviewSlot.objects.create(
        municipality=m,
        posting=posting,
        starts_at=timezone.now() + timedelta(days=4),
        ends_at=timezone.now() + timedelta(days=4, hours=1),
        location=f"Rum 2 {mark}",
    )
    free_slot.interviewers.add(staff)
    interview = Interview.objects.create(
        municipality=m, application=application, slot=slot, uid=f"{m.slug}-1@bryggan"
    )
    assessment = Assessment.objects.create(
        municipality=m,
        application=application,
        interviewer=tenant.user(Role.SUPERVISOR),
        scores={str(c.pk): 4 for c in round_.criteria.all()},
        comment=f"Bra {mark}",
    )
    # A bulk rejection whose e-mails have not left yet (the application is not in it).
    rejection = RejectionBatch.objects.create(
        municipality=m,
        posting=posting,
        send_after=timezone.now() + timedelta(days=1),
        previous={},
    )
    return {
        "round": round_,
        "posting": posting,
        "rejection": rejection,
        "event": event,
        "person": person,
        "application": application,
        "document": document,
        "slot": slot,
        "free_slot": free_slot,
        "interview": interview,
        "assessment": assessment,
    }
