"""The tables the forecast and the national comparison show, shared by the pages, the API,
the exports and the PDF report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from bryggan.core.permissions import Actor
from bryggan.insights import charts, selectors, stats
from bryggan.insights.tables import Share, Table


@dataclass(frozen=True)
class Planned:
    department: object
    need: int
    history: selectors.History
    forecast: stats.Forecast


def forecasts(actor: Actor, year: int, probability: int, today: date) -> list[Planned]:
    planned = []
    for need in selectors.needs_for(actor=actor, year=year):
        if need.need == 0:
            continue
        history = selectors.history_for(actor=actor, department=need.department, today=today)
        planned.append(
            Planned(
                department=need.department,
                need=need.need,
                history=history,
                forecast=stats.forecast(
                    need=need.need,
                    probability=probability / 100,
                    step1_to_step2=history.step1_to_step2,
                    step2_to_hire=history.step2_to_hire,
                    places_per_supervisor=history.places_per_supervisor,
                ),
            )
        )
    return planned


def forecast_table(planned: list[Planned], probability: int) -> Table:
    return Table(
        key="forecast",
        title=_("Places needed to reach the hiring need with %(p)s %% probability")
        % {"p": probability},
        header=(
            _("Department"),
            _("Hires needed"),
            _("Step 1 → step 2 so far"),
            _("Step 2 → hired so far"),
            _("Step-1 places"),
            _("Step-2 posts"),
            _("Supervisors for step 1"),
            _("Supervisors for step 2"),
            _("Expected hires"),
        ),
        rows=[
            (
                str(p.department),
                p.need,
                f"{p.history.step1_to_step2.went_on}/{p.history.step1_to_step2.tried}",
                f"{p.history.step2_to_hire.went_on}/{p.history.step2_to_hire.tried}",
                p.forecast.step1_places if p.forecast.reachable else None,
                p.forecast.step2_posts if p.forecast.reachable else None,
                p.forecast.supervisors_step1 if p.forecast.reachable else None,
                p.forecast.supervisors_step2 if p.forecast.reachable else None,
                round(p.forecast.expected_hires, 1),
            )
            for p in planned
        ],
        note=_(
            "Each conversion rate is a Beta posterior of the municipality's own history "
            "(went on / had the chance); hires are drawn from it 4,000 times. A dash: the "
            "need cannot be reached with that probability within 5,000 places."
        ),
    )


def national_table(found: selectors.National) -> Table:
    def pct(value):
        return None if value is None else Share(value)

    def programmes(profile) -> str:
        if profile is None:
            return "–"
        names = [
            name
            for on, name in (
                (profile.aspirant, _("aspirant")),
                (profile.trainee, _("trainee")),
                (profile.specialists, _("specialists")),
                (profile.broad_introduction, _("broad introduction")),
            )
            if on
        ]
        return ", ".join(names) or "–"

    rows = [
        (
            row.name,
            *row.counts,
            pct(row.rates[-1]),
            pct(row.retained_12m),
            pct(row.turnover),
            programmes(row.profile),
            ", ".join(row.profile.titles) if row.profile else "",
        )
        for row in found.rows
    ]
    rows.append(
        (
            _("National median"),
            None,
            None,
            None,
            None,
            None,
            None,
            pct(found.medians[4]),
            pct(found.medians[5]),
            pct(found.medians[6]),
            "",
            "",
        )
    )
    return Table(
        key="national",
        title=_("Municipalities compared"),
        header=(
            _("Municipality"),
            _("Applied"),
            _("Interviewed"),
            _("Step 1"),
            _("Step 2 / aspirant"),
            _("Offered"),
            _("Hired"),
            _("Hired of applied"),
            _("Still employed after 12 months"),
            _("Turnover"),
            _("Programmes"),
            _("Specialist titles"),
        ),
        rows=rows,
        note=_(
            "People, never a person: any group of fewer than %(n)s is hidden (–), and so is "
            "any figure from which a hidden one could be worked out by subtraction."
        )
        % {"n": stats.SMALL},
    )


# ---------------------------------------------------------------- the charts of the pages


def turnover_series(table: Table) -> dict[str, list[tuple[object, float]]]:
    """The turnover table (department, year, headcount, leavers, turnover) as one line per
    department."""
    series: dict[str, list[tuple[object, float]]] = {}
    for department, year, _average, _leavers, turnover in table.rows:
        if turnover is not None:
            series.setdefault(str(department), []).append((year, float(turnover)))
    return series


def turnover_chart(table: Table) -> bytes:
    return charts.lines(turnover_series(table), _("Turnover"), percent=True)


def sick_leave_chart(points) -> bytes:
    return charts.lines({_("Sick leave (%)"): points}, _("Sick leave (%)"), percent=False)


def load_chart(units: Table) -> bytes:
    """Students per supervisor in each unit (the per-unit load table)."""
    return charts.bars(
        [str(r[1]) for r in units.rows], [r[5] for r in units.rows], _("Students per supervisor")
    )


def chosen(planned: list[Planned], department: str | None) -> Planned | None:
    """The department whose distribution is drawn: the one asked for, else the first."""
    return next(
        (p for p in planned if str(p.department.pk) == department),  # type: ignore[attr-defined]
        planned[0] if planned else None,
    )


def forecast_chart(shown: Planned) -> bytes:
    return charts.distribution(shown.forecast.distribution, shown.need, _("Hires needed"))
