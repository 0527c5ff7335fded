"""The applicant's private link: signed, expiring, revocable — and never stored in clear."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from bryggan.recruitment.models import Application

SALT = "bryggan.recruitment.application-link"


class LinkError(Exception):
    """The link was altered, has expired, or was revoked."""


def make_token(application: Application) -> str:
    return signing.dumps(
        {"a": application.pk, "n": application.link_nonce}, salt=SALT, compress=True
    )


def link_path(application: Application) -> str:
    return reverse("recruitment-public:status", kwargs={"token": make_token(application)})


def read_token(token: str) -> tuple[int, str]:
    """The application id and nonce in a link, or LinkError."""
    max_age = settings.APPLICATION_LINK_DAYS * 86400
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkError("expired") from None
    except signing.BadSignature:
        raise LinkError("tampered") from None
    if not isinstance(data, dict) or not isinstance(data.get("a"), int):
        raise LinkError("tampered")
    return data["a"], str(data.get("n", ""))
