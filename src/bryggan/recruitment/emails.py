"""E-mails to applicants: one template per stage, sent after the transaction commits.

The texts are Swedish through the translation catalogue (English when the catalogue is
switched), with the applicant's name, the posting and their private link filled in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from bryggan.recruitment.models import Application, Stage


@dataclass(frozen=True)
class StageEmail:
    subject: object
    body: object
    automatic: bool  # sent on every move into the stage, not only when asked for


STAGE_EMAILS: dict[str, StageEmail] = {
    Stage.RECEIVED: StageEmail(
        gettext_lazy("We have received your application: %(posting)s"),
        gettext_lazy(
            "Hello %(name)s,\n\nThank you for applying for “%(posting)s” in %(municipality)s. "
            "We have received your application.\n\nOn your private page you can follow your "
            "application, replace your documents until %(deadline)s, book an interview time "
            "when you are invited, and withdraw your application:\n%(link)s\n\nKeep the link "
            "to yourself; anyone who has it can see your application.\n\nKind regards,\n"
            "%(municipality)s"
        ),
        automatic=True,
    ),
    Stage.INTERVIEW: StageEmail(
        gettext_lazy("Invitation to interview: %(posting)s"),
        gettext_lazy(
            "Hello %(name)s,\n\nWe would like to meet you for an interview about “%(posting)s”. "
            "Choose a time that suits you on your private page:\n%(link)s\n\nKind regards,\n"
            "%(municipality)s"
        ),
        automatic=True,
    ),
    Stage.REJECTED: StageEmail(
        gettext_lazy("Your application: %(posting)s"),
        gettext_lazy(
            "Hello %(name)s,\n\nThank you for your interest in “%(posting)s”. We had many "
            "qualified applicants and have unfortunately not been able to choose you this "
            "time.\n\nWe keep your application for two years, the time within which a "
            "decision can be challenged, and then delete it.\n\nWe wish you all the best,\n"
            "%(municipality)s"
        ),
        automatic=False,
    ),
    Stage.OFFERED: StageEmail(
        gettext_lazy("Good news about your application: %(posting)s"),
        gettext_lazy(
            "Hello %(name)s,\n\nWe are happy to offer you a place: “%(posting)s”. The "
            "coordinator will contact you about the next steps.\n\nYour page:\n%(link)s\n\n"
            "Kind regards,\n%(municipality)s"
        ),
        automatic=True,
    ),
}

# The offer of a place made by publishing a matching: the same stage, with what and where.
PLACED_EMAIL = StageEmail(
    gettext_lazy("Good news about your application: %(posting)s"),
    gettext_lazy(
        "Hello %(name)s,\n\nWe are happy to offer you a place: “%(posting)s”.\n\n"
        "Unit: %(unit)s\nAddress: %(address)s\nSupervisor: %(supervisor)s\n"
        "Start: %(start)s\n\nYou will also get an e-mail with a link to set your password "
        "for Bryggan, where you log your hours and see your plan. Your supervisor's "
        "e-mail address: %(contact)s.\n\nYour page:\n%(link)s\n\nKind regards,\n%(municipality)s"
    ),
    automatic=True,
)


def _context(application: Application) -> dict:
    from bryggan.recruitment.links import link_path

    posting = application.posting
    return {
        "name": application.person.first_name,
        "posting": posting.title,
        "municipality": application.municipality.name,
        "deadline": posting.last_application_date.isoformat(),
        "link": settings.SITE_URL + link_path(application),
        **_place(application),
    }


def _place(application: Application) -> dict:
    unit, supervisor = application.offered_unit, application.offered_supervisor
    if unit is None or supervisor is None:
        return {}
    start = application.offered_start
    return {
        "unit": unit.name,
        "address": unit.address or "–",
        "supervisor": f"{supervisor.first_name} {supervisor.last_name}",
        "start": date_format(start, "j F Y") if start else "–",
        "contact": supervisor.email or "–",
    }


def _template(application: Application, stage: str) -> StageEmail | None:
    if stage == Stage.OFFERED and application.offered_unit_id:
        return PLACED_EMAIL
    return STAGE_EMAILS.get(stage)


def render_stage_email(application: Application, stage: str) -> tuple[str, str]:
    """The stage's e-mail to this applicant as it would be sent: subject and body."""
    template = _template(application, stage)
    if template is None:
        return "", ""
    with translation.override(settings.LANGUAGE_CODE):
        context = _context(application)
        return str(template.subject) % context, str(template.body) % context


def queue_stage_email(application: Application, stage: str, *, requested: bool = False) -> bool:
    """Send the stage's e-mail after commit if it is automatic or was asked for."""
    template = _template(application, stage)
    if template is None or not (template.automatic or requested):
        return False
    email = application.person.email
    if not email:
        return False
    subject, body = render_stage_email(application, stage)
    message = EmailMessage(subject=subject, body=body, to=[email])
    transaction.on_commit(lambda: message.send(fail_silently=False))
    return True


LINK_RESEND_SUBJECT = gettext_lazy("Your link to your application in %(municipality)s")
LINK_RESEND_BODY = gettext_lazy(
    "Hello %(name)s,\n\nYou asked for the link to your application again. Your private "
    "page for each application you have sent to %(municipality)s:\n\n%(links)s\n\nKeep "
    "the links to yourself; anyone who has one can see that application. If you did not "
    "ask for this, you can ignore this e-mail.\n\nKind regards,\n%(municipality)s"
)


def queue_link_resend(applications: list[Application]) -> None:
    """One e-mail with the private links of a person's applications in one municipality."""
    from bryggan.recruitment.links import link_path

    first = applications[0]
    with translation.override(settings.LANGUAGE_CODE):
        links = "\n".join(
            f"{a.posting.title}: {settings.SITE_URL}{link_path(a)}" for a in applications
        )
        context = {
            "name": first.person.first_name,
            "municipality": first.municipality.name,
            "links": links,
        }
        message = EmailMessage(
            subject=str(LINK_RESEND_SUBJECT) % context,
            body=str(LINK_RESEND_BODY) % context,
            to=[first.person.email],
        )
    transaction.on_commit(lambda: message.send(fail_silently=False))


def queue_email(to: list[str], subject: str, body: str, attachments=()) -> None:
    message = EmailMessage(subject=subject, body=body, to=to)
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    transaction.on_commit(lambda: message.send(fail_silently=False))
