"""The student's one link to a joint round (signed, revocable, never stored in clear), the
receipt naming every municipality the application was shared with, and the one result
e-mail on the publication day."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from bryggan.core.models import Municipality
from bryggan.recruitment.emails import queue_email
from bryggan.regional.models import JointApplication, JointRound

SALT = "bryggan.regional.joint-application-link"


class LinkError(Exception):
    """The link was altered, has expired, or was revoked."""


def make_token(application: JointApplication) -> str:
    return signing.dumps({"j": application.pk, "n": application.link_nonce}, salt=SALT)


def link_path(application: JointApplication) -> str:
    return reverse("regional-public:result", kwargs={"token": make_token(application)})


def read_token(token: str) -> tuple[int, str]:
    if len(token) > 200:
        raise LinkError("tampered")
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.APPLICATION_LINK_DAYS * 86400)
    except signing.SignatureExpired:
        raise LinkError("expired") from None
    except signing.BadSignature:
        raise LinkError("tampered") from None
    if not isinstance(data, dict) or not isinstance(data.get("j"), int):
        raise LinkError("tampered")
    return data["j"], str(data.get("n", ""))


def _url(application: JointApplication) -> str:
    return settings.SITE_URL.rstrip("/") + link_path(application)


def queue_receipt(application: JointApplication, municipalities: list[Municipality]) -> None:
    names = ", ".join(m.name for m in municipalities)
    queue_email(
        [application.email],
        _("We have received your application: %(round)s") % {"round": application.joint_round},
        _(
            "Hello,\n\nThank you for applying to the joint round “%(round)s”. Your application "
            "has been shared with exactly the municipalities whose units you ranked: "
            "%(names)s. Each of them handles its part and e-mails you about interviews.\n\n"
            "On %(day)s every municipality publishes the result at once; you will then see "
            "your one result here:\n%(link)s\n\nKeep the link to yourself.\n"
        )
        % {
            "round": application.joint_round,
            "names": names,
            "day": application.joint_round.publication_on,
            "link": _url(application),
        },
    )


def queue_results(joint_round: JointRound) -> None:
    for application in JointApplication.objects.filter(joint_round=joint_round).order_by("pk"):
        queue_email(
            [application.email],
            _("The result of the joint round: %(round)s") % {"round": joint_round},
            _(
                "Hello,\n\nThe municipalities of the joint round “%(round)s” have published "
                "their placements today. Your result is here:\n%(link)s\n"
            )
            % {"round": joint_round, "link": _url(application)},
        )
