"""Intervals reproduce PHEindicatormethods' published expectations and independent formulas."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ks_data.stats.intervals import byar, ci_missing_reason, fill_intervals, intervals, poisson_exact, wilson
from ks_data.table.catalogue import load_catalogue

REF = Path(__file__).parent / "reference"
LEVEL = {"95%": 0.95, "99.8%": 0.998}


def test_wilson_and_byar_reference_rows():
    ref = pd.read_csv(REF / "byars_wilson.csv")
    for row in ref.itertuples():
        conf = LEVEL[row.confidence]
        if row.method == "Wilson":
            low, high = wilson(row.x, row.n, conf)
        else:
            low, high = byar(row.x, 1.0, conf)
            if np.isnan(row.lowercl):  # PHE leaves an impossible (negative) lower limit empty
                assert low < 0
                low = np.nan
        np.testing.assert_allclose(high, row.uppercl, rtol=1e-12)
        np.testing.assert_allclose(low, row.lowercl, rtol=1e-12, equal_nan=True)


@pytest.mark.parametrize("name", ["proportions_wilson.csv"])
def test_wilson_reference_table(name):
    ref = pd.read_csv(REF / name).dropna(subset=["Numerator", "Denominator"])
    for conf, lo_col, hi_col in [(0.95, "lower95_0cl", "upper95_0cl"), (0.998, "lower99_8cl", "upper99_8cl")]:
        low, high = wilson(ref["Numerator"], ref["Denominator"], conf)
        np.testing.assert_allclose(low * ref["multiplier"], ref[lo_col], rtol=1e-10)
        np.testing.assert_allclose(high * ref["multiplier"], ref[hi_col], rtol=1e-10)


def test_rates_reference_exact_below_10_byar_from_10():
    ref = pd.read_csv(REF / "rates_exact_byars.csv").dropna(subset=["Numerator", "Denominator"])
    ref = ref[ref["Numerator"] <= ref["Denominator"] * 1e6]
    for conf, lo_col, hi_col in [(0.95, "lower95_0cl", "upper95_0cl"), (0.998, "lower99_8cl", "upper99_8cl")]:
        exact = ref["method"] == "Exact"
        low_e, high_e = poisson_exact(ref["Numerator"], ref["Denominator"], conf)
        low_b, high_b = byar(ref["Numerator"], ref["Denominator"], conf)
        low = np.where(exact, low_e, low_b) * ref["multiplier"]
        high = np.where(exact, high_e, high_b) * ref["multiplier"]
        np.testing.assert_allclose(low, ref[lo_col], rtol=1e-9)
        np.testing.assert_allclose(high, ref[hi_col], rtol=1e-9)


def test_byar_is_close_to_exact_from_10_events():
    x = np.arange(10, 500)
    low_e, high_e = poisson_exact(x, 1.0)
    low_b, high_b = byar(x, 1.0)
    assert np.max(np.abs(low_b / low_e - 1)) < 0.002 and np.max(np.abs(high_b / high_e - 1)) < 0.002


def test_edge_cases_against_written_out_formulas():
    # Wilson written out: (p + z²/2n ± z√(p(1−p)/n + z²/4n²)) / (1 + z²/n)
    z = stats.norm.ppf(0.975)
    for x, n in [(0, 40), (40, 40), (1, 1), (0, 1), (3, 17)]:
        p = x / n
        centre, half = p + z * z / (2 * n), z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        low, high = wilson(x, n)
        assert low == pytest.approx((centre - half) / (1 + z * z / n), abs=1e-12)
        assert high == pytest.approx((centre + half) / (1 + z * z / n), abs=1e-12)
    # exact Poisson written out with chi-squared quantiles; 0 events has lower limit 0
    for x in [0, 1, 7, 25]:
        low, high = poisson_exact(x, 1000.0)
        expected_low = 0.0 if x == 0 else stats.chi2.ppf(0.025, 2 * x) / 2 / 1000
        assert low == pytest.approx(expected_low, abs=1e-15)
        assert high == pytest.approx(stats.chi2.ppf(0.975, 2 * x + 2) / 2 / 1000, rel=1e-12)


def test_intervals_for_a_table_use_the_catalogue_method_and_leave_missing_counts_empty():
    cat = load_catalogue()
    table = pd.DataFrame({
        "indicator_id": ["big2", "perinatale_sterfte", "stress_19_45", "big2", "big2"],
        "numerator": [396.0, 9.0, 150.0, np.nan, 5.0],
        "denominator": [2250.0, 2200.0, 600.0, 400.0, 0.0],
        "ci_low": np.nan, "ci_high": np.nan, "value": [176.0, 4.1, 25.0, 150.0, np.nan]})
    low, high = intervals(table, cat)
    assert low[0] == pytest.approx(wilson(396, 2250)[0] * 1000)
    assert low[1] == pytest.approx(poisson_exact(9, 2200)[0] * 1000)
    assert high[2] == pytest.approx(wilson(150, 600)[1] * 100)
    assert np.isnan(low[3]) and np.isnan(low[4])
    # the worked example in STATS.md: 396/2250 → 160.8–192.3 per 1000
    assert (round(low[0], 1), round(high[0], 1)) == (160.8, 192.3)
    filled = fill_intervals(table, cat)
    assert filled["ci_low"].notna().tolist() == [True, True, True, False, False]
    assert ci_missing_reason(filled).tolist() == ["", "", "", "bron geeft geen aantallen (teller en noemer)", "geen waarde"]
