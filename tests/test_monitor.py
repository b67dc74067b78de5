"""The Monitor answers the pages' questions from the published view only."""

import numpy as np
import pytest

from ks_data.stats import funnel
from ks_data.views.monitor import Monitor


@pytest.fixture(scope="module")
def example():
    return Monitor.load("voorbeeld")


def test_series_of_the_municipality_holds_its_own_periods_only(example):
    rows = example.series("big2", "GM0597")
    assert rows["period_label"].tolist() == [str(y) for y in range(2015, 2025)]  # no derived 5-year blocks
    pc = example.series("big2", "2986")
    assert pc["period_label"].tolist() == ["2015–2019", "2020–2024"]


def test_postcode_table_compares_with_the_municipality_of_the_same_block(example):
    table = example.postcode_table("big2")
    assert table.attrs["period_label"] == "2020–2024" and len(table) == 9
    gm = example.value_for("big2", "GM0597", "2020–2024")
    assert table.attrs["p0"] == pytest.approx(gm["numerator"] / gm["denominator"])
    shown = table[~table["suppressed"]]
    assert (shown["benchmark_value"] == gm["value"]).all()
    assert table.loc[table["suppressed"], ["value", "numerator", "funnel"]].replace("", np.nan).isna().all().all()


def test_funnel_is_withheld_when_the_municipality_is_hidden(example):
    # mortality: the municipality's 2020–2024 window is hidden, so the funnel's centre would show it
    gm = example.value_for("perinatale_sterfte", "GM0597", "2020–2024")
    points, curve, p0 = example.funnel_data("perinatale_sterfte")
    assert gm["suppressed"] and points.empty and np.isnan(p0)


def test_funnel_follows_the_chosen_comparison(example):
    own_points, _, own_centre = example.funnel_data("big2")
    nl_points, nl_curve, nl_centre = example.funnel_data("big2", "NL01")
    period = example.postcode_table("big2", "NL01").attrs["period_label"]
    nl = example.value_for("big2", "NL01", period)
    assert nl_centre == pytest.approx(nl["numerator"] / nl["denominator"] * 1000)
    assert own_centre != pytest.approx(nl_centre) and not nl_curve.empty
    # each area's funnel mark is tested against the same centre the chart draws
    expected = funnel.significance(nl_points["numerator"], nl_points["denominator"], nl_centre / 1000)
    assert list(nl_points["funnel"]) == list(expected)


def test_trend_hides_its_statistic_when_a_year_in_it_is_hidden(example):
    hidden_years = example.published[(example.published["indicator_id"] == "tienermoeders")
                                     & (example.published["area_code"] == "GM0597") & example.published["suppressed"]]
    result = example.trend("tienermoeders")
    if set(hidden_years["period_end"]) & set(result.years):
        assert result.chi2 is None and "verborgen" in result.reason
    assert example.trend("big2", "2986").marker == "niet getoetst"


def test_related_and_stacking_tables(example):
    related = example.related("werk en inkomen")
    assert set(related["indicator_id"]) == {"kinderen_uitkeringsgezin", "schulden_19_45", "zwangeren_schulden",
                                            "geboren_gezin_schulden", "kinderen_armoede"}
    stacking = example.stacking()
    assert set(stacking["area_code"]) == set(example.municipality.postcode_areas)
    assert (stacking["n_worse"] <= stacking["n_known"]).all()


def test_real_bundle_target_is_not_yet_assessable():
    real = Monitor.load("echt")
    result = real.target("big2")
    assert result.status == "not_yet" and "looptijd" in result.reason
    assert real.target("stress_19_45").status == "not_yet"
    assert "gepubliceerd 2024" in real.periods()


def test_trend_marker_is_withheld_when_it_would_give_a_hidden_year_away(second_municipality):
    # the reviewer's case: four years of 32, the hidden fifth year 9. Only a count of exactly 9 gives
    # "no significant change" (0–8 would be "falling"), so showing the marker would reveal the count.
    from tests.conftest import obs, write_observations

    counts = {2020: 32, 2021: 32, 2022: 32, 2023: 32, 2024: 9}
    write_observations(second_municipality, "voorbeeld", [
        obs("tienermoeders", "GM9990", f"{x / 1400 * 100:.2f}", y, str(x), "1400", is_example="true")
        for y, x in counts.items()], is_example=True)
    monitor = Monitor.load("voorbeeld")
    result = monitor.trend("tienermoeders")
    assert result.marker == "niet getoetst" and result.chi2 is None and "2024" in result.reason
    # with a clear fall over all allowed values of the hidden year, the marker says nothing new: shown
    counts = {2020: 90, 2021: 70, 2022: 50, 2023: 30, 2024: 9}
    write_observations(second_municipality, "voorbeeld", [
        obs("tienermoeders", "GM9990", f"{x / 1400 * 100:.2f}", y, str(x), "1400", is_example="true")
        for y, x in counts.items()], is_example=True)
    result = Monitor.load("voorbeeld").trend("tienermoeders")
    assert result.marker == "dalend" and result.chi2 is None
