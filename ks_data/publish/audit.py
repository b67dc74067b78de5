"""The disclosure audit: how narrowly can each hidden count be worked out from what is published?

As statistical offices audit a suppressed table (τ-ARGUS), every published figure of one
indicator for a municipality and its postcode areas is written as a sum of unknown atomic
counts — one per postcode area (or the municipality, where there are none) and time slot (a
year, or an undated period such as "gepubliceerd 2024"). A shown figure fixes its sum; a hidden
one only says that it lies between 0 and its published denominator. Linear programming (scipy's
HiGHS, through ``highspy``) then gives, for every hidden count, the smallest and largest value consistent with
all of that. A hidden count whose range holds fewer whole numbers than the floor is not
protected, whatever the page shows.

The attacker is taken to know how the figures were hidden (the safe side): for every hidden figure,
whether it was hidden for its own small count and which half of "fewer than the threshold in the
count or in its complement" holds, or whether it was hidden only to protect another figure — then
both its count and its complement are at least the threshold. Only the first kind is sensitive: a
figure hidden to protect another holds no small count, so its own range is reported but not
required to be wide (as τ-ARGUS sets protection levels for sensitive cells only). The part of a
municipality outside its listed postcode areas ("rest") has a denominator anyone can subtract, and
is itself a figure that must not be worked out when small: the caller passes it as a hidden cell.
A system without any solution (postcode areas that do not add up to the municipality) is reported
as unprotected, never as safe.
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
COLUMNS = ["cell", "indicator_id", "area_code", "period_label", "low", "high", "values", "inherent", "note", "kind"]
SENSITIVE = "primary"  # hidden for its own small count: the only kind that needs a wide range


@dataclass(frozen=True)
class Problem:
    """The linear system of one indicator: rows are published cells, columns atomic counts."""
    cells: pd.DataFrame  # the published cells in the system (index: the cells' index in the view)
    support: np.ndarray  # cells × atoms, 0/1
    rest_support: np.ndarray  # rest-of-municipality periods × atoms, 0/1
    rest_bound: np.ndarray  # their denominators: municipality minus its postcode areas, all published
    links: np.ndarray | None = None  # rows of atoms that sum to zero (a total written as its parts' sum)


def plain_text(cells: pd.DataFrame) -> pd.DataFrame:
    """The cells with their text columns as Python strings: an audit takes hundreds of small subsets of them, and
    Arrow-backed text pays for every take (the values, and a missing label's "nan", stay as they were)."""
    return cells.astype({c: object for c in ["indicator_id", "area_code", "period_label", "hidden_kind"] if c in cells})


def _slots(cells: pd.DataFrame) -> tuple[list, list[list[int]]]:
    """Time slots (years, then one per undated label) and, per cell, the slots it covers."""
    dated = (cells["period_start"].notna() & cells["period_end"].notna()).to_numpy(bool)
    years = []
    if dated.any():
        years = list(range(int(cells.loc[dated, "period_start"].min()), int(cells.loc[dated, "period_end"].max()) + 1))
    label_text = [str(label) for label in cells["period_label"]]  # a missing label is "nan", as it always was
    labels = sorted({text for text, is_dated in zip(label_text, dated) if not is_dated})
    slots = years + [f"label:{label}" for label in labels]
    label_slot = {label: len(years) + j for j, label in enumerate(labels)}
    first = years[0] if years else 0
    # plain numbers (not the nullable column's boxed values): this runs for every system of every audit
    start = cells["period_start"].to_numpy(dtype=float, na_value=np.nan)
    end = cells["period_end"].to_numpy(dtype=float, na_value=np.nan)
    covers = [list(range(int(a) - first, int(b) - first + 1)) if is_dated else [label_slot[label]]
              for is_dated, a, b, label in zip(dated, start, end, label_text)]
    return slots, covers


def _independent(cells: pd.DataFrame) -> list[pd.DataFrame]:
    """The cells split into groups that share no year (or undated period): separate, smaller systems.

    No published figure spans two groups, so each hidden count's range is decided within its own;
    a national table of single years then solves one small system per year instead of one large one.
    """
    dated = cells["period_start"].notna() & cells["period_end"].notna()
    groups = [rows for _, rows in cells[~dated].groupby(cells.loc[~dated, "period_label"].astype(str), sort=True)]
    spans = cells[dated].sort_values("period_start")
    if len(spans):
        start, end = spans["period_start"].astype("int64").to_numpy(), spans["period_end"].astype("int64").to_numpy()
        reach = np.maximum.accumulate(end)
        new = np.concatenate([[True], start[1:] > reach[:-1]])  # starts after everything before it has ended
        groups += [rows for _, rows in spans.groupby(np.cumsum(new), sort=True)]
    return groups


def _system(cells: pd.DataFrame, municipality: str, postcodes: list[str], rest: bool) -> Problem:
    """Support matrix for the cells of one indicator (municipality, its postcode areas, the rest).

    Built with positions looked up once and rows grouped by their years in one pass: a view's audit builds a few
    hundred of these, and per-cell frame filtering made the building cost more than the solving.
    """
    has_pc = cells["area_code"].isin([*postcodes, REST]).any()
    rest = rest and has_pc
    leaves = (list(postcodes) + ([REST] if rest else [])) if has_pc else [municipality]
    slots, covers = _slots(cells)
    n_slots = len(slots)
    width = len(leaves) * n_slots
    area = cells["area_code"].astype(str).to_numpy()
    position = {leaf: j for j, leaf in enumerate(leaves)}
    every = np.arange(len(leaves))[:, None] * n_slots
    support = np.zeros((len(cells), width))
    for i, (code, cover) in enumerate(zip(area, covers)):
        if code == municipality:
            support[i, (every + np.asarray(cover, dtype=np.int64)[None, :]).ravel()] = 1
        else:
            support[i, [position[code] * n_slots + s for s in cover]] = 1
    # The rest's count cannot exceed its denominator, which anyone can work out by subtraction.
    rest_rows, bounds = [], []
    if rest:
        den = cells["denominator"].to_numpy(float)
        is_total, is_part = area == municipality, np.isin(area, list(postcodes))
        same_years: dict[tuple, list[int]] = {}
        for i, cover in enumerate(covers):
            same_years.setdefault(tuple(cover), []).append(i)
        for key, rows in same_years.items():
            rows = np.asarray(rows)
            total, parts = den[rows[is_total[rows]]], den[rows[is_part[rows]]]
            bound = float(total[0]) - float(np.nansum(parts)) if len(total) and not np.isnan(total).any() else -1
            if bound >= 0 and len(parts) == len(postcodes) and not np.isnan(parts).any():
                row = np.zeros(width)
                row[[(len(leaves) - 1) * n_slots + s for s in key]] = 1
                rest_rows.append(row)
                bounds.append(bound)
    return Problem(cells, support, np.array(rest_rows).reshape(-1, width), np.array(bounds, dtype=float))


def inherent_values(cells: pd.DataFrame, threshold: int) -> np.ndarray:
    """How many values a hidden count has when nothing else is published: its own floor."""
    den = cells["denominator"].to_numpy(float)
    primary = cells["hidden_kind"].eq("primary").to_numpy()
    own = np.where(primary, np.minimum(threshold - 1, den) + 1, np.maximum(den - 2 * threshold + 2, 1))
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

    def __init__(self, a_ub, b_ub: np.ndarray, a_eq, b_eq: np.ndarray, width: int):
        self.width = width
        if isinstance(a_ub, np.ndarray) and isinstance(a_eq, np.ndarray):  # a small system: one conversion
            matrix = sparse.csc_matrix(np.vstack([a_ub.reshape(-1, width), a_eq.reshape(-1, width)]))
        else:
            matrix = sparse.vstack([sparse.csr_matrix(a_ub).reshape(-1, width),
                                    sparse.csr_matrix(a_eq).reshape(-1, width)]).tocsc()
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
        self.highs.setOptionValue("presolve", "off")  # tiny systems; and no ambiguous "unbounded or infeasible"
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

    def binding(self, first_eq: int, n_cells: int) -> np.ndarray:
        """Positions of the equality rows of shown cells that hold the last optimum (non-zero duals)."""
        duals = np.asarray(self.highs.getSolution().row_dual)[first_eq:first_eq + n_cells]
        return np.flatnonzero(np.abs(duals) > 1e-9)

    def point(self) -> np.ndarray:
        """The last optimum's counts: one consistent way the hidden figures could be."""
        return np.asarray(self.highs.getSolution().col_value)


def _star_ranges(problem: Problem, threshold: int) -> pd.DataFrame | None:
    """The ranges in closed form when the system is one total over parts (a province over its
    municipalities in one year): each atom in one single-atom cell, at most one cell over all atoms.

    Then the hidden part i lies in [max(lᵢ, L − Σⱼ≠ᵢ uⱼ), min(uᵢ, U − Σⱼ≠ᵢ lⱼ)] and the hidden total in
    [max(L, Σl), min(U, Σu)], the linear program's own optimum. Returns None for any other shape.
    """
    cells, a = problem.cells, problem.support
    if len(problem.rest_bound) or not len(cells) or problem.links is not None:
        return None
    size = a.sum(axis=1)
    width = a.shape[1]
    whole, single = size == width, (size == 1) & (width > 1)
    if whole.sum() > 1 or not (whole | single).all():
        return None
    atoms = a[single].argmax(axis=1)
    if len(set(atoms)) != len(atoms):
        return None
    shown = ~cells["suppressed"].to_numpy(bool)
    num, den = cells["numerator"].to_numpy(float), cells["denominator"].to_numpy(float)
    small = cells["hidden_small"].to_numpy(bool)
    primary = cells["hidden_kind"].eq("primary").to_numpy()
    low, high = _known_bounds(shown, primary, small, num, den, threshold, cells["hidden_kind"].to_numpy())
    atom_low, atom_high = np.zeros(width), np.full(width, np.inf)
    atom_low[atoms], atom_high[atoms] = low[single], high[single]
    total_low, total_high = (low[whole][0], high[whole][0]) if whole.any() else (0.0, np.inf)
    sum_l, sum_u = atom_low.sum(), atom_high.sum()
    contradictory = (atom_low > atom_high).any() or sum_l > total_high or sum_u < total_low
    inherent = inherent_values(cells, threshold)
    out = []
    for i in np.flatnonzero(~shown):
        if whole[i]:
            lo, hi = max(total_low, sum_l), min(total_high, sum_u)
        else:
            k = a[i].argmax()
            rest_u = sum_u - atom_high[k] if np.isfinite(atom_high[k]) else np.delete(atom_high, k).sum()
            lo, hi = max(atom_low[k], total_low - rest_u), min(atom_high[k], total_high - (sum_l - atom_low[k]))
        lo = max(lo, 0.0)
        note = "tegenstrijdig" if contradictory else ""
        lo, hi = (0.0, 0.0) if note else (float(lo), float(hi))
        values = (0 if note else math.floor(hi + 1e-6) - math.ceil(lo - 1e-6) + 1 if math.isfinite(hi) else math.inf)
        out.append({"cell": cells.index[i], "low": lo, "high": hi, "values": values,
                    "inherent": inherent[i], "note": note})
    return pd.DataFrame(out, columns=["cell", "low", "high", "values", "inherent", "note"])


def _known_bounds(shown, primary, small, num, den, threshold: int, kind) -> tuple[np.ndarray, np.ndarray]:
    """What the attacker knows of each cell on its own: a shown count; a hidden one's side of the threshold."""
    secondary = ~shown & (kind == "secondary") & ~np.isnan(den)  # hidden to protect another: both ≥ threshold
    low = np.where(shown, num, 0.0)
    low = np.where(~shown & primary & ~small & ~np.isnan(den), den - threshold + 1, low)
    low = np.where(secondary, float(threshold), low)
    high = np.where(shown, num, np.where(np.isnan(den), np.inf, den))
    high = np.where(~shown & primary & small, np.minimum(high, threshold - 1.0), high)
    high = np.where(secondary, den - threshold, high)
    return low, high


def _ranges(problem: Problem, threshold: int, floor: int | None = None) -> pd.DataFrame:
    star = _star_ranges(problem, threshold)
    return star if star is not None else _lp_ranges(problem, threshold, floor)


def _lp_ranges(problem: Problem, threshold: int, floor: int | None = None, explain: bool = False) -> pd.DataFrame:
    """Each hidden count's smallest and largest value by linear programming.

    With ``explain``, ``binding`` lists the shown cells whose values decide each solved count's bounds
    (non-zero duals at the optimum): hiding one of them is what can widen a narrow range.

    With ``floor``, a count already seen to take values at least that far apart in the optima found
    so far is safe without solving its own two programs: its reported range is then a part of the
    true one (``note`` 'minstens'), enough to decide safety, not to enumerate. Every narrow count is
    still solved exactly.
    """
    cells = problem.cells
    # a municipality's systems are small and dense (plain arrays are faster there); a province's linked system is
    # thousands of cells × unknowns, sparse
    dense = isinstance(problem.support, np.ndarray)
    a = problem.support if dense else sparse.csr_matrix(problem.support)
    stack = np.vstack if dense else (lambda parts: sparse.vstack(parts).tocsr())
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
    secondary = cells["hidden_kind"].eq("secondary").to_numpy() & ~shown & ~np.isnan(den)
    ub_rows += [a[secondary], -a[secondary]]  # hidden to protect another: threshold ≤ count ≤ denominator − threshold
    ub += [den[secondary] - threshold, np.full(int(secondary.sum()), -float(threshold))]
    rest = problem.rest_support
    ub_rows.append(np.asarray(rest, dtype=float).reshape(-1, a.shape[1]) if dense
                   else sparse.csr_matrix(rest).reshape(-1, a.shape[1]))
    ub.append(problem.rest_bound)
    if problem.links is not None and problem.links.shape[0]:
        a_eq = stack([a_eq, problem.links if dense else sparse.csr_matrix(problem.links)])
        b_eq = np.concatenate([b_eq, np.zeros(problem.links.shape[0])])
    a_ub = stack(ub_rows)
    solver = _Solver(a_ub, np.concatenate(ub), a_eq, b_eq, a.shape[1])
    shown_cells = cells.index[shown]
    inherent = inherent_values(cells, threshold)
    hidden = np.flatnonzero(~shown)
    seen_low, seen_high = np.full(len(cells), np.inf), np.full(len(cells), -np.inf)
    hidden_sums = a[hidden]  # each hidden cell's atoms (sparse: dense, this product dominated)

    def remember() -> None:  # the hidden counts at the optimum just found: one more way they could be
        seen = hidden_sums @ solver.point()
        seen_low[hidden], seen_high[hidden] = np.minimum(seen_low[hidden], seen), np.maximum(seen_high[hidden], seen)

    if floor is not None and primary.any():
        # A few whole-system optima first: every sensitive count as low as it can be together, as high, and two
        # mixed patterns. Most counts then show a wide enough spread before any program of their own is solved.
        together = np.asarray(a[primary].sum(axis=0)).ravel()
        signs = np.random.default_rng(len(cells)).choice([-1.0, 1.0], size=int(primary.sum()))
        signed = a[primary] * signs[:, None] if dense else a[primary].multiply(signs[:, None])
        mixed = np.asarray(signed.sum(axis=0)).ravel()
        for cost in (together, -together, mixed, -mixed):
            if not solver.minimum(cost)[1]:
                remember()

    out = []
    for i in hidden:
        seen_values = (math.floor(seen_high[i] + 1e-6) - math.ceil(seen_low[i] - 1e-6) + 1
                       if np.isfinite(seen_low[i]) else 0)
        if floor is not None and (seen_values >= min(floor, inherent[i]) or not primary[i]):
            out.append({"cell": cells.index[i], "low": seen_low[i], "high": seen_high[i], "values": seen_values,
                        "inherent": inherent[i], "note": "minstens"})
            continue
        row = np.asarray(a[i], dtype=float) if dense else a[i].toarray().ravel()
        low, note = solver.minimum(row)
        binding = set(shown_cells[solver.binding(a_ub.shape[0], len(shown_cells))]) if explain and not note else set()
        if floor is not None and not note:
            remember()
        most, note_high = solver.minimum(-row)
        if explain and not note_high and math.isfinite(most):
            binding |= set(shown_cells[solver.binding(a_ub.shape[0], len(shown_cells))])
        if floor is not None and not note_high and math.isfinite(most):
            remember()
        note = note or note_high
        low, high_ = (0.0, 0.0) if note else (low, -most)
        values = (0 if note else math.floor(high_ + 1e-6) - math.ceil(low - 1e-6) + 1 if math.isfinite(high_)
                  else math.inf)
        out.append({"cell": cells.index[i], "low": low, "high": high_, "values": values,
                    "inherent": inherent[i], "note": note, "binding": sorted(binding, key=str)})
    return pd.DataFrame(out, columns=["cell", "low", "high", "values", "inherent", "note", "binding"])


def audit(view: pd.DataFrame, municipality: str, postcodes: list[str], threshold: int,
          rest_indicators: set[str] = frozenset(), floor: int | None = None) -> pd.DataFrame:
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
    local = plain_text(local)
    parts = []
    for indicator, cells in local.groupby("indicator_id", observed=True, sort=True):
        if not cells["suppressed"].any():
            continue
        for part in _independent(cells):
            if part["suppressed"].any():
                problem = _system(part, municipality, postcodes, indicator in rest_indicators)
                parts.append(_ranges(problem, threshold, floor))
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    info = view.loc[out["cell"], ["indicator_id", "area_code", "period_label"]].astype(str).reset_index(drop=True)
    kind = np.where(view.loc[out["cell"], "hidden_kind"].to_numpy() == SENSITIVE, SENSITIVE, "secondary")
    out = pd.concat([out[["cell"]], info, out[["low", "high", "values", "inherent", "note"]]], axis=1)
    out["kind"] = kind
    return out.sort_values("values", kind="stable")


def roomy(result: pd.DataFrame, floor: int) -> pd.DataFrame:
    """Sensitive hidden cells that could hold ``floor`` values at all (a count of 0 out of 0 holds one), narrowest
    first: where the narrowest protected count is looked for."""
    return result[result["kind"].eq(SENSITIVE) & (result["inherent"].astype(float) >= floor)].sort_values(
        "values", kind="stable")


def unsafe(result: pd.DataFrame, floor: int) -> pd.DataFrame:
    """Sensitive hidden cells (hidden for their own small count) narrower than the floor, or than they would be
    if nothing else were published. A figure hidden only to protect another holds no small count."""
    limit = np.minimum(float(floor), result["inherent"].astype(float))
    sensitive = result["kind"].eq(SENSITIVE) if "kind" in result else True
    return result[(result["values"].astype(float) < limit) & sensitive]
