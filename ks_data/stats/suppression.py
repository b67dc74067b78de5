"""Small numbers: primary and secondary suppression, and pooling years for postcode areas.

Rule (after regiobeeld, RIVM and Public Health Scotland): a count below the threshold — of
the category or of its complement — is not shown, nor its rate or interval. A postcode value
that could be worked back from the municipality total minus the other areas is hidden too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ks_data.schema import KEY

PRIMARY = "minder dan {t} in de teller of de rest van de noemer"
SECONDARY = "verborgen om terugrekenen uit het gemeentetotaal te voorkomen"
HIDDEN_COLUMNS = ["value", "numerator", "ci_low", "ci_high", "low998", "high998"]


def mark_suppression(table: pd.DataFrame, areas: pd.DataFrame, threshold: int = 10) -> pd.DataFrame:
    """Add ``suppressed`` (bool) and ``suppression_reason``; the values themselves are untouched."""
    out = table.copy()
    num, den = out["numerator"], out["denominator"]
    primary = num.notna() & ((num < threshold) | (den.notna() & ((den - num) < threshold)))
    out["suppressed"] = primary.to_numpy()
    out["suppression_reason"] = np.where(primary, PRIMARY.format(t=threshold), "")

    code = out["area_code"].astype(str)
    is_pc = code.map(areas["level"]).eq("postcode")
    if is_pc.any():
        parent = code.map(areas["parent_code"])
        group_keys = [k for k in KEY if k != "area_code"]
        pcs = out[is_pc].assign(_parent=parent[is_pc])
        # Only groups whose municipality total is published can be subtracted from.
        totals = out[~is_pc][group_keys + ["area_code", "numerator"]].rename(
            columns={"area_code": "_parent", "numerator": "_total"})
        totals["_parent"] = totals["_parent"].astype(str)
        pcs = pcs.reset_index().merge(totals, on=group_keys + ["_parent"], how="left").set_index("index")
        pcs = pcs[pcs["_total"].notna() & pcs["numerator"].notna()]
        gkeys = group_keys + ["_parent"]
        hidden = pcs.groupby(gkeys, dropna=False, observed=True)["suppressed"].transform("sum")
        candidates = pcs[(hidden == 1) & ~pcs["suppressed"]]
        if len(candidates):
            # Hide the smallest other area: the least information lost.
            extra = candidates.sort_values("numerator").groupby(gkeys, dropna=False, observed=True).head(1).index
            out.loc[extra, "suppressed"] = True
            out.loc[extra, "suppression_reason"] = SECONDARY
    return out


def apply_suppression(table: pd.DataFrame) -> pd.DataFrame:
    """Blank the value, count and interval of suppressed rows (for display and export)."""
    out = table.copy()
    out.loc[out["suppressed"], [c for c in HIDDEN_COLUMNS if c in out.columns]] = np.nan
    return out


def pool_years(table: pd.DataFrame, threshold: int = 10, max_years: int = 5,
               check_areas: list[str] | None = None) -> tuple[pd.DataFrame, str]:
    """Pool consecutive annual periods of a set of areas until every area passes the threshold.

    ``table`` holds annual rows (one indicator, several areas). Windows end at the latest year
    and go back in non-overlapping blocks of the same length. Returns the pooled rows (value
    recomputed from the summed counts, in the unit's multiplier) and a Dutch description of the
    years pooled. If even ``max_years`` does not suffice, the pooled rows are returned with the
    areas still below the threshold left for suppression to hide. Only ``check_areas`` (default:
    all) must pass; the others (benchmarks) are pooled over the same years.
    """
    annual = table[(table["period_start"] == table["period_end"]) & table["numerator"].notna()].copy()
    if annual.empty:
        return annual, "geen jaarcijfers met aantallen"
    last = int(annual["period_end"].max())
    chosen = max_years
    for width in range(1, max_years + 1):
        block = annual[annual["period_end"] > last - width]
        if check_areas is not None:
            block = block[block["area_code"].astype(str).isin(check_areas)]
        sums = block.groupby("area_code", observed=True)[["numerator", "denominator"]].sum()
        if ((sums["numerator"] >= threshold) & (sums["denominator"] - sums["numerator"] >= threshold)).all():
            chosen = width
            break
    block_no = (last - annual["period_end"].astype(int)) // chosen
    annual["_block"] = block_no
    keys = ["indicator_id", "area_code", "_block"]
    agg = annual.groupby(keys, observed=True).agg(
        numerator=("numerator", "sum"), denominator=("denominator", "sum"),
        period_start=("period_end", "min"), period_end=("period_end", "max"), n_years=("period_end", "nunique"),
        unit=("unit", "first"), source=("source", "first"), retrieved=("retrieved", "max"),
        is_example=("is_example", "max")).reset_index()
    agg = agg[agg["n_years"] == chosen].drop(columns=["_block", "n_years"])
    multiplier = agg["unit"].astype(str).map({"per1000": 1000.0, "%": 100.0})
    agg["value"] = (agg["numerator"] / agg["denominator"] * multiplier).round(1)
    agg["period_label"] = np.where(agg["period_start"] == agg["period_end"], agg["period_end"].astype(str),
                                   agg["period_start"].astype(str) + "–" + agg["period_end"].astype(str))
    agg["ci_low"] = agg["ci_high"] = np.nan
    agg["source_detail"], agg["note"] = "samengevoegde jaren", ""
    desc = ("losse jaren" if chosen == 1 else f"{chosen} jaar samengevoegd ({last - chosen + 1}–{last})")
    return agg, desc
