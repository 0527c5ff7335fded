"""What the programme has for each role's home page: the coordinator's offers, step-2 moves,
hours waiting and assessments due; the supervisor's and mentor's hours to approve, sessions
due and students starting; the student's placement, week and offers; the university
contact's students and assessments; HR's accepted offers and employments ending; the unit
manager's people and places. Each a few grouped queries, whatever the municipality's size.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Exists, Min, OuterRef, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bryggan.core.gate import log_list, tenant_scoped
from bryggan.core.inbox import Item
from bryggan.core.permissions import Actor, Perm
from bryggan.core.roles import Role
from bryggan.organisation.models import SupervisorCapacity, Term
from bryggan.programme import steps
from bryggan.programme.hours import rules_for
from bryggan.programme.models import (
    EmploymentKind,
    EmploymentPeriod,
    HoursEntry,
    HoursStatus,
    Offer,
    OfferStatus,
    Participant,
    Placement,
    Stage,
    UniversityAssessment,
)
from bryggan.programme.selectors import last_sessions, participant_of
from bryggan.programme.supervision import (
    session_overdue,
    staff_of,
    supervised_ids,
)

OFFER_SOON_DAYS = 7
HOURS_WAITING_DAYS = 14  # submitted hours nobody has approved for this long
ASSESSMENT_DUE_DAYS = 14  # the final assessment is due when the practicum ends within this
STARTING_SOON_DAYS = 30
ENDING_SOON_DAYS = 60
SHOWN = 10


def _participant_url(pk: int) -> str:
    return reverse("programme:participant", kwargs={"pk": pk})


def _assessment_missing():
    return ~Exists(UniversityAssessment.objects.filter(placement=OuterRef("pk"), kind="final"))


def _practicum_ending(today: date):
    return Placement.objects.filter(
        ended_at__isnull=True,
        step=Stage.PRACTICUM,
        term__ends_on__lte=today + timedelta(days=ASSESSMENT_DUE_DAYS),
    )


@tenant_scoped
def for_coordinator(*, actor: Actor, today: date) -> list[Item]:
    if not actor.can(Perm.PROGRAMME_MANAGE):
        return []
    log_list(actor=actor, model=Participant, purpose="home page")
    items: list[Item] = []
    offers = (
        Offer.objects.filter(
            status=OfferStatus.PENDING, reply_by__lte=today + timedelta(days=OFFER_SOON_DAYS)
        )
        .select_related("participant__person", "unit")
        .order_by("reply_by")[:SHOWN]
    )
    for offer in offers:
        late = offer.reply_by < today
        items.append(
            Item(
                text=(
                    _("The answer to %(name)s's offer (%(unit)s) was due %(date)s")
                    if late
                    else _("%(name)s is to answer the offer (%(unit)s) by %(date)s")
                )
                % {
                    "name": offer.participant.person,
                    "unit": offer.unit.name,
                    "date": offer.reply_by.isoformat(),
                },
                url=_participant_url(offer.participant_id),
                when=offer.reply_by,
                urgent=late,
            )
        )
    opens = today + timedelta(days=steps.STEP_TWO_OPENS_DAYS_BEFORE_END)
    # As the overview says it ("the practicum ends …: time for step 2"), from the state
    # kept on each participant: where they are now and until when.
    step_two = Participant.objects.filter(
        stage=Stage.PRACTICUM, current_until__lte=opens
    ).aggregate(n=Count("pk"), first=Min("current_until"))
    if step_two["n"]:
        items.append(
            Item(
                text=ngettext(
                    "%(n)s practicum student is due to move on to step 2",
                    "%(n)s practicum students are due to move on to step 2",
                    step_two["n"],
                )
                % {"n": step_two["n"]},
                url=reverse("programme:overview") + f"?stage={Stage.PRACTICUM}",
                count=step_two["n"],
                when=step_two["first"],
                note=_("the first practicum ends %(date)s") % {"date": step_two["first"]},
                urgent=step_two["first"] is not None and step_two["first"] <= today,
            )
        )
    waiting = HoursEntry.objects.filter(
        status=HoursStatus.SUBMITTED, day__lt=today - timedelta(days=HOURS_WAITING_DAYS)
    ).aggregate(n=Count("pk"), people=Count("participant", distinct=True), oldest=Min("day"))
    if waiting["n"]:
        items.append(
            Item(
                text=ngettext(
                    "%(n)s day of hours has waited more than two weeks for approval",
                    "%(n)s days of hours have waited more than two weeks for approval",
                    waiting["n"],
                )
                % {"n": waiting["n"]},
                url=reverse("programme:approve"),
                count=waiting["n"],
                when=waiting["oldest"],
                note=ngettext("%(n)s student", "%(n)s students", waiting["people"])
                % {"n": waiting["people"]},
                urgent=True,
            )
        )
    due = (
        _practicum_ending(today)
        .filter(_assessment_missing())
        .aggregate(n=Count("pk"), first=Min("term__ends_on"))
    )
    if due["n"]:
        items.append(
            Item(
                text=ngettext(
                    "%(n)s final university assessment is due",
                    "%(n)s final university assessments are due",
                    due["n"],
                )
                % {"n": due["n"]},
                url=reverse("programme:assessments"),
                count=due["n"],
                when=due["first"],
                urgent=due["first"] is not None and due["first"] < today,
            )
        )
    rules = rules_for(actor.municipality_id or 0)
    if rules.summer_job_by is not None:
        summer = EmploymentPeriod.objects.filter(
            participant=OuterRef("pk"), kind=EmploymentKind.SUMMER_JOB, ends_on__gte=today
        )
        missing = (
            Participant.objects.filter(stage__in=[Stage.STUDENT_EMPLOYEE, Stage.ASPIRANT])
            .exclude(Exists(summer))
            .count()
        )
        if missing:
            items.append(
                Item(
                    text=ngettext(
                        "%(n)s participant has no summer job yet (guaranteed by %(date)s)",
                        "%(n)s participants have no summer job yet (guaranteed by %(date)s)",
                        missing,
                    )
                    % {"n": missing, "date": rules.summer_job_by.isoformat()},
                    url=reverse("programme:overview"),
                    count=missing,
                    when=rules.summer_job_by,
                    urgent=rules.summer_job_by < today + timedelta(days=30),
                )
            )
    return items


@tenant_scoped
def for_supervisor(*, actor: Actor, today: date) -> list[Item]:
    """The supervisor's and mentor's day: hours to approve, sessions due, students starting,
    assessments to sign."""
    if not actor.can(Perm.HOURS_APPROVE):
        return []
    staff = staff_of(actor)
    if staff is None:
        return []
    log_list(actor=actor, model=Participant, purpose="home page")
    items: list[Item] = []
    ids = supervised_ids(staff, except_user=actor.user)
    students = Participant.objects.filter(pk__in=ids)
    hours = (
        HoursEntry.objects.filter(status=HoursStatus.SUBMITTED, participant_id__in=ids)
        .values(
            "participant_id", "participant__person__first_name", "participant__person__last_name"
        )
        .annotate(n=Count("pk"), hours=Sum("hours"), oldest=Min("day"))
        .order_by("oldest")[:SHOWN]
    )
    for row in hours:
        name = f"{row['participant__person__first_name']} {row['participant__person__last_name']}"
        items.append(
            Item(
                text=ngettext(
                    "%(name)s: %(n)s day of hours to approve",
                    "%(name)s: %(n)s days of hours to approve",
                    row["n"],
                )
                % {"name": name, "n": row["n"]},
                url=reverse("programme:approve"),
                count=row["n"],
                when=row["oldest"],
                note=_("%(hours)s hours, from %(date)s")
                % {"hours": f"{row['hours']:g}", "date": row["oldest"].isoformat()},
                urgent=row["oldest"] < today - timedelta(days=HOURS_WAITING_DAYS),
            )
        )
    mine = list(students.select_related("person")[:200])
    held = last_sessions(mine)
    rules = rules_for(actor.municipality_id or 0)
    for participant in mine:
        overdue = session_overdue(participant, held.get(participant.pk, {}), rules, today)
        if overdue:
            items.append(
                Item(
                    text=f"{participant.person}: {overdue}",
                    url=reverse("programme:student-plan", kwargs={"pk": participant.pk}),
                    urgent=True,
                )
            )
    starting = (
        Placement.objects.filter(
            supervisor=staff,
            ended_at__isnull=True,
            term__starts_on__gte=today,
            term__starts_on__lte=today + timedelta(days=STARTING_SOON_DAYS),
        )
        .select_related("person", "unit", "term")
        .order_by("term__starts_on")[:SHOWN]
    )
    for placement in starting:
        items.append(
            Item(
                text=_("%(name)s starts the practicum at %(unit)s on %(date)s")
                % {
                    "name": placement.person,
                    "unit": placement.unit.name,
                    "date": placement.term.starts_on.isoformat(),
                },
                url=reverse("programme:my-students"),
                when=placement.term.starts_on,
            )
        )
    to_sign = (
        _practicum_ending(today)
        .filter(supervisor=staff)
        .filter(_assessment_missing())
        .select_related("person", "term")
        .order_by("term__ends_on")[:SHOWN]
    )
    participants = dict(
        Participant.objects.filter(person_id__in=[p.person_id for p in to_sign]).values_list(
            "person_id", "pk"
        )
    )
    for placement in to_sign:
        pk = participants.get(placement.person_id)
        if pk is None:
            continue
        items.append(
            Item(
                text=_("Sign %(name)s's final assessment for the university")
                % {"name": placement.person},
                url=reverse("programme:assessment-sign", kwargs={"pk": pk}),
                when=placement.term.ends_on,
                note=_("the practicum ends %(date)s") % {"date": placement.term.ends_on},
                urgent=placement.term.ends_on <= today,
            )
        )
    return items


@tenant_scoped
def for_student(*, actor: Actor, today: date) -> list[Item]:
    """The student's own: where and with whom, this week's hours, offers to answer."""
    if not actor.can(Perm.PROGRAMME_OWN):
        return []
    participant = participant_of(actor=actor)
    if participant is None:
        return []
    items: list[Item] = []
    mine = reverse("programme:mine")
    placement = (
        Placement.objects.filter(person_id=participant.person_id, ended_at__isnull=True)
        .select_related("unit", "supervisor", "term")
        .order_by("-term__starts_on")
        .first()
    )
    if placement is not None:
        supervisor = placement.supervisor
        contact = ", ".join(
            part
            for part in (getattr(supervisor, "email", ""), getattr(supervisor, "phone", ""))
            if part
        )
        items.append(
            Item(
                text=_("Your practicum: %(unit)s with %(supervisor)s, %(start)s–%(end)s")
                % {
                    "unit": placement.unit.name,
                    "supervisor": supervisor,
                    "start": placement.term.starts_on.isoformat(),
                    "end": placement.term.ends_on.isoformat(),
                },
                url=mine,
                note=contact,
            )
        )
    returned = HoursEntry.objects.filter(
        participant=participant, status=HoursStatus.RETURNED
    ).aggregate(n=Count("pk"), first=Min("day"))
    if returned["n"]:
        items.append(
            Item(
                text=ngettext(
                    "%(n)s day of hours was sent back: correct it",
                    "%(n)s days of hours were sent back: correct them",
                    returned["n"],
                )
                % {"n": returned["n"]},
                url=mine + "#hours-h",
                count=returned["n"],
                when=returned["first"],
                urgent=True,
            )
        )
    monday = today - timedelta(days=today.weekday())
    week = HoursEntry.objects.filter(participant=participant, day__gte=monday).aggregate(
        total=Sum("hours"), waiting=Count("pk", filter=Q(status=HoursStatus.SUBMITTED))
    )
    items.append(
        Item(
            text=_("This week you have logged %(hours)s hours")
            % {"hours": f"{week['total'] or 0:g}"},
            url=mine + "#hours-h",
            note=ngettext(
                "%(n)s day waits for approval", "%(n)s days wait for approval", week["waiting"]
            )
            % {"n": week["waiting"]},
        )
    )
    pending = Offer.objects.filter(participant=participant, status=OfferStatus.PENDING)
    for offer in pending.select_related("unit"):
        items.append(
            Item(
                text=_("Answer the offer: %(title)s at %(unit)s, from %(start)s")
                % {
                    "title": offer.title,
                    "unit": offer.unit.name,
                    "start": offer.starts_on.isoformat(),
                },
                url=mine + f"#offer-{offer.pk}",
                when=offer.reply_by,
                note=_("answer by %(date)s") % {"date": offer.reply_by.isoformat()},
                urgent=offer.reply_by <= today + timedelta(days=3),
            )
        )
    return items


@tenant_scoped
def for_university_contact(*, actor: Actor, today: date) -> list[Item]:
    """The university's placement coordinator: their students here, assessments due and
    signed."""
    if not actor.can(Perm.UNIVERSITY_ASSESSMENTS) or not actor.university_ids:
        return []
    universities = list(actor.university_ids)
    url = reverse("programme:assessments")
    students = Participant.objects.filter(university_id__in=universities)
    placed = Placement.objects.filter(
        ended_at__isnull=True, person__participant__in=students
    ).aggregate(n=Count("pk"), ends=Min("term__ends_on"))
    items = [
        Item(
            text=ngettext(
                "%(n)s of your university's students is placed here",
                "%(n)s of your university's students are placed here",
                placed["n"],
            )
            % {"n": placed["n"]},
            url=url,
            count=placed["n"],
        )
    ]
    due = (
        _practicum_ending(today)
        .filter(person__participant__in=students)
        .filter(_assessment_missing())
        .aggregate(n=Count("pk"), first=Min("term__ends_on"))
    )
    if due["n"]:
        items.append(
            Item(
                text=ngettext(
                    "%(n)s final assessment is not signed yet",
                    "%(n)s final assessments are not signed yet",
                    due["n"],
                )
                % {"n": due["n"]},
                url=url,
                count=due["n"],
                when=due["first"],
                note=_("the first practicum ends %(date)s") % {"date": due["first"]},
            )
        )
    signed = UniversityAssessment.objects.filter(
        participant__in=students, signed_at__date__gte=today - timedelta(days=30)
    ).count()
    if signed:
        items.append(
            Item(
                text=ngettext(
                    "%(n)s assessment signed in the last 30 days",
                    "%(n)s assessments signed in the last 30 days",
                    signed,
                )
                % {"n": signed},
                url=url,
                count=signed,
            )
        )
    return items


@tenant_scoped
def for_hr(*, actor: Actor, today: date) -> list[Item]:
    """HR: accepted offers that are to become employments, employments ending."""
    if Role.HR not in actor.roles or not actor.can(Perm.PROGRAMME_MANAGE):
        return []
    log_list(actor=actor, model=Participant, purpose="home page")
    items: list[Item] = []
    # Accepting puts the student on the staff register; HR prepares the employment before
    # the first day.
    accepted = (
        Offer.objects.filter(status=OfferStatus.ACCEPTED, starts_on__gte=today)
        .select_related("participant__person", "unit")
        .order_by("starts_on")[:SHOWN]
    )
    for offer in accepted:
        items.append(
            Item(
                text=_(
                    "%(name)s accepted %(title)s at %(unit)s and starts %(date)s: prepare the "
                    "employment"
                )
                % {
                    "name": offer.participant.person,
                    "title": offer.title,
                    "unit": offer.unit.name,
                    "date": offer.starts_on.isoformat(),
                },
                url=_participant_url(offer.participant_id),
                when=offer.starts_on,
                urgent=offer.starts_on <= today + timedelta(days=14),
            )
        )
    ending = (
        EmploymentPeriod.objects.filter(
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=ENDING_SOON_DAYS),
        )
        .exclude(kind=EmploymentKind.SUMMER_JOB)
        .aggregate(n=Count("pk"), first=Min("ends_on"))
    )
    if ending["n"]:
        items.append(
            Item(
                text=ngettext(
                    "%(n)s employment ends within two months",
                    "%(n)s employments end within two months",
                    ending["n"],
                )
                % {"n": ending["n"]},
                url=reverse("programme:overview"),
                count=ending["n"],
                when=ending["first"],
            )
        )
    return items


@tenant_scoped
def for_unit_manager(*, actor: Actor, today: date) -> list[Item]:
    """A unit manager's units: how many students, student employees, aspirants and new hires
    work there now, and the supervisors' places next term (counts, no names)."""
    grants = [g for g in actor.grants if g.role == Role.UNIT_MANAGER]
    if not grants:
        return []
    scope = Q(pk__in=[])
    for grant in grants:
        if grant.unit_id is not None:
            scope |= Q(unit_id=grant.unit_id)
        elif grant.department_id is not None:
            scope |= Q(unit__department_id=grant.department_id)
        else:
            scope = Q()
            break
    url = reverse("organisation:capacity")
    placed = Placement.objects.filter(scope, ended_at__isnull=True).count()
    employed = (
        EmploymentPeriod.objects.filter(scope, starts_on__lte=today, ends_on__gte=today)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["kind"]: row["n"] for row in employed}
    items = [
        Item(
            text=_(
                "At your units now: %(students)s practicum students, %(employees)s student "
                "employees, %(aspirants)s aspirants"
            )
            % {
                "students": placed,
                "employees": counts.get(EmploymentKind.STUDENT_EMPLOYEE, 0),
                "aspirants": counts.get(EmploymentKind.ASPIRANT, 0),
            },
            url=reverse("organisation:list", kwargs={"resource": "unit"}),
        )
    ]
    upcoming = Term.objects.filter(starts_on__gt=today).order_by("starts_on").first()
    if upcoming is not None:
        supervisor_scope = Q(pk__in=[])
        for grant in grants:
            if grant.unit_id is not None:
                supervisor_scope |= Q(supervisor__unit_id=grant.unit_id)
            elif grant.department_id is not None:
                supervisor_scope |= Q(supervisor__unit__department_id=grant.department_id)
            else:
                supervisor_scope = Q()
                break
        places = SupervisorCapacity.objects.filter(supervisor_scope, term=upcoming).aggregate(
            total=Sum("capacity"), supervisors=Count("pk")
        )
        items.append(
            Item(
                text=_("Next term (%(term)s): %(places)s places with %(n)s supervisors")
                % {
                    "term": upcoming,
                    "places": places["total"] or 0,
                    "n": places["supervisors"],
                },
                url=url + f"?term={upcoming.pk}",
                when=upcoming.starts_on,
                urgent=not places["total"],
                note=_("no places registered yet") if not places["total"] else "",
            )
        )
    return items
