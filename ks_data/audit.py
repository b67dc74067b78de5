"""The disclosure audit: how narrowly can each hidden count be worked out from what is published?

As statistical offices audit a suppressed table (τ-ARGUS), every published figure of one
indicator for a municipality and its postcode areas is written as a sum of unknown atomic
counts — one per postcode area (or the municipality, where there are none) and year. A shown
figure fixes its sum; a hidden one only says what the page says about it (below the threshold,
or its complement is) and that it lies between 0 and its published denominator. Linear
programming (scipy's ``linprog``) then gives, for every hidden count, the smallest and largest
value that is consistent with all of that. A figure hidden only to protect another is known not to
be small itself, and the part of a municipality outside its listed postcode areas has a
denominator anyone can work out: both are constraints too. A hidden count whose range holds fewer than
``min_range`` whole numbers is not protected, whatever the page shows.

The audit reads only the published view (shown counts, denominators, which cells are hidden
and why). The one thing it takes from the truth is which half of "fewer than the threshold in
the count or in its complement" holds: that tells an attacker more than the page does, so the
audit errs on the safe side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linprog

REST = "_rest"  # the part of a municipality outside its listed postcode areas, if the data show one


@dataclass(frozen=True)
class Problem:
    """The linear system of one indicator: rows are published cells, columns atomic counts."""
    cells: pd.DataFrame  # the published cells in the system (index: the cells' index in the view)
    support: np.ndarray  # cells × atoms, 0/1
    rest_support: np.ndarray  # rest-of-municipality periods × atoms, 0/1
    rest_bound: np.ndarray  # their denominators: municipality minus its postcode areas, all published


def _system(cells: pd.DataFrame, municipality: str, postcodes: list[str], rest: bool) -> Problem:
    """Support matrix for the dated cells of one indicator (municipality and its postcode areas)."""
    has_pc = cells["area_code"].isin(postcodes).any()
    rest = rest and has_pc
    leaves = (list(postcodes) + ([REST] if rest else [])) if has_pc else [municipality]
    first, last = int(cells["period_start"].min()), int(cells["period_end"].max())
    years = list(range(first, last + 1))

    def atoms(leaf: int, start, end) -> slice:
        return slice(leaf * len(years) + int(start) - first, leaf * len(years) + int(end) - first + 1)

    support = np.zeros((len(cells), len(leaves) * len(years)))
    for i, (area, start, end) in enumerate(zip(cells["area_code"], cells["period_start"], cells["period_end"])):
        for leaf in range(len(leaves)) if area == municipality else [leaves.index(area)]:
            support[i, atoms(leaf, start, end)] = 1
    # The rest's count cannot exceed its denominator, which anyone can work out by subtraction.
    rest_rows, bounds = [], []
    if rest:
        for (start, end), rows in cells.groupby(["period_start", "period_end"]):
            total = rows[rows["area_code"] == municipality]["denominator"]
            parts = rows[rows["area_code"].isin(postcodes)]["denominator"]
            if len(total) and total.notna().all() and len(parts) == len(postcodes) and parts.notna().all():
                row = np.zeros(len(leaves) * len(years))
                row[atoms(len(leaves) - 1, start, end)] = 1
                rest_rows.append(row)
                bounds.append(float(total.iloc[0]) - float(parts.sum()))
    width = len(leaves) * len(years)
    return Problem(cells, support, np.array(rest_rows).reshape(-1, width), np.array(bounds, dtype=float))


def _ranges(problem: Problem, threshold: int) -> pd.DataFrame:
    cells, a = problem.cells, problem.support
    shown = ~cells["suppressed"].to_numpy(bool)
    a_eq, b_eq = a[shown], cells["numerator"].to_numpy(float)[shown]
    den = cells["denominator"].to_numpy(float)
    ub_rows, ub = [a[~np.isnan(den)]], [den[~np.isnan(den)]]
    low_side = cells["hidden_small"].to_numpy(bool) & ~shown
    primary = cells["hidden_kind"].eq("primary").to_numpy() & ~shown
    # What the page says about a primary cell: the count (or its complement) is below the threshold.
    ub_rows.append(a[primary & low_side])
    ub.append(np.full(int((primary & low_side).sum()), threshold - 1.0))
    high = primary & ~low_side & ~np.isnan(den)
    ub_rows.append(-a[high])
    ub.append(-(den[high] - threshold + 1))
    # A cell hidden to protect another is not small itself: its count and complement reach the threshold.
    secondary = cells["hidden_kind"].eq("secondary").to_numpy() & ~shown & ~np.isnan(den)
    ub_rows += [-a[secondary], a[secondary]]
    ub += [np.full(int(secondary.sum()), -float(threshold)), den[secondary] - threshold]
    ub_rows.append(problem.rest_support)
    ub.append(problem.rest_bound)
    a_ub, b_ub = np.vstack(ub_rows), np.concatenate(ub)
    out = []
    for i in np.flatnonzero(~shown):
        bounds = []
        for sign in (1.0, -1.0):
            res = linprog(sign * a[i], A_ub=a_ub, b_ub=b_ub, A_eq=a_eq if len(a_eq) else None,
                          b_eq=b_eq if len(b_eq) else None, bounds=(0, None), method="highs")
            bounds.append(sign * res.fun if res.status == 0 else (0.0 if sign > 0 else math.inf))
        low, high_ = bounds
        values = math.floor(high_ + 1e-6) - math.ceil(low - 1e-6) + 1 if math.isfinite(high_) else math.inf
        out.append({"cell": cells.index[i], "low": low, "high": high_, "values": values})
    return pd.DataFrame(out, columns=["cell", "low", "high", "values"])


def audit(view: pd.DataFrame, municipality: str, postcodes: list[str], threshold: int,
          rest_indicators: set[str] = frozenset()) -> pd.DataFrame:
    """For every hidden dated cell with a denominator: the range of its count given what is published.

    ``view`` holds the published cells with ``suppressed``, ``hidden_kind`` ('primary' or
    'secondary'), ``hidden_small`` (the count, not its complement, is the small one) and the
    published ``numerator`` (empty where hidden) and ``denominator``. Returns one row per hidden
    cell: its index in ``view``, indicator, area, period, ``low``, ``high`` and ``values`` (how
    many whole numbers the range holds).
    """
    local = view[view["area_code"].isin([municipality, *postcodes]) & view["period_start"].notna()
                 & view["period_end"].notna() & (view["numerator"].notna() | view["suppressed"])]
    parts = []
    for indicator, cells in local.groupby("indicator_id", observed=True, sort=True):
        if not cells["suppressed"].any():
            continue
        problem = _system(cells, municipality, postcodes, indicator in rest_indicators)
        ranges = _ranges(problem, threshold)
        parts.append(ranges)
    if not parts:
        return pd.DataFrame(columns=["cell", "indicator_id", "area_code", "period_label", "low", "high", "values"])
    out = pd.concat(parts, ignore_index=True)
    info = view.loc[out["cell"], ["indicator_id", "area_code", "period_label"]].astype(str).reset_index(drop=True)
    return pd.concat([out[["cell"]], info, out[["low", "high", "values"]]], axis=1).sort_values("values")
