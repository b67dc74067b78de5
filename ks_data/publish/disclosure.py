"""Disclosure control for one municipality: which figures may be published, decided once.

Design (explained in plain Dutch on "Over de data"):

1. **Postcode areas only over fixed blocks of years.** Single years of a postcode area are
   never published; its counts are summed over fixed, non-overlapping blocks of
   ``postcode_block_years`` years (2015–2019, 2020–2024, …; only complete blocks). Fixed
   blocks cannot be subtracted from each other, unlike blocks that move with every new year.
   The municipality, the province and the Netherlands get a row for the same block, so that a
   postcode area is compared over the same years.
2. **Primary suppression.** A count below the threshold — of the category or of its
   complement (denominator − count) — is hidden with its value, interval and verdict.
3. **Complementary suppression, checked by the audit.** Postcode blocks add up to the
   municipality's block, and a block adds up to its years. After primary suppression the
   audit (:mod:`ks_data.publish.audit`) computes how narrowly each hidden count can be worked back
   from everything published; while one can be narrowed to fewer than ``min_hidden_range``
   values, one more figure of the same relation is hidden (a postcode area before the
   municipality, the smallest count first), and the audit runs again.

Counts are never rounded: what is shown is the source's figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ks_data.publish.audit import REST, audit, unsafe
from ks_data.table.config import Municipality, Settings
from ks_data.vocab import hidden_reason

MAX_ROUNDS = 60


class UnsafeView(RuntimeError):
    """A view whose own audit still finds a narrow hidden count: refused, never published."""

    def __init__(self, code: str, narrow: pd.DataFrame):
        cells = ", ".join(f"{r.indicator_id} {r.area_code} {r.period_label}" for r in narrow.head(5).itertuples())
        super().__init__(f"{code}: {len(narrow)} hidden count(s) can still be worked back ({cells})")
        self.narrow = narrow


def block_of(year: int, settings: Settings) -> tuple[int, int]:
    """The fixed block of years that holds ``year``."""
    width = settings.postcode_block_years
    start = settings.postcode_block_start + ((year - settings.postcode_block_start) // width) * width
    return start, start + width - 1


def _label(start: int, end: int) -> str:
    return str(end) if start == end else f"{start}–{end}"


def _block_start(ends: pd.Series, settings: Settings) -> pd.Series:
    """The first year of the fixed block holding each year (vectorised ``block_of``)."""
    width, anchor = settings.postcode_block_years, settings.postcode_block_start
    return anchor + ((ends.astype("int64") - anchor) // width) * width


def _latest_first(retrieved: pd.Series) -> pd.Series:
    """Retrieval dates (ISO text) in an order ``max`` can read: a categorical of them is made ordered."""
    if isinstance(retrieved.dtype, pd.CategoricalDtype):
        return retrieved.cat.reorder_categories(sorted(retrieved.cat.categories, key=str), ordered=True)
    return retrieved


def _pooled(rows: pd.DataFrame, catalogue: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """One derived row per (indicator, area, block) whose every year has an annual row with counts.

    Years of two definitions are never pooled into one figure. Grouped in one pass (no per-area Python),
    because a national table has thousands of areas.
    """
    width = settings.postcode_block_years
    annual = rows[(rows["period_start"] == rows["period_end"]) & rows["numerator"].notna()
                  & rows["denominator"].notna()]
    if annual.empty:
        return annual.iloc[0:0].assign(block_start=pd.Series(dtype="int64"))
    annual = annual.assign(block_start=_block_start(annual["period_end"], settings).to_numpy(),
                           implied=annual.get("numerator_implied", pd.Series(False, index=annual.index))
                           .fillna(False).astype(bool).to_numpy(),
                           definition=annual["definition"] if "definition" in annual else "",
                           retrieved=_latest_first(annual["retrieved"]))
    group = annual.groupby(["indicator_id", "area_code", "block_start"], observed=True, sort=False)
    out = group.agg(numerator=("numerator", "sum"), denominator=("denominator", "sum"),
                    years=("period_end", "nunique"), definitions=("definition", "nunique"),
                    definition=("definition", "first"), retrieved=("retrieved", "max"), unit=("unit", "first"),
                    source=("source", "first"), is_example=("is_example", "first"),
                    numerator_implied=("implied", "any")).reset_index()
    out = out[(out["years"] == width) & (out["definitions"] <= 1)].drop(columns=["years", "definitions"])
    meta = catalogue.loc[out["indicator_id"].astype(str)]
    start = out["block_start"].astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        value = out["numerator"] / out["denominator"] * meta["multiplier"].astype(float).to_numpy()
    decimals = meta["decimals"].astype(int).to_numpy()
    return out.assign(
        period_start=start, period_end=start + width - 1,
        period_label=[_label(b, b + width - 1) for b in start],
        value=[round(v, d) if np.isfinite(v) else np.nan for v, d in zip(value, decimals)],
        decimals=decimals, ci_low=np.nan, ci_high=np.nan, ci_computed=True,
        source_detail=[f"samengevoegd uit de jaarcijfers {b}–{b + width - 1}" for b in start], note="", derived=True)


def pool_postcodes(obs: pd.DataFrame, catalogue: pd.DataFrame, municipality: Municipality,
                   settings: Settings) -> pd.DataFrame:
    """Replace the postcode areas' dated rows by fixed blocks; add the other areas' rows for those blocks."""
    obs = obs.assign(derived=False)
    width = settings.postcode_block_years
    is_pc = obs["area_code"].isin(list(municipality.postcode_areas))
    dated_pc = is_pc & obs["period_end"].notna()
    keep = obs[~dated_pc]
    # A postcode row without counts is kept only when its period is exactly one of the fixed blocks.
    uncounted = obs[dated_pc & obs["numerator"].isna()]
    on_block = ((_block_start(uncounted["period_end"], settings) == uncounted["period_start"])
                & (uncounted["period_end"] - uncounted["period_start"] == width - 1))
    added = [uncounted[on_block.to_numpy(dtype=bool)]]
    counted = obs[dated_pc & obs["numerator"].notna()]
    if len(counted):
        start = _block_start(counted["period_end"], settings)
        exact = (counted["period_start"] == start) & (counted["period_end"] == start + width - 1)
        added.append(counted[exact.to_numpy()])  # the source gives the block itself: kept as it is
        key = ["indicator_id", "area_code", "block_start"]
        given = counted[exact.to_numpy()].assign(block_start=start[exact].to_numpy())[key]
        pooled = _pooled(counted, catalogue, settings)
        pooled = pooled.merge(given.drop_duplicates(), on=key, how="left", indicator=True)
        added.append(pooled[pooled["_merge"] == "left_only"].drop(columns=["_merge"]))
        # the other areas (municipality, province, NL) get the same blocks, unless the source gives them
        wanted = counted[["indicator_id"]].assign(block_start=start.to_numpy()).drop_duplicates()
        others = obs[~is_pc & obs["indicator_id"].isin(wanted["indicator_id"].unique())]
        theirs = _pooled(others, catalogue, settings).merge(wanted, on=["indicator_id", "block_start"])
        dated = others[others["period_end"].notna() & others["period_start"].notna()]
        present = dated.assign(block_start=dated["period_start"].astype("int64"))[
            (dated["period_end"] - dated["period_start"] == width - 1).to_numpy()][key].drop_duplicates()
        theirs = theirs.merge(present, on=key, how="left", indicator=True)
        added.append(theirs[theirs["_merge"] == "left_only"].drop(columns=["_merge"]))
    added = [part.drop(columns=["block_start"], errors="ignore") for part in added if len(part)]
    out = pd.concat([keep, *added], ignore_index=True) if added else keep.reset_index(drop=True)
    for col in ["period_start", "period_end"]:
        out[col] = out[col].astype("Int64")
    return out


def primary(table: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Mark counts (or complements) below the threshold; keep which of the two for the audit."""
    out = table.copy()
    num, den = out["numerator"], out["denominator"]
    small = num.notna() & (num < threshold)
    small_rest = num.notna() & den.notna() & ((den - num) < threshold)
    out["suppressed"] = (small | small_rest).to_numpy()
    out["hidden_kind"] = np.where(out["suppressed"], "primary", "")
    out["hidden_small"] = small.to_numpy()
    out["suppression_reason"] = np.where(out["suppressed"], hidden_reason(threshold), "")
    return out


def _rest_indicators(table: pd.DataFrame, municipality: Municipality) -> set[str]:
    """Indicators whose postcode areas do not add up exactly to the municipality in some period."""
    pcs = list(municipality.postcode_areas)
    counted = table[table["numerator"].notna() & table["area_code"].isin([*pcs, municipality.code])]
    key = ["indicator_id", "period_label"]
    parts = counted[counted["area_code"].isin(pcs)].groupby(key, observed=True)["numerator"].agg(["sum", "size"])
    total = counted[counted["area_code"] == municipality.code].groupby(key, observed=True)["numerator"].first()
    both = parts.join(total.rename("total"), how="inner")
    apart = both[(both["sum"] != both["total"]) | (both["size"] != len(pcs))]
    return {str(ind) for ind in apart.index.get_level_values("indicator_id")}


def _rest_cells(view: pd.DataFrame, municipality: Municipality, rest: set[str], threshold: int) -> pd.DataFrame:
    """The part of the municipality outside its listed postcode areas, where it is small: a hidden cell too.

    Municipality minus the areas gives it exactly, so when its count (or complement) is below the
    threshold it must be protected like any small count. Grouped in one pass: this runs every audit round.
    """
    pcs = list(municipality.postcode_areas)
    counted = view[view["numerator"].notna() & view["indicator_id"].isin(rest)]
    key = ["indicator_id", "period_label"]
    totals = counted[counted["area_code"] == municipality.code]
    totals = totals.assign(no_den=totals["denominator"].isna()).groupby(key, observed=True).agg(
        rows=("numerator", "size"), num=("numerator", "first"), den=("denominator", "first"),
        no_den=("no_den", "any"), start=("period_start", "first"), end=("period_end", "first"))
    parts = counted[counted["area_code"].isin(pcs)].groupby(key, observed=True).agg(
        parts=("numerator", "size"), part_num=("numerator", "sum"), part_den=("denominator", "sum"))
    both = totals.join(parts, how="inner")
    both = both[(both["rows"] == 1) & (both["parts"] == len(pcs)) & ~both["no_den"]]
    num, den = both["num"] - both["part_num"], both["den"] - both["part_den"]
    # contradictory figures (num < 0 or den < num) are left to the audit, which reports them
    small = (num >= 0) & (den >= num) & ((num < threshold) | (den - num < threshold))
    if not small.any():
        return pd.DataFrame()
    both, num, den = both[small], num[small], den[small]
    ind = both.index.get_level_values("indicator_id").astype(str)
    label = both.index.get_level_values("period_label").astype(str)
    return pd.DataFrame({
        "indicator_id": ind, "area_code": REST, "period_start": both["start"].to_numpy(),
        "period_end": both["end"].to_numpy(), "period_label": label, "numerator": np.nan,
        "denominator": den.astype(float).to_numpy(), "suppressed": True, "hidden_kind": "primary",
        "hidden_small": (num < threshold).to_numpy(),
    }, index=pd.Index([f"rest|{i}|{lab}" for i, lab in zip(ind, label)], name="_cell"))


def _candidates(view: pd.DataFrame, cell, municipality: Municipality) -> pd.DataFrame:
    """Shown figures that share a relation with a hidden cell, the best one to hide next first."""
    me = view.loc[cell] if cell in view.index else None
    if me is None:  # a rest cell: "rest|indicator|label"
        _, indicator, label = str(cell).split("|", 2)
        me = view[(view["indicator_id"] == indicator) & (view["period_label"] == label)].iloc[0].copy()
        me["area_code"] = next(iter(municipality.postcode_areas))  # behaves like a postcode area
    pcs = set(municipality.postcode_areas)
    local = view[(view["indicator_id"] == me["indicator_id"]) & ~view["suppressed"] & view["numerator"].notna()
                 & view["area_code"].isin([municipality.code, *pcs])]
    same_period = (local["period_label"] == me["period_label"])
    if pd.notna(me["period_start"]):
        overlap = (local["period_start"] <= me["period_end"]) & (local["period_end"] >= me["period_start"])
    else:
        overlap = same_period
    overlap = overlap.fillna(False)
    is_pc = local["area_code"].isin(pcs)
    if me["area_code"] in pcs:  # a sibling postcode area first, then the municipality's other figures
        rank = np.select([same_period & is_pc, overlap & ~is_pc], [0, 1], 2)
        own_overlap = (local["area_code"] == me["area_code"]) & overlap & ~same_period
        if own_overlap.any() and _sibling_hidden(view, me, pcs):
            # still narrow with a sibling hidden: the area's own overlapping periods give it away (rolling
            # 5-year windows), and hiding one more sibling after another would not change that
            rank = np.where(own_overlap, -1, rank)
    else:  # another year of the municipality first, then a postcode area of the same years
        same_area = local["area_code"] == me["area_code"]
        rank = np.select([same_area & overlap & local["derived"].astype(bool), same_area & overlap,
                          overlap & is_pc], [0, 1, 2], 3)
    return local.assign(_rank=rank).sort_values(["_rank", "numerator"])


def _sibling_hidden(view: pd.DataFrame, me: pd.Series, pcs: set[str]) -> bool:
    """Whether another area of ``me``'s relation is hidden in the same period already."""
    return bool((view["suppressed"] & (view["indicator_id"] == me["indicator_id"])
                 & (view["period_label"] == me["period_label"]) & view["area_code"].isin(pcs)
                 & (view["area_code"] != me["area_code"])).any())


def _audit(view: pd.DataFrame, municipality: Municipality, settings: Settings, rest: set[str],
           exact: bool = True, memo: dict | None = None) -> pd.DataFrame:
    """The audit of every indicator; with ``memo``, an indicator whose hidden cells did not change since the
    last round keeps its result (a round usually hides figures of one or two indicators)."""
    counts = _published_counts(view)
    extra = _rest_cells(view, municipality, rest, settings.suppression_threshold)
    if len(extra):
        counts = pd.concat([counts, extra])
    floor = None if exact else settings.min_hidden_range
    pcs = list(municipality.postcode_areas)
    if memo is None:
        return audit(counts, municipality.code, pcs, settings.suppression_threshold, rest, floor)
    parts = []
    for indicator, cells in counts.groupby("indicator_id", observed=True, sort=True):
        key = tuple(cells.index[cells["suppressed"].astype(bool)])
        if memo.get(indicator, (None,))[0] != key:
            memo[indicator] = (key, audit(cells, municipality.code, pcs, settings.suppression_threshold, rest, floor))
        parts.append(memo[indicator][1])
    parts = [p for p in parts if len(p)]
    if not parts:
        return audit(counts.iloc[0:0], "", [], 0)
    # stable: tied narrow counts keep the table's order, whichever way the wide ranges were worked out
    return pd.concat(parts, ignore_index=True).sort_values("values", kind="stable")


def protect(table: pd.DataFrame, municipality: Municipality, settings: Settings,
            decided: pd.Series | None = None, exact: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Primary and complementary suppression until the audit finds no narrow hidden count.

    ``decided`` (hidden or not, by indicator, area and period) is what a wider view already decided
    for some cells — the national view for the municipality and its province: those hidden there
    are hidden here, those shown there are never chosen to be hidden here (it would not hide them).
    ``exact=False`` stops narrowing a hidden count's range once it is known to be wide enough (the
    national view, whose ranges only decide what to hide).

    Returns the table with ``suppressed``/``suppression_reason`` set (values untouched) and the
    last audit. Where no further figure can be hidden to protect a count (or the figures
    contradict each other), every figure of that indicator for the municipality and its
    postcode areas is hidden: nothing unsafe is ever returned as published.
    """
    view = primary(table, settings.suppression_threshold)
    reason = hidden_reason(settings.suppression_threshold)
    fixed = pd.Series(False, index=view.index)
    if decided is not None and len(decided):
        key = pd.MultiIndex.from_frame(view[["indicator_id", "area_code", "period_label"]].astype(str))
        above = decided.reindex(key).to_numpy()
        hide = (above == True) & ~view["suppressed"].to_numpy(bool)  # noqa: E712 — NaN where undecided
        view.loc[hide, ["suppressed", "hidden_kind", "suppression_reason"]] = [True, "secondary", reason]
        fixed[:] = above == False  # noqa: E712
    rest = _rest_indicators(view, municipality)
    local = view["area_code"].isin([municipality.code, *municipality.postcode_areas]) & view["numerator"].notna()
    local &= ~fixed
    memo: dict = {}
    for _ in range(MAX_ROUNDS):
        result = _audit(view, municipality, settings, rest, exact, memo)
        narrow = unsafe(result, settings.min_hidden_range)
        if narrow.empty:
            return view, result
        # contradictory figures, or a count that nothing more can protect: hide the indicator's figures
        give_up = set(narrow.loc[narrow["note"] == "tegenstrijdig", "indicator_id"])
        extra = []
        for cell, indicator in zip(narrow["cell"], narrow["indicator_id"]):
            if indicator in give_up:
                continue
            candidates = _candidates(view, cell, municipality)
            candidates = candidates[~candidates.index.isin(extra) & ~fixed.loc[candidates.index].to_numpy()]
            if len(candidates):
                extra.append(candidates.index[0])
            else:
                give_up.add(indicator)
        extra += list(view.index[local & view["indicator_id"].isin(give_up) & ~view["suppressed"]])
        extra = list(dict.fromkeys(extra))
        if not extra:
            break
        view.loc[extra, "suppressed"] = True
        view.loc[extra, "hidden_kind"] = np.where(view.loc[extra, "hidden_kind"] == "primary", "primary", "secondary")
        view.loc[extra, "suppression_reason"] = reason
    result = _audit(view, municipality, settings, rest, exact, memo)
    narrow = unsafe(result, settings.min_hidden_range)
    if len(narrow):  # rounds exhausted (overlapping periods can need many): hide the indicator's figures
        last = view.index[local & view["indicator_id"].isin(set(narrow["indicator_id"])) & ~view["suppressed"]]
        view.loc[last, ["suppressed", "suppression_reason"]] = [True, reason]
        view.loc[last, "hidden_kind"] = "secondary"
        result = _audit(view, municipality, settings, rest, exact, memo)
    narrow = unsafe(result, settings.min_hidden_range)
    if len(narrow):  # only figures a wider view decided to show are left to hide: never published like this
        raise UnsafeView(municipality.code, narrow)
    return view, result


AUDITED = ["indicator_id", "area_code", "period_start", "period_end", "period_label", "numerator", "denominator",
           "suppressed", "hidden_kind", "hidden_small"]  # what an audit of a protected view reads


def exact_ranges(protected: pd.DataFrame, municipality: Municipality, settings: Settings,
                 indicator_id: str) -> pd.DataFrame:
    """The full range of every hidden count of one indicator in a view :func:`protect` returned (its ``AUDITED``
    columns suffice). Each indicator is a system of its own, so this is exactly that indicator's part of an exact
    audit of the whole view; ``protect`` itself only needs to know that a range is wide enough."""
    rows = protected[protected["indicator_id"].astype(str) == indicator_id]
    return _audit(rows, municipality, settings, _rest_indicators(rows, municipality), exact=True)


def _published_counts(view: pd.DataFrame) -> pd.DataFrame:
    """What the audit may know: counts of shown cells only."""
    out = view[["indicator_id", "area_code", "period_start", "period_end", "period_label", "numerator",
                "denominator", "suppressed", "hidden_kind", "hidden_small"]].copy()
    out.loc[out["suppressed"], "numerator"] = np.nan
    return out
