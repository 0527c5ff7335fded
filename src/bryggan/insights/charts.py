"""The charts, drawn by the app itself with matplotlib (no CDN, no script in the browser):
PNG images the pages show beside their tables and the council's PDF embeds. Colours from
the Okabe–Ito palette (told apart with colour-blindness, and in grey print)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date

from bryggan.insights import stats

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
STYLES = ("-", "--", "-.", ":")


def _figure(width: float = 7.0, height: float = 3.4):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    # Fixed margins: the automatic layout engines cost more than the drawing itself.
    figure.subplots_adjust(left=0.2, right=0.97, top=0.95, bottom=0.2)
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    return figure, axes


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(
        buffer, format="png", metadata={"Software": None}, pil_kwargs={"compress_level": 1}
    )
    return buffer.getvalue()


def funnel(stages: Sequence[tuple[str, int]]) -> bytes:
    figure, axes = _figure()
    figure.subplots_adjust(left=0.3)  # room for the stages' names
    labels = [label for label, _n in stages][::-1]
    values = [n for _label, n in stages][::-1]
    bars = axes.barh(labels, values, color=PALETTE[0])
    axes.bar_label(bars, padding=3)
    axes.grid(axis="y", visible=False)
    axes.grid(axis="x", color="#dddddd", linewidth=0.6)
    axes.set_xlabel("")
    return _png(figure)


def survival(curves: Sequence[tuple[str, stats.Survival | None]], months_label: str) -> bytes:
    figure, axes = _figure()
    for n, (label, curve) in enumerate(c for c in curves if c[1] is not None):
        assert curve is not None
        colour = PALETTE[n % len(PALETTE)]
        axes.step(
            curve.months,
            curve.estimate,
            where="post",
            color=colour,
            linestyle=STYLES[n % len(STYLES)],
            label=f"{label} (n={curve.people})",
        )
        axes.fill_between(
            curve.months, curve.lower, curve.upper, step="post", color=colour, alpha=0.15
        )
    axes.set_ylim(0, 1.02)
    axes.set_xlim(left=0)
    axes.yaxis.set_major_formatter(_percent())
    axes.set_xlabel(months_label)
    axes.legend(frameon=False, fontsize=8, loc="lower left")
    return _png(figure)


def lines(
    series: Mapping[str, Sequence[tuple[object, float]]], y_label: str, percent: bool
) -> bytes:
    figure, axes = _figure()
    for n, (label, points) in enumerate(series.items()):
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        axes.plot(
            xs,
            ys,
            color=PALETTE[n % len(PALETTE)],
            linestyle=STYLES[n % len(STYLES)],
            marker="o",
            markersize=3,
            label=label,
        )
    if percent:
        axes.yaxis.set_major_formatter(_percent())
    axes.set_ylim(bottom=0)
    axes.set_ylabel(y_label)
    if len(series) > 1:
        axes.legend(frameon=False, fontsize=8)
    if any(isinstance(x, date) for points in series.values() for x, _y in points):
        figure.autofmt_xdate()
    return _png(figure)


def bars(labels: Sequence[str], values: Sequence[float | None], y_label: str) -> bytes:
    figure, axes = _figure()
    figure.subplots_adjust(bottom=0.45)  # room for the units' names
    shown = [
        (label, value) for label, value in zip(labels, values, strict=True) if value is not None
    ]
    if shown:
        names, numbers = zip(*shown, strict=True)
        axes.bar(range(len(names)), numbers, color=PALETTE[2])
        axes.set_xticks(range(len(names)), names, rotation=45, ha="right", fontsize=7)
    axes.set_ylabel(y_label)
    return _png(figure)


def distribution(points: Sequence[tuple[int, float]], need: int, need_label: str) -> bytes:
    figure, axes = _figure()
    if points:
        xs, ys = zip(*points, strict=True)
        axes.bar(xs, ys, color=PALETTE[0], width=0.9)
    axes.axvline(need - 0.5, color=PALETTE[1], linestyle="--", label=need_label)
    axes.yaxis.set_major_formatter(_percent())
    axes.legend(frameon=False, fontsize=8)
    return _png(figure)


def _percent():
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1.0, decimals=0)
