"""The insights through the API: the same tables as the pages (funnel, retention,
workforce health, supervisor load, forecast, the national comparison), hiring needs, HR
imports (all or nothing, with a dry run) and survey results (only from five answers)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from bryggan.core.api_schema import Id, Input
from bryggan.core.errors import InvalidInputError
from bryggan.core.http import ActorRequest
from bryggan.core.permissions import Perm
from bryggan.insights import selectors, services
from bryggan.insights.figures import forecast_table, forecasts, national_table
from bryggan.insights.imports import MAX_BYTES
from bryggan.insights.models import ImportKind
from bryggan.insights.tables import Table

router = Router(tags=["insights"])

Cell = str | int | float | None


class InsightsTableOut(Schema):
    key: str
    title: str
    header: list[str]
    rows: list[list[Cell]]


class InsightsStageOut(Schema):
    label: str
    people: int


class InsightsFunnelOut(Schema):
    stages: list[InsightsStageOut]
    days_to_hire: float | None
    tables: list[InsightsTableOut]


class InsightsTablesOut(Schema):
    tables: list[InsightsTableOut]


class InsightsNeedIn(Input):
    department_id: Id
    year: int
    need: int


class InsightsNeedOut(Schema):
    department_id: int
    year: int
    need: int


class InsightsImportOut(Schema):
    rows: int
    created: int
    updated: int
    written: bool


class InsightsSurveyOut(Schema):
    id: int
    title: str
    audience: str
    sent: bool
    invited: int
    answered: int
    closes_on: str


class InsightsQuestionOut(Schema):
    question: str
    kind: str
    answered: int
    mean: float | None
    spread: list[int]
    texts: list[str]


class InsightsErrorOut(Schema):
    detail: str


def _table(table: Table) -> dict:
    return {
        "key": table.key,
        "title": str(table.title),
        "header": [str(h) for h in table.header],
        "rows": [
            [v if v is None or isinstance(v, int | float) else str(v) for v in row]
            for row in table.rows
        ],
    }


@router.get(
    "/funnel",
    response=InsightsFunnelOut,
    operation_id="insights_funnel",
    summary="From application to hire: people at each stage, conversions, breakdowns by "
    "university, department and source, drop-out reasons (one round, one year or all)",
)
def funnel(request: ActorRequest, year: int | None = None, round_id: int | None = None):
    if year is not None and not 2000 <= year <= 2100:
        raise InvalidInputError({"year": [_("Give a year from 2000 to 2100.")]})
    period = selectors.Period(round_id=round_id, year=year)
    found = selectors.funnel_for(actor=request.actor, period=period)
    return {
        "stages": [{"label": label, "people": n} for label, n in found.stages],
        "days_to_hire": found.days_to_hire,
        "tables": [_table(t) for t in found.tables],
    }


@router.get(
    "/retention",
    response=InsightsTablesOut,
    operation_id="insights_retention",
    summary="Share still employed 6, 12 and 24 months after the hire (Kaplan–Meier with 95 % "
    "intervals): programme hires, other hires, with and without the broad introduction",
)
def retention(request: ActorRequest):
    found = selectors.retention_for(actor=request.actor, today=timezone.localdate())
    return {"tables": [_table(found.table)]}


@router.get(
    "/workforce",
    response=InsightsTablesOut,
    operation_id="insights_workforce",
    summary="Turnover, sick leave and caseload per department and year and per unit",
)
def workforce(request: ActorRequest, year: int | None = None):
    year = year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise InvalidInputError({"year": [_("Give a year from 2000 to 2100.")]})
    return {"tables": [_table(t) for t in selectors.workforce_for(actor=request.actor, year=year)]}


@router.get(
    "/supervisor-load",
    response=InsightsTablesOut,
    operation_id="insights_supervisor_load",
    summary="Students per supervisor per term and unit, and the share of trained "
    "supervisors in use",
)
def supervisor_load(request: ActorRequest):
    return {"tables": [_table(t) for t in selectors.supervisor_load_for(actor=request.actor)]}


@router.get(
    "/forecast",
    response=InsightsTablesOut,
    operation_id="insights_forecast",
    summary="Step-1 places, step-2 posts and supervisors that reach each department's hiring "
    "need with the chosen probability (percent, 50–95)",
)
def forecast(request: ActorRequest, year: int | None = None, probability: int = 80):
    today = timezone.localdate()
    year = year or today.year + 1
    errors = {}
    if not 2000 <= year <= 2100:
        errors["year"] = [_("Give a year from 2000 to 2100.")]
    if not 50 <= probability <= 99:
        errors["probability"] = [_("Choose a probability from 50 to 99 percent.")]
    if errors:
        raise InvalidInputError(errors)
    request.actor.require(Perm.INSIGHTS_VIEW)
    planned = forecasts(request.actor, year, probability, today)
    return {"tables": [_table(forecast_table(planned, probability))]}


@router.put(
    "/needs",
    response=InsightsNeedOut,
    operation_id="insights_need_set",
    summary="Set one department's hiring need for a year (0 to 500)",
)
def need_set(request: ActorRequest, payload: InsightsNeedIn):
    department = selectors.department_by_id(actor=request.actor, pk=payload.department_id)
    found = services.need_set(
        actor=request.actor,
        department=department,
        year=payload.year,
        need=payload.need,
        today=timezone.localdate(),
    )
    return {"department_id": found.department_id, "year": found.year, "need": found.need}


@router.post(
    "/imports/{kind}",
    response={200: InsightsImportOut, 201: InsightsImportOut},
    operation_id="insights_import",
    summary="Import from the HR system (kind staff or unit_months; CSV or XLSX as in the "
    "templates): one bad row rejects the file with errors per row; dry_run only checks",
)
def import_file(
    request: ActorRequest,
    kind: str,
    dry_run: bool = False,
    file: UploadedFile = File(...),  # noqa: B008
):
    if kind not in ImportKind.values:
        raise InvalidInputError({"kind": [_("The kind is staff or unit_months.")]})
    if file.size and file.size > MAX_BYTES:
        raise InvalidInputError({"file": [_("The file is larger than 5 MB.")]})
    rows, outcome = services.import_now(
        actor=request.actor,
        kind=kind,
        file_name=file.name or "file",
        data=file.read(MAX_BYTES + 1),
        today=timezone.localdate(),
        dry_run=dry_run,
    )
    body = {
        "rows": rows,
        "created": outcome.created if outcome else 0,
        "updated": outcome.updated if outcome else 0,
        "written": outcome is not None,
    }
    return Status(200 if outcome is None else 201, body)


@router.get(
    "/surveys",
    response=list[InsightsSurveyOut],
    operation_id="insights_surveys",
    summary="The evaluation surveys with how many were asked and have answered",
)
def surveys(request: ActorRequest):
    return [
        {
            "id": s.pk,
            "title": s.title,
            "audience": s.audience,
            "sent": s.sent_at is not None,
            "invited": s.invited,
            "answered": s.answered,  # type: ignore[attr-defined]
            "closes_on": s.closes_on.isoformat(),
        }
        for s in selectors.surveys_for(actor=request.actor)
    ]


@router.get(
    "/surveys/{survey_id}/results",
    response={200: list[InsightsQuestionOut], 409: InsightsErrorOut},
    operation_id="insights_survey_results",
    summary="A survey's results per question; 409 while fewer than five have answered",
)
def survey_results(request: ActorRequest, survey_id: int):
    survey = selectors.survey_by_id(actor=request.actor, pk=survey_id)
    try:
        results = selectors.survey_results(actor=request.actor, survey=survey)
    except selectors.TooFewAnswersError:
        return Status(
            409,
            {"detail": _("Fewer than five have answered: the results would point at someone.")},
        )
    return [
        {
            "question": r.text,
            "kind": r.kind,
            "answered": r.answered,
            "mean": r.mean,
            "spread": r.spread,
            "texts": r.texts,
        }
        for r in results
    ]


@router.get(
    "/national",
    response=InsightsTablesOut,
    operation_id="insights_national",
    summary="For the national analyst: anonymised figures per municipality (funnel, "
    "retention at 12 months, turnover, programmes and titles), groups under five hidden",
)
def national(request: ActorRequest, year: int | None = None):
    if year is not None and not 2000 <= year <= 2100:
        raise InvalidInputError({"year": [_("Give a year from 2000 to 2100.")]})
    found = selectors.national_for(actor=request.actor, year=year)
    return {"tables": [_table(national_table(found))]}
