"""Writes of the specialists' work: roles and holders (HR, the coordinator), questions and
answers, knowledge notes in versions, updates and their acknowledgement. Each asks
permission first, refuses a personnummer in free text with the rule the rest of Bryggan
uses (core/personal_data.py), and writes in one transaction or not at all."""

from __future__ import annotations

from datetime import date

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bryggan.core.errors import InvalidInputError
from bryggan.core.gate import tenant_scoped
from bryggan.core.permissions import Actor, Perm, PermissionDeniedError, require_tenant
from bryggan.core.personal_data import personnummer_errors
from bryggan.core.roles import Role
from bryggan.organisation.models import Department, StaffMember, Unit
from bryggan.organisation.selectors import staff_of
from bryggan.specialists import rules
from bryggan.specialists.models import (
    Acknowledgement,
    Consultation,
    ConsultationStatus,
    DigestSetting,
    KnowledgeNote,
    LegalUpdate,
    NoteVersion,
    RoleHolder,
    Serves,
    SpecialistRole,
    Topic,
)


def _invalid(field: str, message: str) -> InvalidInputError:
    return InvalidInputError({field: [message]})


def _tenant(actor: Actor) -> int:
    return require_tenant(actor).pk


@tenant_scoped
def topic_add(*, actor: Actor, name: str) -> Topic:
    actor.require(Perm.SPECIALISTS_MANAGE)
    name = name.strip()
    if not name:
        raise _invalid("name", _("Name the area."))
    if Topic.objects.filter(name__iexact=name).exists():
        raise _invalid("name", _("There is already an area with this name."))
    return Topic.objects.create(municipality_id=_tenant(actor), name=name[:120])


@tenant_scoped
def role_save(
    *,
    actor: Actor,
    title: str,
    topics: list[Topic],
    serves: str,
    department: Department | None = None,
    unit: Unit | None = None,
    description: str = "",
    role: SpecialistRole | None = None,
) -> SpecialistRole:
    """A specialist role under the municipality's own title, its areas and whom it serves."""
    actor.require(Perm.SPECIALISTS_MANAGE)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the role its title.")]
    if not topics:
        errors["topics"] = [_("Choose the areas the role covers.")]
    if serves not in Serves.values:
        errors["serves"] = [_("Choose whom the role serves.")]
    elif serves == Serves.DEPARTMENT and department is None:
        errors["department"] = [_("Choose the department the role serves.")]
    elif serves == Serves.UNIT and unit is None:
        errors["unit"] = [_("Choose the unit the role serves.")]
    if errors:
        raise InvalidInputError(errors)
    with transaction.atomic():
        target = role or SpecialistRole(municipality_id=_tenant(actor))
        target.title = title.strip()[:120]
        target.description = description.strip()[:2000]
        target.serves = serves
        target.department = department if serves == Serves.DEPARTMENT else None
        target.unit = unit if serves == Serves.UNIT else None
        target.save()
        target.topics.set(topics)
    return target


@tenant_scoped
def holder_add(
    *, actor: Actor, role: SpecialistRole, staff: StaffMember, since: date
) -> RoleHolder:
    actor.require(Perm.SPECIALISTS_MANAGE)
    today = timezone.localdate()
    if RoleHolder.objects.filter(rules.active(today), role=role, staff=staff).exists():
        raise _invalid("staff", _("%(name)s already holds this role.") % {"name": staff})
    return RoleHolder.objects.create(
        municipality_id=_tenant(actor), role=role, staff=staff, since=since
    )


@tenant_scoped
def holder_end(*, actor: Actor, holder: RoleHolder, until: date) -> RoleHolder:
    actor.require(Perm.SPECIALISTS_MANAGE)
    if until < holder.since:
        raise _invalid("until", _("The role cannot end before it began."))
    holder.until = until
    holder.save(update_fields=["until"])
    return holder


# --- consultations ---------------------------------------------------------------------------


@tenant_scoped
def consultation_ask(
    *, actor: Actor, topic: Topic, unit: Unit, question: str, today: date
) -> Consultation:
    """A question to the specialists of an area who serve the asker's unit. No client may be
    identifiable: a personnummer or samordningsnummer in the text is refused."""
    actor.require(Perm.CONSULT)
    if actor.user is None:
        raise PermissionDeniedError(Perm.CONSULT)
    question = question.strip()
    if not question:
        raise _invalid("question", _("Write your question."))
    errors = personnummer_errors(question=question)
    if errors:
        raise InvalidInputError(errors)
    specialists = list(rules.serving(topic, unit, today).select_related("staff"))
    if not specialists:
        raise _invalid(
            "topic",
            _("No specialist serves %(unit)s in %(topic)s yet. Ask your unit manager.")
            % {"unit": unit, "topic": topic},
        )
    with transaction.atomic():
        asked = Consultation.objects.create(
            municipality_id=_tenant(actor),
            topic=topic,
            asker=actor.user,
            unit=unit,
            question=question[:4000],
        )
        daily = set(DigestSetting.objects.filter(daily=True).values_list("user_id", flat=True))
        emails = sorted(
            {h.staff.email for h in specialists if h.staff.email and h.staff.user_id not in daily}
        )
        if emails:
            transaction.on_commit(lambda: _tell_specialists(asked, emails))
    return asked


def _tell_specialists(asked: Consultation, emails: list[str]) -> None:
    EmailMessage(
        subject=_("A question about %(topic)s") % {"topic": asked.topic},
        body=_("A colleague at %(unit)s asks about %(topic)s. Answer it in Bryggan.")
        % {"unit": asked.unit, "topic": asked.topic},
        to=emails,
    ).send(fail_silently=True)


def _serving_staff(actor: Actor, consultation: Consultation) -> StaffMember:
    """The actor as a specialist who serves this question — asked before anything about the
    question's state is said."""
    staff = staff_of(actor)
    if not rules.serves(staff, consultation.topic, consultation.unit, timezone.localdate()):
        raise PermissionDeniedError(Perm.CONSULT)
    assert staff is not None
    return staff


@tenant_scoped
def consultation_take(*, actor: Actor, consultation: Consultation) -> Consultation:
    staff = _serving_staff(actor, consultation)
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if locked.status != ConsultationStatus.OPEN:
            raise _invalid("__all__", _("Another specialist has already taken the question."))
        locked.status = ConsultationStatus.TAKEN
        locked.taken_by = staff
        locked.save(update_fields=["status", "taken_by"])
    return locked


@tenant_scoped
def consultation_answer(*, actor: Actor, consultation: Consultation, answer: str) -> Consultation:
    staff = _serving_staff(actor, consultation)
    answer = answer.strip()
    if not answer:
        raise _invalid("answer", _("Write the answer."))
    errors = personnummer_errors(answer=answer)
    if errors:
        raise InvalidInputError(errors)
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if locked.taken_by_id not in (None, staff.pk):
            raise _invalid("__all__", _("Another specialist has taken the question."))
        locked.status = ConsultationStatus.ANSWERED
        locked.taken_by = staff
        locked.answer = answer[:8000]
        locked.answered_at = timezone.now()
        locked.save()
        asker = locked.asker
        if asker.email:
            transaction.on_commit(
                lambda: EmailMessage(
                    subject=_("Your question about %(topic)s is answered")
                    % {"topic": locked.topic},
                    body=_("%(name)s has answered your question. Read it in Bryggan.")
                    % {"name": staff},
                    to=[asker.email],
                ).send(fail_silently=True)
            )
    return locked


@tenant_scoped
def consultation_helped(*, actor: Actor, consultation: Consultation, helped: bool) -> Consultation:
    """The asker says whether the answer helped (their own question, once answered)."""
    if actor.user is None or consultation.asker_id != actor.user.pk:
        raise PermissionDeniedError(Perm.CONSULT)
    if consultation.status != ConsultationStatus.ANSWERED:
        raise _invalid("__all__", _("The question has no answer yet."))
    consultation.helped = helped
    consultation.save(update_fields=["helped"])
    return consultation


@tenant_scoped
def digest_set(*, actor: Actor, daily: bool) -> DigestSetting:
    """A specialist chooses one e-mail a day of new questions (or one per question)."""
    actor.require(Perm.CONSULT)
    if actor.user is None:
        raise PermissionDeniedError(Perm.CONSULT)
    setting, _created = DigestSetting.objects.update_or_create(
        municipality_id=_tenant(actor), user=actor.user, defaults={"daily": daily}
    )
    return setting


# --- knowledge notes -------------------------------------------------------------------------


def _may_write_notes(actor: Actor) -> None:
    staff = staff_of(actor)
    today = timezone.localdate()
    if not actor.has(Perm.SPECIALISTS_MANAGE) and not (
        staff is not None and RoleHolder.objects.filter(rules.active(today), staff=staff).exists()
    ):
        raise PermissionDeniedError(Perm.UPDATES_PUBLISH)


@tenant_scoped
def note_save(
    *,
    actor: Actor,
    topic: Topic,
    title: str,
    body: str,
    note: KnowledgeNote | None = None,
    consultation: Consultation | None = None,
) -> KnowledgeNote:
    """A knowledge note, or its next version (the earlier ones are kept)."""
    _may_write_notes(actor)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the note a title.")]
    if not body.strip():
        errors["body"] = [_("Write the note.")]
    errors.update(personnummer_errors(title=title, body=body))
    if errors:
        raise InvalidInputError(errors)
    with transaction.atomic():
        if note is None:
            note = KnowledgeNote(
                municipality_id=_tenant(actor), consultation=consultation, version=0
            )
        else:
            note = KnowledgeNote.objects.select_for_update().get(pk=note.pk)
        note.topic = topic
        note.title = title.strip()[:200]
        note.body = body.strip()[:20000]
        note.version += 1
        note.save()
        NoteVersion.objects.create(
            municipality_id=note.municipality_id,
            note=note,
            version=note.version,
            title=note.title,
            body=note.body,
            author=actor.user,
        )
    return note


# --- updates ---------------------------------------------------------------------------------


@tenant_scoped
def update_publish(
    *,
    actor: Actor,
    title: str,
    summary: str,
    read_by: date,
    units: list[Unit],
    roles: list[str],
    links: str = "",
    everyone: bool = False,
    today: date,
) -> LegalUpdate:
    actor.require(Perm.UPDATES_PUBLISH)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the update a title.")]
    if not summary.strip():
        errors["summary"] = [_("Summarise what staff must know.")]
    if read_by < today:
        errors["read_by"] = [_("The date to read it by has passed; choose a later one.")]
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        errors["roles"] = [_("Choose roles from the list.")]
    if not everyone and not units and not roles:
        errors["units"] = [_("Choose whom the update concerns: everyone, units or roles.")]
    bad_links = [
        line
        for line in links.splitlines()
        if line.strip() and not line.strip().startswith(("https://", "http://"))
    ]
    if bad_links:
        errors["links"] = [_("Each link is a web address starting with https://.")]
    if errors:
        raise InvalidInputError(errors)
    with transaction.atomic():
        update = LegalUpdate.objects.create(
            municipality_id=_tenant(actor),
            title=title.strip()[:200],
            summary=summary.strip()[:8000],
            links=links.strip()[:4000],
            read_by=read_by,
            roles=[] if everyone else sorted(set(roles)),
            everyone=everyone,
            published_by=actor.user,
        )
        update.units.set([] if everyone else units)
    return update


@tenant_scoped
def update_acknowledge(*, actor: Actor, update: LegalUpdate) -> Acknowledgement:
    """The reader confirms they have read an update that concerns them."""
    actor.require(Perm.CONSULT)
    if actor.user is None:
        raise PermissionDeniedError(Perm.CONSULT)
    staff = staff_of(actor)
    roles = {r.value for r in actor.roles}
    if not rules.concerns(update, roles=roles, unit_id=staff.unit_id if staff else None):
        raise _invalid(
            "__all__", _("This update does not concern you; there is nothing to confirm.")
        )
    try:
        with transaction.atomic():
            return Acknowledgement.objects.create(
                municipality_id=_tenant(actor), update=update, user=actor.user
            )
    except IntegrityError:
        return Acknowledgement.objects.get(update=update, user=actor.user)
