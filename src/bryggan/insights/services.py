"""Every write of the insights: HR imports (preview, then all or nothing), hiring needs,
evaluation surveys and their anonymous answers, and the nightly figures per municipality.
Each takes the acting user (the answers take a link instead), runs in a transaction and
checks permission first."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from bryggan.core.errors import InvalidInputError
from bryggan.core.gate import tenant_scoped
from bryggan.core.models import Municipality
from bryggan.core.permissions import Actor, Perm, require_tenant
from bryggan.core.personal_data import personnummer_errors
from bryggan.insights import imports
from bryggan.insights.models import (
    NEED_MAX,
    Answer,
    Audience,
    HiringNeed,
    ImportKind,
    Invitation,
    MunicipalityProfile,
    MunicipalityYear,
    PendingImport,
    Question,
    QuestionKind,
    Response,
    Survey,
    UnitMonth,
)
from bryggan.insights.selectors import STAGE_KEYS, _counts, _flags
from bryggan.introduction.models import IntroductionProgramme
from bryggan.organisation.models import Department, StaffMember, Unit
from bryggan.privacy.models import RemovedApplication
from bryggan.programme.models import OfferStatus, Participant, Placement
from bryggan.programme.models import Stage as Step
from bryggan.recruitment.models import Application, Posting, PostingKind
from bryggan.specialists.models import SpecialistRole

# ---------------------------------------------------------------- imports


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    updated: int


def _units() -> dict[str, int]:
    return {name.lower(): pk for pk, name in Unit.objects.values_list("pk", "name")}


def _checked(kind: str, name: str, data: bytes, today: date) -> list[dict]:
    if kind not in ImportKind.values:
        raise InvalidInputError({"kind": [_("Choose what the file holds.")]})
    try:
        rows = imports.read_rows(name, data)
    except imports.FileError as error:
        raise InvalidInputError({"file": [error.message]}) from error
    clean, errors = imports.check(kind, rows, units=_units(), today=today)
    if errors:
        raise InvalidInputError(errors)
    return clean


@tenant_scoped
def import_preview(
    *, actor: Actor, kind: str, file_name: str, data: bytes, today: date
) -> PendingImport:
    """Check a file and keep its rows for the coordinator to confirm; a file with any bad
    row is refused whole, with the errors per row, and nothing is kept."""
    actor.require(Perm.INSIGHTS_MANAGE)
    clean = _checked(kind, file_name, data, today)
    with transaction.atomic():
        PendingImport.objects.filter(
            created_by=actor.user,
            committed_at__isnull=True,
            created_at__lt=timezone.now() - timedelta(days=1),
        ).delete()
        return PendingImport.objects.create(
            municipality_id=require_tenant(actor).pk,
            kind=kind,
            file_name=file_name[:200],
            rows=clean,
            created_by=actor.user,  # type: ignore[misc]  # a signed-in user: the permission says so
        )


@tenant_scoped
def import_commit(*, actor: Actor, pending: PendingImport, today: date) -> ImportOutcome:
    """Write a previewed file, all or nothing, after checking its rows again (a unit may
    have gone since)."""
    actor.require(Perm.INSIGHTS_MANAGE)
    with transaction.atomic():
        locked = PendingImport.objects.select_for_update().get(pk=pending.pk)
        if locked.committed_at is not None:
            raise InvalidInputError({"file": [_("This file has already been imported.")]})
        units = set(_units().values())
        if any(row.get("unit") not in units for row in locked.rows):
            raise InvalidInputError(
                {"file": [_("A unit in the file no longer exists. Upload the file again.")]}
            )
        outcome = _write(actor, locked.kind, locked.rows)
        locked.committed_at = timezone.now()
        locked.rows = []  # the names are in the staff register now; not kept twice
        locked.save(update_fields=["committed_at", "rows"])
    return outcome


@tenant_scoped
def import_now(
    *, actor: Actor, kind: str, file_name: str, data: bytes, today: date, dry_run: bool
) -> tuple[int, ImportOutcome | None]:
    """The API's import: check, then (unless a dry run) write, all or nothing."""
    actor.require(Perm.INSIGHTS_MANAGE)
    clean = _checked(kind, file_name, data, today)
    if dry_run:
        return len(clean), None
    with transaction.atomic():
        return len(clean), _write(actor, kind, clean)


def _write(actor: Actor, kind: str, rows: list[dict]) -> ImportOutcome:
    if kind == ImportKind.UNIT_MONTHS:
        return _write_months(actor, rows)
    return _write_staff(actor, rows)


def _write_months(actor: Actor, rows: list[dict]) -> ImportOutcome:
    existing = {
        (u, m.isoformat()): pk
        for pk, u, m in UnitMonth.objects.filter(
            month__in={date.fromisoformat(r["month"]) for r in rows}
        ).values_list("pk", "unit_id", "month")
    }
    created = updated = 0
    fresh = []
    for row in rows:
        values = {
            "sick_leave_percent": row["sick_leave_percent"],
            "open_cases": int(row["open_cases"]),
            "case_workers": row["case_workers"],
        }
        pk = existing.get((row["unit"], row["month"]))
        if pk is not None:
            UnitMonth.objects.filter(pk=pk).update(**values)
            updated += 1
        else:
            fresh.append(
                UnitMonth(
                    municipality_id=require_tenant(actor).pk,
                    unit_id=row["unit"],
                    month=date.fromisoformat(row["month"]),
                    **values,
                )
            )
            created += 1
    UnitMonth.objects.bulk_create(fresh, batch_size=1000)
    return ImportOutcome(created, updated)


def _write_staff(actor: Actor, rows: list[dict]) -> ImportOutcome:
    """Staff by their employee number, or (the first time) by e-mail address when Bryggan
    already knows them without a number, e.g. a programme hire."""
    numbers = {r["employee_number"] for r in rows}
    by_number = {
        s.employee_number: s for s in StaffMember.objects.filter(employee_number__in=numbers)
    }
    emails = {r["email"] for r in rows if r["email"]}
    by_email = {
        s.email.lower(): s for s in StaffMember.objects.filter(employee_number="", email__in=emails)
    }
    created = updated = 0
    fresh = []
    for row in rows:
        staff = by_number.get(row["employee_number"]) or by_email.get(row["email"] or "\0")
        values = {
            "employee_number": row["employee_number"],
            "first_name": row["first_name"],
            "last_name": row["last_name"],
            "unit_id": row["unit"],
            "title": row["title"],
            "employed_from": date.fromisoformat(row["employed_from"]),
            "employed_until": (
                date.fromisoformat(row["employed_until"]) if row["employed_until"] else None
            ),
        }
        if row["email"]:
            values["email"] = row["email"]
        if staff is None:
            fresh.append(StaffMember(municipality_id=require_tenant(actor).pk, **values))
            created += 1
        else:
            for name, value in values.items():
                setattr(staff, name, value)
            staff.save(update_fields=list(values))
            updated += 1
    StaffMember.objects.bulk_create(fresh, batch_size=1000)
    return ImportOutcome(created, updated)


# ---------------------------------------------------------------- hiring need


@tenant_scoped
def need_set(
    *, actor: Actor, department: Department, year: int, need: int, today: date
) -> HiringNeed:
    """Next years' hiring need of one department (0 removes it)."""
    actor.require(Perm.INSIGHTS_MANAGE)
    errors: dict[str, list[str]] = {}
    if not today.year <= year <= today.year + 5:
        errors["year"] = [_("Plan for this year or the next five.")]
    if need < 0:
        errors["need"] = [_("The need cannot be negative.")]
    elif need > NEED_MAX:
        errors["need"] = [
            _("At most %(n)s hires a year for one department: check the figure.") % {"n": NEED_MAX}
        ]
    if errors:
        raise InvalidInputError(errors)
    with transaction.atomic():
        found, _created = HiringNeed.objects.update_or_create(
            department=department,
            year=year,
            defaults={"need": need},
            create_defaults={
                "need": need,
                "municipality_id": require_tenant(actor).pk,
                "department": department,
                "year": year,
            },
        )
    return found


# ---------------------------------------------------------------- surveys

QUESTIONS_MAX = 20


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@tenant_scoped
def survey_create(
    *,
    actor: Actor,
    title: str,
    audience: str,
    closes_on: date,
    introduction: str,
    questions: list[tuple[str, str]],
    today: date,
) -> Survey:
    actor.require(Perm.INSIGHTS_MANAGE)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title or len(title) > 150:
        errors["title"] = [_("Give the survey a title of at most 150 characters.")]
    if audience not in Audience.values:
        errors["audience"] = [_("Choose whom the survey is for.")]
    if closes_on <= today or closes_on > today + timedelta(days=366):
        errors["closes_on"] = [_("The survey closes after today and within a year.")]
    questions = [(t.strip(), k) for t, k in questions if t and t.strip()]
    if not questions:
        errors["questions"] = [_("Write at least one question.")]
    elif len(questions) > QUESTIONS_MAX:
        errors["questions"] = [_("At most %(n)s questions.") % {"n": QUESTIONS_MAX}]
    elif any(len(t) > 300 or k not in QuestionKind.values for t, k in questions):
        errors["questions"] = [_("Each question has at most 300 characters and a kind.")]
    errors.update(personnummer_errors(title=title, introduction=introduction))
    if errors:
        raise InvalidInputError(errors)
    with transaction.atomic():
        survey = Survey.objects.create(
            municipality_id=require_tenant(actor).pk,
            title=title,
            audience=audience,
            closes_on=closes_on,
            introduction=(introduction or "").strip()[:2000],
            created_by=actor.user,
        )
        Question.objects.bulk_create(
            Question(
                municipality_id=require_tenant(actor).pk,
                survey=survey,
                text=text,
                kind=kind,
                position=n,
            )
            for n, (text, kind) in enumerate(questions)
        )
    return survey


def _recipients(survey: Survey, today: date) -> list[str]:
    if survey.audience == Audience.STAFF:
        found = StaffMember.objects.filter(
            Q(employed_until__isnull=True) | Q(employed_until__gte=today), employed_from__lte=today
        ).exclude(email="")
        return sorted({e.lower() for e in found.values_list("email", flat=True)})
    found = Participant.objects.exclude(stage=Step.LEFT).exclude(person__email="")
    return sorted({e.lower() for e in found.values_list("person__email", flat=True)})


@tenant_scoped
def survey_send(*, actor: Actor, survey: Survey, today: date) -> int:
    """One link per person, e-mailed and forgotten: Bryggan keeps only each link's hash,
    never whom it went to, so no answer can be traced back."""
    actor.require(Perm.INSIGHTS_MANAGE)
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if locked.sent_at is not None:
            raise InvalidInputError({"survey": [_("The survey has already been sent.")]})
        if locked.closes_on < today:
            raise InvalidInputError({"survey": [_("The survey has closed.")]})
        recipients = _recipients(locked, today)
        if len(recipients) < 5:
            raise InvalidInputError(
                {
                    "survey": [
                        _("At least five people must be asked, or the answers could be traced.")
                    ]
                }
            )
        messages, links = [], []
        for email in recipients:
            token = secrets.token_urlsafe(24)
            links.append(
                Invitation(
                    municipality_id=locked.municipality_id, survey=locked, token_hash=_hash(token)
                )
            )
            messages.append(
                EmailMessage(
                    subject=_("A short survey: %(title)s") % {"title": locked.title},
                    body=_(
                        "%(intro)s\n\nAnswer here (the link is yours alone and works once; "
                        "your answers cannot be traced to you):\n%(link)s\n\n"
                        "The survey closes on %(day)s."
                    )
                    % {
                        "intro": locked.introduction or locked.title,
                        "link": settings.SITE_URL + reverse("survey_answer", args=[token]),
                        "day": locked.closes_on.isoformat(),
                    },
                    to=[email],
                )
            )
        Invitation.objects.bulk_create(links, batch_size=1000)
        locked.sent_at = timezone.now()
        locked.invited = len(links)
        locked.save(update_fields=["sent_at", "invited"])
    # Sent once the links are stored: a link that reaches someone always works.
    get_connection(fail_silently=True).send_messages(messages)
    return len(links)


class LinkError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def invitation_for(token: str) -> Invitation:
    """The survey link behind a token (no one is signed in: the link is the key), or
    ``LinkError`` saying why it cannot be answered."""
    if not token or len(token) > 100:
        raise LinkError(_("This link is not valid."))
    with scopes_disabled():
        found = Invitation.objects.select_related("survey").filter(token_hash=_hash(token)).first()
    if found is None:
        raise LinkError(_("This link is not valid."))
    if found.used:
        raise LinkError(_("This link has already been used to answer. Thank you!"))
    if found.survey.closes_on < timezone.localdate():
        raise LinkError(_("The survey has closed."))
    return found


def survey_answer(*, token: str, answers: dict[int, str]) -> None:
    """Record one anonymous response: the link is used up in the same transaction, so a
    second answer through it (even at the same moment) is refused."""
    invitation = invitation_for(token)
    with scope(municipality=invitation.municipality_id), transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.used:
            raise LinkError(_("This link has already been used to answer. Thank you!"))
        questions = list(locked.survey.questions.all())
        rows: list[tuple[Question, int | None, str]] = []
        errors: dict[str, list[str]] = {}
        for question in questions:
            value = (answers.get(question.pk) or "").strip()
            if question.kind == QuestionKind.LIKERT:
                if value and value not in {"1", "2", "3", "4", "5"}:
                    errors[f"q{question.pk}"] = [_("Choose a number from 1 to 5.")]
                    continue
                if value:
                    rows.append((question, int(value), ""))
            else:
                if len(value) > 2000:
                    errors[f"q{question.pk}"] = [_("At most 2,000 characters.")]
                    continue
                errors.update(
                    {f"q{question.pk}": m for m in personnummer_errors(text=value).values()}
                )
                if value:
                    rows.append((question, None, value))
        if errors:
            raise InvalidInputError(errors)
        if not rows:
            raise InvalidInputError({"answers": [_("Answer at least one question.")]})
        response = Response.objects.create(
            municipality_id=locked.municipality_id, survey=locked.survey
        )
        Answer.objects.bulk_create(
            Answer(
                municipality_id=locked.municipality_id,
                response=response,
                question=question,
                score=score,
                text=text,
            )
            for question, score, text in rows
        )
        locked.used = True
        locked.save(update_fields=["used"])


# ---------------------------------------------------------------- nightly figures


def refresh_national(*, today: date) -> int:
    """Count each municipality's funnel, retention at 12 months, headcount and leavers per
    year and which programmes it runs, for the national comparison (a nightly task and
    ``manage.py insights_refresh``; unscoped on purpose: counts only, across tenants)."""
    years = list(range(today.year - 9, today.year + 1))
    with scopes_disabled(), transaction.atomic():
        rows: dict[tuple[int, int], dict] = {}
        funnel = (
            _flags(Application.objects.filter(created_at__year__gte=years[0]))
            .annotate(year=ExtractYear("created_at"))
            .values("municipality_id", "year")
            .annotate(**_counts())
        )
        for row in funnel:
            rows[(row["municipality_id"], row["year"])] = {k: row[k] for k in STAGE_KEYS}
        removed = (
            RemovedApplication.objects.filter(applied_month__year__gte=years[0])
            .annotate(year=ExtractYear("applied_month"))
            .values("municipality_id", "year")
            .annotate(n=Count("pk"), interviewed=Count("pk", filter=Q(interviewed=True)))
        )
        for row in removed:
            target = rows.setdefault(
                (row["municipality_id"], row["year"]), dict.fromkeys(STAGE_KEYS, 0)
            )
            target["applications"] += row["n"]
            target["interviewed"] += row["interviewed"]
        year_ago = today - timedelta(days=365)
        hires = (
            StaffMember.objects.filter(
                offer__status=OfferStatus.ACCEPTED,
                employed_from__lte=year_ago,
                employed_from__year__gte=years[0],
            )
            .annotate(year=ExtractYear("employed_from"))
            .values("municipality_id", "year")
            .annotate(
                followed=Count("pk"),
                kept=Count(
                    "pk",
                    filter=Q(employed_until__isnull=True)
                    | Q(employed_until__gte=_plus_year("employed_from")),
                ),
            )
        )
        for row in hires:
            target = rows.setdefault((row["municipality_id"], row["year"]), {})
            target.update(hires_followed=row["followed"], retained_12m=row["kept"])
        aggregates = {}
        for y in years:
            start, end = date(y, 1, 1), date(y, 12, 31)
            aggregates[f"s{y}"] = Count("pk", filter=_employed_on(start))
            aggregates[f"e{y}"] = Count("pk", filter=_employed_on(end))
            aggregates[f"l{y}"] = Count("pk", filter=Q(employed_until__year=y))
        for staff_row in StaffMember.objects.values("municipality_id").annotate(**aggregates):
            for y in years:
                if staff_row[f"s{y}"] or staff_row[f"e{y}"] or staff_row[f"l{y}"]:
                    target = rows.setdefault((staff_row["municipality_id"], y), {})
                    target.update(
                        headcount=(staff_row[f"s{y}"] + staff_row[f"e{y}"]) / 2,
                        leavers=staff_row[f"l{y}"],
                    )
        MunicipalityYear.objects.all().delete()
        MunicipalityYear.objects.bulk_create(
            (
                MunicipalityYear(municipality_id=m, year=y, **values)
                for (m, y), values in rows.items()
            ),
            batch_size=1000,
        )
        _refresh_profiles()
    return len(rows)


def _plus_year(field: str):
    from django.db.models import DateField, ExpressionWrapper, F

    return ExpressionWrapper(F(field) + timedelta(days=365), output_field=DateField())


def _employed_on(day: date) -> Q:
    return Q(employed_from__lte=day) & (Q(employed_until__isnull=True) | Q(employed_until__gte=day))


def _refresh_profiles() -> None:
    kinds = set(Posting.objects.values_list("municipality_id", "kind").distinct())
    placed = set(Placement.objects.values_list("municipality_id", flat=True).distinct())
    titles: dict[int, set[str]] = {}
    for m, title in SpecialistRole.objects.values_list("municipality_id", "title"):
        titles.setdefault(m, set()).add(title.strip())
    introduction = set(IntroductionProgramme.objects.values_list("municipality_id", flat=True))
    MunicipalityProfile.objects.all().delete()
    MunicipalityProfile.objects.bulk_create(
        MunicipalityProfile(
            municipality_id=m,
            aspirant=(m, PostingKind.ASPIRANT) in kinds,
            trainee=m in placed
            or (m, PostingKind.PRACTICUM) in kinds
            or (m, PostingKind.STUDENT_EMPLOYEE) in kinds,
            specialists=m in titles,
            broad_introduction=m in introduction,
            titles=sorted(titles.get(m, ())),
        )
        for m in Municipality.objects.values_list("pk", flat=True)
    )


def forget_unconfirmed_imports(*, older_than) -> int:
    """Imports nobody confirmed (their rows are staff register data), and the rows kept of
    confirmed ones, go after a day (unscoped on purpose: the nightly job, every tenant)."""
    with scopes_disabled():
        stale = PendingImport.objects.filter(created_at__lt=older_than)
        return stale.delete()[0]
