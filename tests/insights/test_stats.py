"""The statistics apart from Django: the survival curve against a hand-worked Kaplan–Meier,
the forecast's places against what the posterior says, and the suppression of small groups
and of figures that would give one back by subtraction."""

from __future__ import annotations

import pytest

from bryggan.insights import stats


def test_the_survival_curve_is_kaplan_meier_with_censored_hires():
    # Five hires: two leave at 3 and 9 months, three are still employed (followed 6, 12, 30).
    month = stats.MONTH_DAYS
    durations = [3 * month, 6 * month, 9 * month, 12 * month, 30 * month]
    left = [True, False, True, False, False]
    curve = stats.survival(durations, left)
    assert curve is not None
    assert (curve.people, curve.leavers) == (5, 2)
    # S(6) = 4/5 after the first leaver; the censored hire at 6 leaves the risk set,
    # so S(12) = 4/5 * (1 - 1/3) = 0.533…; S(24) stays there (only censoring after 12).
    assert curve.at[6][0] == pytest.approx(0.8)
    assert curve.at[12][0] == pytest.approx(0.8 * 2 / 3)
    assert curve.at[24][0] == pytest.approx(0.8 * 2 / 3)
    low, high = curve.at[12][1], curve.at[12][2]
    assert 0 < low < curve.at[12][0] < high <= 1
    assert stats.survival([], []) is None


def test_no_estimate_beyond_the_longest_follow_up():
    curve = stats.survival([100.0, 150.0], [False, False])
    assert curve.at[6] is None and curve.at[24] is None


def test_the_forecast_asks_for_more_places_for_a_higher_probability_and_a_bigger_need():
    history = {
        "step1_to_step2": stats.Conversion(tried=40, went_on=20),
        "step2_to_hire": stats.Conversion(tried=20, went_on=10),
        "places_per_supervisor": 2.0,
    }
    low = stats.forecast(need=5, probability=0.5, **history)
    high = stats.forecast(need=5, probability=0.9, **history)
    bigger = stats.forecast(need=10, probability=0.9, **history)
    assert low.reachable and high.reachable and bigger.reachable
    # About 1 in 4 go from step 1 to a hire: 5 hires need about 20 places at 50 %.
    assert 16 <= low.step1_places <= 24
    assert high.step1_places > low.step1_places
    assert bigger.step1_places > high.step1_places
    assert high.step2_posts < high.step1_places
    assert high.supervisors_step1 == -(-high.step1_places // 2)
    # The distribution is a distribution, and the chosen places reach the need that often.
    assert sum(p for _k, p in high.distribution) == pytest.approx(1.0)
    reached = sum(p for k, p in high.distribution if k >= 5)
    assert reached >= 0.87


def test_a_need_no_history_can_reach_is_said_so():
    nothing = stats.Conversion(tried=200, went_on=0)
    result = stats.forecast(
        need=400,
        probability=0.95,
        step1_to_step2=nothing,
        step2_to_hire=nothing,
        places_per_supervisor=1,
    )
    assert not result.reachable


def test_small_groups_and_what_subtraction_would_reveal_are_hidden():
    # 40 applied, 38 interviewed: the 2 not interviewed would be revealed by subtraction;
    # 12 in step 2 and 10 offered: hidden, and then 9 hired (12 - 9 = 3) is hidden too.
    assert stats.suppress_chain([40, 38, 20, 12, 10, 9]) == [40, None, 20, 12, None, None]
    # A small group hides, and the next difference is checked against what is still shown.
    assert stats.suppress_chain([60, 30, 3, 0, 0, 0]) == [60, 30, None, 0, 0, 0]
    assert stats.suppress_chain([4, 4, 2, 0, 0, 0]) == [None, None, None, 0, 0, 0]
    assert stats.suppress_chain([100, 50, 25, 12, 6, 6]) == [100, 50, 25, 12, 6, 6]


def test_a_breakdown_hides_a_second_part_when_one_is_hidden():
    parts, total = stats.suppress_parts([20, 3, 12, 30], 65)
    assert parts == [20, None, None, 30] and total == 65
    parts, total = stats.suppress_parts([3, 0, 0], 3)
    assert total is None
    parts, total = stats.suppress_parts([3, 0, 7], 10)
    assert parts == [None, 0, None] and total == 10


def test_rates_and_medians_of_hidden_figures():
    assert stats.rate(None, 10) is None and stats.rate(5, 0) is None
    assert stats.rate(5, 10) == 0.5
    assert stats.median([None, 0.2, 0.4, 0.9]) == 0.4
    assert stats.median([0.2, 0.4]) == pytest.approx(0.3)
    assert stats.median([None]) is None
