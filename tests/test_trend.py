"""Trend marker: Fingertips' rule on known series, checked against the Cochran–Armitage formula written out."""

import numpy as np
import pandas as pd
import pytest

from ks_data.stats import trend


def series(years, counts, totals, pooled=False):
    years = list(years)
    return pd.DataFrame({"period_start": [y - 4 if pooled else y for y in years], "period_end": years,
                         "numerator": counts, "denominator": totals})


def cochran_armitage(counts, totals, scores):
    c, n, t = map(lambda a: np.asarray(a, float), (counts, totals, scores))
    p = c.sum() / n.sum()
    stat = (c * (t - (n * t).sum() / n.sum())).sum()
    var = p * (1 - p) * ((n * t * t).sum() - (n * t).sum() ** 2 / n.sum())
    return stat**2 / var


def test_clear_rise_is_stijgend_and_matches_the_written_out_test():
    s = series(range(2018, 2025), [100, 110, 130, 150, 170, 190, 210], [1000] * 7)
    result = trend.trend_marker(s)
    assert result.marker == trend.RISING
    assert result.years == tuple(range(2020, 2025))  # the 5 most recent only
    expected = cochran_armitage([130, 150, 170, 190, 210], [1000] * 5, range(2020, 2025))
    # statsmodels uses the permutation variance (N−1); the textbook form uses N: they differ by (N−1)/N
    assert result.chi2 == pytest.approx(expected * (5000 - 1) / 5000, rel=1e-9)


def test_clear_fall_is_dalend():
    s = series(range(2020, 2025), [210, 180, 150, 120, 90], [1000] * 5)
    assert trend.trend_marker(s).marker == trend.FALLING


def test_noise_is_no_significant_change():
    s = series(range(2020, 2025), [40, 44, 39, 42, 41], [450] * 5)
    result = trend.trend_marker(s)
    assert result.marker == trend.NO_CHANGE and result.chi2 < trend.CHI2_THRESHOLD


def test_threshold_is_fingertips_99_8_percent():
    assert trend.CHI2_THRESHOLD == pytest.approx(9.5495, abs=1e-4)


def test_fewer_than_five_points_or_a_gap_or_pooled_periods():
    assert trend.trend_marker(series(range(2021, 2025), [1, 2, 3, 4], [50] * 4)).marker == trend.TOO_FEW
    gap = series([2018, 2019, 2021, 2022], [10, 20, 30, 40], [100] * 4)  # a missing year leaves 4 points
    assert trend.trend_marker(gap).marker == trend.TOO_FEW
    # five points that are not five consecutive years: not tested, and the missing year is named
    with_gap = series([2017, 2018, 2019, 2021, 2022, 2023], [10, 12, 14, 30, 40, 50], [100] * 6)
    result = trend.trend_marker(with_gap)
    assert result.marker == trend.TOO_FEW and result.years == () and "2020" in result.reason
    pooled = series(range(2015, 2025), [20] * 10, [2200] * 10, pooled=True)
    assert trend.trend_marker(pooled).marker == trend.TOO_FEW
    missing_counts = series(range(2018, 2025), [np.nan] * 7, [100] * 7)
    assert trend.trend_marker(missing_counts).marker == trend.TOO_FEW


def test_rates_are_not_tested():
    s = series(range(2018, 2025), [1, 2, 3, 4, 5, 6, 7], [1000] * 7)
    assert trend.trend_marker(s, "poisson_exact").marker == trend.TOO_FEW
