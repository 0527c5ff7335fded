"""Applicants' documents: what we accept, and where and how they are kept.

Accepted: PDF, DOCX, ODT — decided by the file's content, never its name: a PDF starts with
``%PDF-``; a DOCX and an ODT are ZIP packages with their format's mandatory parts, and the
package must open and pass its checksums (a corrupt or truncated file is refused). At most
``DOCUMENT_MAX_BYTES`` (10 MB). Refused as well: a PDF with JavaScript, launch actions or
embedded files (read with pypdf, compressed object streams included); a package that would
unpack to more than ``DOCUMENT_MAX_UNPACKED_BYTES`` or holds more than 2,000 parts (a "ZIP
bomb"); a file name with a path or control characters. Files are stored under random names in
``PRIVATE_STORAGE_ROOT``, outside anything the web server serves; only a permission-checked,
access-logged view reads them back.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", ODT: ".odt"}


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


MAX_PARTS = 2000
_UNSAFE_PDF_KEYS = {"/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles"}
_UNSAFE_PDF_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm"}


class _Bomb(Exception):
    pass


def _zip_kind(upload: UploadedFile) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            infos = package.infolist()
            unpacked = sum(info.file_size for info in infos)
            if len(infos) > MAX_PARTS or unpacked > settings.DOCUMENT_MAX_UNPACKED_BYTES:
                raise _Bomb
            names = {info.filename for info in infos}
            if package.testzip() is not None:
                return None
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return DOCX
            if "mimetype" in names and package.read("mimetype").strip() == ODT.encode():
                return ODT
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, RuntimeError, ValueError):
        return None
    return None


def _pdf_is_active(upload: UploadedFile) -> bool | None:
    """True when the PDF carries JavaScript, actions or embedded files; None when it cannot
    be read at all."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    upload.seek(0)
    try:
        reader = PdfReader(io.BytesIO(upload.read()), strict=False)
        seen: set[int] = set()
        stack: list = [reader.trailer]
        while stack:
            item = stack.pop()
            if isinstance(item, IndirectObject):
                if item.idnum in seen:
                    continue
                seen.add(item.idnum)
                if len(seen) > 200_000:
                    return True
                item = item.get_object()
            if isinstance(item, DictionaryObject):
                if _UNSAFE_PDF_KEYS & set(item.keys()):
                    return True
                if item.get("/S") in _UNSAFE_PDF_ACTIONS:
                    return True
                stack.extend(v for k, v in item.items() if k != "/Parent")
            elif isinstance(item, ArrayObject):
                stack.extend(item)
    except (PyPdfError, ValueError, TypeError, KeyError, OSError, RecursionError):
        return None
    return False


def _check_name(name: str | None) -> None:
    text = name or ""
    if (
        "/" in text
        or "\\" in text
        or any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text)
        or len(text) > 255
    ):
        raise ValidationError(
            _(
                "The file name has characters we cannot accept. Rename the file with letters, "
                "digits, spaces, - and _ only, and choose it again."
            )
        )


def check_upload(upload: UploadedFile) -> CheckedFile:
    """The file's true type, size and checksum, or a ValidationError saying how to fix it."""
    _check_name(getattr(upload, "name", None))
    limit = settings.DOCUMENT_MAX_BYTES
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("The file is empty. Choose the file again."))
    if upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s. Save it smaller, e.g. as PDF.")
            % {"limit": filesizeformat(limit)}
        )
    upload.seek(0)
    head = upload.read(8)
    if head.startswith(b"%PDF-"):
        kind: str | None = PDF
        active = _pdf_is_active(upload)
        if active is None:
            raise ValidationError(_("The PDF is damaged. Save or print it as PDF again."))
        if active:
            raise ValidationError(
                _(
                    "The PDF contains JavaScript, actions or attached files, which we do not "
                    "accept. Print it to a new PDF (“Save as PDF”) and choose that file."
                )
            )
    elif head.startswith(b"PK\x03\x04"):
        try:
            kind = _zip_kind(upload)
        except _Bomb:
            raise ValidationError(
                _("The document unpacks to far more than a CV or letter. Save it again as PDF.")
            ) from None
        if kind is None:
            raise ValidationError(
                _(
                    "The file is damaged or not a Word or OpenDocument text. Save it again as "
                    "PDF, DOCX or ODT."
                )
            )
    else:
        kind = None
    if kind is None:
        raise ValidationError(
            _(
                "Only PDF, Word (DOCX) or OpenDocument (ODT) files are accepted. Save the file "
                "in one of those formats."
            )
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    return CheckedFile(content_type=kind, size=upload.size, sha256=digest.hexdigest())


def storage_root() -> Path:
    root = Path(settings.PRIVATE_STORAGE_ROOT)
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return root


def store(upload: UploadedFile, checked: CheckedFile) -> str:
    """Write the file under a new random name; return that name."""
    name = secrets.token_hex(20) + EXTENSIONS[checked.content_type]
    path = storage_root() / name
    upload.seek(0)
    with open(path, "xb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    path.chmod(0o600)
    return name


def download_name(document) -> str:
    """The name a download is saved under: the applicant's name for it, but always with the
    extension of what the file really is (a PDF named "cv.exe" is saved as "cv.exe.pdf")."""
    extension = EXTENSIONS.get(document.content_type, "")
    name = (
        "".join(
            ch
            for ch in (document.original_name or "dokument")
            if unicodedata.category(ch)[0] != "C" and ch not in '/\\"'
        ).strip()
        or "dokument"
    )
    return name if name.lower().endswith(extension) else f"{name}{extension}"


def path_of(storage_name: str) -> Path:
    # Names are ours (hex + extension); refuse anything else rather than join a stranger's path.
    if not storage_name or "/" in storage_name or storage_name.startswith("."):
        raise FileNotFoundError(storage_name)
    return storage_root() / storage_name


def remove(storage_name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        path_of(storage_name).unlink()


# A PDF is previewed in the page as pictures of its pages, drawn here by PDFium: the reader's
# browser never opens the PDF itself, so nothing in it can run there (no script, no form, no
# link that fetches). At most PREVIEW_PAGES pages, at a size fit for reading on screen.
PREVIEW_PAGES = 10
PREVIEW_WIDTH = 900  # pixels


def preview_pngs(document) -> list[bytes]:
    """The first PREVIEW_PAGES pages of a stored PDF as PNGs, the file opened once; empty for
    another format or a file that does not open as a PDF. FileNotFoundError when it is gone."""
    path = path_of(document.storage_name)
    if not path.is_file():
        raise FileNotFoundError(document.storage_name)
    if document.content_type != PDF:
        return []
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except (pypdfium2.PdfiumError, OSError):
        return []
    try:
        pages = []
        for index in range(min(len(pdf), PREVIEW_PAGES)):
            page = pdf[index]
            scale = min(PREVIEW_WIDTH / (page.get_width() or 1), 3.0)
            image = page.render(scale=scale, may_draw_forms=False).to_pil()
            page.close()
            out = io.BytesIO()
            image.save(out, format="PNG", optimize=True)
            pages.append(out.getvalue())
        return pages
    finally:
        pdf.close()
