"""Dutch number formatting, with each value as precise as its source."""

import math

import pandas as pd

from ks_data import fmt


def test_decimal_comma_and_thousands_dot():
    assert fmt.number(1234.5) == "1.234,5" and fmt.number(176.0) == "176,0" and fmt.number(229.09) == "229,09"
    assert fmt.integer(24988.0) == "24.988"


def test_values_keep_the_precision_of_their_source():
    assert fmt.value(7, "%", 0) == "7%" and fmt.value(12.0, "%", 0) == "12%"
    assert fmt.value(176.0, "per1000", 1) == "176,0 per 1000" and fmt.value(0.68, "%", 2) == "0,68%"
    assert fmt.value(18.9, "%", pd.NA) == "18,9%"  # unknown precision: as the value needs


def test_missing_is_a_dash_never_zero():
    for missing in [None, math.nan, pd.NA]:
        assert fmt.value(missing, "%") == "–" and fmt.number(missing) == "–" and fmt.integer(missing) == "–"
    assert fmt.interval(math.nan, 3.0, "%") == "–"


def test_differences_and_ratios():
    assert fmt.difference(-4.84, "per1000") == "−4,8 per 1000" and fmt.difference(2.0, "%") == "+2,0 procentpunt"
    assert fmt.ratio(1.104) == "1,10" and fmt.ratio(math.inf) == "oneindig"
    assert fmt.interval(160.84, 192.31, "per1000") == "160,8–192,3"
