"""The disclosure audit: how narrowly can each hidden count be worked out from what is published?

As statistical offices audit a suppressed table (τ-ARGUS), every published figure of one
indicator for a municipality and its postcode areas is written as a sum of unknown atomic
counts — one per postcode area (or the municipality, where there are none) and time slot (a
year, or an undated period such as "gepubliceerd 2024"). A shown figure fixes its sum; a hidden
one only says that it lies between 0 and its published denominator. Linear programming (scipy's
HiGHS, through ``highspy``) then gives, for every hidden count, the smallest and largest value consistent with
all of that. A hidden count whose range holds fewer whole numbers than the floor is not
protected, whatever the page shows.

Every hidden figure carries the same wording, so a reader does not know whether it was hidden
for its own small count; the audit nevertheless assumes the reader knows which half of "fewer
than the threshold in the count or in its complement" holds for a figure that is small itself —
the safe side. The part of a municipality outside its listed postcode areas ("rest") has a
denominator anyone can subtract, and is itself a figure that must not be worked out when small:
the caller passes it as a hidden cell. A system without any solution (postcode areas that do not
add up to the municipality) is reported as unprotected, never as safe.
"""

from __future__ import annotations

import math
import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd
from scipy import sparse

REST = "_rest"  # the part of a municipality outside its listed postcode areas
COLUMNS = ["cell", "indicator_id", "area_code", "period_label", "low", "high", "values", "inherent", "note"]


@dataclass(frozen=True)
class Problem:
    """The linear system of one indicator: rows are published cells, columns atomic counts."""
    cells: pd.DataFrame  # the published cells in the system (index: the cells' index in the view)
    support: np.ndarray  # cells × atoms, 0/1
    rest_support: np.ndarray  # rest-of-municipality periods × atoms, 0/1
    rest_bound: np.ndarray  # their denominators: municipality minus its postcode areas, all published


def _slots(cells: pd.DataFrame) -> tuple[list, list[list[int]]]:
    """Time slots (years, then one per undated label) and, per cell, the slots it covers."""
    dated = cells["period_start"].notna() & cells["period_end"].notna()
    years = []
    if dated.any():
        years = list(range(int(cells.loc[dated, "period_start"].min()), int(cells.loc[dated, "period_end"].max()) + 1))
    labels = sorted(set(cells.loc[~dated, "period_label"].astype(str)))
    slots = years + [f"label:{label}" for label in labels]
    covers = []
    for is_dated, start, end, label in zip(dated, cells["period_start"], cells["period_end"], cells["period_label"]):
        covers.append(list(range(int(start) - years[0], int(end) - years[0] + 1)) if is_dated
                      else [slots.index(f"label:{label}")])
    return slots, covers


def _system(cells: pd.DataFrame, municipality: str, postcodes: list[str], rest: bool) -> Problem:
    """Support matrix for the cells of one indicator (municipality, its postcode areas, the rest)."""
    has_pc = cells["area_code"].isin([*postcodes, REST]).any()
    rest = rest and has_pc
    leaves = (list(postcodes) + ([REST] if rest else [])) if has_pc else [municipality]
    slots, covers = _slots(cells)
    width = len(leaves) * len(slots)
    support = np.zeros((len(cells), width))
    for i, (area, cover) in enumerate(zip(cells["area_code"], covers)):
        for leaf in range(len(leaves)) if area == municipality else [leaves.index(area)]:
            support[i, [leaf * len(slots) + s for s in cover]] = 1
    # The rest's count cannot exceed its denominator, which anyone can work out by subtraction.
    rest_rows, bounds = [], []
    if rest:
        keys = [tuple(c) for c in covers]
        for key in dict.fromkeys(keys):
            rows = cells[[k == key for k in keys]]
            total = rows[rows["area_code"] == municipality]["denominator"]
            parts = rows[rows["area_code"].isin(postcodes)]["denominator"]
            bound = float(total.iloc[0]) - float(parts.sum()) if len(total) and total.notna().all() else -1
            if bound >= 0 and len(parts) == len(postcodes) and parts.notna().all():
                row = np.zeros(width)
                row[[(len(leaves) - 1) * len(slots) + s for s in key]] = 1
                rest_rows.append(row)
                bounds.append(bound)
    return Problem(cells, support, np.array(rest_rows).reshape(-1, width), np.array(bounds, dtype=float))


def inherent_values(cells: pd.DataFrame, threshold: int) -> np.ndarray:
    """How many values a hidden count has when nothing else is published: its own floor."""
    den = cells["denominator"].to_numpy(float)
    primary = cells["hidden_kind"].eq("primary").to_numpy()
    own = np.where(primary, np.minimum(threshold - 1, den) + 1, den + 1)
    return np.where(np.isnan(den), np.inf, own)


def _quiet_first_solver() -> None:
    """HiGHS prints its banner on standard output once per process: swallow it (CSV may go to stdout)."""
    sys.stdout.flush()
    saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)


_quiet_first_solver()


class _Solver:
    """One indicator's system loaded into HiGHS once; each hidden count changes only the objective.

    Re-solving from the previous basis is far cheaper than a fresh ``linprog`` per bound, which
    matters when a national table makes a municipality switch wait for hundreds of these.
    """

    def __init__(self, a_ub: np.ndarray, b_ub: np.ndarray, a_eq: np.ndarray, b_eq: np.ndarray, width: int):
        self.width = width
        matrix = sparse.csc_matrix(np.vstack([a_ub, a_eq]).reshape(-1, width))
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = width, matrix.shape[0]
        lp.col_cost_ = np.zeros(width)
        lp.col_lower_, lp.col_upper_ = np.zeros(width), np.full(width, highspy.kHighsInf)
        lp.row_lower_ = np.concatenate([np.full(len(b_ub), -highspy.kHighsInf), b_eq]).astype(float)
        lp.row_upper_ = np.concatenate([b_ub, b_eq]).astype(float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_ = matrix.indptr, matrix.indices
        lp.a_matrix_.value_ = matrix.data.astype(float)
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("presolve", "off")  # tiny systems; and no ambiguous 'unbounded or infeasible'
        self.highs.passModel(lp)

    def minimum(self, cost: np.ndarray) -> tuple[float, str]:
        """The smallest value of ``cost · x``: ('inf'/'-inf' when unbounded), and 'tegenstrijdig' if infeasible."""
        self.highs.changeColsCost(self.width, np.arange(self.width, dtype=np.int32), cost.astype(float))
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            return self.highs.getInfo().objective_function_value, ""
        if status == highspy.HighsModelStatus.kInfeasible:
            return 0.0, "tegenstrijdig"
        if status == highspy.HighsModelStatus.kUnbounded:
            return -math.inf, ""
        raise RuntimeError(f"HiGHS: {self.highs.modelStatusToString(status)}")


def _ranges(problem: Problem, threshold: int) -> pd.DataFrame:
    cells, a = problem.cells, problem.support
    shown = ~cells["suppressed"].to_numpy(bool)
    a_eq, b_eq = a[shown], cells["numerator"].to_numpy(float)[shown]
    den = cells["denominator"].to_numpy(float)
    ub_rows, ub = [a[~np.isnan(den)]], [den[~np.isnan(den)]]
    low_side = cells["hidden_small"].to_numpy(bool) & ~shown
    primary = cells["hidden_kind"].eq("primary").to_numpy() & ~shown
    ub_rows.append(a[primary & low_side])  # the count is the small one
    ub.append(np.full(int((primary & low_side).sum()), threshold - 1.0))
    high = primary & ~low_side & ~np.isnan(den)  # the complement is the small one
    ub_rows.append(-a[high])
    ub.append(-(den[high] - threshold + 1))
    ub_rows.append(problem.rest_support)
    ub.append(problem.rest_bound)
    solver = _Solver(np.vstack(ub_rows), np.concatenate(ub), a_eq, b_eq, a.shape[1])
    inherent = inherent_values(cells, threshold)
    out = []
    for i in np.flatnonzero(~shown):
        low, note = solver.minimum(a[i])
        most, note_high = solver.minimum(-a[i])
        note = note or note_high
        low, high_ = (0.0, 0.0) if note else (low, -most)
        values = (0 if note else math.floor(high_ + 1e-6) - math.ceil(low - 1e-6) + 1 if math.isfinite(high_)
                  else math.inf)
        out.append({"cell": cells.index[i], "low": low, "high": high_, "values": values,
                    "inherent": inherent[i], "note": note})
    return pd.DataFrame(out, columns=["cell", "low", "high", "values", "inherent", "note"])


def audit(view: pd.DataFrame, municipality: str, postcodes: list[str], threshold: int,
          rest_indicators: set[str] = frozenset()) -> pd.DataFrame:
    """For every hidden cell with a denominator: the range of its count given what is published.

    ``view`` holds the published cells with ``suppressed``, ``hidden_kind`` ('primary' or
    'secondary'), ``hidden_small`` (the count, not its complement, is the small one) and the
    published ``numerator`` (empty where hidden) and ``denominator``; hidden rest cells have area
    ``_rest``. Returns one row per hidden cell: its index in ``view``, indicator, area, period,
    ``low``, ``high``, ``values`` (how many whole numbers the range holds; 0 when the figures
    contradict each other), ``inherent`` (the most it could hold if nothing else were published)
    and ``note``.
    """
    local = view[view["area_code"].isin([municipality, *postcodes, REST])
                 & (view["numerator"].notna() | view["suppressed"])]
    parts = []
    for indicator, cells in local.groupby("indicator_id", observed=True, sort=True):
        if not cells["suppressed"].any():
            continue
        problem = _system(cells, municipality, postcodes, indicator in rest_indicators)
        parts.append(_ranges(problem, threshold))
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    info = view.loc[out["cell"], ["indicator_id", "area_code", "period_label"]].astype(str).reset_index(drop=True)
    out = pd.concat([out[["cell"]], info, out[["low", "high", "values", "inherent", "note"]]], axis=1)
    return out.sort_values("values")


def unsafe(result: pd.DataFrame, floor: int) -> pd.DataFrame:
    """Hidden cells narrower than the floor, or than they would be if nothing else were published."""
    limit = np.minimum(float(floor), result["inherent"].astype(float))
    return result[result["values"].astype(float) < limit]
