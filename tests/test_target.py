"""The plan's target as a non-inferiority question: latest period against the baseline, with a margin."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from ks_data.stats import target

EARLY = 2020  # plan start for tests of the statistics on 5-year windows (which must lie within the plan)
KW = {"polarity": "lower", "ci_method": "wilson", "multiplier": 1000.0, "rule": "stabilisatie", "margin": 0.10,
      "baseline_label": "gepubliceerd 2024", "plan_start": 2024}


def rows(*items):
    out = [{"period_label": label, "period_start": start, "period_end": end, "value": value, "numerator": x,
            "denominator": n} for label, start, end, value, x, n in items]
    frame = pd.DataFrame(out)
    frame["period_start"] = frame["period_start"].astype("Int64")
    frame["period_end"] = frame["period_end"].astype("Int64")
    return frame


def test_clear_rise_is_off_target_with_newcombe_interval():
    s = rows(("2023", 2023, 2023, 150.0, 300, 2000), ("2025", 2025, 2025, 200.0, 400, 2000))
    result = target.target_verdict(s, **KW)
    assert result.status == "worsened" and result.on_target is False
    low, high = confint_proportions_2indep(400, 2000, 300, 2000, method="newcomb", compare="diff")
    assert (result.low, result.high) == pytest.approx((low * 1000, high * 1000))
    assert result.text == "gestegen — doel niet gehaald"


def test_clear_fall_meets_the_target():
    s = rows(("2023", 2023, 2023, 200.0, 400, 2000), ("2025", 2025, 2025, 150.0, 300, 2000))
    result = target.target_verdict(s, **KW)
    assert result.status == "improved" and result.text == "gedaald — doel gehaald" and result.high < 0


def test_not_risen_needs_the_whole_interval_below_the_margin():
    # a large, precise population: a flat figure is "not risen" (upper end below 10% of 150 = 15 per 1000)
    flat = rows(("2023", 2023, 2023, 150.0, 3000, 20000), ("2025", 2025, 2025, 151.0, 3020, 20000))
    result = target.target_verdict(flat, **KW)
    assert result.status == "held" and result.text == "geen stijging groter dan de marge — doel gehaald"
    assert result.high < result.margin == pytest.approx(15.0)


def test_the_issue_case_is_uncertain_not_stable():
    # a postcode area rising from 233,8 to 296,9 per 1000 with wide intervals: a large rise is not ruled out
    s = rows(("2015–2019", 2015, 2019, 233.8, 36, 154), ("2020–2024", 2020, 2024, 296.9, 38, 128))
    result = target.target_verdict(s, **{**KW, "plan_start": EARLY})
    assert result.status == "uncertain" and result.on_target is None
    assert result.text == "onzeker — een stijging groter dan de marge is niet uitgesloten"
    assert result.low < 0 < result.margin < result.high


def test_a_real_rise_is_rarely_called_on_target():
    # 450 births a year, a true rise from 176 to 220 per 1000: how often would the old rule say "stabiel"?
    rng = np.random.default_rng(7)
    met = 0
    for _ in range(400):
        x0, x1 = rng.binomial(450, 0.176), rng.binomial(450, 0.220)
        s = rows(("2023", 2023, 2023, x0 / 450 * 1000, x0, 450), ("2024", 2024, 2024, x1 / 450 * 1000, x1, 450))
        met += target.target_verdict(s, **{**KW, "plan_start": EARLY}).on_target is True
    assert met / 400 < 0.05


def test_higher_is_better_mirrors_the_words():
    down = rows(("2023", 2023, 2023, 70.0, 700, 1000), ("2025", 2025, 2025, 60.0, 600, 1000))
    result = target.target_verdict(down, **{**KW, "polarity": "higher", "multiplier": 100.0})
    assert result.status == "worsened" and result.text == "gedaald — doel niet gehaald"
    flat = rows(("2023", 2023, 2023, 70.0, 14000, 20000), ("2025", 2025, 2025, 70.1, 14020, 20000))
    result = target.target_verdict(flat, **{**KW, "polarity": "higher", "multiplier": 100.0})
    assert result.status == "held" and result.text == "geen daling groter dan de marge — doel gehaald"
    assert result.low > result.margin == pytest.approx(-7.0)


def test_rates_use_the_exact_conditional_ratio_interval():
    s = rows(("2015–2019", 2015, 2019, 4.5, 10, 2200), ("2020–2024", 2020, 2024, 9.0, 20, 2200))
    result = target.target_verdict(s, **{**KW, "ci_method": "poisson_exact", "plan_start": EARLY})
    lo, hi = proportion_confint(20, 30, method="beta")
    assert result.measure == "verhouding" and result.margin == pytest.approx(1.10)
    assert result.low == pytest.approx(lo / (1 - lo)) and result.high == pytest.approx(hi / (1 - hi))
    assert result.status == "uncertain"  # 10 vs 20 events: the ratio interval includes 1 and 1.10
    zero = rows(("2015–2019", 2015, 2019, 0.0, 0, 2200), ("2020–2024", 2020, 2024, 4.5, 10, 2200))
    assert target.target_verdict(zero, **{**KW, "ci_method": "poisson_exact", "plan_start": EARLY}).high == np.inf


def test_overlapping_periods_are_not_yet_assessable():
    s = rows(("2019–2023", 2019, 2023, 4.0, 9, 2250), ("2020–2024", 2020, 2024, 5.0, 11, 2250))
    result = target.target_verdict(s, **{**KW, "ci_method": "poisson_exact", "plan_start": EARLY,
                                         "baseline_label": "2019–2023"})
    assert result.status == "not_yet" and result.text == "nog niet te beoordelen" and "overlappen" in result.reason


def test_latest_must_end_within_the_plan():
    # a 2019 row after a 2018 baseline is no evidence about the plan (2024 onwards)
    s = rows(("2018", 2018, 2018, 150.0, 300, 2000), ("2019", 2019, 2019, 120.0, 240, 2000))
    result = target.target_verdict(s, **KW)
    assert result.status == "not_yet" and "looptijd van het plan (vanaf 2024)" in result.reason


def test_without_counts_only_an_indicative_comparison():
    s = rows(("gepubliceerd 2024", None, None, 176.0, np.nan, np.nan), ("2025", 2025, 2025, 181.0, 80, 442))
    result = target.target_verdict(s, **KW)
    assert result.status == "not_yet" and "geen aantallen" in result.reason
    assert result.indicative == "indicatief (geen aantallen): waarde gestegen" and result.low is None


def test_hidden_period_gives_no_verdict():
    s = rows(("2023", 2023, 2023, 150.0, 300, 2000), ("2024", 2024, 2024, np.nan, np.nan, 2000))
    s["suppressed"] = [False, True]
    result = target.target_verdict(s, **KW)
    assert result.status == "not_yet" and "verborgen" in result.reason


def test_only_one_period_is_not_yet_assessable():
    s = rows(("gepubliceerd 2024", None, None, 176.0, np.nan, np.nan))
    result = target.target_verdict(s, **KW)
    assert result.status == "not_yet" and result.baseline["value"] == 176.0 and result.latest is None


def test_follow_only_rule_shows_the_change_not_a_target():
    s = rows(("2023", 2023, 2023, 150.0, 300, 2000), ("2025", 2025, 2025, 200.0, 400, 2000))
    result = target.target_verdict(s, **{**KW, "rule": "volgen"})
    assert result.status == "followed" and result.on_target is None
    assert "doel" not in result.text.replace("geen doel", "") and result.text.startswith("gestegen")


def test_a_significant_rise_within_the_margin_meets_the_target_and_says_it_rose():
    # 5,0% → 5,3% on 100.000: the rise is significant but its upper end (0,49 pp) is below 10% of 5% (0,5 pp)
    s = rows(("2023", 2023, 2023, 5.0, 5000, 100000), ("2025", 2025, 2025, 5.3, 5300, 100000))
    result = target.target_verdict(s, **{**KW, "multiplier": 100.0})
    assert 0 < result.low and result.high < result.margin
    assert result.status == "within_margin" and result.on_target is True
    assert result.text == "gestegen, maar binnen de marge — doel gehaald"
    # the same rise measured less precisely is uncertain, never worse
    s = rows(("2023", 2023, 2023, 5.0, 500, 10000), ("2025", 2025, 2025, 5.3, 530, 10000))
    assert target.target_verdict(s, **{**KW, "multiplier": 100.0}).status == "uncertain"


def test_a_window_mostly_before_the_plan_is_not_evidence_about_it():
    # 2020-2024 holds four years before a plan that starts in 2024
    s = rows(("2015–2019", 2015, 2019, 233.8, 36, 154), ("2020–2024", 2020, 2024, 150.0, 19, 128))
    result = target.target_verdict(s, **KW)
    assert result.status == "not_yet" and "geheel binnen de looptijd van het plan (vanaf 2024)" in result.reason


def test_a_rise_the_interval_does_not_rule_out_is_not_called_not_risen():
    # The audit's case: 20,000 births, 176,0 → 181,0 per 1000; the change's interval holds 0 and rises up to about
    # +12,5, so all the test shows is that no rise larger than the margin (17,6) happened: say that, not "niet gestegen"
    s = rows(("2023", 2023, 2023, 176.0, 3520, 20000), ("2025", 2025, 2025, 181.0, 3620, 20000))
    result = target.target_verdict(s, **KW)
    assert result.low < 0 < result.high < result.margin
    assert result.status == "held" and "niet gestegen" not in result.text
    assert result.text == "geen stijging groter dan de marge — doel gehaald"
