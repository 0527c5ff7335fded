"""University assessments: signed by the practicum supervisor, locked, corrected by a new
version, produced as PDF, and read only by those allowed — the university's contact only
for their own university's students, every read logged."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from bryggan.core.models import AccessLogEntry, Membership
from bryggan.core.roles import Role
from bryggan.programme.models import UniversityAssessment

pytestmark = pytest.mark.django_db

FORM = {
    "kind": "final",
    "knowledge": "Kan lagstiftningen väl, även LVU.",
    "skills": "Leder samtal med vårdnadshavare.",
    "judgement": "Reflekterar över makt.",
    "absence_days": "2",
    "recommendation": "pass",
}


def test_the_supervisor_signs_and_a_correction_is_a_new_version(rworld):
    home = rworld.home
    pia = home.rec["practicum_participant"]
    supervisor = home.client(Role.SUPERVISOR)
    path = f"/programmet/deltagare/{pia.pk}/bedomning/"
    assert supervisor.get(path).status_code == 200
    assert supervisor.post(path, FORM).status_code == 302
    first = UniversityAssessment.objects.get(participant=pia, kind="final")
    assert (first.version, first.signed_by) == (1, home.user(Role.SUPERVISOR))
    supervisor.post(path, FORM | {"absence_days": "3"})
    second = UniversityAssessment.objects.get(participant=pia, kind="final", version=2)
    assert second.supersedes == first and second.absence_days == 3
    with pytest.raises(ValueError, match="locked"):
        first.absence_days = 0
        first.save()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"knowledge": " "}, "Fyll i varje del av formuläret"),
        ({"absence_days": "-1"}, "heltal från 0"),
        ({"absence_days": "två"}, "heltal från 0"),
        ({"recommendation": "maybe"}, "Välj den samlade bedömningen"),
        ({"kind": "weekly"}, "Välj halvtid eller slutlig"),
    ],
)
def test_bad_assessments_are_refused_and_nothing_is_signed(rworld, change, message):
    home = rworld.home
    pia = home.rec["practicum_participant"]
    before = UniversityAssessment.objects.count()
    response = home.client(Role.SUPERVISOR).post(
        f"/programmet/deltagare/{pia.pk}/bedomning/", FORM | change
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert UniversityAssessment.objects.count() == before


def test_only_the_practicum_supervisor_signs(rworld):
    home = rworld.home
    pia = home.rec["practicum_participant"]
    for role in (Role.COORDINATOR, Role.MENTOR, Role.STUDENT):
        response = home.client(role).post(f"/programmet/deltagare/{pia.pk}/bedomning/", FORM)
        assert response.status_code in (403, 404), role
    assert not UniversityAssessment.objects.filter(kind="final").exists()


def test_the_pdf_reaches_the_universitys_contact_only_and_every_read_is_logged(rworld):
    home = rworld.home
    assessment = home.rec["assessment"]
    path = f"/programmet/bedomning/{assessment.pk}/pdf/"
    contact = home.client(Role.UNIVERSITY_CONTACT)
    response = contact.get(path)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    import io

    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Pia Praktik" in text and "Goda kunskaper" in text and "Signerad i Bryggan" in text
    assert AccessLogEntry.objects.filter(
        purpose="assessment pdf", subject_id=str(assessment.pk)
    ).exists()
    assert "Pia Praktik" in contact.get("/programmet/bedomningar/").content.decode()
    # A contact of another university sees nothing.
    Membership.objects.filter(user=home.user(Role.UNIVERSITY_CONTACT)).update(university=None)
    assert contact.get(path).status_code == 404
    assert "Pia Praktik" not in contact.get("/programmet/bedomningar/").content.decode()
    for role, status in (
        (Role.COORDINATOR, 200),
        (Role.SUPERVISOR, 200),
        (Role.MENTOR, 404),
        (Role.HR, 200),
        (Role.STUDENT, 404),
    ):
        assert home.client(role).get(path).status_code == status, role
