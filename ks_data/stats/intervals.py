"""Confidence intervals, column-wise over whole tables.

Wilson score for proportions and exact Poisson for rates come from statsmodels; Byar's
approximation (PHE's choice from 10 events) is kept to reproduce PHE's published values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import confint_poisson

from ks_data.vocab import CI_METHOD_NAMES

LEVELS = (0.95, 0.998)


def z_value(confidence: float) -> float:
    return float(norm.ppf(1 - (1 - confidence) / 2))


def wilson(count, total, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of count/total, as proportions (0–1)."""
    count = np.asarray(count, dtype=float)
    total = np.asarray(total, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        low, high = proportion_confint(count, total, alpha=1 - confidence, method="wilson")
    return np.asarray(low, dtype=float), np.asarray(high, dtype=float)


def poisson_exact(count, exposure, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) Poisson interval of the rate count/exposure.

    The interval of a count does not depend on the exposure, so statsmodels is asked once per
    distinct count and the result divided by each exposure: a national table has few distinct counts.
    """
    count = np.asarray(count, dtype=float)
    exposure = np.asarray(exposure, dtype=float)
    distinct, position = np.unique(count, return_inverse=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        low, high = confint_poisson(distinct, np.ones_like(distinct), method="exact-c", alpha=1 - confidence)
    low = np.where(distinct == 0, 0.0, low)  # scipy gives nan for chi2 with 0 df; the bound is 0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(low)[position] / exposure, np.asarray(high)[position] / exposure


def byar(count, exposure, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Byar's approximation to the exact Poisson interval (Breslow & Day 1987), as PHE uses from 10 events."""
    o = np.asarray(count, dtype=float)
    e = np.asarray(exposure, dtype=float)
    z = z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        low = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
        high = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * np.sqrt(o + 1))) ** 3
    return low / e, high / e


CI_METHODS = {"wilson": wilson, "poisson_exact": poisson_exact}
METHOD_NAMES = CI_METHOD_NAMES


def _per_row(table: pd.DataFrame, values: pd.Series) -> np.ndarray:
    """Catalogue attribute per row; via the category codes when the column is categorical (fast)."""
    ids = table["indicator_id"]
    if isinstance(ids.dtype, pd.CategoricalDtype):
        lookup = pd.Series(ids.cat.categories).map(values).to_numpy()
        codes = ids.cat.codes.to_numpy()
        return np.where(codes >= 0, lookup[codes], None) if (codes < 0).any() else lookup[codes]
    return ids.map(values).to_numpy()


def _rows_of(table: pd.DataFrame, indicators: pd.Index) -> np.ndarray:
    """Whether each row's indicator is one of ``indicators`` (on category codes when it can)."""
    ids = table["indicator_id"]
    if isinstance(ids.dtype, pd.CategoricalDtype):
        wanted = np.append(ids.cat.categories.isin(indicators), False)  # code -1 (missing) → last: False
        return wanted[ids.cat.codes.to_numpy()]
    return ids.isin(indicators).to_numpy()


def intervals(table: pd.DataFrame, catalogue: pd.DataFrame, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Interval bounds in the unit of each row (per 1000 or %), NaN where counts are missing.

    One vectorised call per method: the method and multiplier come from the catalogue.
    """
    mult = _per_row(table, catalogue["multiplier"]).astype(float)
    num = table["numerator"].to_numpy(dtype=float)
    den = table["denominator"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        usable = ~np.isnan(num) & ~np.isnan(den) & (den > 0) & (num >= 0)
    low = np.full(len(table), np.nan)
    high = np.full(len(table), np.nan)
    for name, func in CI_METHODS.items():
        rows = usable & _rows_of(table, catalogue.index[catalogue["ci_method"] == name])
        if rows.any():
            lo, hi = func(num[rows], den[rows], confidence)
            # every indicator is a share of its denominator: an exact Poisson bound for a handful of births
            # (0 of 1 gives 3.7) cannot lie above all of them
            low[rows], high[rows] = lo * mult[rows], np.minimum(hi, 1.0) * mult[rows]
    return low, high


def fill_intervals(table: pd.DataFrame, catalogue: pd.DataFrame, copy: bool = True) -> pd.DataFrame:
    """Fill the 95% ``ci_low``/``ci_high`` from the counts where the source gave none.

    ``copy=False`` fills the given table itself (the loader's own, fresh table: a national table is large).
    """
    low, high = intervals(table, catalogue, 0.95)
    out = table.copy() if copy else table
    empty = (out["ci_low"].isna() & out["ci_high"].isna()).to_numpy()
    out["ci_low"] = np.where(empty, low, out["ci_low"].to_numpy(dtype=float))
    out["ci_high"] = np.where(empty, high, out["ci_high"].to_numpy(dtype=float))
    return out


def ci_missing_reason(table: pd.DataFrame) -> pd.Series:
    """Why a row has no interval (Dutch, for the app); empty where it has one."""
    reason = pd.Series("", index=table.index, dtype=object)
    no_ci = table["ci_low"].isna()
    reason[no_ci & table["value"].isna()] = "geen waarde"
    reason[no_ci & table["value"].notna()] = "bron geeft geen aantallen (teller en noemer)"
    return reason
