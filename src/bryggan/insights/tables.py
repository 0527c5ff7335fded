"""A table of figures: what a page shows, what its chart draws beside it, what its CSV,
XLSX and the programme council's PDF hold. One shape for all four, so a figure on screen is
the figure in the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

Value = str | int | float | None


@dataclass(frozen=True)
class Table:
    key: str  # the name in export URLs
    title: str | Promise
    header: tuple[str | Promise, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    # A short note under the table (what a figure means, why some are hidden).
    note: str | Promise = ""

    def text_rows(self) -> list[list[str]]:
        """The rows as shown: shares as percentages, hidden figures as a dash."""
        return [[shown(value) for value in row] for row in self.rows]


class Share(float):
    """A share (0–1) shown as a percentage; still a number in exports."""


def shown(value: Value) -> str:
    if value is None:
        return "–"
    if isinstance(value, Share):
        return f"{value * 100:.0f} %".replace(".", ",")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def share(numerator: float | None, denominator: float | None) -> Share | None:
    if numerator is None or not denominator:
        return None
    return Share(numerator / denominator)
