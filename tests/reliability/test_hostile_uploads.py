"""Hostile uploads on the application form: each is refused with a clear message and nothing
is stored (no application, no person, no file on disk)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from bryggan.core.models import Person
from bryggan.recruitment.models import Application
from tests.recruitment.test_apply import _apply_url, _form, _stored_files
from tests.recruitment_data import PDF_BYTES, upload

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
WINDOWS_EXE = b"MZ\x90\x00\x03" + b"\x00" * 200


def _pdf_with(*, javascript: bool = False, attachment: bool = False, launch: bool = False):
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if javascript:
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hej');"),
            }
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    if launch:
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/Launch"),
                NameObject("/F"): TextStringObject("cmd.exe"),
            }
        )
        writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})
    if attachment:
        writer.add_attachment("invoice.exe", WINDOWS_EXE)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """A 'DOCX' of a few hundred kilobytes that unpacks to a gigabyte."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        chunk = b"\x00" * (64 * 1024 * 1024)
        for i in range(16):
            package.writestr(f"word/media/image{i}.bin", chunk)
    return buffer.getvalue()


def _many_parts() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        for i in range(5000):
            package.writestr(f"p/{i}", b"")
    return buffer.getvalue()


# What is sent (made only when its test runs: some are large) and the message expected.
HOSTILE = {
    "a renamed Linux executable": ("cv", lambda: upload("cv.pdf", ELF), "Endast PDF, Word"),
    "a renamed Windows executable": ("letter", lambda: upload("b.docx", WINDOWS_EXE), "Endast PDF"),
    "a PDF with JavaScript": (
        "cv",
        lambda: upload("cv.pdf", _pdf_with(javascript=True)),
        "JavaScript, åtgärder eller bifogade filer",
    ),
    "a PDF with a launch action": (
        "cv",
        lambda: upload("cv.pdf", _pdf_with(launch=True)),
        "JavaScript, åtgärder eller bifogade filer",
    ),
    "a PDF with an attached executable": (
        "cv",
        lambda: upload("cv.pdf", _pdf_with(attachment=True)),
        "JavaScript, åtgärder eller bifogade filer",
    ),
    "a damaged PDF": (
        "cv",
        lambda: upload("cv.pdf", b"%PDF-1.7\n" + b"\x00" * 500),
        "PDF-filen är skadad",
    ),
    "a ZIP bomb disguised as DOCX": ("letter", lambda: upload("b.docx", _zip_bomb()), "packas upp"),
    "a DOCX of 5,000 parts": ("letter", lambda: upload("b.docx", _many_parts()), "packas upp"),
    "a 50 MB file": (
        "cv",
        lambda: upload("cv.pdf", PDF_BYTES + b"\x00" * (50 * 1024 * 1024)),
        "större än",
    ),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_upload_is_refused_and_nothing_is_stored(rworld, settings, case):
    field, make, message = HOSTILE[case]
    hostile = make()
    files_before = _stored_files(settings)
    people_before = Person.objects.count()
    response = Client().post(_apply_url(rworld), _form(rworld, **{field: hostile}))
    body = response.content.decode()
    assert response.status_code == 400, case
    assert message.lower() in body.lower(), (case, body[body.find("error-summary") :][:600])
    assert not Application.objects.filter(person__email="sara.lind@example.se").exists()
    assert Person.objects.count() == people_before
    assert _stored_files(settings) == files_before


DANGEROUS_NAMES = [
    "../../etc/x.pdf",
    "..\\..\\windows\\cv.pdf",
    "cv\r\nX-Evil: 1.pdf",
    "cv\u202efdp.exe",
    "cv\x00.pdf",
    "cv.exe",
]


@pytest.mark.parametrize("name", DANGEROUS_NAMES)
def test_a_dangerous_file_name_never_reaches_a_path_or_a_header(rworld, settings, name):
    """Django's upload parser already drops paths and control characters; what is left is
    only a label: the file is stored under a random name, and a download carries the real
    type's extension. Where a name arrives unparsed, it is refused outright."""
    from bryggan.core.roles import Role
    from bryggan.recruitment import documents
    from bryggan.recruitment.models import Document

    response = Client().post(_apply_url(rworld), _form(rworld, cv=upload(name, PDF_BYTES)))
    assert response.status_code in (302, 400)
    for document in Document.objects.filter(application__person__email="sara.lind@example.se"):
        assert not set("/\\\r\n\x00\u202e") & set(document.original_name)
        stored = documents.path_of(document.storage_name)
        assert stored.parent == documents.storage_root() and stored.exists()
        download = rworld.home.client(Role.COORDINATOR).get(f"/rekrytering/dokument/{document.pk}/")
        disposition = download["Content-Disposition"]
        assert "\n" not in disposition and "/" not in disposition.split("filename")[-1]
        assert disposition.rstrip('"').endswith((".pdf", ".docx", ".odt"))
    from django.core.exceptions import ValidationError

    raw = upload("x.pdf", PDF_BYTES)
    raw._name = name  # as if it came from somewhere that does not clean names
    if set(name) & set("/\\\r\n\x00\u202e"):
        with pytest.raises(ValidationError, match=r"(?i)filnamnet|file name"):
            documents.check_upload(raw)


def test_a_plain_pdf_with_a_swedish_name_is_fine(rworld, settings):
    response = Client().post(
        _apply_url(rworld), _form(rworld, cv=upload("Mitt CV – Åsa Öberg (2026).pdf", PDF_BYTES))
    )
    assert response.status_code == 302
