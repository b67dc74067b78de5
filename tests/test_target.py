"""The plan's target: latest period against the baseline, with statsmodels' intervals, on known cases."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from ks_data.stats import target

KW = {"polarity": "lower", "ci_method": "wilson", "multiplier": 1000.0, "rule": "stabilisatie",
      "baseline_label": "gepubliceerd 2024", "plan_start": 2024}


def rows(*items):
    out = []
    for label, start, end, value, x, n in items:
        out.append({"period_label": label, "period_start": start, "period_end": end, "value": value,
                    "numerator": x, "denominator": n})
    frame = pd.DataFrame(out)
    frame["period_start"] = frame["period_start"].astype("Int64")
    frame["period_end"] = frame["period_end"].astype("Int64")
    return frame


def test_increase_is_off_target_with_newcombe_interval():
    s = rows(("2023", 2023, 2023, 150.0, 300, 2000), ("2025", 2025, 2025, 200.0, 400, 2000))
    result = target.target_verdict(s, **KW)
    assert result.change == target.INCREASED and result.on_target is False
    low, high = confint_proportions_2indep(400, 2000, 300, 2000, method="newcomb", compare="diff")
    assert (result.low, result.high) == pytest.approx((low * 1000, high * 1000))
    assert result.label == "gestegen – doel niet gehaald"


def test_decrease_and_stable():
    down = rows(("2023", 2023, 2023, 200.0, 400, 2000), ("2025", 2025, 2025, 150.0, 300, 2000))
    assert target.target_verdict(down, **KW).change == target.DECREASED
    flat = rows(("2023", 2023, 2023, 176.0, 79, 450), ("2024", 2024, 2024, 178.0, 80, 450))
    result = target.target_verdict(flat, **KW)
    assert result.change == target.STABLE and result.on_target is True and result.low < 0 < result.high


def test_higher_is_better_reverses_what_is_off_target():
    down = rows(("2023", 2023, 2023, 70.0, 700, 1000), ("2025", 2025, 2025, 60.0, 600, 1000))
    result = target.target_verdict(down, **{**KW, "polarity": "higher", "multiplier": 100.0})
    assert result.change == target.DECREASED and result.on_target is False


def test_rates_use_the_exact_conditional_ratio_interval():
    s = rows(("2015–2019", 2015, 2019, 4.5, 10, 2200), ("2020–2024", 2020, 2024, 9.0, 20, 2200))
    result = target.target_verdict(s, **{**KW, "ci_method": "poisson_exact"})
    lo, hi = proportion_confint(20, 30, method="beta")
    assert result.measure == "verhouding"
    assert result.low == pytest.approx(lo / (1 - lo)) and result.high == pytest.approx(hi / (1 - hi))
    assert result.change == target.STABLE  # 10 vs 20 events: ratio interval includes 1
    zero = rows(("2015–2019", 2015, 2019, 0.0, 0, 2200), ("2020–2024", 2020, 2024, 4.5, 10, 2200))
    assert target.target_verdict(zero, **{**KW, "ci_method": "poisson_exact"}).high == np.inf


def test_overlapping_periods_are_not_compared():
    s = rows(("2019–2023", 2019, 2023, 4.0, 9, 2250), ("2020–2024", 2020, 2024, 5.0, 11, 2250))
    result = target.target_verdict(s, **{**KW, "ci_method": "poisson_exact"})
    assert result.change == target.TOO_FEW and "overlappen" in result.reason


def test_plan_baseline_without_counts_gives_an_indicative_verdict():
    s = rows(("gepubliceerd 2024", None, None, 176.0, np.nan, np.nan), ("2025", 2025, 2025, 181.0, 80, 442))
    result = target.target_verdict(s, **KW)
    assert result.change == target.INCREASED and result.indicative and result.low is None
    assert result.label == "gestegen – doel niet gehaald (indicatief, geen aantallen)"


def test_only_one_period_is_insufficient():
    s = rows(("gepubliceerd 2024", None, None, 176.0, np.nan, np.nan))
    result = target.target_verdict(s, **KW)
    assert result.change == target.TOO_FEW and result.baseline["value"] == 176.0 and result.latest is None


def test_follow_only_rule_has_no_target():
    s = rows(("2023", 2023, 2023, 150.0, 300, 2000), ("2025", 2025, 2025, 200.0, 400, 2000))
    assert target.target_verdict(s, **{**KW, "rule": "volgen"}).on_target is None
