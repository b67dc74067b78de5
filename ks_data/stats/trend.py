"""Fingertips' recent-trend marker for one series.

Only the five most recent annual periods, and only when they are five consecutive years with
counts: a gap is named, never bridged (skipping a hidden year would also pick the years with
larger counts). The test is the chi-squared test for trend (Cochran–Armitage, statsmodels'
ordinal association test) at the 99.8% level; the direction comes from the slope. It runs on
the raw counts, so a year hidden for its small count still takes part; whoever publishes the
result decides what of it may be shown. Pooled or overlapping periods are never tested.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.stats.contingency_tables import Table

from ks_data.stats.intervals import z_value
from ks_data.vocab import FALLING, NO_CHANGE, RISING, TREND_NOT_TESTED

TOO_FEW = TREND_NOT_TESTED
MIN_POINTS = 5
CONFIDENCE = 0.998
CHI2_THRESHOLD = z_value(CONFIDENCE) ** 2  # 9.5495


@dataclass(frozen=True)
class TrendResult:
    marker: str
    chi2: float | None = None
    years: tuple[int, ...] = ()
    reason: str = ""

    @property
    def tested(self) -> bool:
        return self.marker != TOO_FEW


def trend_marker(series: pd.DataFrame, ci_method: str = "wilson") -> TrendResult:
    """``series``: rows of one indicator and area with period_start, period_end, numerator, denominator."""
    if ci_method != "wilson":
        return TrendResult(TOO_FEW, reason="de trendtoets is alleen voor aandelen per jaar")
    if len(series) and (series["period_start"] != series["period_end"]).fillna(False).all():
        return TrendResult(TOO_FEW, reason="meerjaarsperioden worden niet op trend getoetst")
    annual = series[(series["period_start"] == series["period_end"]) & series["period_end"].notna()]
    annual = annual[annual["numerator"].notna() & (annual["denominator"] > 0)]
    annual = annual.sort_values("period_end").drop_duplicates("period_end", keep="last")
    if annual.empty:
        return TrendResult(TOO_FEW, reason="geen jaarcijfers met aantallen")
    last = int(annual["period_end"].max())
    if "definition" in annual:  # a break in the definition ends the series the test may use
        newest = annual.loc[annual["period_end"].idxmax(), "definition"]
        before = annual[annual["definition"] != newest]
        if len(before) and int(before["period_end"].max()) > last - MIN_POINTS:
            return TrendResult(TOO_FEW, reason=f"de definitie verandert na {int(before['period_end'].max())}; "
                                               f"getoetst wordt over {MIN_POINTS} jaren met dezelfde definitie")
    wanted = list(range(last - MIN_POINTS + 1, last + 1))
    present = set(annual["period_end"].astype(int))
    gaps = [y for y in wanted if y not in present]
    if gaps:
        years = ", ".join(str(y) for y in gaps)
        return TrendResult(TOO_FEW, reason=f"getoetst wordt over {MIN_POINTS} opeenvolgende jaren "
                                           f"({wanted[0]}–{last}); geen cijfer met aantallen voor {years}")
    recent = annual[annual["period_end"].astype(int).isin(wanted)]
    years = recent["period_end"].astype(int).to_numpy()
    labels = tuple(int(y) for y in years)
    count = recent["numerator"].to_numpy(float)
    total = recent["denominator"].to_numpy(float)
    if count.sum() == 0 or count.sum() == total.sum():
        return TrendResult(NO_CHANGE, 0.0, labels, "geen variatie")
    table = Table(np.column_stack([count, total - count]))
    result = table.test_ordinal_association(row_scores=years.astype(float), col_scores=np.array([1.0, 0.0]))
    chi2 = float(result.zscore) ** 2
    if chi2 <= CHI2_THRESHOLD:
        return TrendResult(NO_CHANGE, chi2, labels)
    slope = np.polyfit(years, count / total, 1)[0]
    return TrendResult(RISING if slope > 0 else FALLING, chi2, labels)
