"""The programme council's report: the year's funnel, retention, workforce health, survey
results and forecast in one PDF, each table as on the pages with its chart above it."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from bryggan.core.pdf import Document
from bryggan.core.permissions import Actor
from bryggan.insights import charts, figures, selectors
from bryggan.insights.tables import Table


def _put(document: Document, table: Table) -> None:
    document.heading(table.title, size=12)
    if table.rows:
        document.table([str(h) for h in table.header], table.text_rows())
    else:
        document.paragraph(_("No figures yet."))
    if table.note:
        document.paragraph(table.note, size=8)


def council(*, actor: Actor, year: int, today: date) -> bytes:
    municipality = actor.municipality
    document = Document(_("Bryggan: report to the programme council %(year)s") % {"year": year})
    document.heading(_("Bryggan: report to the programme council %(year)s") % {"year": year})
    document.facts([(_("Municipality"), municipality), (_("Made"), today.isoformat())])

    funnel = selectors.funnel_for(actor=actor, period=selectors.Period(year=year))
    document.pdf.ln(3)
    document.heading(_("Recruitment %(year)s: from application to hire") % {"year": year}, 14)
    document.image(charts.funnel(funnel.stages), width=150)
    for table in funnel.tables:
        _put(document, table)

    document.page_break()
    retention = selectors.retention_for(actor=actor, today=today)
    document.heading(_("Staying on"), 14)
    document.image(charts.survival(retention.groups, _("Months since hire")), width=150)
    _put(document, retention.table)

    document.page_break()
    workforce = selectors.workforce_for(actor=actor, year=year)
    document.heading(_("Workforce health"), 14)
    document.image(figures.turnover_chart(workforce[0]), 150)
    for table in workforce:
        _put(document, table)
    for table in selectors.supervisor_load_for(actor=actor):
        _put(document, table)

    document.page_break()
    document.heading(_("Evaluation surveys"), 14)
    shown = False
    for survey in selectors.surveys_for(actor=actor):
        if survey.sent_at is None or survey.sent_at.year != year:
            continue
        shown = True
        try:
            results = selectors.survey_results(actor=actor, survey=survey)
        except selectors.TooFewAnswersError:
            document.paragraph(
                _("%(title)s: fewer than five answers, so no results are shown.")
                % {"title": survey.title}
            )
            continue
        document.heading(survey.title, 12)
        document.table(
            [_("Question"), _("Answers"), _("Mean (1–5)")],
            [
                [r.text, str(r.answered), f"{r.mean:.1f}".replace(".", ",") if r.mean else "–"]
                for r in results
            ],
        )
    if not shown:
        document.paragraph(_("No survey was sent this year."))

    document.heading(_("Forecast for %(year)s") % {"year": year + 1}, 14)
    _put(document, figures.forecast_table(figures.forecasts(actor, year + 1, 80, today), 80))
    return document.output()
