"""Supervisors' capacity: the one owner of "how many students may this supervisor take".

Every change to a capacity and every place that uses one goes through here, inside a
transaction, after locking the capacity row (SELECT … FOR UPDATE on PostgreSQL; SQLite's
IMMEDIATE transactions serialise writers). Rows are locked in primary-key order so that two
writers locking several capacities never deadlock. Matching, manual placement and the
programme all call these functions; none counts places on its own, and every page that
shows free places gets the number from ``free_places`` (reading, without a lock) — only
``take_place`` and ``set_capacity`` enforce it.

New hires of the broad introduction use places week by week, not for a term: the
introduction registers how it counts them (``register_weekly_use``), ``weekly_free_places``
gives each supervisor's free places week by week (students and other cohorts' new hires
taken off), ``take_place`` counts a supervisor's busiest week of new hires, and a schedule is
saved only after ``lock_supervisors`` and a fresh ``weekly_free_places``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from bryggan.organisation.models import StaffMember, SupervisorCapacity, Term


class CapacityError(Exception):
    """A capacity rule was broken; the message is translated and fit to show a user."""


def with_places_used(queryset):
    """Annotate capacity rows with ``used``: their active placements, in the same query."""
    return queryset.annotate(
        used=Count(
            "supervisor__placements",
            filter=Q(
                supervisor__placements__term_id=F("term_id"),
                supervisor__placements__ended_at__isnull=True,
            ),
        )
    )


def _locked_capacity(supervisor: StaffMember, term: Term) -> SupervisorCapacity | None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Capacity must be locked inside a transaction")
    return (
        SupervisorCapacity.objects.select_for_update()
        .filter(supervisor=supervisor, term=term)
        .first()
    )


# Places used week by week rather than for a whole term (the broad introduction's new hires),
# counted by the app that owns them: (supervisor ids, Mondays, what to leave out) -> the
# places each supervisor uses each of those weeks. Registered in that app's AppConfig.ready.
WeeklyUse = Callable[[Iterable[int], list[date], object], dict[tuple[int, date], int]]
_WEEKLY_USES: list[WeeklyUse] = []


def register_weekly_use(counter: WeeklyUse) -> None:
    _WEEKLY_USES.append(counter)


def _weekly_used(
    supervisor_ids: Iterable[int], mondays: list[date], exclude: object = None
) -> dict[tuple[int, date], int]:
    used: dict[tuple[int, date], int] = {}
    ids = list(supervisor_ids)
    for counter in _WEEKLY_USES:
        for key, n in counter(ids, mondays, exclude).items():
            used[key] = used.get(key, 0) + n
    return used


def _mondays(term: Term) -> list[date]:
    first = term.starts_on - timedelta(days=term.starts_on.weekday())
    return [first + timedelta(weeks=w) for w in range((term.ends_on - first).days // 7 + 1)]


def _active_places(supervisor: StaffMember, term: Term) -> int:
    """Students placed with the supervisor in the term, and the most new hires they have in
    any one of its weeks."""
    # Through the reverse relation: organisation sits below programme and imports none of it.
    students = supervisor.placements.filter(term=term, ended_at__isnull=True).count()  # type: ignore[attr-defined]
    weekly = _weekly_used([supervisor.pk], _mondays(term))
    return students + max(weekly.values(), default=0)


def weekly_free_places(
    *, supervisor_ids: Iterable[int], mondays: list[date], exclude: object = None
) -> dict[int, list[int]]:
    """Each supervisor's free places, week by week: their capacity in the term the week
    falls in, less the students placed with them that term and the new hires they have that
    week (``exclude``: the cohort being planned, whose own places are being decided). A week
    outside every term of theirs has none."""
    ids = list(supervisor_ids)
    if not mondays:
        return {pk: [] for pk in ids}
    rows = with_places_used(
        SupervisorCapacity.objects.filter(
            supervisor_id__in=ids,
            term__ends_on__gte=mondays[0],
            term__starts_on__lte=mondays[-1] + timedelta(days=6),
        ).select_related("term")
    )
    terms: dict[int, list[tuple[Term, int]]] = {pk: [] for pk in ids}
    for row in rows:
        terms[row.supervisor_id].append(
            (row.term, free_places(capacity=row.capacity, used=row.used))
        )
    used = _weekly_used(ids, mondays, exclude)
    free: dict[int, list[int]] = {}
    for pk in ids:
        weeks = []
        for monday in mondays:
            friday = monday + timedelta(days=4)
            places = next(
                (n for term, n in terms[pk] if term.starts_on <= friday and monday <= term.ends_on),
                0,
            )
            weeks.append(max(places - used.get((pk, monday), 0), 0))
        free[pk] = weeks
    return free


def lock_supervisors(supervisor_ids: Iterable[int]) -> None:
    """Lock the supervisors' capacity rows (in primary-key order) before a write that uses
    their places week by week checks ``weekly_free_places`` and saves."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Capacity must be locked inside a transaction")
    list(
        SupervisorCapacity.objects.select_for_update()
        .filter(supervisor_id__in=list(supervisor_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def free_places(*, capacity: int, used: int) -> int:
    """A supervisor's free places: never below zero (a capacity lowered under what is used
    leaves none free, not a negative number)."""
    return max(capacity - used, 0)


def free_places_of(*, supervisor: StaffMember, term: Term) -> int:
    """The free places a supervisor has in a term, read without a lock (for showing and
    validating; the enforcing check is ``take_place``)."""
    row = with_places_used(
        SupervisorCapacity.objects.filter(supervisor=supervisor, term=term)
    ).first()
    return free_places(capacity=row.capacity, used=row.used) if row else 0


@dataclass(frozen=True)
class CapacityCheck:
    capacity: int
    used: int

    @property
    def free(self) -> int:
        return free_places(capacity=self.capacity, used=self.used)


def take_place(*, supervisor: StaffMember, term: Term) -> CapacityCheck:
    """Lock the supervisor's capacity for the term and confirm one more place fits.

    Call inside the transaction that writes the placement; the lock is held until it commits.
    """
    row = _locked_capacity(supervisor, term)
    if row is None:
        raise CapacityError(
            _("%(supervisor)s has no supervision capacity registered for %(term)s.")
            % {"supervisor": supervisor, "term": term}
        )
    used = _active_places(supervisor, term)
    if used >= row.capacity:
        raise CapacityError(
            _("%(supervisor)s already supervises %(used)s of %(capacity)s students in %(term)s.")
            % {"supervisor": supervisor, "used": used, "capacity": row.capacity, "term": term}
        )
    return CapacityCheck(capacity=row.capacity, used=used + 1)


def set_capacity(
    *, supervisor: StaffMember, term: Term, capacity: int, instance: SupervisorCapacity | None
) -> SupervisorCapacity:
    """Create or change a capacity row, refusing to go below the places already in use."""
    row = _locked_capacity(supervisor, term)
    if row is not None and instance is not None and row.pk != instance.pk:
        raise CapacityError(
            _("%(supervisor)s already has a capacity for %(term)s; edit that one instead.")
            % {"supervisor": supervisor, "term": term}
        )
    if row is None and instance is not None and instance.pk:
        # The supervisor or term of an existing row is being changed: lock the old row too.
        SupervisorCapacity.objects.select_for_update().filter(pk=instance.pk).first()
        old_used = _active_places(instance.supervisor, instance.term)
        if old_used:
            raise CapacityError(
                _("Places are in use under this capacity; its supervisor and term cannot change.")
            )
    used = _active_places(supervisor, term)
    if capacity < used:
        raise CapacityError(
            _(
                "%(supervisor)s already supervises %(used)s students in %(term)s; the capacity "
                "cannot be lower."
            )
            % {"supervisor": supervisor, "used": used, "term": term}
        )
    target = row or instance or SupervisorCapacity(municipality_id=supervisor.municipality_id)
    target.supervisor = supervisor
    target.term = term
    target.capacity = capacity
    target.save()
    return target
