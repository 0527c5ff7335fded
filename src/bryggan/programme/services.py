"""Every write of the three steps: placements, moves between steps, employment periods,
leaving, and offers of employment. Moves are checked by ``programme.steps``; capacity is
taken through ``organisation.capacity``."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bryggan.core.errors import InvalidInputError
from bryggan.core.models import Membership, Person, User
from bryggan.core.permissions import Actor, Perm
from bryggan.core.roles import Role
from bryggan.organisation.capacity import CapacityError, take_place
from bryggan.organisation.models import StaffMember, Term, Unit
from bryggan.programme import state, steps
from bryggan.programme.models import (
    SALARY_RANGE,
    EmploymentKind,
    EmploymentPeriod,
    EmploymentType,
    Offer,
    OfferStatus,
    Participant,
    Placement,
    Stage,
    StageMove,
)


def _fail(field: str, message: str) -> InvalidInputError:
    return InvalidInputError({field: [message]})


def _participant_locked(person: Person) -> Participant | None:
    return Participant.objects.select_for_update().filter(person=person).first()


def _move(
    participant: Participant,
    target: str,
    *,
    actor: Actor,
    reason: str = "",
    today: date | None = None,
    direct_hire: bool = False,
) -> None:
    current = participant.stage if participant.pk else ""
    try:
        if direct_hire and target == Stage.EMPLOYED:
            steps.check_direct_hire(current)
        else:
            steps.check_move(
                current, target, practicum_ends=_practicum_ends(participant), today=today
            )
    except steps.StepError as error:
        raise _fail("stage", str(error)) from None
    participant.stage = target
    participant.stage_since = today or timezone.localdate()
    if target == Stage.LEFT:
        participant.left_reason = reason
    participant.save()
    StageMove.objects.create(
        municipality_id=participant.municipality_id,
        participant=participant,
        from_stage=current,
        to_stage=target,
        reason=reason[:300],
        actor=actor.user,
    )


def _practicum_ends(participant: Participant) -> date | None:
    if not participant.pk or participant.stage != Stage.PRACTICUM:
        return None
    placement = (
        Placement.objects.filter(
            person_id=participant.person_id, step=Stage.PRACTICUM, ended_at__isnull=True
        )
        .select_related("term")
        .order_by("-term__ends_on")
        .first()
    )
    return placement.term.ends_on if placement else None


def placement_create(
    *,
    actor: Actor,
    person: Person,
    unit: Unit,
    supervisor: StaffMember,
    term: Term,
    step: str,
    university_id: int | None = None,
) -> Placement:
    """Place a student with a supervisor for a term (matching publishes through here).

    Call inside a transaction when placing many at once (all or nothing); the supervisor's
    capacity row stays locked until it commits.
    """
    actor.require(Perm.PROGRAMME_MANAGE, unit)
    if supervisor.unit_id != unit.pk:
        raise _fail("supervisor", _("Choose a supervisor of %(unit)s.") % {"unit": unit.name})
    with transaction.atomic():
        participant = _participant_locked(person) or Participant(
            municipality_id=person.municipality_id, person=person
        )
        if university_id and not participant.university_id:
            participant.university_id = university_id
            if participant.pk:
                participant.save(update_fields=["university"])
        if participant.stage != step:
            _move(participant, step, actor=actor)
        try:
            take_place(supervisor=supervisor, term=term)
        except CapacityError as error:
            raise _fail("supervisor", str(error)) from None
        placement = Placement.objects.create(
            municipality_id=person.municipality_id,
            person=person,
            unit=unit,
            supervisor=supervisor,
            term=term,
            step=step,
        )
        state.refresh([participant.pk])
        if participant.user_id is None and person.email:
            _invite(participant)
        return placement


def step_move(
    *,
    actor: Actor,
    participant: Participant,
    stage: str,
    unit: Unit | None = None,
    mentor: StaffMember | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    reason: str = "",
) -> Participant:
    """Move a participant to step 2, an aspirant post, or out of the programme.

    Step 2 and aspirant posts start an employment period at a unit with a mentor; leaving
    needs a reason and ends their current placements (their supervisors' places free up).
    Employment follows only from an accepted offer (``offer_answer``).
    """
    actor.require(Perm.PROGRAMME_MANAGE, participant)
    if stage == Stage.EMPLOYED:
        raise _fail("stage", _("Employment follows an accepted offer; issue an offer instead."))
    if stage not in Stage.values:
        raise _fail("stage", _("Choose a step."))
    errors: dict[str, list[str]] = {}
    if stage in (Stage.STUDENT_EMPLOYEE, Stage.ASPIRANT):
        if unit is None:
            errors["unit"] = [_("Choose the unit.")]
        if starts_on is None or ends_on is None:
            errors["starts_on"] = [_("Give the period's first and last day.")]
        elif ends_on < starts_on:
            errors["ends_on"] = [_("The last day comes before the first.")]
        if (
            mentor is not None
            and unit is not None
            and mentor.municipality_id != unit.municipality_id
        ):
            errors["mentor"] = [_("Choose a mentor in your municipality.")]
    if stage == Stage.LEFT and not reason.strip():
        errors["reason"] = [_("Write why the participant leaves; it is kept with their path.")]
    if errors:
        raise InvalidInputError(errors)
    with transaction.atomic():
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        _move(locked, stage, actor=actor, reason=reason.strip())
        if stage in (Stage.STUDENT_EMPLOYEE, Stage.ASPIRANT):
            assert unit is not None and starts_on is not None and ends_on is not None
            EmploymentPeriod.objects.create(
                municipality_id=locked.municipality_id,
                participant=locked,
                kind=stage,
                unit=unit,
                mentor=mentor,
                starts_on=starts_on,
                ends_on=ends_on,
            )
        if stage == Stage.LEFT:
            Placement.objects.filter(person_id=locked.person_id, ended_at__isnull=True).update(
                ended_at=timezone.now()
            )
        state.refresh([locked.pk])
    return locked


def summer_job_add(
    *, actor: Actor, participant: Participant, unit: Unit, starts_on: date, ends_on: date
) -> EmploymentPeriod:
    actor.require(Perm.PROGRAMME_MANAGE, participant)
    if ends_on < starts_on:
        raise _fail("ends_on", _("The last day comes before the first."))
    with transaction.atomic():
        found = EmploymentPeriod.objects.create(
            municipality_id=participant.municipality_id,
            participant=participant,
            kind=EmploymentKind.SUMMER_JOB,
            unit=unit,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        state.refresh([participant.pk])
    return found


def offer_issue(
    *,
    actor: Actor,
    participant: Participant,
    unit: Unit,
    starts_on: date,
    reply_by: date,
    title: str = "Socialsekreterare",
    direct_hire: bool = False,
    employment_type: str = EmploymentType.PERMANENT,
    monthly_salary: int | None = None,
    contact: StaffMember | None = None,
) -> Offer:
    """Offer employment to a participant in step 2 or an aspirant post (or as a direct hire):
    what the student needs to decide — the position, unit, type of employment, salary, first
    day and whom to ask — and by when to answer."""
    actor.require(Perm.PROGRAMME_MANAGE, participant)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    if employment_type not in EmploymentType.values:
        errors["employment_type"] = [_("Choose the type of employment.")]
    if monthly_salary is None or not SALARY_RANGE[0] <= monthly_salary <= SALARY_RANGE[1]:
        errors["monthly_salary"] = [
            _("State the monthly salary in SEK, between %(low)s and %(high)s.")
            % {"low": SALARY_RANGE[0], "high": SALARY_RANGE[1]}
        ]
    if contact is None or contact.municipality_id != participant.municipality_id:
        errors["contact"] = [_("Choose the contact person the student can ask.")]
    try:
        steps.check_offer(None if direct_hire else participant.stage)
    except steps.StepError as error:
        errors["__all__"] = [str(error)]
    if participant.stage in (Stage.EMPLOYED, Stage.LEFT):
        errors["__all__"] = [_("The participant is already employed or has left.")]
    if reply_by < today:
        errors["reply_by"] = [_("The answer date has passed; choose today or later.")]
    if starts_on < reply_by:
        errors["starts_on"] = [_("The start date comes after the answer date.")]
    if not title.strip():
        errors["title"] = [_("Name the position.")]
    if unit.municipality_id != participant.municipality_id:
        errors["unit"] = [_("Choose a unit in your municipality.")]
    if errors:
        raise InvalidInputError(errors)
    with transaction.atomic():
        Participant.objects.select_for_update().filter(pk=participant.pk).first()
        if Offer.objects.filter(participant=participant, status=OfferStatus.PENDING).exists():
            raise _fail("__all__", _("The participant already has an offer waiting for an answer."))
        offer = Offer.objects.create(
            municipality_id=participant.municipality_id,
            participant=participant,
            title=title.strip()[:120],
            unit=unit,
            starts_on=starts_on,
            reply_by=reply_by,
            employment_type=employment_type,
            monthly_salary=monthly_salary,
            contact=contact,
            direct_hire=direct_hire,
            issued_by=actor.user,
        )
        state.refresh([participant.pk])
        return offer


def offer_answer(*, actor: Actor, offer: Offer, accept: bool) -> Offer:
    """The student accepts or declines their offer (or the coordinator records their answer).

    Accepting creates the staff member with the hire date retention is measured from.
    """
    participant = offer.participant
    if not actor.can(Perm.PROGRAMME_OWN, participant):
        actor.require(Perm.PROGRAMME_MANAGE, participant)
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        if locked.status == OfferStatus.PENDING and locked.reply_by < timezone.localdate():
            raise _fail(
                "__all__",
                _("The offer expired on %(date)s; it can no longer be answered.")
                % {"date": locked.reply_by.isoformat()},
            )
        if locked.status != OfferStatus.PENDING:
            raise _fail(
                "__all__",
                _("This offer can no longer be answered (%(status)s).")
                % {"status": locked.get_status_display().lower()},
            )
        locked.status = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
        locked.answered_at = timezone.now()
        if accept:
            person = participant.person
            locked.staff_member = StaffMember.objects.create(
                municipality_id=participant.municipality_id,
                first_name=person.first_name,
                last_name=person.last_name,
                email=person.email,
                title=locked.title,
                unit=locked.unit,
                employed_from=locked.starts_on,
                user=participant.user
                if participant.user_id
                and not StaffMember.objects.filter(user_id=participant.user_id).exists()
                else None,
            )
            moving = Participant.objects.select_for_update().get(pk=participant.pk)
            _move(
                moving,
                Stage.EMPLOYED,
                actor=actor,
                reason=str(locked),
                direct_hire=locked.direct_hire,
            )
        locked.save(update_fields=["status", "answered_at", "staff_member"])
        state.refresh([participant.pk])
    return locked


def offers_expire(*, today: date | None = None) -> int:
    """Mark offers past their answer date as expired (run daily: ``manage.py expire_offers``)."""
    with transaction.atomic():
        expiring = Offer.objects.filter(
            status=OfferStatus.PENDING, reply_by__lt=today or timezone.localdate()
        )
        people = list(expiring.values_list("participant_id", flat=True))
        count = expiring.update(status=OfferStatus.EXPIRED)
        state.refresh(people, today=today)
    return count


INVITE_SUBJECT = gettext_lazy("Welcome to Bryggan, %(municipality)s")
INVITE_BODY = gettext_lazy(
    "Hello %(name)s,\n\nYou have a place in %(municipality)s's programme for social work "
    "students. In Bryggan you see your placement, log your hours, book supervision and "
    "answer offers.\n\nChoose your password here (the link works for %(days)s days and "
    "once):\n%(link)s\n\nThen sign in with %(email)s at %(site)s.\n\nKind regards,\n"
    "%(municipality)s"
)


def _invite(participant: Participant) -> None:
    """Give the student an account (or link the one their e-mail already has) with the
    student role in the municipality, and e-mail them a link to choose a password."""
    person = participant.person
    user = User.objects.filter(email__iexact=person.email).first()
    if user is None:
        user = User.objects.create_user(
            email=person.email.lower(), password=None, full_name=str(person)
        )
    if Participant.objects.filter(user=user).exclude(pk=participant.pk).exists():
        return  # the address belongs to another participant's account: leave it to a person
    Membership.objects.get_or_create(
        user=user, municipality_id=participant.municipality_id, role=Role.STUDENT
    )
    participant.user = user
    participant.invited_at = timezone.now()
    participant.save(update_fields=["user", "invited_at"])
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse(
        "password_reset_confirm",
        kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)},
    )
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "name": person.first_name,
            "municipality": participant.municipality.name,
            "days": settings.PASSWORD_RESET_TIMEOUT // 86400,
            "link": settings.SITE_URL + path,
            "email": user.email,
            "site": settings.SITE_URL,
        }
        message = EmailMessage(
            subject=str(INVITE_SUBJECT) % context, body=str(INVITE_BODY) % context, to=[user.email]
        )
    transaction.on_commit(lambda: message.send(fail_silently=False))


def invite_again(*, actor: Actor, participant: Participant) -> None:
    """Send the invitation again (a lost e-mail, an expired link). A student who has signed
    in already is told to use "forgot your password" instead."""
    actor.require(Perm.PROGRAMME_MANAGE)
    if not participant.person.email:
        raise _fail("__all__", _("The student has no e-mail address; add one first."))
    user = participant.user
    if user is not None and user.last_login is not None:
        raise _fail(
            "__all__",
            _("The student has signed in already; they can use “Forgot your password?”."),
        )
    with transaction.atomic():
        _invite(participant)
