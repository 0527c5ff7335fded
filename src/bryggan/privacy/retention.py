"""Retention: what is due for removal under each municipality's policies, and the purge.

The one place for the rules. Per kind of data a municipality sets how many months it keeps
it and records the deletion decision (gallringsbeslut) that allows removing it; without a
decision nothing of that kind is removed, however old (archive law: destruction only under
an adopted decision). A person under a legal hold is never touched. The dry run and the
purge use the same selection, so the report shows exactly what the next run removes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from auditlog.context import disable_auditlog
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from bryggan.core import throttle
from bryggan.core.models import Municipality, Person
from bryggan.core.registry import HOLDINGS
from bryggan.privacy.models import DataKind, LegalHold, PurgeRun, RetentionPolicy
from bryggan.privacy.subject import _forget_audit_entries, remove_applications
from bryggan.recruitment.models import Application, ApplicationNote, Assessment, Stage

# Retention runs for one municipality at a time outside any request (the nightly purge walks
# every municipality), so each query here names its municipality by hand instead of relying
# on a request's scope; tests/privacy/test_retention.py proves a purge never crosses.

# The defaults a municipality starts from (months; None = kept until it decides otherwise).
# 24 months for applicants: the time within which a discrimination claim can be brought.
DEFAULT_MONTHS: dict[str, int | None] = {
    DataKind.APPLICANT_NOT_HIRED: settings.APPLICATION_RETENTION_MONTHS,
    DataKind.REJECTED_INTERVIEW_NOTES: settings.APPLICATION_RETENTION_MONTHS,
    DataKind.CANCELLED_RECRUITMENT: settings.APPLICATION_RETENTION_MONTHS,
    DataKind.UNSOLICITED: settings.APPLICATION_RETENTION_MONTHS,
    DataKind.TALENT_POOL: None,  # kept while the consent stands
    DataKind.APPLICANT_HIRED: None,  # kept with the staff file
    DataKind.PARTICIPANT: None,  # the municipality's archive rules decide
    DataKind.STAFF: None,  # likewise: personnel records follow the archive rules
}


@dataclass(frozen=True)
class Policy:
    kind: str
    months: int | None
    decision_reference: str
    decision_date: date | None

    @property
    def label(self) -> str:
        return str(DataKind(self.kind).label)

    @property
    def may_delete(self) -> bool:
        return self.months is not None and bool(self.decision_reference)


def policies(municipality: Municipality) -> dict[str, Policy]:
    stored = {p.kind: p for p in RetentionPolicy.unscoped.filter(municipality=municipality)}
    out = {}
    for kind in DataKind.values:
        row = stored.get(kind)
        out[kind] = Policy(
            kind=kind,
            months=row.months if row else DEFAULT_MONTHS[kind],
            decision_reference=row.decision_reference if row else "",
            decision_date=row.decision_date if row else None,
        )
    return out


def months_for(municipality: Municipality, kind: str) -> int | None:
    return policies(municipality)[kind].months


def application_retention_months(posting) -> int | None:
    """What the application form promises: the municipality's own rule for this kind
    (registered with recruitment/notices.py)."""
    kind = DataKind.UNSOLICITED if posting.is_open_application else DataKind.APPLICANT_NOT_HIRED
    return months_for(posting.municipality, kind)


@dataclass
class Due:
    """What one kind would remove today: applications, notes or participants."""

    policy: Policy
    applications: list[Application] = field(default_factory=list)
    note_ids: list[int] = field(default_factory=list)
    assessment_ids: list[int] = field(default_factory=list)  # comments to blank
    participants: list = field(default_factory=list)
    staff: list = field(default_factory=list)

    @property
    def notes(self) -> int:
        return len(self.note_ids) + len(self.assessment_ids)

    @property
    def count(self) -> int:
        return len(self.applications) + self.notes + len(self.participants) + len(self.staff)

    @property
    def blocked(self) -> bool:
        """Due by age, but no deletion decision is recorded: nothing is removed."""
        return self.count > 0 and not self.policy.decision_reference


def _held(municipality: Municipality) -> QuerySet:
    return LegalHold.unscoped.filter(municipality=municipality, released_at__isnull=True).values(
        "person_id"
    )


def _in_talent_pool(pool: Policy, today: date) -> Q:
    consent = Q(talent_pool_consent_at__isnull=False, talent_pool_withdrawn_at__isnull=True)
    if pool.months is not None:
        # A consent runs out after the pool's period; then the usual rules apply.
        since = timezone.make_aware(
            datetime.combine(today - relativedelta(months=pool.months), time.min)
        )
        consent &= Q(talent_pool_consent_at__gte=since)
    return consent


def due(municipality: Municipality, today: date | None = None) -> list[Due]:
    """The dry run: per kind of data, what the next purge removes (or would, with a decision)."""
    today = today or timezone.localdate()
    rules = policies(municipality)
    apps = (
        Application.unscoped.filter(municipality=municipality)
        .exclude(person_id__in=_held(municipality))
        .select_related("posting__round", "person")
        .order_by("posting__round__closes_on", "pk")
    )
    keep = _in_talent_pool(rules[DataKind.TALENT_POOL], today)
    report: list[Due] = []

    def cutoff(kind: str) -> date | None:
        months = rules[kind].months
        return None if months is None else today - relativedelta(months=months)

    # Which applications each kind removes, given its cutoff date.
    selections = {
        DataKind.APPLICANT_NOT_HIRED: lambda c: (
            apps.exclude(stage=Stage.OFFERED)
            .exclude(keep)
            .filter(
                posting__is_open_application=False,
                posting__round__cancelled_on__isnull=True,
                posting__round__closes_on__lte=c,
            )
        ),
        # Counted from the cancellation (and never before the round closed): never early.
        DataKind.CANCELLED_RECRUITMENT: lambda c: apps.exclude(keep).filter(
            posting__round__cancelled_on__isnull=False,
            posting__round__cancelled_on__lte=c,
            posting__round__closes_on__lte=c,
        ),
        DataKind.UNSOLICITED: lambda c: (
            apps.exclude(stage=Stage.OFFERED)
            .exclude(keep)
            .filter(
                posting__is_open_application=True,
                created_at__date__lte=c,
                posting__round__cancelled_on__isnull=True,
            )
        ),
        DataKind.APPLICANT_HIRED: lambda c: apps.filter(
            stage=Stage.OFFERED, posting__round__closes_on__lte=c
        ),
    }
    for kind, select in selections.items():
        c = cutoff(kind)
        report.append(Due(rules[kind], applications=list(select(c)) if c else []))
    c = cutoff(DataKind.REJECTED_INTERVIEW_NOTES)
    notes = Due(rules[DataKind.REJECTED_INTERVIEW_NOTES])
    if c:
        rejected = apps.filter(stage=Stage.REJECTED, posting__round__closes_on__lte=c)
        notes.note_ids = list(
            ApplicationNote.unscoped.filter(application__in=rejected).values_list("pk", flat=True)
        )
        notes.assessment_ids = list(
            Assessment.unscoped.filter(application__in=rejected)
            .exclude(comment="")
            .values_list("pk", flat=True)
        )
    report.append(notes)
    c = cutoff(DataKind.PARTICIPANT)
    participants: list = []
    if c:
        from bryggan.programme.models import Participant
        from bryggan.programme.models import Stage as ParticipantStage

        participants = list(
            Participant.unscoped.filter(
                municipality=municipality, stage=ParticipantStage.LEFT, stage_since__lte=c
            )
            .exclude(person_id__in=_held(municipality))
            .select_related("person")
        )
    report.append(Due(rules[DataKind.PARTICIPANT], participants=participants))
    c = cutoff(DataKind.STAFF)
    staff: list = []
    if c:
        from bryggan.organisation.models import StaffMember

        staff = list(
            StaffMember.unscoped.filter(municipality=municipality, employed_until__lte=c)
            .exclude(first_name=FORMER_FIRST_NAME)
            .select_related("user")
        )
    report.append(Due(rules[DataKind.STAFF], staff=staff))
    report.append(Due(rules[DataKind.TALENT_POOL]))
    return report


def _remove_orphans(person_ids: set[int], removed: list[int] | None = None) -> int:
    """People with nothing left in Bryggan go too (a legal hold keeps them)."""
    from bryggan.programme.models import Participant, Placement

    orphans = (
        Person.unscoped.filter(pk__in=person_ids)
        .exclude(applications__isnull=False)
        .exclude(pk__in=Participant.unscoped.values("person_id"))
        .exclude(pk__in=Placement.unscoped.values("person_id"))
        .exclude(pk__in=LegalHold.unscoped.filter(released_at__isnull=True).values("person_id"))
    )
    ids = list(orphans.values_list("pk", flat=True))
    if ids:
        _forget_audit_entries("core.Person", ids)
        Person.unscoped.filter(pk__in=ids).delete()
    if removed is not None:
        removed.extend(ids)
    return len(ids)


def remove_notes(note_ids: list[int], assessment_ids: list[int]) -> int:
    """Interview notes go, and assessments keep their scores without the comment."""
    _forget_audit_entries("recruitment.ApplicationNote", note_ids)
    _forget_audit_entries("recruitment.Assessment", assessment_ids)
    removed = ApplicationNote.unscoped.filter(pk__in=note_ids).delete()[0]
    blanked = (
        Assessment.unscoped.filter(pk__in=assessment_ids).exclude(comment="").update(comment="")
    )
    return removed + blanked


FORMER_FIRST_NAME = "Tidigare"


def anonymise_staff(member) -> None:
    """A staff member who left long ago: the name and e-mail go, the placements and
    capacities they held stay (for the programme's history), the account is closed."""
    from bryggan.privacy.subject import _anonymise_account

    ids = [member.pk]
    _forget_audit_entries("organisation.StaffMember", ids)
    member.first_name = FORMER_FIRST_NAME
    member.last_name = f"anställd #{member.pk}"
    member.email = ""
    member.save(update_fields=["first_name", "last_name", "email"])
    if member.user_id:
        _anonymise_account(member.user)


def _remove_participant(participant) -> int:
    person = participant.person
    removed = 0
    for holding in HOLDINGS:
        if not holding.label.startswith("programme."):
            continue
        rows = holding.rows_for(person)
        ids = list(rows.values_list("pk", flat=True))
        if ids:
            _forget_audit_entries(holding.label, ids)
            rows.delete()
            removed += len(ids)
    if participant.user_id:
        from bryggan.privacy.subject import _anonymise_account

        _anonymise_account(participant.user)
    return removed


def purge(municipality: Municipality, today: date | None = None) -> PurgeRun:
    """Remove what is due under a recorded deletion decision; record what went."""
    from bryggan.privacy import journal

    counts: Counter = Counter()
    gone: dict[str, list[int]] = {
        "applications": [],
        "notes": [],
        "assessments": [],
        "participants": [],
        "people": [],
        "staff": [],
    }
    with transaction.atomic(), disable_auditlog():
        report = due(municipality, today)
        touched: set[int] = set()
        for item in report:
            if not item.policy.may_delete or item.count == 0:
                continue
            kind = item.policy.kind
            if item.applications:
                touched |= {a.person_id for a in item.applications}
                gone["applications"] += [a.pk for a in item.applications]
                removed = remove_applications(item.applications, why=kind)
                counts[kind] += len(item.applications)
                counts["files"] += removed["files"]
            if item.notes:
                remove_notes(item.note_ids, item.assessment_ids)
                gone["notes"] += item.note_ids
                gone["assessments"] += item.assessment_ids
                counts[kind] += item.notes
            for member in item.staff:
                gone["staff"].append(member.pk)
                anonymise_staff(member)
                counts[kind] += 1
            for participant in item.participants:
                touched.add(participant.person_id)
                gone["participants"].append(participant.pk)
                _remove_participant(participant)
                counts[kind] += 1
        counts["people"] += _remove_orphans(touched, gone["people"])
        if any(gone.values()):
            journal.record(municipality_id=municipality.pk, kind="purge", **gone)
        files = counts.pop("files", 0)
        run = PurgeRun.objects.create(
            municipality=municipality, counts=dict(counts), files_removed=files
        )
    return run


def housekeeping(now=None) -> dict[str, int]:
    """Not per municipality: expired sessions, old failed-sign-in records and throttle
    events, and the undo records of bulk rejections settled a month ago."""
    from axes.models import AccessAttempt
    from django.contrib.sessions.models import Session

    now = now or timezone.now()
    sessions = Session.objects.filter(expire_date__lt=now).delete()[0]
    attempts = AccessAttempt.objects.filter(
        attempt_time__lt=now - timedelta(days=settings.AXES_ATTEMPT_RETENTION_DAYS)
    ).delete()[0]
    throttled = throttle.forget_before(now - throttle.KEPT)
    # A bulk rejection's undo record is needed only until its e-mails have left.
    from bryggan.recruitment.models import RejectionBatch

    batches = (
        RejectionBatch.unscoped.filter(send_after__lt=now - timedelta(days=30))
        .exclude(sent_at__isnull=True, undone_at__isnull=True)
        .delete()[0]
    )
    return {
        "sessions": sessions,
        "failed_sign_ins": attempts,
        "throttle_events": throttled,
        "rejection_batches": batches,
    }
