"""Pages of the insights: the funnel, retention, workforce health, supervisor load, the
forecast, evaluation surveys, HR imports, each table as CSV and XLSX, the charts as images,
the programme council's PDF report, the national comparison and the anonymous answering
page of a survey."""

from __future__ import annotations

import base64
from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bryggan.core import exports
from bryggan.core.decorators import actor_required
from bryggan.core.errors import InvalidInputError
from bryggan.core.http import ActorRequest
from bryggan.core.ids import id_or_404
from bryggan.core.permissions import Actor, Perm
from bryggan.insights import charts, figures, report, selectors, services, stats
from bryggan.insights.forms import ImportForm, NeedForm, ProbabilityForm, SurveyForm
from bryggan.insights.imports import COLUMNS
from bryggan.insights.models import ImportKind, QuestionKind
from bryggan.insights.tables import Share, Table, shown

PNG = "image/png"


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2100 else default


def _period(request: HttpRequest) -> selectors.Period:
    if request.GET.get("round"):
        return selectors.Period(round_id=id_or_404(request.GET["round"]))
    if request.GET.get("year"):
        return selectors.Period(year=_year(request, timezone.localdate().year))
    return selectors.Period()


def _query(request: HttpRequest) -> str:
    return request.GET.urlencode()


def _percent(share: float | None) -> str | None:
    return None if share is None else shown(Share(share))


def inline(png: bytes) -> str:
    """A chart as a data: address, drawn with the page: one request, and it prints."""
    return "data:image/png;base64," + base64.b64encode(png).decode()


# ---------------------------------------------------------------- the pages


@require_GET
@actor_required
def funnel(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    found = selectors.funnel_for(actor=actor, period=_period(request))
    years, rounds = selectors.periods_for(actor=actor)
    return render(
        request,
        "insights/funnel.html",
        {
            "funnel": found,
            "chart": inline(charts.funnel(found.stages)),
            "tables": found.tables,
            "years": years,
            "rounds": rounds,
            "chosen_year": found.period.year,
            "chosen_round": found.period.round_id,
            "query": _query(request),
            "page": "funnel",
        },
    )


@require_GET
@actor_required
def retention(request: ActorRequest) -> HttpResponse:
    found = selectors.retention_for(actor=request.actor, today=timezone.localdate())
    return render(
        request,
        "insights/retention.html",
        {
            "tables": [found.table],
            "chart": inline(charts.survival(found.groups, _("Months since hire"))),
            "median": _percent(selectors.national_medians()["retained_12m"]),
            "query": "",
            "page": "retention",
        },
    )


@require_GET
@actor_required
def workforce(request: ActorRequest) -> HttpResponse:
    year = _year(request, timezone.localdate().year)
    tables = selectors.workforce_for(actor=request.actor, year=year)
    return render(
        request,
        "insights/workforce.html",
        {
            "tables": tables,
            "turnover_chart": inline(figures.turnover_chart(tables[0])),
            "median": _percent(selectors.national_medians()["turnover"]),
            "sick_chart": inline(
                figures.sick_leave_chart(
                    selectors.sick_leave_months(actor=request.actor, year=year)
                )
            ),
            "year": year,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 10, -1)),
            "query": _query(request),
            "page": "workforce",
        },
    )


@require_GET
@actor_required
def load(request: ActorRequest) -> HttpResponse:
    tables = selectors.supervisor_load_for(actor=request.actor)
    return render(
        request,
        "insights/load.html",
        {
            "tables": tables,
            "chart": inline(figures.load_chart(tables[1])),
            "query": "",
            "page": "load",
        },
    )


@require_http_methods(["GET", "POST"])
@actor_required
def forecast(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.INSIGHTS_VIEW)
    today = timezone.localdate()
    year = _year(request, today.year + 1)
    departments = selectors.departments_for(actor=actor)
    form = None
    if actor.has(Perm.INSIGHTS_MANAGE):
        form = NeedForm(
            request.POST or None,
            departments=_department_choices(actor),
            initial={"year": year},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.need_set(actor=actor, today=today, **form.cleaned_data)
            except InvalidInputError as error:
                error.add_to(form)
            else:
                messages.success(request, _("The hiring need is saved."))
                return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    elif request.method == "POST":
        actor.require(Perm.INSIGHTS_MANAGE)
    choice = ProbabilityForm(request.GET or None)
    probability = choice.cleaned_data["probability"] if choice.is_valid() else 80
    planned = figures.forecasts(actor, year, probability, today)
    # One department's distribution at a time (the first unless another is chosen).
    shown = figures.chosen(planned, request.GET.get("department"))
    return render(
        request,
        "insights/forecast.html",
        {
            "form": form,
            "choice": choice,
            "year": year,
            "years": list(range(today.year, today.year + 6)),
            "probability": probability,
            "planned": planned,
            "shown": shown,
            "chart": inline(figures.forecast_chart(shown)) if shown else None,
            "departments": departments,
            "tables": [figures.forecast_table(planned, probability)],
            "query": _query(request),
            "page": "forecast",
        },
        status=400 if form is not None and form.errors else 200,
    )


def _department_choices(actor: Actor):
    from bryggan.organisation.models import Department

    ids = [d.pk for d in selectors.departments_for(actor=actor)]
    return Department.unscoped.filter(pk__in=ids).order_by("name")


# ---------------------------------------------------------------- imports


@require_http_methods(["GET", "POST"])
@actor_required
def import_upload(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.INSIGHTS_MANAGE)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = services.import_preview(
                actor=actor,
                kind=form.cleaned_data["kind"],
                file_name=upload.name,
                data=upload.read(imports_limit() + 1),
                today=timezone.localdate(),
            )
        except InvalidInputError as error:
            return render(
                request,
                "insights/import.html",
                {"form": form, "row_errors": error.errors, "columns": COLUMNS, "page": "import"},
                status=400,
            )
        return redirect("insights:import_preview", pk=pending.pk)
    return render(
        request,
        "insights/import.html",
        {"form": form, "columns": COLUMNS, "page": "import"},
        status=400 if form.errors else 200,
    )


def imports_limit() -> int:
    from bryggan.insights.imports import MAX_BYTES

    return MAX_BYTES


@require_http_methods(["GET", "POST"])
@actor_required
def import_preview(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    pending = selectors.pending_import_by_id(actor=actor, pk=pk)
    if request.method == "POST":
        try:
            outcome = services.import_commit(
                actor=actor, pending=pending, today=timezone.localdate()
            )
        except InvalidInputError as error:
            error.flash(request)
            return redirect("insights:import")
        messages.success(
            request,
            _("Imported: %(created)s new and %(updated)s updated rows.")
            % {"created": outcome.created, "updated": outcome.updated},
        )
        return redirect("insights:import")
    columns = COLUMNS[pending.kind]
    units = selectors.unit_names(actor=actor)
    return render(
        request,
        "insights/import_preview.html",
        {
            "pending": pending,
            "columns": columns,
            "rows": [
                [units.get(row[c]) if c == "unit" else row.get(c) for c in columns]
                for row in pending.rows[:100]
            ],
            "page": "import",
        },
    )


@require_GET
@actor_required
def import_template(request: ActorRequest, kind: str, fmt: str) -> HttpResponseBase:
    request.actor.require(Perm.INSIGHTS_MANAGE)
    if kind not in ImportKind.values:
        raise Http404
    header = list(COLUMNS[kind])
    filename = f"bryggan-{kind}-mall.{fmt}"
    if fmt == "csv":
        return exports.csv_response(filename=filename, header=header, rows=[])
    return exports.xlsx_response(filename=filename, sheet=kind, header=header, rows=[])


# ---------------------------------------------------------------- surveys


@require_http_methods(["GET", "POST"])
@actor_required
def surveys(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.INSIGHTS_MANAGE)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(
                actor=actor,
                title=data["title"],
                audience=data["audience"],
                closes_on=data["closes_on"],
                introduction=data["introduction"],
                questions=form.questions(),
                today=timezone.localdate(),
            )
        except InvalidInputError as error:
            error.add_to(form)
        else:
            messages.success(request, _("The survey is saved. Send it when it is ready."))
            return redirect("insights:survey", pk=survey.pk)
    return render(
        request,
        "insights/surveys.html",
        {"form": form, "surveys": selectors.surveys_for(actor=actor), "page": "surveys"},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@actor_required
def survey(request: ActorRequest, pk: int) -> HttpResponse:
    actor = request.actor
    found = selectors.survey_by_id(actor=actor, pk=pk)
    if request.method == "POST":
        try:
            sent = services.survey_send(actor=actor, survey=found, today=timezone.localdate())
        except InvalidInputError as error:
            error.flash(request)
        else:
            messages.success(request, _("Sent to %(n)s people.") % {"n": sent})
        return redirect("insights:survey", pk=found.pk)
    try:
        results = selectors.survey_results(actor=actor, survey=found)
    except selectors.TooFewAnswersError:
        results = None
    return render(
        request,
        "insights/survey.html",
        {"survey": found, "results": results, "small": stats.SMALL, "page": "surveys"},
    )


@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The anonymous answering page: the link is the key, nobody signs in."""
    try:
        invitation = services.invitation_for(token)
    except services.LinkError as error:
        return render(
            request, "insights/answer_closed.html", {"message": error.message}, status=404
        )
    questions = selectors.questions_of(invitation)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        answers = {q.pk: request.POST.get(f"q{q.pk}", "") for q in questions}
        try:
            services.survey_answer(token=token, answers=answers)
        except services.LinkError as error:
            return render(
                request, "insights/answer_closed.html", {"message": error.message}, status=409
            )
        except InvalidInputError as error:
            errors = error.errors
        else:
            return render(request, "insights/answer_done.html", {"survey": invitation.survey})
    return render(
        request,
        "insights/answer.html",
        {
            "survey": invitation.survey,
            "questions": questions,
            "errors": errors,
            "posted": request.POST,
            "scale": range(1, 6),
            "likert": QuestionKind.LIKERT,
        },
        status=400 if errors else 200,
    )


# ---------------------------------------------------------------- national


@require_GET
@actor_required
def national(request: ActorRequest) -> HttpResponse:
    year = _year(request, 0) or None
    found = selectors.national_for(actor=request.actor, year=year)
    return render(
        request,
        "insights/national.html",
        {
            "national": found,
            "tables": [figures.national_table(found)],
            "query": _query(request),
            "page": "national",
            "small": stats.SMALL,
        },
    )


# ---------------------------------------------------------------- exports, charts, report


def _tables_of(request: ActorRequest, page: str) -> list[Table]:
    actor = request.actor
    today = timezone.localdate()
    builders: dict[str, Callable[[], list[Table]]] = {
        "funnel": lambda: selectors.funnel_for(actor=actor, period=_period(request)).tables,
        "retention": lambda: [selectors.retention_for(actor=actor, today=today).table],
        "workforce": lambda: selectors.workforce_for(actor=actor, year=_year(request, today.year)),
        "load": lambda: selectors.supervisor_load_for(actor=actor),
        "forecast": lambda: [
            figures.forecast_table(
                figures.forecasts(
                    actor, _year(request, today.year + 1), _probability(request), today
                ),
                _probability(request),
            )
        ],
        "national": lambda: [
            figures.national_table(
                selectors.national_for(actor=actor, year=_year(request, 0) or None)
            )
        ],
    }
    if page not in builders:
        raise Http404
    return builders[page]()


def _probability(request: HttpRequest) -> int:
    choice = ProbabilityForm(request.GET or None)
    return choice.cleaned_data["probability"] if choice.is_valid() else 80


@require_GET
@actor_required
def export(request: ActorRequest, page: str, table: str, fmt: str) -> HttpResponseBase:
    found = next((t for t in _tables_of(request, page) if t.key == table), None)
    if found is None:
        raise Http404
    filename = f"bryggan-{page}-{table}.{fmt}"
    header = [str(h) for h in found.header]
    rows = [
        [None if v is None else (float(v) if isinstance(v, float) else v) for v in row]
        for row in found.rows
    ]
    if fmt == "csv":
        return exports.csv_response(filename=filename, header=header, rows=rows)
    return exports.xlsx_response(filename=filename, sheet=page[:30], header=header, rows=rows)


@require_GET
@actor_required
def chart(request: ActorRequest, name: str) -> HttpResponse:
    actor = request.actor
    today = timezone.localdate()
    if name == "funnel":
        image = charts.funnel(selectors.funnel_for(actor=actor, period=_period(request)).stages)
    elif name == "retention":
        curves = selectors.retention_for(actor=actor, today=today).groups
        image = charts.survival(curves, _("Months since hire"))
    elif name == "turnover":
        year = _year(request, today.year)
        image = figures.turnover_chart(selectors.workforce_for(actor=actor, year=year)[0])
    elif name == "sick-leave":
        year = _year(request, today.year)
        image = figures.sick_leave_chart(selectors.sick_leave_months(actor=actor, year=year))
    elif name == "load":
        image = figures.load_chart(selectors.supervisor_load_for(actor=actor)[1])
    elif name == "forecast":
        year = _year(request, today.year + 1)
        planned = figures.forecasts(actor, year, _probability(request), today)
        shown = figures.chosen(planned, request.GET.get("department"))
        if shown is None:
            raise Http404
        image = figures.forecast_chart(shown)
    else:
        raise Http404
    response = HttpResponse(image, content_type=PNG)
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
@actor_required
def council_report(request: ActorRequest) -> HttpResponse:
    actor = request.actor
    actor.require(Perm.INSIGHTS_VIEW)
    today = timezone.localdate()
    year = _year(request, today.year)
    pdf = report.council(actor=actor, year=year, today=today)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bryggan-rapport-{year}.pdf"'
    return response
