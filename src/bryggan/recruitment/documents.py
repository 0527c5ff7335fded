"""Applicants' documents: what we accept, and where and how they are kept.

Accepted: PDF, DOCX, ODT — decided by the file's content, never its name: a PDF starts with
``%PDF-``; a DOCX and an ODT are ZIP packages with their format's mandatory parts, and the
package must open and pass its checksums (a corrupt or truncated file is refused). At most
``DOCUMENT_MAX_BYTES`` (10 MB). Files are stored under random names in
``PRIVATE_STORAGE_ROOT``, outside anything the web server serves; only a permission-checked,
access-logged view reads them back.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
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


def _zip_kind(upload: UploadedFile) -> str | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
            if package.testzip() is not None:
                return None
            if "word/document.xml" in names and "[Content_Types].xml" in names:
                return DOCX
            if "mimetype" in names and package.read("mimetype").strip() == ODT.encode():
                return ODT
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, RuntimeError, ValueError):
        return None
    return None


def check_upload(upload: UploadedFile) -> CheckedFile:
    """The file's true type, size and checksum, or a ValidationError saying how to fix it."""
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
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(upload)
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


def path_of(storage_name: str) -> Path:
    # Names are ours (hex + extension); refuse anything else rather than join a stranger's path.
    if not storage_name or "/" in storage_name or storage_name.startswith("."):
        raise FileNotFoundError(storage_name)
    return storage_root() / storage_name


def remove(storage_name: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        path_of(storage_name).unlink()
