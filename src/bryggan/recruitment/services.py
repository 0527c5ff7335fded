"""Every write of recruitment: postings, applications and their stages.

Public writes (apply, withdraw, replace a document) act for the applicant through their
signed link; staff writes take the acting user and check the permission table.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bryggan.core.errors import InvalidInputError
from bryggan.core.models import Person
from bryggan.core.permissions import Actor, Perm
from bryggan.core.personal_data import personnummer_errors
from bryggan.core.services import form_save
from bryggan.organisation.models import StaffMember, Unit
from bryggan.recruitment import documents, emails
from bryggan.recruitment.models import (
    Application,
    ApplicationNote,
    ApplicationWish,
    Document,
    EventRegistration,
    InformationEvent,
    Posting,
    PostingStatus,
    RejectionBatch,
    Round,
    ScoreCriterion,
    Stage,
    StageChange,
)


def posting_publish(*, actor: Actor, posting: Posting) -> Posting:
    actor.require(Perm.RECRUITMENT_MANAGE, posting)
    if posting.status == PostingStatus.PUBLISHED:
        return posting
    if posting.last_application_date < timezone.localdate():
        raise InvalidInputError(
            {
                "last_application_date": [
                    _("The last application date has passed; change it before publishing.")
                ]
            }
        )
    if not posting.units.exists():
        raise InvalidInputError({"units": [_("Choose at least one unit before publishing.")]})
    posting.status = PostingStatus.PUBLISHED
    posting.published_at = timezone.now()
    posting.save(update_fields=["status", "published_at"])
    return posting


def posting_close(*, actor: Actor, posting: Posting) -> Posting:
    actor.require(Perm.RECRUITMENT_MANAGE, posting)
    posting.status = PostingStatus.CLOSED
    posting.save(update_fields=["status"])
    return posting


def _person_for(posting: Posting, data: dict) -> Person:
    """One person per human per municipality: recognised by e-mail address."""
    email = data["email"].strip().lower()
    person = (
        Person.objects.select_for_update()
        # One Person per human per municipality (ARCHITECTURE.md): the posting's.
        .filter(municipality=posting.municipality, email__iexact=email)
        .order_by("pk")
        .first()
    )
    if person is None:
        person = Person.objects.create(
            municipality=posting.municipality,
            first_name=data["first_name"].strip(),
            last_name=data["last_name"].strip(),
            email=email,
            personnummer=data.get("personnummer", ""),
        )
    elif data.get("personnummer") and not person.personnummer:
        # Stored once, on the person; a number already held is not overwritten from a form.
        person.personnummer = data["personnummer"]
        person.save(update_fields=["personnummer"])
    return person


def _store_document(application: Application, kind: str, upload, stored: list[str]) -> Document:
    name = documents.store(upload, upload.checked)
    stored.append(name)
    return Document.objects.create(
        municipality=application.municipality,
        application=application,
        kind=kind,
        storage_name=name,
        original_name=(upload.name or kind)[:255],
        content_type=upload.checked.content_type,
        size=upload.checked.size,
        sha256=upload.checked.sha256,
    )


def application_submit(*, posting: Posting, data: dict, consent_version: str) -> Application:
    """Store an application with its wishes and documents, all or nothing."""
    if not posting.is_open_for_applications():
        raise InvalidInputError(
            {
                "__all__": [
                    _("The last day to apply was %(date)s; this posting is closed.")
                    % {"date": posting.last_application_date.isoformat()}
                ]
            }
        )
    stored: list[str] = []
    try:
        with transaction.atomic():
            person = _person_for(posting, data)
            if Application.objects.filter(posting=posting, person=person).exists():
                raise InvalidInputError(
                    {
                        "email": [
                            _(
                                "You have already applied to this posting with this e-mail "
                                "address. Use the link in your confirmation e-mail to update "
                                "your application."
                            )
                        ]
                    }
                )
            application = Application.objects.create(
                municipality=posting.municipality,
                posting=posting,
                person=person,
                phone=data.get("phone", ""),
                university=data.get("university"),
                programme=data["programme"],
                current_term=data["current_term"],
                expected_graduation=data["expected_graduation"],
                interests=data.get("interests", ""),
                source=data["source"],
                event=data.get("event"),
                consent_version=consent_version,
                consented_at=timezone.now(),
                talent_pool_consent_at=timezone.now() if data.get("talent_pool") else None,
            )
            ApplicationWish.objects.bulk_create(
                ApplicationWish(
                    municipality=posting.municipality, application=application, unit=unit, rank=rank
                )
                for rank, unit in enumerate(data["wishes"], start=1)
            )
            _store_document(application, "cv", data["cv"], stored)
            _store_document(application, "letter", data["letter"], stored)
            sent = emails.queue_stage_email(application, Stage.RECEIVED)
            StageChange.objects.create(
                municipality=posting.municipality,
                application=application,
                from_stage="",
                to_stage=Stage.RECEIVED,
                email_sent=sent,
            )
    except IntegrityError:
        _forget(stored)
        raise InvalidInputError(
            {"email": [_("You have already applied to this posting with this e-mail address.")]}
        ) from None
    except BaseException:
        _forget(stored)
        raise
    return application


def _forget(stored: list[str]) -> None:
    for name in stored:
        documents.remove(name)


def application_withdraw(*, application: Application) -> Application:
    if application.stage == Stage.WITHDRAWN:
        return application
    with transaction.atomic():
        _set_stage(application, Stage.WITHDRAWN, actor=None)
        from bryggan.recruitment.interviews import interview_cancel_for

        interview_cancel_for(application)
    return application


def document_replace(*, application: Application, kind: str, upload) -> Document:
    posting = application.posting
    if timezone.localdate() > posting.last_application_date:
        raise InvalidInputError(
            {
                "file": [
                    _("Documents can be changed until %(date)s, the last application day.")
                    % {"date": posting.last_application_date.isoformat()}
                ]
            }
        )
    if not application.is_open:
        raise InvalidInputError({"file": [_("This application is closed.")]})
    stored: list[str] = []
    try:
        with transaction.atomic():
            Document.objects.filter(
                application=application, kind=kind, replaced_at__isnull=True
            ).update(replaced_at=timezone.now())
            return _store_document(application, kind, upload, stored)
    except BaseException:
        _forget(stored)
        raise


def _set_stage(
    application: Application,
    stage: str,
    *,
    actor: Actor | None,
    send_email: bool = False,
    quiet: bool = False,
) -> StageChange | None:
    """Move and record the move; the stage's e-mail goes out unless ``quiet`` (an undo puts
    an application back without telling the applicant anything again)."""
    if application.stage == stage:
        return None
    previous = application.stage
    application.stage = stage
    application.save(update_fields=["stage"])
    sent = not quiet and emails.queue_stage_email(application, stage, requested=send_email)
    return StageChange.objects.create(
        municipality=application.municipality,
        application=application,
        from_stage=previous,
        to_stage=stage,
        actor=actor.user if actor else None,
        email_sent=sent,
    )


def application_move(
    *, actor: Actor, application: Application, stage: str, send_email: bool = False
) -> StageChange | None:
    """Move an application on the board; the stage's e-mail goes out if it is automatic."""
    actor.require(Perm.RECRUITMENT_MANAGE, application)
    if stage not in Stage.values:
        raise InvalidInputError({"stage": [_("Unknown stage.")]})
    if application.stage == Stage.WITHDRAWN:
        raise InvalidInputError(
            {"stage": [_("The applicant has withdrawn; the application cannot be moved.")]}
        )
    if stage == Stage.WITHDRAWN:
        raise InvalidInputError({"stage": [_("Only the applicant can withdraw.")]})
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        change = _set_stage(locked, stage, actor=actor, send_email=send_email)
        application.stage = locked.stage
    return change


def application_place(
    *,
    actor: Actor,
    application: Application,
    unit: Unit,
    supervisor: StaffMember,
    starts_on: date,
) -> StageChange | None:
    """Offer the applicant a place: what, with whom and from when, then the offer e-mail.

    Matching's publishing calls this after it has created the placement, so the e-mail and
    the applicant's page name the unit, the supervisor, the start date and the address.
    """
    actor.require(Perm.RECRUITMENT_MANAGE, application)
    if application.stage == Stage.WITHDRAWN:
        raise InvalidInputError(
            {"stage": [_("The applicant has withdrawn; the application cannot be moved.")]}
        )
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        locked.offered_unit, locked.offered_supervisor = unit, supervisor
        locked.offered_start = starts_on
        locked.save(update_fields=["offered_unit", "offered_supervisor", "offered_start"])
        change = _set_stage(locked, Stage.OFFERED, actor=actor)
        if change is None:  # moved to offered by hand before: tell them the place now
            emails.queue_stage_email(locked, Stage.OFFERED, requested=True)
        application.stage = locked.stage
        application.offered_unit, application.offered_supervisor = unit, supervisor
        application.offered_start = starts_on
    return change


def applications_bulk(*, actor: Actor, applications, action: str, stage: str = "") -> int:
    """Move, reject (the e-mails after a delay, see ``rejections_start``) or invite many
    applications at once.

    All or nothing: one application that cannot move (e.g. withdrawn) stops the whole batch.
    """
    if action == "reject":
        return len(rejections_start(actor=actor, applications=applications).previous)
    target = {"invite": Stage.INTERVIEW}.get(action, stage)
    applications = list(applications)
    _refuse_withdrawn(applications)
    with transaction.atomic():
        moved = 0
        for application in applications:
            if application_move(actor=actor, application=application, stage=target):
                moved += 1
    return moved


def _refuse_withdrawn(applications) -> None:
    for application in applications:
        if application.stage == Stage.WITHDRAWN:
            raise InvalidInputError(
                {
                    "applications": [
                        _("%(name)s has withdrawn and cannot be moved.")
                        % {"name": application.person}
                    ]
                }
            )


def rejections_start(*, actor: Actor, applications) -> RejectionBatch:
    """Reject applications now and send their e-mails after a short delay (undo until then).

    The applications move at once (the board shows them rejected); the e-mails leave when
    the background worker runs the batch at ``send_after``, unless it was undone.
    """
    applications = list(applications)
    if not applications:
        raise InvalidInputError({"applications": [_("Choose at least one application.")]})
    postings = {a.posting_id for a in applications}
    if len(postings) != 1:
        raise InvalidInputError(
            {"applications": [_("One of the chosen applications is not on this board.")]}
        )
    _refuse_withdrawn(applications)
    delay = timedelta(seconds=settings.REJECTION_EMAIL_DELAY_SECONDS)
    with transaction.atomic():
        batch = RejectionBatch.objects.create(
            municipality=applications[0].municipality,
            posting_id=postings.pop(),
            created_by=actor.user,
            send_after=timezone.now() + delay,
        )
        for application in applications:
            before = application.stage
            if application_move(actor=actor, application=application, stage=Stage.REJECTED):
                batch.previous[str(application.pk)] = before
        batch.save(update_fields=["previous"])
        from bryggan.recruitment.tasks import send_rejections

        task = send_rejections.using(run_after=batch.send_after)
        transaction.on_commit(lambda: task.enqueue(batch.pk))
    return batch


def rejections_undo(*, actor: Actor, batch: RejectionBatch) -> int:
    """Take back a bulk rejection before its e-mails leave: each application returns to the
    stage it had, unless someone has moved it since. Returns how many returned."""
    actor.require(Perm.RECRUITMENT_MANAGE, batch.posting)
    with transaction.atomic():
        locked = RejectionBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.undone_at is not None:
            raise InvalidInputError({"__all__": [_("This rejection is already undone.")]})
        if locked.sent_at is not None or locked.send_after <= timezone.now():
            raise InvalidInputError(
                {"__all__": [_("The e-mails have already left; the rejection stands.")]}
            )
        returned = 0
        for application in Application.objects.filter(
            pk__in=[int(pk) for pk in locked.previous], stage=Stage.REJECTED
        ).select_for_update():
            _set_stage(application, locked.previous[str(application.pk)], actor=actor, quiet=True)
            returned += 1
        locked.undone_at, locked.undone_by = timezone.now(), actor.user
        locked.save(update_fields=["undone_at", "undone_by"])
        batch.undone_at = locked.undone_at
    return returned


def rejections_send(batch_id: int) -> int:
    """The background worker's half: send the batch's e-mails to those still rejected, once.
    Run again (a retry, a second worker) it sends nothing twice."""
    with transaction.atomic():
        batch = RejectionBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.undone_at or batch.sent_at:
            return 0
        sent = 0
        for application in Application.objects.filter(
            pk__in=[int(pk) for pk in batch.previous], stage=Stage.REJECTED
        ).select_related("person", "posting", "municipality"):
            if emails.queue_stage_email(application, Stage.REJECTED, requested=True):
                StageChange.objects.filter(
                    application=application, to_stage=Stage.REJECTED, at__gte=batch.created_at
                ).update(email_sent=True)
                sent += 1
        batch.sent_at = timezone.now()
        batch.save(update_fields=["sent_at"])
    return sent


def rejection_preview(application: Application) -> tuple[str, str]:
    """The rejection e-mail as this applicant would get it: subject and body."""
    return emails.render_stage_email(application, Stage.REJECTED)


def note_add(*, actor: Actor, application: Application, text: str) -> ApplicationNote:
    actor.require(Perm.RECRUITMENT_MANAGE, application)
    if errors := personnummer_errors(text=text):
        raise InvalidInputError(errors)
    return ApplicationNote.objects.create(
        municipality=application.municipality,
        application=application,
        author=actor.user,
        text=text.strip(),
    )


def application_share(*, actor: Actor, application: Application, staff) -> None:
    """Let a supervisor (or another staff member) see this one application."""
    actor.require(Perm.RECRUITMENT_MANAGE, application)
    if staff.municipality_id != application.municipality_id:
        raise InvalidInputError({"staff": [_("Choose a staff member of your municipality.")]})
    application.shared_with.add(staff)


def event_register(*, event: InformationEvent, name: str, email: str) -> EventRegistration:
    if event.starts_at < timezone.now():
        raise InvalidInputError({"__all__": [_("The event has already taken place.")]})
    try:
        with transaction.atomic():
            return EventRegistration.objects.create(
                event=event, name=name.strip(), email=email.strip().lower()
            )
    except IntegrityError:
        raise InvalidInputError(
            {"email": [_("This e-mail address is already registered for the event.")]}
        ) from None


def talent_pool_leave(*, application: Application) -> Application:
    """The applicant withdraws their talent-pool consent; the usual retention then applies."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.talent_pool_consent_at and not locked.talent_pool_withdrawn_at:
            locked.talent_pool_withdrawn_at = timezone.now()
            locked.save(update_fields=["talent_pool_withdrawn_at"])
    return locked


DEFAULT_CRITERIA = [
    "Motivation",
    "Intresse för myndighetsutövning",
    "Personliga egenskaper",
    "Passar de önskade enheterna",
]


def _ensure_scorecard(saved) -> None:
    """A new round starts with the default scorecard (the coordinator can change it)."""
    if isinstance(saved, Round) and not ScoreCriterion.objects.filter(round=saved).exists():
        ScoreCriterion.objects.bulk_create(
            ScoreCriterion(municipality=saved.municipality, round=saved, name=name, position=i)
            for i, name in enumerate(DEFAULT_CRITERIA)
        )


def record_save(*, actor: Actor, form):
    """Create or edit a round, a posting or an information event (core's one path)."""
    return form_save(actor=actor, form=form, perm=Perm.RECRUITMENT_MANAGE, after=_ensure_scorecard)


def application_links_resend(*, municipality_id: int, email: str) -> int:
    """E-mail a person the private links of their applications in this municipality. The
    caller answers the same whether or not any were found (no one learns who applied)."""
    applications = list(
        Application.objects.filter(
            municipality_id=municipality_id, person__email__iexact=email.strip()
        )
        .select_related("person", "posting", "municipality")
        .order_by("-created_at")[:20]
    )
    if applications:
        emails.queue_link_resend(applications)
    return len(applications)
