"""Figures of a group of municipalities — a coalition of several, a region — from its members' counts.

A group's figure for a period is the sum of its members' counts (numerator and denominator) for exactly that
period, and exists only when every member has counts the source gave for it (a count implied by a rounded value
is no count) and all of one definition; else the group has no figure for that period, and its pages say why.
The rows are observations like any other: pooled into blocks, protected by the province's joint audit
(:mod:`ks_data.publish.linked`, where a group's figure is one more relation over its members) and judged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ks_data.stats.intervals import fill_intervals

KEY = ["indicator_id", "period_label", "period_start", "period_end"]
NOT_ALL = "niet alle gemeenten van de groep hebben aantallen voor deze periode"


def group_rows(obs: pd.DataFrame, catalogue: pd.DataFrame, groups: dict[str, tuple[str, ...]],
               names: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per group, indicator and period in which every member has counts (intervals computed)."""
    names = names or {}
    counted = obs[obs["numerator"].notna() & obs["denominator"].notna()]
    parts = []
    for code, members in groups.items():
        rows = counted[counted["area_code"].isin(list(members))]
        if rows.empty:
            continue
        rows = rows.assign(definition=rows["definition"].astype(str) if "definition" in rows else "",
                           area_code=rows["area_code"].astype(str), retrieved=rows["retrieved"].astype(str),
                           source=rows["source"].astype(str))
        for col in ["indicator_id", "period_label"]:
            rows[col] = rows[col].astype(str)
        summed = rows.groupby(KEY, dropna=False, sort=False).agg(
            numerator=("numerator", "sum"), denominator=("denominator", "sum"), areas=("area_code", "nunique"),
            rows=("area_code", "size"), definitions=("definition", "nunique"), definition=("definition", "first"),
            unit=("unit", "first"), source=("source", "first"), retrieved=("retrieved", "max"),
            is_example=("is_example", "any")).reset_index()
        summed = summed[(summed["areas"] == len(members)) & (summed["rows"] == len(members))
                        & (summed["definitions"] <= 1)]
        if summed.empty:
            continue
        who = ", ".join(names.get(m, m) for m in members)
        parts.append(summed.drop(columns=["areas", "rows", "definitions"]).assign(
            area_code=code, source_detail=f"opgeteld over de aantallen van {who}", note=""))
    if not parts:
        return obs.iloc[0:0].copy()
    out = pd.concat(parts, ignore_index=True)
    meta = catalogue.loc[out["indicator_id"]]
    with np.errstate(divide="ignore", invalid="ignore"):
        value = out["numerator"] / out["denominator"] * meta["multiplier"].astype(float).to_numpy()
    decimals = meta["decimals"].astype(int).to_numpy()
    out["value"] = [round(v, d) if np.isfinite(v) else np.nan for v, d in zip(value, decimals)]
    out["decimals"] = pd.array(decimals, dtype="Int64")
    out["ci_low"], out["ci_high"], out["ci_computed"] = np.nan, np.nan, True
    for col in ["period_start", "period_end"]:
        out[col] = out[col].astype("Int64")
    out = fill_intervals(out, catalogue)
    return out[[c for c in obs.columns if c in out.columns]]
