"""The bridge between Bryggan's records and the pure engine: gather a posting's inputs into an
engine instance, and read a result back as applications, units and supervisors.

Ids in the instance: ``a<application id>``, ``u<unit id>``, ``s<staff member id>``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from bryggan.matching.models import ConstraintKind, MatchingConstraint, UnitRankingEntry
from bryggan.organisation.capacity import free_places, with_places_used
from bryggan.organisation.models import StaffMember, SupervisorCapacity, Unit
from bryggan.recruitment.models import Application, ApplicationWish, Assessment, Posting, Stage
from bryggan.recruitment.selectors import ranking_groups


def app_id(pk: int) -> str:
    return f"a{pk}"


def unit_id(pk: int) -> str:
    return f"u{pk}"


def staff_id(pk: int) -> str:
    return f"s{pk}"


def pk_of(engine_id: str) -> int:
    """The database id in an engine id (``u12`` → 12)."""
    return int(engine_id[1:])


@dataclass
class SupervisorRow:
    staff: StaffMember
    capacity: int
    used: int

    @property
    def free(self) -> int:
        return free_places(capacity=self.capacity, used=self.used)


@dataclass
class Inputs:
    """Everything a matching run reads, as the coordinator reviews it."""

    posting: Posting
    applications: list[Application]
    units: list[Unit]
    supervisors: dict[int, list[SupervisorRow]]  # unit id → rows
    rankings: dict[int, list[list[int]]]  # unit id → tie groups of application ids, best first
    edited_units: set[int]
    constraints: list[MatchingConstraint]
    warnings: list[str] = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)

    def places(self, unit_pk: int) -> int:
        return sum(row.free for row in self.supervisors.get(unit_pk, []))

    def to_instance(self) -> dict:
        unit_pks = {u.pk for u in self.units}
        students = [
            {
                "id": app_id(a.pk),
                "preferences": [
                    unit_id(w.unit_id) for w in a.wishes.all() if w.unit_id in unit_pks
                ],
            }
            for a in self.applications
        ]
        units = []
        for unit in self.units:
            ranking: list = []
            for group in self.rankings.get(unit.pk, []):
                ids = [app_id(pk) for pk in group]
                ranking.append(ids[0] if len(ids) == 1 else ids)
            units.append(
                {"id": unit_id(unit.pk), "capacity": self.places(unit.pk), "ranking": ranking}
            )
        supervisors = [
            {"id": staff_id(row.staff.pk), "unit": unit_id(unit_pk), "capacity": row.free}
            for unit_pk, rows in self.supervisors.items()
            for row in rows
        ]
        return {
            "students": students,
            "units": units,
            "supervisors": supervisors,
            "pinned": [
                [app_id(c.application_id), unit_id(c.unit_id)]
                for c in self.constraints
                if c.kind == ConstraintKind.PINNED
            ],
            "forbidden": [
                [app_id(c.application_id), unit_id(c.unit_id)]
                for c in self.constraints
                if c.kind == ConstraintKind.FORBIDDEN
            ],
        }


# Matching reads the applicants who came through screening to the interview: those still in
# "received" or "screening" have not been judged yet, rejected and withdrawn ones are out.
MATCHED_STAGES = (Stage.INTERVIEW, Stage.ASSESSED, Stage.OFFERED)


def open_applications(posting: Posting):
    """The applications a run matches, with their wishes (best first) and assessments.

    Only the columns matching shows are loaded: a large posting has hundreds of applicants.
    """
    return (
        Application.objects.filter(posting=posting, stage__in=MATCHED_STAGES)
        .select_related("person")
        .only(
            "municipality_id",
            "posting_id",
            "stage",
            "person__first_name",
            "person__last_name",
            "person__municipality_id",
        )
        .prefetch_related(
            Prefetch(
                "wishes",
                queryset=ApplicationWish.objects.select_related("unit")
                .only("application_id", "rank", "unit__name")
                .order_by("rank"),
            ),
            Prefetch(
                "assessments",
                queryset=Assessment.objects.only("application_id", "scores"),
            ),
        )
        .order_by("person__last_name", "person__first_name", "pk")
    )


def supervisor_rows(posting: Posting, units: list[Unit]) -> dict[int, list[SupervisorRow]]:
    """Per unit, its trained supervisors in employment with capacity in the round's term,
    and the places they already use (one query)."""
    supervisors: dict[int, list[SupervisorRow]] = {u.pk: [] for u in units}
    term = posting.round.term
    if term is None:
        return supervisors
    rows = with_places_used(
        SupervisorCapacity.objects.filter(
            term=term,
            supervisor__unit__in=units,
            supervisor__employed_until__isnull=True,
            supervisor__is_trained_supervisor=True,
        ).select_related("supervisor")
    ).order_by("supervisor__last_name", "supervisor__first_name")
    for row in rows:
        supervisors[row.supervisor.unit_id].append(
            SupervisorRow(staff=row.supervisor, capacity=row.capacity, used=row.used)
        )
    return supervisors


def gather(posting: Posting) -> Inputs:
    applications = list(open_applications(posting))
    units = list(posting.units.select_related("department").order_by("department__name", "name"))
    supervisors = supervisor_rows(posting, units)
    entries: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for entry in UnitRankingEntry.objects.filter(posting=posting).order_by("position"):
        entries[entry.unit_id][entry.position].append(entry.application_id)
    open_pks = {a.pk for a in applications}
    scored = ranking_groups(applications)
    rankings: dict[int, list[list[int]]] = {}
    for unit in units:
        if unit.pk in entries:
            rankings[unit.pk] = [
                sorted(pk for pk in group if pk in open_pks)
                for _position, group in sorted(entries[unit.pk].items())
            ]
            rankings[unit.pk] = [g for g in rankings[unit.pk] if g]
        else:
            rankings[unit.pk] = scored.get(unit.pk, [])
    constraints = list(
        MatchingConstraint.objects.filter(
            posting=posting, application_id__in=open_pks
        ).select_related("application__person", "unit")
    )
    inputs = Inputs(
        posting=posting,
        applications=applications,
        units=units,
        supervisors=supervisors,
        rankings=rankings,
        edited_units=set(entries),
        constraints=constraints,
    )
    _warn(inputs)
    return inputs


def _warn(inputs: Inputs) -> None:
    if inputs.posting.round.term is None:
        inputs.blocking.append(
            _(
                "The round has no term, so the supervisors' capacity cannot be read. Choose a "
                "term for the round."
            )
        )
    if not inputs.applications:
        inputs.blocking.append(
            _("No applicant has reached the interview stage yet; there is nobody to match.")
        )

    ranked = {pk for groups in inputs.rankings.values() for g in groups for pk in g}
    for application in inputs.applications:
        if not application.wishes.all():
            inputs.warnings.append(
                _("%(name)s has not ranked any unit.") % {"name": application.person}
            )
        elif application.pk not in ranked:
            inputs.warnings.append(
                _("No unit has ranked %(name)s; they cannot be placed.")
                % {"name": application.person}
            )
    pinned = Counter(c.unit_id for c in inputs.constraints if c.kind == ConstraintKind.PINNED)
    for unit in inputs.units:
        if pinned[unit.pk] > inputs.places(unit.pk):
            inputs.blocking.append(
                _(
                    "%(unit)s has %(pinned)s pinned students but only %(places)s places; remove "
                    "a pin or give a supervisor more capacity."
                )
                % {"unit": unit.name, "pinned": pinned[unit.pk], "places": inputs.places(unit.pk)}
            )
        if inputs.places(unit.pk) == 0:
            inputs.warnings.append(
                _("%(unit)s has no free supervisor capacity this term.") % {"unit": unit.name}
            )
