"""The statistics behind the insights, apart from Django: survival curves (Kaplan–Meier,
lifelines), the forecast of places from Beta posteriors of the municipality's own
conversions (NumPy, SciPy), and the suppression of small groups in what the national
analyst sees. Pure functions of plain numbers: tested alone."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

SMALL = 5  # a group of fewer people than this is never shown outside the municipality
MONTH_DAYS = 365.25 / 12
DRAWS = 4000  # posterior draws of each conversion rate
PLACES_MAX = 5000  # the forecast never proposes more places than this


@dataclass(frozen=True)
class Survival:
    """A Kaplan–Meier curve in months with its 95 % band, and the share still employed at
    the months that matter, with the band there."""

    people: int
    leavers: int
    months: list[float]
    estimate: list[float]
    lower: list[float]
    upper: list[float]
    at: dict[int, tuple[float, float, float] | None]  # month → (share, lower, upper)


def survival(durations_days: Sequence[float], left: Sequence[bool]) -> Survival | None:
    """The curve of staying employed, from each hire's days employed so far (``left`` False:
    still employed, censored). None without anyone to follow."""
    if not durations_days:
        return None
    from lifelines import KaplanMeierFitter  # a heavy import: only when a curve is drawn

    months = [max(d, 0) / MONTH_DAYS for d in durations_days]
    fitter = KaplanMeierFitter().fit(months, event_observed=list(left))
    curve = fitter.survival_function_.iloc[:, 0]
    band = fitter.confidence_interval_survival_function_
    lower, upper = band.iloc[:, 0], band.iloc[:, 1]
    followed = max(months)
    at: dict[int, tuple[float, float, float] | None] = {}
    for month in (6, 12, 24):
        if month > followed:
            at[month] = None  # nobody followed that long: no estimate, not a guess
            continue
        row = curve.index.searchsorted(month, side="right") - 1
        at[month] = (float(curve.iloc[row]), float(lower.iloc[row]), float(upper.iloc[row]))
    return Survival(
        people=len(months),
        leavers=sum(bool(x) for x in left),
        months=[float(x) for x in curve.index],
        estimate=[float(x) for x in curve],
        lower=[float(x) for x in lower],
        upper=[float(x) for x in upper],
        at=at,
    )


@dataclass(frozen=True)
class Conversion:
    """Those who had the chance (``tried``) and those who went on (``went_on``)."""

    tried: int
    went_on: int

    @property
    def rate(self) -> float | None:
        return self.went_on / self.tried if self.tried else None


@dataclass(frozen=True)
class Forecast:
    need: int
    probability: float
    step1_places: int
    step2_posts: int
    supervisors_step1: int
    supervisors_step2: int
    # The distribution of hires with the proposed step-1 places: (hires, probability).
    distribution: list[tuple[int, float]]
    expected_hires: float
    reachable: bool


def _posterior(conversion: Conversion, rng, draws: int):
    # Beta(1, 1) before any history: every rate equally likely; each person tried updates it.
    failures = conversion.tried - conversion.went_on
    return rng.beta(1 + conversion.went_on, 1 + failures, size=draws)


def _smallest(n_max: int, enough) -> int | None:
    """The smallest n in 0..n_max for which ``enough(n)`` holds (it only turns true as n
    grows), by bisection; None when even n_max is not enough."""
    if not enough(n_max):
        return None
    low, high = 0, n_max
    while low < high:
        middle = (low + high) // 2
        if enough(middle):
            high = middle
        else:
            low = middle + 1
    return low


def forecast(
    *,
    need: int,
    probability: float,
    step1_to_step2: Conversion,
    step2_to_hire: Conversion,
    places_per_supervisor: float,
    seed: int = 2026,
) -> Forecast:
    """How many step-1 places and step-2 posts give at least ``need`` hires with the chosen
    probability, given the uncertainty of the municipality's own conversion rates: each
    rate a Beta posterior, hires a binomial of the places given the rates, averaged over
    the posterior draws."""
    import numpy as np
    from scipy.stats import binom

    rng = np.random.default_rng(seed)
    p1 = _posterior(step1_to_step2, rng, DRAWS)
    p2 = _posterior(step2_to_hire, rng, DRAWS)
    through = p1 * p2

    def chance(n: int, rate) -> float:
        return float(binom.sf(need - 1, n, rate).mean()) if need > 0 else 1.0

    step2 = _smallest(PLACES_MAX, lambda n: chance(n, p2) >= probability)
    step1 = _smallest(PLACES_MAX, lambda n: chance(n, through) >= probability)
    reachable = step1 is not None and step2 is not None
    step1 = PLACES_MAX if step1 is None else step1
    step2 = PLACES_MAX if step2 is None else step2
    # The distribution of hires with those places: one binomial draw per posterior draw.
    drawn = rng.binomial(step1, through)
    counts = np.bincount(drawn)
    shown = [(int(k), float(n / DRAWS)) for k, n in enumerate(counts) if n]
    per = max(places_per_supervisor, 1.0)
    return Forecast(
        need=need,
        probability=probability,
        step1_places=step1,
        step2_posts=step2,
        supervisors_step1=math.ceil(step1 / per),
        supervisors_step2=math.ceil(step2 / per),
        distribution=shown,
        expected_hires=float(step1 * through.mean()),
        reachable=reachable,
    )


# ---------------------------------------------------------------- small groups


def hidden(count: int | None) -> bool:
    """A group of 1–4 people: shown to nobody outside the municipality. None is already
    hidden; 0 names no one."""
    return count is not None and 0 < count < SMALL


def suppress_chain(counts: Sequence[int | None]) -> list[int | None]:
    """Counts of people where each later group is part of the one before (applied ⊇
    interviewed ⊇ …). A small group is hidden, and so is any group whose difference from
    the nearest shown group before it is small, since subtraction would reveal the few who
    dropped out in between."""
    shown: list[int | None] = [None if hidden(c) else c for c in counts]
    outer: int | None = None  # the nearest group before this one that is still shown
    for i, inner in enumerate(shown):
        if inner is None:
            continue
        if outer is not None and hidden(outer - inner):
            shown[i] = None  # the few between the two would show: hide this one too
            continue
        outer = inner
    return shown


def suppress_parts(parts: Sequence[int | None], total: int | None) -> tuple[list, int | None]:
    """Parts that add up to a shown total (a breakdown): small parts are hidden, and when
    only one part is hidden the next-smallest is hidden with it (else total minus the rest
    gives it back); with no other part to hide, the total goes."""
    shown: list[int | None] = [None if hidden(p) else p for p in parts]
    total_shown = None if hidden(total) else total
    if total_shown is None:
        return shown, None
    if sum(1 for p in shown if p is None) == 1:
        others = [(p, i) for i, p in enumerate(shown) if p is not None and p > 0]
        if others:
            shown[min(others)[1]] = None
        else:
            total_shown = None
    return shown, total_shown


def rate(numerator: float | None, denominator: float | None) -> float | None:
    """A share from two shown counts; hidden when either is."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def median(values: Sequence[float | None]) -> float | None:
    present = sorted(v for v in values if v is not None)
    if not present:
        return None
    middle = len(present) // 2
    if len(present) % 2:
        return present[middle]
    return (present[middle - 1] + present[middle]) / 2
