"""A municipality's postcode areas side by side: the latest common block, tested against the chosen centre."""

import numpy as np
import pytest

from ks_data.stats import funnel
from ks_data.views.area_tables import funnel_data, postcode_table, stacking
from ks_data.views.monitor import Monitor


@pytest.fixture(scope="module")
def example():
    return Monitor.load("voorbeeld")


def test_postcode_table_compares_with_the_municipality_of_the_same_block(example):
    table = postcode_table(example, "big2")
    assert table.attrs["period_label"] == "2020–2024" and len(table) == 9
    gm = example.value_for("big2", "GM0597", "2020–2024")
    assert table.attrs["p0"] == pytest.approx(gm["numerator"] / gm["denominator"])
    shown = table[~table["suppressed"]]
    assert (shown["benchmark_value"] == gm["value"]).all()
    assert table.loc[table["suppressed"], ["value", "numerator", "funnel"]].replace("", np.nan).isna().all().all()


def test_funnel_is_withheld_when_the_municipality_is_hidden(example):
    # mortality: the municipality's 2020–2024 window is hidden, so the funnel's centre would show it
    gm = example.value_for("perinatale_sterfte", "GM0597", "2020–2024")
    points, curve, p0 = funnel_data(example, "perinatale_sterfte")
    assert gm["suppressed"] and points.empty and np.isnan(p0)


def test_funnel_follows_the_chosen_comparison(example):
    own_points, _, own_centre = funnel_data(example, "big2")
    nl_points, nl_curve, nl_centre = funnel_data(example, "big2", "NL01")
    period = postcode_table(example, "big2", "NL01").attrs["period_label"]
    nl = example.value_for("big2", "NL01", period)
    assert nl_centre == pytest.approx(nl["numerator"] / nl["denominator"] * 1000)
    assert own_centre != pytest.approx(nl_centre) and not nl_curve.empty
    # each area's funnel mark is tested against the same centre the chart draws
    expected = funnel.significance(nl_points["numerator"], nl_points["denominator"], nl_centre / 1000)
    assert list(nl_points["funnel"]) == list(expected)


def test_stacking_counts_only_indicators_with_a_shown_value(example):
    stacked = stacking(example)
    assert set(stacked["area_code"]) == set(example.municipality.postcode_areas)
    assert (stacked["n_worse"] <= stacked["n_known"]).all()
