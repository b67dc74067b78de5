"""One audit over every table a reader can put side by side: a province, its municipalities, their postcode areas.

A reader sees the national view (each municipality's own periods, the province's) and every municipality's view
(the municipality, its postcode areas over fixed blocks of years, its blocks pooled from its years, the province's
blocks) at once. Audited one relation at a time, figures leak through the relations nobody audits: the province's
block minus the municipalities' blocks, a postcode area without a block (a missing year) that leaves the rest of
the municipality unprotected. As τ-ARGUS protects linked tables through one cover table, every cell of all those
views is written here over one set of unknowns per indicator, and hidden counts' ranges come from all of them
together (:mod:`ks_data.publish.audit`'s linear programs).

Unknowns, per indicator and group of years that no published figure spans across: the count of each
municipality in each year (or undated period), the part of the province outside its municipalities' figures,
and per municipality and postcode block the count of each postcode area that has a figure there plus the rest
of the municipality — linked by "the municipality's years add up to its postcode areas plus its rest". (Postcode
areas are never published for single years, so their years need no unknowns of their own: the system is
exactly as tight as one with an unknown per postcode area and year.)

The rest of a municipality (outside the postcode areas that have a figure for that period) and of the province
(outside the municipalities that have one) is bounded by its denominator, which anyone can subtract; where its
count or complement is below the threshold it is a hidden count of its own, to be protected like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from ks_data.publish.audit import COLUMNS, SENSITIVE, Problem, _independent, _lp_ranges, _slots, plain_text, unsafe
from ks_data.publish.disclosure import UnsafeView, _block_start, pool_postcodes, primary
from ks_data.publish.published import implied_counts
from ks_data.table.config import Municipality, Settings
from ks_data.vocab import hidden_reason

MAX_ROUNDS = 80
KEY = ["indicator_id", "area_code", "period_label"]
NL = "NL01"
REST_OF = "_rest:"  # area code of the part of a municipality or province outside its published parts


@dataclass(frozen=True)
class Structure:
    """Who is part of whom: the province, its municipalities and each one's postcode areas."""
    province: str
    members: dict[str, tuple[str, ...]]  # municipality → its postcode areas (as its own view lists them)
    # a group of the province's municipalities (a coalition of several, a region) → its members: its figure is
    # the sum of theirs, one more relation over the same unknowns
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    pooled_groups: frozenset[str] = frozenset()  # groups whose blocks of years are published (coalitions)

    @property
    def parent(self) -> dict[str, str]:
        out = {m: self.province for m in self.members}
        out.update({pc: m for m, pcs in self.members.items() for pc in pcs})
        return out


def cover_table(prepared_rows: pd.DataFrame, catalogue: pd.DataFrame, municipalities: dict[str, Municipality],
                settings: Settings, province: str, structure: Structure | None = None) -> pd.DataFrame:
    """Every cell of the province that some view publishes, once: each municipality pooled as its own view pools it.

    ``prepared_rows`` are the province's, its municipalities' and their postcode areas' rows, prepared for
    disclosure control (:func:`ks_data.publish.published.prepared`). Pooled in one pass for all postcode areas; a
    municipality keeps the blocks pooled from its years only where its own postcode areas have figures (as its
    view does), the province those of any of its municipalities. A group (``structure.groups``) keeps its own
    periods, and its blocks only where it is a coalition (``pooled_groups``) whose members keep theirs.
    """
    parent = {pc: code for code, m in municipalities.items() for pc in m.postcode_areas}
    everyone = Municipality(code=province, name=province, province=province, postcode_areas=tuple(parent),
                            configured=False)
    table = pool_postcodes(prepared_rows, catalogue, everyone, settings)
    counted = prepared_rows[prepared_rows["area_code"].isin(list(parent)) & prepared_rows["period_end"].notna()
                            & prepared_rows["numerator"].notna()]
    start = _block_start(counted["period_end"], settings)
    wanted = set(zip(counted["area_code"].map(parent).astype(str), counted["indicator_id"].astype(str),
                     start.astype("int64")))
    groups = structure.groups if structure else {}
    for code in structure.pooled_groups if structure else ():
        wanted |= {(code, i, b) for m, i, b in list(wanted) if m in groups.get(code, ())}
    pooled_for_a_member = (table["derived"].astype(bool)
                           & table["area_code"].isin([*municipalities, *groups])).to_numpy()
    rows = table[pooled_for_a_member]
    keep = [(a, i, int(b)) in wanted for a, i, b in zip(rows["area_code"].astype(str), rows["indicator_id"].astype(str),
                                                        rows["period_start"])]
    table = table.drop(index=rows.index[~np.array(keep, dtype=bool)])
    table = table.drop_duplicates(subset=KEY, keep="first")
    for col in ["period_start", "period_end"]:
        table[col] = table[col].astype("Int64")
    return table.reset_index(drop=True)


def _rest_cells(view: pd.DataFrame, structure: Structure, threshold: int) -> pd.DataFrame:
    """The part of each municipality (province) outside its published postcode areas (municipalities), per period.

    Anyone can subtract it when all its parts are shown; where its count or complement is small it is a
    hidden count of its own. Its denominator always bounds it (``rest_den``; NaN when it cannot be computed).
    """
    parent = structure.parent
    rows = view[view["numerator"].notna()]
    kids = rows[rows["area_code"].isin(list(parent))]
    kids = kids.assign(parent=kids["area_code"].map(parent), no_den=kids["denominator"].isna())
    key = ["indicator_id", "parent", "period_label"]
    sums = kids.groupby(key, observed=True).agg(num=("numerator", "sum"), den=("denominator", "sum"),
                                                no_den=("no_den", "any"))
    tops = rows[rows["area_code"].isin([structure.province, *structure.members])]
    tops = tops.rename(columns={"area_code": "parent"}).set_index(key)
    both = sums.join(tops[["numerator", "denominator", "period_start", "period_end"]], how="inner")
    if both.empty:
        return pd.DataFrame()
    num, den = both["numerator"] - both["num"], both["denominator"] - both["den"]
    den = den.where(~both["no_den"] & both["denominator"].notna())
    # Contradictory true counts (parts above the whole) make no count to protect, but the bound stays: the
    # attacker uses the published denominators whatever the counts are. A negative denominator bounds nothing.
    sound = (num >= 0) & (den.isna() | (den >= num))
    small = sound & ((num < threshold) | (den - num < threshold))
    keep = (den >= 0) | small  # a rest without denominator matters only when its count is small
    both, num, den, small, sound = both[keep], num[keep], den[keep], small[keep], sound[keep]
    ind = both.index.get_level_values("indicator_id").astype(str)
    top = both.index.get_level_values("parent").astype(str)
    label = both.index.get_level_values("period_label").astype(str)
    return pd.DataFrame({
        "indicator_id": ind, "area_code": [REST_OF + t for t in top], "period_start": both["period_start"].to_numpy(),
        "period_end": both["period_end"].to_numpy(), "period_label": label, "numerator": num.to_numpy(float),
        "denominator": den.to_numpy(float), "suppressed": True,  # never published: at most worked out
        "hidden_kind": np.where(small, SENSITIVE, np.where(sound, "secondary", "bound")),
        "hidden_small": (num < threshold).to_numpy(bool),
        "rest_den": den.to_numpy(float),
    }, index=pd.Index([f"rest|{t}|{i}|{lab}" for t, i, lab in zip(top, ind, label)], name="_cell"))


def _system(cells: pd.DataFrame, structure: Structure) -> Problem:
    """The linked system of one indicator and group of years (see the module's description)."""
    parent = structure.parent
    slots, covers = _slots(cells)
    area = cells["area_code"].astype(str).to_numpy()
    rest_of = np.array([a[len(REST_OF):] if a.startswith(REST_OF) else "" for a in area], dtype=object)
    columns: dict[tuple, int] = {}

    def col(*key) -> int:
        return columns.setdefault(key, len(columns))

    groups = structure.groups
    members = sorted({a for a in area if a in structure.members} | {r for r in rest_of if r in structure.members}
                     | {parent[a] for a in area if parent.get(a) in structure.members}
                     | {m for a in area if a in groups for m in groups[a]})
    for m in members:
        for s in range(len(slots)):
            col("m", m, s)
    for s in range(len(slots)):
        col("p", s)  # the province outside its municipalities
    blocks = {}  # municipality → the cover of each of its postcode blocks
    for a, cover in zip(area, covers):
        if parent.get(a) in structure.members:
            blocks.setdefault(parent[a], set()).add(tuple(cover))
    for m, keys in blocks.items():
        seen = set()
        for key in keys:
            if seen & set(key):
                raise ValueError(f"postcode figures of {m} over overlapping periods: no fixed blocks")
            seen |= set(key)
    present = {(a, tuple(c)) for a, c in zip(area, covers)}
    entries: list[tuple[int, int]] = []
    for i, (a, cover) in enumerate(zip(area, covers)):
        key = tuple(cover)
        if a in (structure.province, NL):  # NL: the province seen through the Netherlands
            entries += [(i, col("m", m, s)) for m in members for s in cover] + [(i, col("p", s)) for s in cover]
        elif a in structure.members:
            entries += [(i, col("m", a, s)) for s in cover]
        elif a in groups:  # a coalition or region: the sum of its members
            entries += [(i, col("m", m, s)) for m in groups[a] for s in cover]
        elif parent.get(a) in structure.members:
            entries.append((i, col("pc", a, key)))
        elif rest_of[i] in structure.members:
            entries.append((i, col("rest", rest_of[i], key)))
        elif rest_of[i] == structure.province:  # the province outside the municipalities with a figure then
            absent = [m for m in members if (m, key) not in present]
            entries += [(i, col("p", s)) for s in cover] + [(i, col("m", m, s)) for m in absent for s in cover]
    links = []
    for m, keys in blocks.items():
        for key in keys:
            link = {col("rest", m, key): 1.0}
            link.update({col("pc", pc, key): 1.0 for pc in structure.members[m] if ("pc", pc, key) in columns})
            link.update({col("m", m, s): -1.0 for s in key})
            links.append(link)
    width = len(columns)
    rows, cols_ = (np.array(x, dtype=np.int64) for x in zip(*entries)) if entries else (np.zeros(0, int),) * 2
    support = sparse.csr_matrix((np.ones(len(rows)), (rows, cols_)), shape=(len(cells), width))
    # every rest is bounded by its denominator (the rest cells carry it, hidden or shown alike)
    bounded = np.flatnonzero(cells["rest_den"].notna().to_numpy() & (cells["rest_den"].to_numpy(float) >= 0)) \
        if "rest_den" in cells else np.zeros(0, dtype=np.int64)
    link_rows = [r for r, link in enumerate(links) for _ in link]
    link_cols = [c for link in links for c in link]
    link_vals = [v for link in links for v in link.values()]
    link_matrix = sparse.csr_matrix((link_vals, (link_rows, link_cols)), shape=(len(links), width))
    return Problem(cells, support, support[bounded], cells["rest_den"].to_numpy(float)[bounded]
                   if len(bounded) else np.zeros(0), link_matrix)


def _through_the_netherlands(counts: pd.DataFrame, structure: Structure) -> pd.DataFrame:
    """The Netherlands' figures as what they tell about this province.

    NL = the provinces + the rest of the country, and the other provinces are published beside this one. The
    attacker is taken to know every other province exactly (the safe side), so a shown NL figure gives this
    province's figure of the same period exactly: it becomes a cell over the province's unknowns with the
    province's count. A hidden NL figure says nothing more (it is not small: no bounds). An NL figure without a
    province figure of the same period tells nothing this audit can use and is left out.
    """
    is_nl = counts["area_code"].astype(str) == NL
    if not is_nl.any():
        return counts
    nl = counts[is_nl]
    mine = counts[counts["area_code"].astype(str) == structure.province]
    province = dict(zip(zip(mine["indicator_id"].astype(str), mine["period_label"].astype(str)), mine["numerator"]))
    same = np.array([province.get(k, np.nan) for k in zip(nl["indicator_id"].astype(str),
                                                          nl["period_label"].astype(str))], dtype=float)
    nl = nl.assign(numerator=same, denominator=np.nan, hidden_small=False,
                   hidden_kind=np.where(nl["suppressed"].astype(bool), "nl", ""))
    nl = nl[~np.isnan(same)]
    return pd.concat([counts[~is_nl], nl])


def audit_linked(view: pd.DataFrame, structure: Structure, threshold: int, floor: int | None = None,
                 memo: dict | None = None, explain: bool = False) -> pd.DataFrame:
    """The range of every hidden count given every cell of the province's views (``view``: true counts,
    ``suppressed``, ``hidden_kind``, ``hidden_small``); rest cells are added here. ``floor`` stops refining a
    range once it is wide enough; ``memo`` keeps the result of a group whose hidden cells did not change."""
    counts = view[["indicator_id", "area_code", "period_start", "period_end", "period_label", "numerator",
                   "denominator", "suppressed", "hidden_kind", "hidden_small"]]
    counts = _through_the_netherlands(counts, structure)
    rest = _rest_cells(counts, structure, threshold)
    if len(rest):
        counts = pd.concat([counts, rest])
    counts = counts.assign(numerator=counts["numerator"].where(~counts["suppressed"].astype(bool)))
    counts = plain_text(counts)
    parts = []
    for indicator, cells in counts.groupby("indicator_id", observed=True, sort=True):
        for group in _independent(cells):
            hidden = group["suppressed"].astype(bool)
            if not hidden.any():
                continue
            key = (indicator, tuple(group.index), tuple(group.index[hidden]))
            if memo is None or key not in memo:
                result = _lp_ranges(_system(group, structure), threshold, floor, explain)
                if memo is not None:
                    memo[key] = result
            else:
                result = memo[key]
            parts.append(result)
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=[*COLUMNS, "binding"])
    out = pd.concat(parts, ignore_index=True)
    info = counts.loc[out["cell"], ["indicator_id", "area_code", "period_label", "hidden_kind"]].reset_index(drop=True)
    out = pd.concat([out, info.astype(str)], axis=1)
    out["kind"] = np.where(out.pop("hidden_kind") == SENSITIVE, SENSITIVE, "secondary")
    return out[[*COLUMNS, "binding"]].sort_values("values")


def _to_hide(view: pd.DataFrame, narrow: pd.DataFrame, structure: Structure) -> tuple[list, set]:
    """One shown cell per narrow count, among those that decide its bounds: the smallest count, a postcode area
    or municipality before the province. Narrow counts with nothing to hide are returned apart."""
    top = view["area_code"].astype(str).isin([structure.province, NL]).to_numpy()  # the benchmarks last
    order = np.lexsort((view["numerator"].to_numpy(float), view["area_code"].astype(str).eq(NL).to_numpy(), top))
    position = np.empty(len(view), dtype=np.int64)
    position[order] = np.arange(len(view))
    rank = dict(zip(view.index, position))  # place in the order "hide first"
    open_ = dict(zip(view.index, ~view["suppressed"].to_numpy(bool)))
    chosen, stuck = [], set()
    for cell, binding in zip(narrow["cell"], narrow["binding"]):
        options = [c for c in (binding if isinstance(binding, list) else []) if open_.get(c, False)]
        if not options:
            stuck.add(cell)
            continue
        ranked = sorted(options, key=rank.__getitem__)
        fresh = [c for c in ranked if c not in chosen]
        chosen.append(fresh[0] if fresh else ranked[0])
    return list(dict.fromkeys(chosen)), stuck


def protect_linked(table: pd.DataFrame, structure: Structure, settings: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Primary suppression, then one more cell hidden for each count the joint audit can still narrow.

    Returns the table with ``suppressed``/``hidden_kind``/``suppression_reason`` and the last joint audit. A
    count nothing more can protect (contradictory figures) hides its municipality's figures of that indicator;
    a count still narrow after that is refused (:class:`ks_data.publish.disclosure.UnsafeView`), never published.
    """
    threshold, floor = settings.suppression_threshold, settings.min_hidden_range
    view = primary(table, threshold)
    reason = hidden_reason(threshold)
    memo: dict = {}
    parent = structure.parent
    for _ in range(MAX_ROUNDS):
        result = audit_linked(view, structure, threshold, floor, memo, explain=True)
        narrow = unsafe(result, floor)
        if narrow.empty:
            return view, result
        extra, stuck = _to_hide(view, narrow, structure)
        for cell in stuck:  # contradictory or wholly fixed: the municipality's figures of this indicator go
            ind, area = str(narrow.set_index("cell").at[cell, "indicator_id"]), str(_area_of(cell, view))
            mun = area[len(REST_OF):] if area.startswith(REST_OF) else parent.get(area, area)
            if mun in structure.members:
                own = view["area_code"].isin([mun, *structure.members[mun]]) & (view["indicator_id"] == ind)
                extra += list(view.index[own & ~view["suppressed"]])
        extra = list(dict.fromkeys(extra))
        if not extra:
            break
        view.loc[extra, "suppressed"] = True
        view.loc[extra, "hidden_kind"] = np.where(view.loc[extra, "hidden_kind"] == SENSITIVE, SENSITIVE, "secondary")
        view.loc[extra, "suppression_reason"] = reason
    result = audit_linked(view, structure, threshold, floor, memo)
    narrow = unsafe(result, floor)
    if len(narrow):
        raise UnsafeView(structure.province, narrow)
    return view, result


def _area_of(cell, view: pd.DataFrame) -> str:
    if cell in view.index:
        return str(view.at[cell, "area_code"])
    return REST_OF + str(cell).split("|")[1]  # "rest|<parent>|<indicator>|<label>"


def audit_views(tables: list[pd.DataFrame], structure: Structure, catalogue: pd.DataFrame,
                settings: Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The joint audit of what views actually publish: (ranges of every hidden count, cells the views disagree on).

    ``tables`` hold the published cells with their true counts (a municipality view's ``raw``, the national
    view's table built from the same decisions); a count implied by value and denominator counts as shown.
    How each figure was hidden is worked out as the attacker would: small (or small complement) or not.
    """
    wanted = [NL, structure.province, *structure.members, *structure.groups,
              *(pc for pcs in structure.members.values() for pc in pcs)]
    columns = ["indicator_id", "area_code", "period_start", "period_end", "period_label", "numerator",
               "denominator", "value", "suppressed"]
    cells = pd.concat([t.loc[t["area_code"].astype(str).isin(wanted), columns] for t in tables], ignore_index=True)
    for col in KEY:
        cells[col] = cells[col].astype(str)
    status = cells.groupby(KEY, observed=True)["suppressed"].nunique()
    disagree = status[status > 1].reset_index()[KEY]
    cells = cells.drop_duplicates(subset=KEY).reset_index(drop=True)
    cells = implied_counts(cells.assign(note=""), catalogue)
    judged = primary(cells.drop(columns=["suppressed"]), settings.suppression_threshold)
    hidden = cells["suppressed"].astype(bool).to_numpy()
    judged["suppressed"] = hidden
    judged["hidden_kind"] = np.where(hidden, np.where(judged["hidden_kind"] == SENSITIVE, SENSITIVE, "secondary"), "")
    for col in ["period_start", "period_end"]:
        judged[col] = pd.to_numeric(judged[col], errors="coerce").astype("Int64")
    return audit_linked(judged, structure, settings.suppression_threshold, settings.min_hidden_range), disagree
