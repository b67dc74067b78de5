"""Area against a benchmark: Fingertips' "single overlapping confidence interval" comparer.

The benchmark (NL, the province, or the municipality for a postcode area) is a fixed value;
the verdict depends on whether it lies outside the area's 95% or 99.8% interval, read in the
direction of the indicator's polarity. Interval method and polarity come from the catalogue.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ks_data.schema import KEY
from ks_data.stats.intervals import METHOD_NAMES, intervals

SIMILAR, BETTER, WORSE = "vergelijkbaar", "beter", "slechter"
CLEARLY_BETTER, CLEARLY_WORSE = "duidelijk beter", "duidelijk slechter"
NOT_ASSESSED = "niet te beoordelen"
# Order used for legends and sorting: best first.
VERDICTS = [CLEARLY_BETTER, BETTER, SIMILAR, WORSE, CLEARLY_WORSE, NOT_ASSESSED]
# Which side of the benchmark is "better", by polarity: +1 means a higher area value is better.
DIRECTION = {"lower": -1, "higher": 1}


def verdicts(low95, high95, low998, high998, benchmark, polarity) -> np.ndarray:
    """Vectorised verdicts. A benchmark exactly on an interval limit counts as inside (similar)."""
    low95, high95 = np.asarray(low95, float), np.asarray(high95, float)
    low998, high998 = np.asarray(low998, float), np.asarray(high998, float)
    bm = np.asarray(benchmark, float)
    sign = np.asarray(pd.Series(np.asarray(polarity, dtype=object)).map(DIRECTION), float)
    area_higher95, area_lower95 = bm < low95, bm > high95
    area_higher998, area_lower998 = bm < low998, bm > high998
    better95 = np.where(sign > 0, area_higher95, area_lower95)
    worse95 = np.where(sign > 0, area_lower95, area_higher95)
    better998 = np.where(sign > 0, area_higher998, area_lower998)
    worse998 = np.where(sign > 0, area_lower998, area_higher998)
    out = np.full(bm.shape, SIMILAR, dtype=object)
    out[better95] = BETTER
    out[worse95] = WORSE
    out[better998] = CLEARLY_BETTER
    out[worse998] = CLEARLY_WORSE
    unknown = np.isnan(low95) | np.isnan(high95) | np.isnan(bm) | np.isnan(sign)
    out[unknown] = NOT_ASSESSED
    return out


def benchmark_codes(table: pd.DataFrame, areas: pd.DataFrame, against: str) -> pd.Series:
    """The benchmark area for each row: 'NL01', 'provincie' or 'gemeente' (the parent of a postcode area)."""
    code = table["area_code"].astype(str)
    if against == "NL01":
        return pd.Series("NL01", index=table.index)
    level = code.map(areas["level"])
    parent = code.map(areas["parent_code"])
    if against == "provincie":
        grandparent = parent.map(areas["parent_code"])
        out = pd.Series(np.where(level == "postcode", grandparent, np.where(level == "gemeente", parent, "")),
                        index=table.index)
        return out
    if against == "gemeente":
        return pd.Series(np.where(level == "postcode", parent, ""), index=table.index)
    raise ValueError(f"unknown benchmark {against!r}")


def compare(table: pd.DataFrame, catalogue: pd.DataFrame, areas: pd.DataFrame, against: str) -> pd.DataFrame:
    """Each row of ``table`` with its benchmark value (same indicator and period) and verdict.

    Columns added: benchmark_code, benchmark_value, low998, high998, verdict, method.
    Computed for the whole table at once (one merge, one vectorised interval call per method).
    """
    out = table.copy()
    out["benchmark_code"] = benchmark_codes(out, areas, against).astype(str)
    values = table[KEY + ["value"]].rename(columns={"area_code": "benchmark_code", "value": "benchmark_value"})
    values["benchmark_code"] = values["benchmark_code"].astype(str)
    keys = [k if k != "area_code" else "benchmark_code" for k in KEY]
    out = out.merge(values, on=keys, how="left", validate="many_to_one")
    out.index = table.index
    low95, high95 = intervals(out, catalogue, 0.95)
    low998, high998 = intervals(out, catalogue, 0.998)
    out["low998"], out["high998"] = low998, high998
    polarity = out["indicator_id"].map(catalogue["polarity"]).astype(object)
    is_self = out["benchmark_code"] == out["area_code"].astype(str)
    bm = out["benchmark_value"].where(~is_self)
    out["verdict"] = verdicts(low95, high95, low998, high998, bm, polarity)
    method = out["indicator_id"].map(catalogue["ci_method"]).astype(object).map(METHOD_NAMES)
    out["method"] = np.where(out["verdict"] == NOT_ASSESSED, "", method.fillna(""))
    return out


def not_assessed_reason(row: pd.Series) -> str:
    """Why a row could not be judged, in plain Dutch."""
    if pd.isna(row.get("value")):
        return "geen waarde"
    if pd.isna(row.get("numerator")) or pd.isna(row.get("denominator")):
        return "bron geeft geen aantallen, dus geen betrouwbaarheidsinterval"
    if pd.isna(row.get("benchmark_value")):
        return "geen vergelijkingswaarde voor dezelfde periode"
    return ""
