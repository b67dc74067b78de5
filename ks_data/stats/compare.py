"""Area against a benchmark: Fingertips' "single overlapping confidence interval" comparer.

The benchmark (NL, the province, or the municipality for a postcode area) is a fixed value: its own
unrounded figure, from its counts where it has them (as Fingertips compares with the comparator's value),
never the rounded value a page displays beside the verdict. The verdict depends on whether it lies
outside the area's 95% or 99.8% interval, read in the direction of the indicator's polarity. Interval
method and polarity come from the catalogue.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ks_data.stats.intervals import METHOD_NAMES, _per_row, intervals
from ks_data.vocab import (  # noqa: F401  (re-exported for the statistics' callers)
    BETTER,
    CLEARLY_BETTER,
    CLEARLY_WORSE,
    NOT_ASSESSED,
    POLARITIES,
    SIMILAR,
    VERDICTS,
    WORSE,
)


def verdict_codes(low95, high95, low998, high998, benchmark, polarity) -> np.ndarray:
    """Vectorised verdicts as positions in VERDICTS. A benchmark exactly on a limit counts as inside."""
    low95, high95 = np.asarray(low95, float), np.asarray(high95, float)
    low998, high998 = np.asarray(low998, float), np.asarray(high998, float)
    bm = np.asarray(benchmark, float)
    polarity = np.asarray(polarity, dtype=object)
    higher_better = polarity == "higher"
    with np.errstate(invalid="ignore"):
        area_higher95, area_lower95 = bm < low95, bm > high95
        area_higher998, area_lower998 = bm < low998, bm > high998
    better95 = np.where(higher_better, area_higher95, area_lower95)
    worse95 = np.where(higher_better, area_lower95, area_higher95)
    better998 = np.where(higher_better, area_higher998, area_lower998)
    worse998 = np.where(higher_better, area_lower998, area_higher998)
    out = np.full(bm.shape, VERDICTS.index(SIMILAR), dtype=np.int8)
    out[better95] = VERDICTS.index(BETTER)
    out[worse95] = VERDICTS.index(WORSE)
    out[better998] = VERDICTS.index(CLEARLY_BETTER)
    out[worse998] = VERDICTS.index(CLEARLY_WORSE)
    unknown = np.isnan(low95) | np.isnan(high95) | np.isnan(bm) | ~np.isin(polarity, list(POLARITIES))
    out[unknown] = VERDICTS.index(NOT_ASSESSED)
    return out


def verdicts(low95, high95, low998, high998, benchmark, polarity) -> np.ndarray:
    """The verdict words (see :func:`verdict_codes`)."""
    return np.asarray(VERDICTS, dtype=object)[verdict_codes(low95, high95, low998, high998, benchmark, polarity)]


def _categorical(column: pd.Series) -> pd.Categorical:
    return column.array if isinstance(column.dtype, pd.CategoricalDtype) else pd.Categorical(column.astype(str))


def benchmark_codes(table: pd.DataFrame, areas: pd.DataFrame, against: str) -> pd.Categorical:
    """The benchmark area for each row: 'NL01', the province, the municipality of a postcode area, or one given
    area of the table (a region, a coalition).

    Worked out once per distinct area (the categories), then spread over the rows by their codes.
    The result shares the categories of ``area_code`` so that lookups stay integer work.
    """
    area = _categorical(table["area_code"])
    distinct = pd.Series(area.categories.astype(str))
    level = distinct.map(areas["level"])
    parent = distinct.map(areas["parent_code"])
    if against == "NL01":
        bm = np.full(len(distinct), "NL01", dtype=object)
    elif against == "provincie":
        bm = np.where(level == "postcode", parent.map(areas["parent_code"]),
                      np.where(level.isin(["gemeente", "coalitie", "regio"]), parent, ""))
    elif against == "gemeente":
        bm = np.where(level == "postcode", parent, "")
    else:  # one area for every row (a region, a coalition); no verdicts where the table has no rows of it
        bm = np.full(len(distinct), against, dtype=object)
    categories = pd.Index(area.categories.astype(str))
    bm_codes = categories.get_indexer(pd.Index(bm, dtype=object))  # -1 where the benchmark is not in the table
    row_codes = np.where(area.codes >= 0, bm_codes[area.codes], -1)
    return pd.Categorical.from_codes(row_codes, categories=area.categories)


def _period_key(table: pd.DataFrame) -> np.ndarray:
    """One integer per (indicator, period label, period start, period end), from category codes."""
    ind = _categorical(table["indicator_id"]).codes.astype(np.int64)
    label = _categorical(table["period_label"]).codes.astype(np.int64)
    start = table["period_start"].to_numpy(dtype=float, na_value=np.nan)
    end = table["period_end"].to_numpy(dtype=float, na_value=np.nan)
    start = np.nan_to_num(start - 1800, nan=0).astype(np.int64)  # years 1900–2100 → 100–300; missing → 0
    end = np.nan_to_num(end - 1800, nan=0).astype(np.int64)
    return ((ind * (label.max(initial=0) + 2) + label + 1) * 512 + start) * 512 + end


def _lookup(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Position of each wanted key among ``keys`` (unique), or -1: a sorted search, no Python loop."""
    order = np.argsort(keys, kind="stable")
    found = np.searchsorted(keys[order], wanted)
    found = np.clip(found, 0, len(keys) - 1)
    hit = keys[order][found] == wanted if len(keys) else np.zeros(len(wanted), bool)
    return np.where(hit, order[found] if len(keys) else -1, -1)


def exact_values(table: pd.DataFrame, catalogue: pd.DataFrame) -> np.ndarray:
    """Each row's unrounded figure: numerator / denominator in the unit where it has counts, else its value.

    A source, a pooled block and a group figure give ``value`` rounded to the decimals shown; a verdict
    compares with the figure itself, so a rounding cannot move a benchmark across an interval's end.
    """
    mult = _per_row(table, catalogue["multiplier"]).astype(float)
    num = table["numerator"].to_numpy(dtype=float, na_value=np.nan)
    den = table["denominator"].to_numpy(dtype=float, na_value=np.nan)
    value = table["value"].to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        counted = ~np.isnan(num) & ~np.isnan(den) & (den > 0) & (num >= 0) & ~np.isnan(value)
        return np.where(counted, num / den * mult, value)


def compare(table: pd.DataFrame, catalogue: pd.DataFrame, areas: pd.DataFrame, against: str) -> pd.DataFrame:
    """Each row of ``table`` with its benchmark value (same indicator and period) and verdict.

    Columns added: benchmark_code, benchmark_value (as the benchmark's source gives it, for display),
    benchmark_exact (its unrounded figure, which the verdict uses), low998, high998, verdict, method.
    Column-wise for the whole table: the benchmark row is found with one index lookup on (indicator,
    period, area).
    """
    out = table.copy()
    area = _categorical(out["area_code"])
    codes = benchmark_codes(out, areas, against)
    group = _period_key(out) * (len(area.categories) + 1)
    position = _lookup(group + area.codes, group + codes.codes)
    position[codes.codes < 0] = -1
    values = out["value"].to_numpy(dtype=float)
    out["benchmark_code"] = codes
    out["benchmark_value"] = np.where(position >= 0, values[position], np.nan)
    exact = exact_values(out, catalogue)
    out["benchmark_exact"] = np.where(position >= 0, exact[position], np.nan)
    if "decimals" in out:  # the benchmark is shown with its own source's precision
        decimals = out["decimals"].to_numpy(dtype=float, na_value=np.nan)
        out["benchmark_decimals"] = pd.array(np.where(position >= 0, decimals[position], np.nan)).astype("Int64")
    low95, high95 = intervals(out, catalogue, 0.95)
    low998, high998 = intervals(out, catalogue, 0.998)
    out["low998"], out["high998"] = low998, high998
    polarity = _per_row(out, catalogue["polarity"])
    is_self = codes.codes == area.codes
    # a figure of another definition (ages 18+ against 19-45) is no benchmark: no verdict
    defs = out["definition"].astype(str).to_numpy() if "definition" in out else np.full(len(out), "", dtype=object)
    other = (position >= 0) & (np.where(position >= 0, defs[position], "") != defs)
    out["benchmark_definition_differs"] = other
    bm = np.where(is_self | other, np.nan, out["benchmark_exact"].to_numpy())
    verdict = verdict_codes(low95, high95, low998, high998, bm, polarity)
    out["verdict"] = pd.Categorical.from_codes(verdict, categories=VERDICTS)
    names = ["", *METHOD_NAMES.values()]
    method = pd.Index(names).get_indexer(pd.Series(_per_row(out, catalogue["ci_method"])).map(METHOD_NAMES).fillna(""))
    method[verdict == VERDICTS.index(NOT_ASSESSED)] = 0
    out["method"] = pd.Categorical.from_codes(method, categories=names)
    return out


def not_assessed_reason(row: pd.Series) -> str:
    """Why a row could not be judged, in plain Dutch."""
    if bool(row.get("suppressed", False)):
        return "verborgen: te kleine aantallen"
    if pd.isna(row.get("value")):
        return "geen waarde"
    if pd.isna(row.get("numerator")) or pd.isna(row.get("denominator")):
        return "bron geeft geen aantallen, dus geen betrouwbaarheidsinterval"
    if bool(row.get("benchmark_definition_differs", False)):
        return "de vergelijkingswaarde heeft een andere definitie"
    if pd.isna(row.get("benchmark_value")):
        return "geen zichtbare vergelijkingswaarde voor dezelfde periode"
    return ""
