"""Funnel plot for the postcode areas of a municipality (Spiegelhalter 2005; PHE's limits).

The control limits p0 ± z·√(p0(1−p0)/n) are where the Wilson score interval of an area of
size n just touches the pooled value p0, so "outside the funnel" equals "Wilson interval
excludes p0". Limits are clipped to 0 and the multiplier, as PHE does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ks_data.stats.intervals import z_value
from ks_data.vocab import HIGH_95, HIGH_998, LOW_95, LOW_998  # noqa: F401
from ks_data.vocab import INSIDE_FUNNEL as NOT_SIGNIFICANT


def pooled(numerators, denominators) -> float:
    num = np.asarray(numerators, float)
    den = np.asarray(denominators, float)
    ok = ~np.isnan(num) & ~np.isnan(den)
    return float(num[ok].sum() / den[ok].sum()) if den[ok].sum() > 0 else float("nan")


def limits(p0: float, n, multiplier: float = 1.0) -> pd.DataFrame:
    """Lower and upper 95% and 99.8% limits at each denominator n, in units of ``multiplier``."""
    n = np.asarray(n, float)
    out = {"denominator": n, "baseline": np.full(n.shape, p0 * multiplier)}
    for name, conf in [("95", 0.95), ("998", 0.998)]:
        half = z_value(conf) * np.sqrt(p0 * (1 - p0) / n)
        out[f"lower{name}"] = np.clip(p0 - half, 0, 1) * multiplier
        out[f"upper{name}"] = np.clip(p0 + half, 0, 1) * multiplier
    return pd.DataFrame(out)


def curve(p0: float, n_max: float, multiplier: float = 1.0, points: int = 100, n_min: float = 1.0) -> pd.DataFrame:
    """Limits on a smooth grid from ``n_min`` to a little beyond the largest area, for drawing."""
    grid = np.unique(np.round(np.geomspace(max(n_min, 1), max(n_max * 1.1, n_min + 1, 2), points)))
    return limits(p0, grid, multiplier)


def significance(numerators, denominators, p0: float | None = None) -> np.ndarray:
    """Each area's position against the funnel (strictly outside a limit counts)."""
    num = np.asarray(numerators, float)
    den = np.asarray(denominators, float)
    p0 = pooled(num, den) if p0 is None else p0
    lim = limits(p0, den)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = num / den
    out = np.full(num.shape, NOT_SIGNIFICANT, dtype=object)
    out[p > lim["upper95"].to_numpy()] = HIGH_95
    out[p < lim["lower95"].to_numpy()] = LOW_95
    out[p > lim["upper998"].to_numpy()] = HIGH_998
    out[p < lim["lower998"].to_numpy()] = LOW_998
    out[np.isnan(p)] = ""
    return out


OUTSIDE = (HIGH_998, HIGH_95, LOW_998, LOW_95)


def outside(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows :func:`place` put outside the 95% limits (either side), by the vocabulary's values, not their
    words."""
    return rows[rows["funnel"].isin(OUTSIDE)]


def place(rows: pd.DataFrame, p0: float) -> pd.DataFrame:
    """``rows`` with a ``funnel`` column: each counted area's position around ``p0`` ("" without counts or p0)."""
    rows = rows.assign(funnel="")
    counted = rows["numerator"].notna() & rows["denominator"].notna()
    if counted.any() and not np.isnan(p0):
        rows.loc[counted, "funnel"] = significance(rows.loc[counted, "numerator"], rows.loc[counted, "denominator"], p0)
    return rows


def plot_data(table: pd.DataFrame, p0: float, multiplier: float) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """(areas with counts, limit curves, the centre's value) for drawing; empty when there is no p0 or count."""
    rows = table[table["numerator"].notna() & table["denominator"].notna()]
    if rows.empty or np.isnan(p0):
        return rows.iloc[0:0], pd.DataFrame(), float("nan")
    return rows, curve(p0, float(rows["denominator"].max()), multiplier,
                       n_min=float(rows["denominator"].min()) * 0.5), p0 * multiplier


def chance_sentence(areas: int) -> str:
    """One plain sentence on multiple testing: with many areas, one outside the 95% lines is likely by chance.

    Two-sided limits: an area falls outside the 95% lines by chance alone with probability 5%, so
    among ``areas`` independent areas at least one does with 1 − 0.95^areas.
    """
    if areas < 2:
        return ""
    p95, p998 = 1 - 0.95**areas, 1 - 0.998**areas
    return (f"Let op: bij {areas} gebieden ligt er door toeval alleen al met {_percent(p95)} kans minstens één "
            f"buiten de 95%-lijnen; tel daarom vooral de gebieden buiten de 99,8%-lijnen (kans door toeval "
            f"{_percent(p998)}).")


def _percent(p: float) -> str:
    """A chance in whole percents, never rounded up to a certainty ("meer dan 99%")."""
    return "meer dan 99%" if p > 0.99 else f"{round(p * 100):.0f}%"
