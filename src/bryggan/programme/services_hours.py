"""Writes of hours: a participant logs a day, their supervisor or mentor approves, a time
system imports a month as CSV (all or nothing), and the coordinator sets the rules."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bryggan.core.errors import InvalidInputError
from bryggan.core.gate import tenant_scope, tenant_scoped
from bryggan.core.permissions import Actor, Perm, PermissionDeniedError
from bryggan.core.personal_data import personnummer_errors
from bryggan.programme import hours as rules
from bryggan.programme import state
from bryggan.programme.models import (
    EmploymentPeriod,
    HoursEntry,
    HoursRules,
    HoursStatus,
    Participant,
    Placement,
)

IMPORT_COLUMNS = ["email", "date", "hours", "activity"]


def _may_log(actor: Actor, participant: Participant) -> None:
    if not actor.can(Perm.PROGRAMME_OWN, participant):
        actor.require(Perm.PROGRAMME_MANAGE, participant)


def _validate(
    participant: Participant, day: object, hours: object, activity: str
) -> tuple[dict[str, list[str]], date | None, Decimal | None, str | None]:
    errors: dict[str, list[str]] = {}
    parsed_day = day if isinstance(day, date) else None
    if parsed_day is None:
        try:
            parsed_day = date.fromisoformat(str(day).strip())
        except ValueError:
            errors["day"] = [_("Write the date as YYYY-MM-DD.")]
    try:
        amount = Decimal(str(hours).strip().replace(",", "."))
        if not amount.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        amount = None
        errors["hours"] = [_("Write the hours as a number, e.g. 7,5.")]
    if amount is not None and not Decimal(0) < amount <= Decimal(24):
        errors["hours"] = [_("A day has more than 0 and at most 24 hours.")]
    if amount is not None and amount != amount.quantize(Decimal("0.01")):
        errors["hours"] = [_("Hours take at most two decimals.")]
    if not str(activity or "").strip():
        errors["activity"] = [_("Say what you did.")]
    kind = None
    if parsed_day is not None:
        if parsed_day > timezone.localdate():
            errors["day"] = [_("Hours are logged for days that have come.")]
        placements = list(
            Placement.objects.filter(
                person_id=participant.person_id, ended_at__isnull=True
            ).select_related("term")
        )
        employments = list(EmploymentPeriod.objects.filter(participant=participant))
        kind = rules.kind_on(parsed_day, placements, employments)
        if kind is None and "day" not in errors:
            errors["day"] = [
                _("%(day)s is outside your placement and employment periods.")
                % {"day": parsed_day.isoformat()}
            ]
    return errors, parsed_day, amount, kind


def hours_log(
    *, actor: Actor, participant: Participant, day: object, hours: object, activity: str
) -> HoursEntry:
    _may_log(actor, participant)
    errors, parsed_day, amount, kind = _validate(participant, day, hours, activity)
    if errors:
        raise InvalidInputError(errors)
    assert parsed_day is not None and amount is not None and kind is not None
    try:
        with transaction.atomic():
            returned = (
                HoursEntry.objects.select_for_update()
                .filter(participant=participant, day=parsed_day, status=HoursStatus.RETURNED)
                .first()
            )
            if returned is not None:
                # A day sent back is corrected by logging it again: it goes back for approval.
                returned.hours, returned.activity, returned.kind = (
                    amount,
                    activity.strip()[:200],
                    kind,
                )
                returned.status, returned.return_reason = HoursStatus.SUBMITTED, ""
                returned.save(
                    update_fields=["hours", "activity", "kind", "status", "return_reason"]
                )
                state.refresh([participant.pk])
                return returned
            entry = HoursEntry.objects.create(
                municipality_id=participant.municipality_id,
                participant=participant,
                day=parsed_day,
                hours=amount,
                activity=activity.strip()[:200],
                kind=kind,
            )
            state.refresh([participant.pk])
    except IntegrityError:
        raise InvalidInputError(
            {"day": [_("Hours for %(day)s are already logged.") % {"day": parsed_day.isoformat()}]}
        ) from None
    _queue_breach_reminder(participant)
    return entry


def _queue_breach_reminder(participant: Participant) -> None:
    from bryggan.programme.tasks import send_hours_reminder

    transaction.on_commit(lambda: send_hours_reminder.enqueue(participant.pk))


def may_approve(actor: Actor, entry: HoursEntry) -> bool:
    """A coordinator, or the supervisor or mentor of the participant."""
    return actor.can(Perm.PROGRAMME_MANAGE, entry) or actor.can(Perm.HOURS_APPROVE, entry)


def _decide_on(actor: Actor, entry_ids: Sequence[object], *, nothing: str) -> list[HoursEntry]:
    """The chosen submitted hours, locked, for an approver to approve or send back; all or
    nothing, and nobody decides on their own. The role is checked before anything about the
    entries, and each entry's permission before its state: a refusal never tells anything
    about someone else's hours. Call inside a transaction."""
    if not (actor.has(Perm.PROGRAMME_MANAGE) or actor.has(Perm.HOURS_APPROVE)):
        raise PermissionDeniedError(Perm.HOURS_APPROVE)
    ids = {int(str(i)) for i in entry_ids if str(i).isdigit()}
    if not ids or len(ids) != len(entry_ids):
        raise InvalidInputError({"entries": [nothing]})
    entries = list(
        HoursEntry.objects.select_for_update().filter(pk__in=ids).select_related("participant")
    )
    if len(entries) != len(ids):
        raise Http404  # missing or another municipality's: the same answer
    # Permission first, then state: a refusal never tells about hours not theirs. Asked
    # once per participant (a supervisor approving a month is one question, not thirty).
    allowed: dict[int, bool] = {}
    for entry in entries:
        if actor.user is not None and entry.participant.user_id == actor.user.pk:
            raise InvalidInputError({"entries": [_("You cannot approve your own hours.")]})
        if entry.participant_id not in allowed:
            allowed[entry.participant_id] = may_approve(actor, entry)
        if not allowed[entry.participant_id]:
            raise InvalidInputError(
                {"entries": [_("One of the chosen hours is not yours to approve.")]}
            )
        if entry.status == HoursStatus.APPROVED:
            raise InvalidInputError(
                {"entries": [_("The hours of %(day)s are already approved.") % {"day": entry.day}]}
            )
        if entry.status == HoursStatus.RETURNED:
            raise InvalidInputError(
                {
                    "entries": [
                        _("The hours of %(day)s are sent back to the student.") % {"day": entry.day}
                    ]
                }
            )
    return entries


def hours_approve(*, actor: Actor, entry_ids: Sequence[object]) -> int:
    """Approve submitted hours, all or nothing (``_decide_on`` says who may)."""
    with tenant_scope(actor), transaction.atomic():
        entries = _decide_on(actor, entry_ids, nothing=_("Choose the hours to approve."))
        now = timezone.now()
        for entry in entries:
            entry.status, entry.approved_by, entry.approved_at = (
                HoursStatus.APPROVED,
                actor.user,
                now,
            )
            entry.return_reason = ""
            entry.save(update_fields=["status", "approved_by", "approved_at", "return_reason"])
        state.refresh(e.participant_id for e in entries)
    return len(entries)


RETURN_REASON_MAX = 300


def hours_return(*, actor: Actor, entry_ids: Sequence[object], reason: str) -> int:
    """Send submitted hours back to the student with a reason they read and correct by (the
    same approvers as approving; nothing is approved that is sent back)."""
    reason = (reason or "").strip()
    with tenant_scope(actor), transaction.atomic():
        entries = _decide_on(actor, entry_ids, nothing=_("Choose the hours to send back."))
        if not reason:
            raise InvalidInputError({"reason": [_("Say why, so the student can correct it.")]})
        if len(reason) > RETURN_REASON_MAX:
            raise InvalidInputError(
                {"reason": [_("At most %(n)s characters.") % {"n": RETURN_REASON_MAX}]}
            )
        errors = personnummer_errors(reason=reason)
        if errors:
            raise InvalidInputError(errors)
        for entry in entries:
            entry.status, entry.return_reason = HoursStatus.RETURNED, reason
            entry.save(update_fields=["status", "return_reason"])
        state.refresh(e.participant_id for e in entries)
    return len(entries)


@tenant_scoped
def hours_import(*, actor: Actor, text: str) -> int:
    """Import hours from a time system: CSV with the columns email, date, hours, activity.

    All or nothing: one bad row rejects the whole file, with a report per row.
    """
    actor.require(Perm.PROGRAMME_MANAGE)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=_delimiter(text))
    rows = list(reader)
    if not rows or [c.strip().lower() for c in rows[0]] != IMPORT_COLUMNS:
        raise InvalidInputError(
            {
                "file": [
                    _("The first row must be the columns: %(columns)s.")
                    % {"columns": ", ".join(IMPORT_COLUMNS)}
                ]
            }
        )
    participants = {
        p.person.email.lower(): p
        for p in Participant.objects.select_related("person")
        if p.person.email
    }
    errors: dict[str, list[str]] = {}
    prepared = []
    seen: set[tuple[int, date]] = set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        where = _("row %(n)s") % {"n": number}
        if len(row) != len(IMPORT_COLUMNS):
            errors[where] = [_("Expected %(n)s columns.") % {"n": len(IMPORT_COLUMNS)}]
            continue
        email, day, hours, activity = (cell.strip() for cell in row)
        participant = participants.get(email.lower())
        if participant is None:
            errors[where] = [
                _("No participant with the e-mail address %(email)s.") % {"email": email}
            ]
            continue
        row_errors, parsed_day, amount, kind = _validate(participant, day, hours, activity)
        if parsed_day is not None and (participant.pk, parsed_day) in seen:
            row_errors.setdefault("day", []).append(_("The same day twice in the file."))
        if (
            parsed_day is not None
            and HoursEntry.objects.filter(participant=participant, day=parsed_day).exists()
        ):
            row_errors.setdefault("day", []).append(
                _("Hours for %(day)s are already logged.") % {"day": parsed_day.isoformat()}
            )
        if row_errors:
            errors[where] = [m for msgs in row_errors.values() for m in msgs]
            continue
        assert parsed_day is not None and amount is not None and kind is not None
        seen.add((participant.pk, parsed_day))
        prepared.append(
            HoursEntry(
                municipality_id=participant.municipality_id,
                participant=participant,
                day=parsed_day,
                hours=amount,
                activity=activity[:200],
                kind=kind,
            )
        )
    if errors:
        raise InvalidInputError(errors)
    if not prepared:
        raise InvalidInputError({"file": [_("The file has no rows of hours.")]})
    with transaction.atomic():
        HoursEntry.objects.bulk_create(prepared)
        state.refresh(e.participant_id for e in prepared)
    return len(prepared)


def _delimiter(text: str) -> str:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def rules_save(*, actor: Actor, values: dict[str, Decimal]) -> HoursRules:
    actor.require(Perm.PROGRAMME_MANAGE)
    current = rules.rules_for(actor.municipality_id or 0)
    for name, value in values.items():
        setattr(current, name, value)
    with transaction.atomic():
        current.save()
        # New limits change what is a breach for everyone in the municipality.
        state.refresh_all(actor.municipality_id)
    return current
