"""Reads of the three steps: the coordinator's overview with what needs action, one
participant's path, and a student's own pages.

Every function that takes ``actor`` is a gate (core/gate.py): it runs in the actor's tenant
scope, asks core/permissions.py, and writes the access log for reads of personal data when
given a ``purpose``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import reduce
from operator import or_
from typing import NamedTuple

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone
from django.utils.formats import localize

from bryggan.core.gate import log_list, log_read, one_or_404, tenant_scope, tenant_scoped
from bryggan.core.ids import id_or_404
from bryggan.core.permissions import Actor, Perm
from bryggan.core.personal_data import exportable_contact
from bryggan.organisation.models import Unit
from bryggan.programme import actions as actions_of
from bryggan.programme import steps
from bryggan.programme.actions import Action
from bryggan.programme.hours import RECENT_DAYS, breaches_for, rules_for
from bryggan.programme.models import (
    EmploymentKind,
    EmploymentPeriod,
    HoursEntry,
    HoursRules,
    HoursStatus,
    Offer,
    OfferStatus,
    Participant,
    Placement,
    Stage,
    SupervisionSession,
    TaskItem,
    TaskLevel,
    TaskSignOff,
    Thesis,
    UniversityAssessment,
)
from bryggan.programme.supervision import (
    current_unit_ids,
    session_overdue,
    staff_of,
    supervised_by,
    supervised_ids,
)


def with_current(participants: QuerySet[Participant], today: date) -> QuerySet[Participant]:
    """Where each participant is now, computed by the database — the one rule: their newest
    current placement; else their latest employment period of their step that has started
    or starts within 90 days. Annotates the chosen placement's and employment's ids
    (``_current`` reads them; programme/state.py keeps the answer on the participant)."""
    placement = Placement.objects.filter(
        person_id=OuterRef("person_id"), ended_at__isnull=True
    ).order_by("-term__starts_on", "-pk")
    employment = EmploymentPeriod.objects.filter(
        participant=OuterRef("pk"),
        kind=OuterRef("stage"),
        starts_on__lte=today + timedelta(days=CURRENT_EMPLOYMENT_AHEAD_DAYS),
    ).order_by("-starts_on", "-pk")

    def first(rows: QuerySet, name: str) -> Subquery:
        return Subquery(rows.values(name)[:1])

    return participants.annotate(
        current_placement_id=first(placement, "pk"),
        current_employment_id=first(employment, "pk"),
    )


CURRENT_EMPLOYMENT_AHEAD_DAYS = 90


def participants_queryset(today: date | None = None, *, few: bool = False) -> QuerySet[Participant]:
    """Participants with what their pages and the hours rules read, prefetched, and where
    they are now (``with_current``). ``few``: for a page about one participant, whose
    related rows come joined in four queries fewer."""
    if few:
        employments = EmploymentPeriod.objects.select_related("unit", "mentor")
        offers = Offer.objects.select_related("unit", "contact")
        related: tuple = ()
    else:
        # Related rows by prefetch, not select_related: Django copies a Prefetch queryset's
        # select_related deeply for every participant (half the overview's time at 100 rows).
        employments, offers = EmploymentPeriod.objects.all(), Offer.objects.all()
        related = ("employments__unit", "employments__mentor", "offers__unit", "offers__contact")
    found = Participant.objects.select_related("person", "user").prefetch_related(
        Prefetch(
            "person__placements",
            queryset=Placement.objects.filter(ended_at__isnull=True)
            .select_related("unit", "supervisor", "term")
            .order_by("-term__starts_on", "-pk"),
            to_attr="active_placements",
        ),
        Prefetch("employments", queryset=employments.order_by("starts_on", "pk")),
        Prefetch("offers", queryset=offers.order_by("-issued_at")),
        *related,
    )
    return with_current(found, today or timezone.localdate())


def active_placements(participant: Participant) -> list[Placement]:
    """The participant's current placements (prefetched by ``participants_queryset``),
    newest first."""
    return participant.person.active_placements  # type: ignore[attr-defined]


@dataclass
class OverviewRow:
    participant: Participant
    unit: Unit | None
    supervisor_or_mentor: object | None
    until: date | None
    actions: list[Action] = field(default_factory=list)
    stage_label: str = ""
    breach_count: int = 0


def _current(participant: Participant) -> tuple[Unit | None, object, date | None]:
    """The unit, supervisor or mentor, and end date of the placement or employment that
    ``with_current`` chose for this participant."""
    placement_id = participant.current_placement_id  # type: ignore[attr-defined]
    for placement in active_placements(participant):
        if placement.pk == placement_id:
            return placement.unit, placement.supervisor, placement.term.ends_on
    employment_id = participant.current_employment_id  # type: ignore[attr-defined]
    for employment in participant.employments.all():
        if employment.pk == employment_id:
            return employment.unit, employment.mentor, employment.ends_on
    return None, None, None


ENDING_SOON_DAYS = 60


def needs_action(
    participant: Participant,
    until: date | None,
    today: date,
    breaches: list | None = None,
    summer_job_by: date | None = None,
) -> list[Action]:
    """What the coordinator should do about a participant now (the overview's last column;
    programme/state.py keeps these actions on each participant)."""
    actions = []
    if breaches:
        actions.append(actions_of.breaches(breaches))
    if participant.stage == Stage.PRACTICUM and until is not None:
        opens = until - timedelta(days=steps.STEP_TWO_OPENS_DAYS_BEFORE_END)
        if opens <= today:
            actions.append(Action("practicum_ends", {"date": until.isoformat()}))
    pending = [o for o in participant.offers.all() if o.status == OfferStatus.PENDING]
    for offer in pending:
        if offer.reply_by < today:
            actions.append(Action("answer_passed", {"date": offer.reply_by.isoformat()}))
    if participant.stage in (Stage.STUDENT_EMPLOYEE, Stage.ASPIRANT):
        summer = [
            e
            for e in participant.employments.all()
            if e.kind == EmploymentKind.SUMMER_JOB and e.ends_on >= today
        ]
        if not summer:
            deadline = summer_job_by
            if deadline is not None and deadline < today:
                actions.append(Action("summer_job_due", {"date": deadline.isoformat()}))
            else:
                actions.append(Action("summer_job_missing", {}))
        if until is not None and until < today + timedelta(days=ENDING_SOON_DAYS) and not pending:
            actions.append(Action("employment_ends", {"date": until.isoformat()}))
    return actions


def overview_row(
    participant: Participant,
    today: date,
    breaches: list | None = None,
    summer_job_by: date | None = None,
) -> OverviewRow:
    """One participant's line: where they are now, until when, and what needs action. Give
    it a participant from ``participants_queryset``."""
    if breaches is None:
        breaches = breaches_for([participant], today=today).get(participant.pk, [])
    current_unit, person, until = _current(participant)
    return OverviewRow(
        participant=participant,
        unit=current_unit,
        supervisor_or_mentor=person,
        until=until,
        actions=needs_action(participant, until, today, breaches, summer_job_by),
    )


def action_rows(participants: list[Participant], today: date) -> list[OverviewRow]:
    """Each participant's overview line with everything that needs action now — the rows'
    rules, breaches of the recent window (a participant's own page shows the whole year)
    and overdue sessions. The overview's page shows them; programme/state.py keeps what they
    say. Give it participants from ``participants_queryset``."""
    rules: dict[int, HoursRules] = {}
    last_held = last_sessions(participants)
    breaches = breaches_for(participants, today=today, days=RECENT_DAYS)
    labels = {value: str(label) for value, label in Stage.choices}
    rows = []
    for participant in participants:
        if participant.municipality_id not in rules:
            rules[participant.municipality_id] = rules_for(participant.municipality_id)
        these = rules[participant.municipality_id]
        found = breaches.get(participant.pk, [])
        row = overview_row(participant, today, found, these.summer_job_by)
        overdue = session_overdue(participant, last_held.get(participant.pk, {}), these, today)
        if overdue:
            row.actions.append(overdue)
        row.breach_count = len(found)
        row.stage_label = labels[participant.stage]
        rows.append(row)
    return rows


def kept_row(participant: Participant) -> OverviewRow:
    """A participant's overview line from the state kept on them (programme/state.py): where
    they are, until when, with whom, and what needs action — nothing recomputed."""
    return OverviewRow(
        participant=participant,
        unit=participant.current_unit,
        supervisor_or_mentor=participant.current_contact,
        until=participant.current_until,
        actions=[Action.from_stored(a) for a in participant.actions],
        stage_label=str(Stage(participant.stage).label),
        breach_count=participant.breach_count,
    )


class Rows:
    """A list-like of overview rows that is counted and sliced in the database: only the
    slice asked for (a page of the overview or of the API) becomes rows, so a page costs the
    same whatever the municipality's size. ``Paginator`` and django-ninja's pagination take
    it as they take a queryset.

    With ``groups`` — the sizes of the ordered groups the ordering starts with, as (filter,
    size) — the count is their sum and a slice reads only the groups it falls in: the
    database then sorts a few dozen participants by name, not the whole municipality."""

    def __init__(
        self,
        participants: QuerySet[Participant],
        build,
        count_of: int | None = None,
        groups: list[tuple[Q, int]] | None = None,
    ) -> None:
        """``participants``: filtered and ordered; ``build`` turns the ids of a slice, in
        order, into rows."""
        self._participants = participants
        self._build = build
        self._groups = groups
        if count_of is None and groups is not None:
            count_of = sum(size for _where, size in groups)
        self._count: int | None = count_of

    def all(self) -> Rows:
        return self

    def count(self) -> int:
        if self._count is None:
            self._count = self._participants.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._build(self._ids(index))
        return self._build(self._ids(slice(index, index + 1)))[0]

    def _ids(self, index: slice) -> list[int]:
        ids = self._participants.values_list("pk", flat=True)
        start, stop = index.start or 0, index.stop
        if self._groups is None or index.step not in (None, 1) or start < 0:
            return list(ids[index])
        stop = self.count() if stop is None else min(stop, self.count())
        wanted: list[Q] = []
        first = seen = 0
        for where, size in self._groups:
            if seen + size > start and seen < stop:
                first = seen if not wanted else first
                wanted.append(where)
            seen += size
        if not wanted:
            return []
        return list(ids.filter(reduce(or_, wanted))[start - first : stop - first])

    def __iter__(self):
        return iter(self[0 : self.count()])

    def map(self, function) -> Rows:
        """The same rows, each turned by ``function`` (the API's JSON shape)."""
        build = self._build
        return Rows(
            self._participants,
            lambda found: [function(r) for r in build(found)],
            self._count,
            self._groups,
        )


@dataclass
class Overview:
    rows: Rows
    action_count: int


@tenant_scoped
def overview(
    *,
    actor: Actor,
    purpose: str,
    stage: str = "",
    unit: int | None = None,
    action_only: bool = False,
) -> Overview:
    """Everyone in the programme, per step and unit, with what needs action: filtered,
    ordered, counted and paginated in the database on the state kept on each participant
    (programme/state.py); the rows of the page asked for are built from that page's
    participants alone, with what needs action said in words."""
    actor.require(Perm.PROGRAMME_MANAGE)
    log_list(actor=actor, model=Participant, purpose=purpose)
    found = Participant.objects.all()
    if stage in Stage.values:
        found = found.filter(stage=stage)
    if unit is not None:
        found = found.filter(current_unit_id=unit)
    order = Case(
        *(When(stage=value, then=Value(i)) for i, value in enumerate(Stage.values)),
        output_field=IntegerField(),
    )
    unit_name = F("current_unit__name").asc(nulls_last=True)
    # Step and unit first: how many in each (and how many need action), in the page's order
    groups = list(
        found.order_by()
        .values("stage", "current_unit_id")
        .annotate(n=Count("pk"), acting=Count("pk", filter=Q(needs_action=True)))
        .order_by(order, unit_name)
        .values_list("stage", "current_unit_id", "n", "acting")
    )
    action_count = sum(acting for *_group, acting in groups)
    if action_only:
        found = found.filter(needs_action=True)
    found = found.alias(stage_order=order).order_by(
        "stage_order", unit_name, "person__last_name", "person__first_name", "pk"
    )

    def build(ids: list[int]) -> list[OverviewRow]:
        by_id = {
            p.pk: p
            for p in Participant.objects.filter(pk__in=ids).select_related(
                "person", "current_unit", "current_contact"
            )
        }
        return [kept_row(by_id[pk]) for pk in ids]

    sizes = [
        (Q(stage=group_stage, current_unit_id=group_unit), acting if action_only else n)
        for group_stage, group_unit, n, acting in groups
    ]
    return Overview(rows=Rows(found, build, groups=sizes), action_count=action_count)


@tenant_scoped
def participant_by_id(*, actor: Actor, pk: object, purpose: str | None) -> Participant:
    """One participant for the coordinator. ``purpose`` names the read for the access log;
    None when the participant is only handed to a service that changes it."""
    actor.require(Perm.PROGRAMME_MANAGE)
    return one_or_404(participants_queryset(few=True), pk, actor=actor, purpose=purpose)


@tenant_scoped
def participant_of(*, actor: Actor) -> Participant | None:
    """The signed-in student's own participant record, if they have one (their own data:
    not an access to someone else's, so not logged)."""
    actor.require(Perm.PROGRAMME_OWN)
    return participants_queryset(few=True).filter(user=actor.user).first()


@tenant_scoped
def offer_by_id(*, actor: Actor, pk: object, own: bool = False) -> Offer:
    """An offer the actor may answer: their own (a student) or any in their municipality."""
    number = id_or_404(pk)
    offers = Offer.objects.filter(pk=number).select_related("participant__person", "unit")
    if own:
        actor.require(Perm.PROGRAMME_OWN)
        offers = offers.filter(participant__user=actor.user)
    else:
        actor.require(Perm.PROGRAMME_MANAGE)
    found = offers.first()
    if found is None:
        raise Http404
    return found


def _recent_hours(participant: Participant, days: int) -> QuerySet[HoursEntry]:
    since = timezone.localdate() - timedelta(days=days)
    return HoursEntry.objects.filter(participant=participant, day__gte=since).order_by("-day")


def hours_of(participant: Participant, *, days: int = 62) -> list[HoursEntry]:
    """The participant's hours of the last two months, newest first."""
    return list(_recent_hours(participant, days).select_related("approved_by"))


class HoursRow(NamedTuple):
    """One line of a participant's hours, as text (see ``ApprovalRow``)."""

    day: str
    hours: str
    activity: str
    status: str
    approved_by: str


def hours_rows(participant: Participant, *, days: int = 62) -> list[HoursRow]:
    """``hours_of`` as plain rows for the coordinator's page: no model instances."""
    labels = dict(HoursStatus.choices)
    return [
        HoursRow(day.isoformat(), localize(hours), activity, str(labels[status]), name or email)
        for day, hours, activity, status, name, email in _recent_hours(
            participant, days
        ).values_list(
            "day", "hours", "activity", "status", "approved_by__full_name", "approved_by__email"
        )
    ]


@tenant_scoped
def hours_to_approve(*, actor: Actor) -> QuerySet[HoursEntry]:
    """Submitted hours the actor may approve: all of them for a coordinator, the longest
    waiting first (an index serves that order, so a page costs the same however many wait);
    for a supervisor or mentor, those of the students they supervise or mentor, student by
    student."""
    if not actor.has(Perm.PROGRAMME_MANAGE):
        actor.require(Perm.HOURS_APPROVE)
    log_list(actor=actor, model=Participant, purpose="hours to approve")
    entries = HoursEntry.objects.filter(status=HoursStatus.SUBMITTED).select_related(
        "participant__person"
    )
    if actor.has(Perm.PROGRAMME_MANAGE):
        return entries.order_by("day", "participant_id")
    entries = entries.order_by(
        "participant__person__last_name", "participant__person__first_name", "day", "pk"
    )
    staff = staff_of(actor)
    if staff is None:
        return entries.none()
    return entries.filter(participant_id__in=supervised_ids(staff, except_user=actor.user))


class ApprovalRow(NamedTuple):
    """One line of the approval table, as text: the page prints 200 of them, and a template
    that formats a number or date per cell spends most of its time doing so."""

    pk: str
    name: str
    day: str
    hours: str
    activity: str


def approval_rows(entries: QuerySet[HoursEntry]) -> list[ApprovalRow]:
    """A page of ``hours_to_approve`` as plain rows: no model instances (three per line)."""
    return [
        ApprovalRow(str(pk), f"{first} {last}", day.isoformat(), localize(hours), activity)
        for pk, first, last, day, hours, activity in entries.values_list(
            "pk",
            "participant__person__first_name",
            "participant__person__last_name",
            "day",
            "hours",
            "activity",
        )
    ]


@tenant_scoped
def hours_for_payroll(*, actor: Actor, year: int, month: int) -> Iterator[tuple]:
    """Approved hours of one calendar month in the municipality, for payroll, as rows:
    last name, first name, e-mail, kind, day, hours, activity, approver, approved at. The
    permission and the access log are settled at once; the rows come from the database's
    iterator as they are read (an export streams them)."""
    actor.require(Perm.PROGRAMME_MANAGE)
    log_list(actor=actor, model=Participant, purpose=f"hours export {year:04d}-{month:02d}")
    kinds = dict(HoursEntry._meta.get_field("kind").choices or [])
    rows = (
        HoursEntry.objects.filter(
            status=HoursStatus.APPROVED,
            day__gte=date(year, month, 1),
            day__lt=date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1),
        )
        .order_by("participant__person__last_name", "participant__person__first_name", "day")
        .values_list(
            "participant__person__last_name",
            "participant__person__first_name",
            "participant__person__email",
            "kind",
            "day",
            "hours",
            "activity",
            "approved_by__full_name",
            "approved_by__email",
            "approved_at",
            "participant__person__protected_identity",
        )
    )

    def each() -> Iterator[tuple]:
        with tenant_scope(actor):  # the file streams after the request's scope has closed
            yield from _payroll_rows(rows.iterator(chunk_size=2000), kinds)

    return each()


def _payroll_rows(rows, kinds: dict) -> Iterator[tuple]:
    for row in rows:
        last, first, email, kind, day, hours, activity, name, approver, at, protected = row
        yield (
            last,
            first,
            exportable_contact(protected, email),
            str(kinds.get(kind, kind)),
            day,
            hours,
            activity,
            name or approver or "",
            at,
        )


@tenant_scoped
def unit_plan(*, actor: Actor, unit: object) -> tuple[Unit, list[TaskItem]]:
    """A unit's task plan, for the coordinator who keeps it."""
    actor.require(Perm.PROGRAMME_MANAGE)
    found = one_or_404(Unit.objects.all(), unit)
    return found, list(TaskItem.objects.filter(unit=found).order_by("position", "pk"))


@dataclass
class PlanLine:
    item: TaskItem
    level: str
    level_label: str
    signed_by: object | None
    signed_at: object | None


def task_plan(participant: Participant) -> list[PlanLine]:
    """The participant's plan: the tasks of their current units, each with the latest level
    signed off."""
    items = list(
        TaskItem.objects.filter(unit_id__in=current_unit_ids(participant))
        .select_related("unit")
        .order_by("unit__name", "position", "pk")
    )
    latest: dict[int, TaskSignOff] = {}
    for signoff in TaskSignOff.objects.filter(participant=participant).select_related("signed_by"):
        latest[signoff.item_id] = signoff
    labels = dict(TaskLevel.choices)
    lines = []
    for item in items:
        found = latest.get(item.pk)
        lines.append(
            PlanLine(
                item=item,
                level=found.level if found else "",
                level_label=str(labels[found.level]) if found else "",
                signed_by=found.signed_by if found else None,
                signed_at=found.signed_at if found else None,
            )
        )
    return lines


@tenant_scoped
def participant_for_supervision(*, actor: Actor, pk: object, purpose: str | None) -> Participant:
    """A participant the actor may sign off for: any (coordinator) or one they supervise or
    mentor (core/permissions.py's object rule for HOURS_APPROVE)."""
    if not actor.has(Perm.HOURS_APPROVE):
        actor.require(Perm.PROGRAMME_MANAGE)
    number = id_or_404(pk)
    found = participants_queryset().filter(pk=number).first()
    if found is None or not (
        actor.can(Perm.PROGRAMME_MANAGE, found) or actor.can(Perm.HOURS_APPROVE, found)
    ):
        raise Http404
    if purpose is not None:
        log_read(actor=actor, obj=found, purpose=purpose)
    return found


@tenant_scoped
def my_students(*, actor: Actor) -> list[Participant]:
    actor.require(Perm.HOURS_APPROVE)
    log_list(actor=actor, model=Participant, purpose="my students")
    staff = staff_of(actor)
    if staff is None:
        return []
    return list(supervised_by(staff).select_related("person").order_by("person__last_name"))


def last_sessions(participants: list[Participant]) -> dict[int, dict[str, date]]:
    """Each participant's latest supervision session and mentor meeting (one query)."""
    out: dict[int, dict[str, date]] = {}
    rows = (
        SupervisionSession.objects.filter(participant__in=[p.pk for p in participants])
        .values("participant_id", "kind")
        .annotate(last=Max("held_on"))
        .order_by()
    )
    for row in rows:
        out.setdefault(row["participant_id"], {})[row["kind"]] = row["last"]
    return out


def sessions_of(participant: Participant) -> list[SupervisionSession]:
    """A participant's sessions with their notes: show only to the supervisor or mentor, the
    student and the coordinator (the views that call this check who is asking)."""
    return list(SupervisionSession.objects.filter(participant=participant).select_related("staff"))


@tenant_scoped
def theses_of(*, actor: Actor) -> list[Thesis]:
    """Theses written in the municipality's operations."""
    actor.require(Perm.PROGRAMME_MANAGE)
    log_list(actor=actor, model=Participant, purpose="theses")
    return list(
        Thesis.objects.select_related(
            "participant__person", "participant__university", "unit_contact__unit"
        ).order_by("title")
    )


@tenant_scoped
def current_placements(
    *, actor: Actor, purpose: str, term: int | None = None, unit: int | None = None
) -> list[Placement]:
    """The municipality's current placements (step 1 from matching or by hand)."""
    actor.require(Perm.PROGRAMME_MANAGE)
    log_list(actor=actor, model=Participant, purpose=purpose)
    rows = Placement.objects.filter(ended_at__isnull=True)
    if term is not None:
        rows = rows.filter(term_id=term)
    if unit is not None:
        rows = rows.filter(unit_id=unit)
    found = list(
        rows.select_related("person", "unit", "supervisor", "term").order_by(
            "unit__name", "person__last_name"
        )
    )
    participants = dict(
        Participant.objects.filter(person_id__in=[p.person_id for p in found]).values_list(
            "person_id", "pk"
        )
    )
    for placement in found:
        placement.person.participant_id = participants.get(placement.person_id)  # type: ignore[attr-defined]
    return found


def _visible_assessments(actor: Actor) -> QuerySet[UniversityAssessment]:
    """The assessments the actor may read: all (coordinator), those they signed or of their
    own practicum students (supervisor), their own (student), their university's (contact).
    The list form of core/permissions.py's object rules for these records."""
    base = UniversityAssessment.objects.select_related(
        "participant__person",
        "participant__university",
        "placement__unit",
        "placement__term",
        "placement__supervisor",
    )
    if actor.has(Perm.PROGRAMME_MANAGE):
        return base
    condition = Q(pk__in=[])
    if actor.user is not None:
        condition |= Q(signed_by=actor.user) | Q(placement__supervisor__user=actor.user)
        condition |= Q(participant__user=actor.user)
    if actor.university_ids:
        condition |= Q(participant__university_id__in=actor.university_ids)
    return base.filter(condition)


def _require_assessment_reader(actor: Actor) -> None:
    if not (
        actor.has(Perm.UNIVERSITY_ASSESSMENTS)
        or actor.has(Perm.PROGRAMME_MANAGE)
        or actor.has(Perm.HOURS_APPROVE)
        or actor.has(Perm.PROGRAMME_OWN)
    ):
        actor.require(Perm.UNIVERSITY_ASSESSMENTS)


@tenant_scoped
def assessments_for(
    *, actor: Actor, participant: Participant | None = None
) -> list[UniversityAssessment]:
    """The university assessments the actor may read (of one participant, when given)."""
    _require_assessment_reader(actor)
    found = _visible_assessments(actor)
    if participant is not None:
        return list(found.filter(participant=participant))
    log_list(actor=actor, model=UniversityAssessment, purpose="assessment list")
    return list(found.order_by("participant__person__last_name", "kind", "-version"))


@tenant_scoped
def assessment_by_id(*, actor: Actor, pk: object, purpose: str) -> UniversityAssessment:
    _require_assessment_reader(actor)
    return one_or_404(_visible_assessments(actor), pk, actor=actor, purpose=purpose)
