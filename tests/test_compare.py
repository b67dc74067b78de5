"""Area against benchmark: the Fingertips single-overlap verdicts, by polarity, with known cases."""

import numpy as np
import pandas as pd
import pytest

from ks_data.stats import compare as cmp
from ks_data.stats.intervals import wilson
from ks_data.table.areas import load_areas
from ks_data.table.catalogue import load_catalogue


def test_stats_md_worked_example_big2():
    # 396 of 2250 = 176.0 per 1000; 95% excludes 152.8 → worse; 99.8% includes it → not clearly worse
    low95, high95 = wilson(396, 2250, 0.95)
    low998, high998 = wilson(396, 2250, 0.998)
    verdict = cmp.verdicts([low95 * 1000], [high95 * 1000], [low998 * 1000], [high998 * 1000], [152.8], ["lower"])
    assert verdict.tolist() == [cmp.WORSE]
    assert round(low998 * 1000, 1) == 152.6 and round(high998 * 1000, 1) == 202.2


@pytest.mark.parametrize("bm,polarity,expected", [
    (100.0, "lower", cmp.CLEARLY_WORSE),   # area far above a low benchmark, lower is better
    (100.0, "higher", cmp.CLEARLY_BETTER),
    (195.0, "lower", cmp.WORSE),
    (195.0, "higher", cmp.BETTER),
    (250.0, "lower", cmp.CLEARLY_BETTER),
    (210.0, "lower", cmp.BETTER),
    (205.0, "lower", cmp.SIMILAR),
    (np.nan, "lower", cmp.NOT_ASSESSED),
])
def test_verdicts_by_polarity(bm, polarity, expected):
    # interval 95%: 200–208; 99.8%: 190–215
    assert cmp.verdicts([200], [208], [190], [215], [bm], [polarity]).tolist() == [expected]


def test_benchmark_exactly_on_the_limit_is_similar():
    assert cmp.verdicts([200], [208], [190], [215], [200.0], ["lower"]).tolist() == [cmp.SIMILAR]
    assert cmp.verdicts([200], [208], [190], [215], [190.0], ["lower"]).tolist() == [cmp.WORSE]


def test_no_counts_is_not_assessed():
    assert cmp.verdicts([np.nan], [np.nan], [np.nan], [np.nan], [150.0], ["lower"]).tolist() == [cmp.NOT_ASSESSED]


def test_compare_table_against_nl_province_and_municipality():
    cat, areas = load_catalogue(), load_areas()
    rows = pd.DataFrame({
        "indicator_id": ["big2"] * 4, "area_code": ["NL01", "PV28", "GM0597", "2986"],
        "period_start": pd.array([2022] * 4, dtype="Int64"), "period_end": pd.array([2022] * 4, dtype="Int64"),
        "period_label": ["2022"] * 4, "value": [152.8, 160.8, 176.0, 230.0],
        "numerator": [25000.0, 5800.0, 396.0, 23.0], "denominator": [163600.0, 36070.0, 2250.0, 100.0]})
    nl = cmp.compare(rows, cat, areas, "NL01")
    assert nl["benchmark_value"].tolist() == [152.8] * 4
    assert nl.loc[2, "verdict"] == cmp.WORSE and nl.loc[0, "verdict"] == cmp.NOT_ASSESSED  # NL vs itself
    assert nl.loc[2, "method"].startswith("Wilson")
    pv = cmp.compare(rows, cat, areas, "provincie")
    assert pv.loc[2, "benchmark_value"] == 160.8 and pv.loc[3, "benchmark_value"] == 160.8
    gm = cmp.compare(rows, cat, areas, "gemeente")
    assert gm.loc[3, "benchmark_value"] == 176.0 and np.isnan(gm.loc[2, "benchmark_value"])
    assert gm.loc[3, "verdict"] == cmp.SIMILAR  # 23/100 is wide: 176 inside its interval


def test_verdict_compares_with_the_benchmarks_unrounded_figure():
    # NL 15284 of 100000 = 152.84 per 1000, given (as sources and pooled blocks do) as 152.8. The area's
    # 401 of 2871 has a 95% interval up to 152.835: the rounded 152.8 lies inside it (similar), the
    # figure itself just above it, so the area is better (lower is better for BIG2)
    cat, areas = load_catalogue(), load_areas()
    low95, high95 = wilson(401, 2871, 0.95)
    assert 152.8 < high95 * 1000 < 152.84
    rows = pd.DataFrame({
        "indicator_id": ["big2"] * 2, "area_code": ["NL01", "GM0597"],
        "period_start": pd.array([2022] * 2, dtype="Int64"), "period_end": pd.array([2022] * 2, dtype="Int64"),
        "period_label": ["2022"] * 2, "value": [152.8, 139.7],
        "numerator": [15284.0, 401.0], "denominator": [100000.0, 2871.0]})
    nl = cmp.compare(rows, cat, areas, "NL01")
    assert nl.loc[1, "verdict"] == cmp.BETTER
    assert nl.loc[1, "benchmark_value"] == 152.8  # shown as its source gives it
    assert nl.loc[1, "benchmark_exact"] == pytest.approx(152.84)


def test_a_benchmark_without_counts_is_taken_as_given():
    # a benchmark whose source gives only its value has no other figure than that value
    cat, areas = load_catalogue(), load_areas()
    rows = pd.DataFrame({
        "indicator_id": ["big2"] * 2, "area_code": ["NL01", "GM0597"],
        "period_start": pd.array([2022] * 2, dtype="Int64"), "period_end": pd.array([2022] * 2, dtype="Int64"),
        "period_label": ["2022"] * 2, "value": [152.8, 139.7],
        "numerator": [np.nan, 401.0], "denominator": [np.nan, 2871.0]})
    nl = cmp.compare(rows, cat, areas, "NL01")
    assert nl.loc[1, "verdict"] == cmp.SIMILAR and nl.loc[1, "benchmark_exact"] == 152.8
