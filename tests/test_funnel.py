"""Funnel limits and verdicts reproduce PHEindicatormethods for 303 areas; outside the funnel = CI excludes p0."""

from pathlib import Path

import numpy as np
import pandas as pd

from ks_data.stats import funnel
from ks_data.stats.intervals import wilson

REF = Path(__file__).parent / "reference"
LABELS = {"High (0.001)": funnel.HIGH_998, "High (0.025)": funnel.HIGH_95, "Low (0.001)": funnel.LOW_998,
          "Low (0.025)": funnel.LOW_95, "Not significant": funnel.NOT_SIGNIFICANT}


def test_limits_reproduce_phe():
    inputs = pd.read_csv(REF / "funnel_proportion_inputs.csv")
    expected = pd.read_csv(REF / "funnel_proportion_limits.csv")
    p0 = funnel.pooled(inputs["numerator"], inputs["denominator"])
    assert abs(p0 * 100 - expected["Baseline"].iloc[0]) < 1e-5
    ours = funnel.limits(p0, expected["Population"], 100)
    for col, ref in [("lower95", "Lower2s0025limit"), ("upper95", "Upper2s0025limit"),
                     ("lower998", "Lower3s0001limit"), ("upper998", "Upper3s0001limit")]:
        np.testing.assert_allclose(ours[col], expected[ref], atol=1e-5)


def test_significance_reproduces_phe_for_303_areas():
    inputs = pd.read_csv(REF / "funnel_proportion_inputs.csv")
    ours = funnel.significance(inputs["numerator"], inputs["denominator"])
    assert len(inputs) == 303
    assert ours.tolist() == inputs["significance"].map(LABELS).tolist()


def test_outside_funnel_equals_wilson_interval_excluding_p0():
    rng = np.random.default_rng(1)
    n = rng.integers(5, 200, 500).astype(float)
    x = rng.binomial(n.astype(int), 0.17).astype(float)
    p0 = 0.17
    outside = np.isin(funnel.significance(x, n, p0), [funnel.HIGH_95, funnel.HIGH_998, funnel.LOW_95, funnel.LOW_998])
    low, high = wilson(x, n, 0.95)
    excludes = (p0 < low) | (p0 > high)
    assert (outside == excludes).all()


def test_curve_is_clipped_and_narrows():
    curve = funnel.curve(0.15, 500, 1000)
    assert (curve["lower998"] >= 0).all() and (curve["upper998"] <= 1000).all()
    width = curve["upper95"] - curve["lower95"]
    assert (np.diff(width.to_numpy()) <= 1e-9).all()


def test_the_chance_sentence_never_rounds_up_to_a_certainty():
    from ks_data.stats.funnel import chance_sentence

    assert "meer dan 99% kans" in chance_sentence(340) and "100%" not in chance_sentence(340)
    assert "64% kans" in chance_sentence(20)
