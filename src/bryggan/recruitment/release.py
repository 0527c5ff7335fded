"""A release copy of an application for a public-records request (utlämnande av allmän
handling): the application as a PDF with the fields the secrecy review decided to mask
replaced by a note saying so. The masking choice and the request's reference are written to
the access log with the copy."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bryggan.core.pdf import Document
from bryggan.recruitment.models import Application

# Field key, its label, and how to read it from the application.
FIELDS = [
    ("name", gettext_lazy("Name"), lambda a: str(a.person)),
    ("email", gettext_lazy("E-mail address"), lambda a: a.person.email),
    ("phone", gettext_lazy("Phone"), lambda a: a.phone),
    ("personnummer", gettext_lazy("Personnummer"), lambda a: a.person.personnummer),
    ("university", gettext_lazy("University"), lambda a: a.university.name if a.university else ""),
    ("programme", gettext_lazy("Programme"), lambda a: f"{a.programme}, {a.current_term}"),
    ("graduation", gettext_lazy("Expected graduation"), lambda a: a.expected_graduation),
    (
        "wishes",
        gettext_lazy("Wishes in order"),
        lambda a: ", ".join(w.unit.name for w in a.wishes.order_by("rank")),
    ),
    ("interests", gettext_lazy("Interests"), lambda a: a.interests),
    ("stage", gettext_lazy("Stage"), lambda a: a.get_stage_display()),
]
# Masked unless the reviewer unticks them: identity numbers and contact details.
MASKED_BY_DEFAULT = ["email", "phone", "personnummer"]


def release_pdf(application: Application, *, masked: set[str], reference: str) -> bytes:
    posting = application.posting
    doc = Document(_("Release copy of an application"))
    doc.heading(_("Application: %(posting)s") % {"posting": posting.title})
    doc.facts(
        [
            (_("Municipality"), application.municipality),
            (_("Received"), timezone.localtime(application.created_at).strftime("%Y-%m-%d")),
            (_("Records request"), reference),
            (_("Copy made"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        ]
    )
    doc.pdf.ln(4)
    note = _("[Masked after secrecy review]")
    doc.facts(
        [
            (label, note if key in masked else (read(application) or "–"))
            for key, label, read in FIELDS
            if key != "interests"
        ]
    )
    doc.section(_("Interests"), note if "interests" in masked else (application.interests or "–"))
    doc.pdf.ln(6)
    doc.paragraph(
        _(
            "Copy of a public document released by the municipality. Masked parts are covered "
            "by secrecy under the Public Access to Information and Secrecy Act (OSL)."
        ),
        size=9,
    )
    return doc.output()
