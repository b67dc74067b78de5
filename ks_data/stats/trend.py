"""Fingertips' recent-trend marker for one series.

At least 5 non-overlapping annual points; the 5 most recent are tested with the chi-squared
test for trend (Cochran–Armitage, statsmodels' ordinal association test) at the 99.8% level;
the direction comes from the slope. Pooled or overlapping periods are never tested.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.stats.contingency_tables import Table

from ks_data.stats.intervals import z_value

RISING, FALLING, NO_CHANGE, TOO_FEW = "stijgend", "dalend", "geen significante verandering", "onvoldoende gegevens"
MIN_POINTS = 5
CONFIDENCE = 0.998
CHI2_THRESHOLD = z_value(CONFIDENCE) ** 2  # 9.5495


@dataclass(frozen=True)
class TrendResult:
    marker: str
    chi2: float | None = None
    years: tuple[int, ...] = ()
    reason: str = ""


def trend_marker(series: pd.DataFrame, ci_method: str = "wilson") -> TrendResult:
    """``series``: rows of one indicator and area with period_start, period_end, numerator, denominator."""
    if ci_method != "wilson":
        return TrendResult(TOO_FEW, reason="trendtoets alleen voor aandelen per jaar")
    annual = series[(series["period_start"] == series["period_end"]) & series["period_end"].notna()]
    annual = annual[annual["numerator"].notna() & (annual["denominator"] > 0)]
    annual = annual.sort_values("period_end").drop_duplicates("period_end", keep="last")
    if len(series) and (series["period_start"] != series["period_end"]).fillna(False).all():
        return TrendResult(TOO_FEW, reason="meerjaarsperioden worden niet op trend getoetst")
    if len(annual) < MIN_POINTS:
        return TrendResult(TOO_FEW, reason=f"minder dan {MIN_POINTS} jaren met aantallen")
    recent = annual.tail(MIN_POINTS)
    years = recent["period_end"].astype(int).to_numpy()
    count = recent["numerator"].to_numpy(float)
    total = recent["denominator"].to_numpy(float)
    if count.sum() == 0 or count.sum() == total.sum():
        return TrendResult(NO_CHANGE, 0.0, tuple(years), "geen variatie")
    table = Table(np.column_stack([count, total - count]))
    result = table.test_ordinal_association(row_scores=years.astype(float), col_scores=np.array([1.0, 0.0]))
    chi2 = float(result.zscore) ** 2
    if chi2 <= CHI2_THRESHOLD:
        return TrendResult(NO_CHANGE, chi2, tuple(years))
    slope = np.polyfit(years, count / total, 1)[0]
    return TrendResult(RISING if slope > 0 else FALLING, chi2, tuple(years))
