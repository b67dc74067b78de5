"""The view above one municipality: every municipality of the country or a province, against the Netherlands.

Decided once, like a municipality's own view. Municipality figures are protected over the relation
"a province is the sum of its municipalities": counts below the threshold are hidden, then the
audit (:mod:`ks_data.publish.audit`, the same linear programs as for postcode areas) hides a sibling while
a hidden count can still be worked back. A municipality's own view starts from these decisions
(:func:`ks_data.publish.published.build`): what is hidden here is hidden there, and what is shown here is
never hidden there, so the two views cannot be subtracted from each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ks_data.publish import decision_store
from ks_data.publish.disclosure import primary
from ks_data.publish.linked import Structure, cover_table, protect_linked
from ks_data.publish.published import prepared, publish
from ks_data.stats import funnel
from ks_data.table.config import Municipality, Settings
from ks_data.vocab import hidden_reason

KEY = ["indicator_id", "area_code", "period_label"]


def _members(areas: pd.DataFrame, province: str) -> list[str]:
    return list(areas.index[(areas["level"] == "gemeente") & (areas["parent_code"] == province)])


def province_municipalities(areas: pd.DataFrame, province: str,
                            configured: dict[str, Municipality] | None = None) -> dict[str, Municipality]:
    """Every municipality of the province as its own view sees it: a configuration where there is one,
    else the registry's postcode areas."""
    configured = {c: m for c, m in (configured or {}).items() if m.province == province}
    postcodes = areas[areas["level"] == "postcode"]
    out = {}
    for code in dict.fromkeys([*_members(areas, province), *configured]):
        out[code] = configured.get(code) or Municipality(
            code=code, name=str(areas.at[code, "name"]), province=province, configured=False,
            postcode_areas=tuple(postcodes.index[postcodes["parent_code"] == code]))
    return out


def protect_province(obs: pd.DataFrame, catalogue: pd.DataFrame, areas: pd.DataFrame, settings: Settings,
                     province: str, configured: dict[str, Municipality] | None = None,
                     store: Path | None = None, groups: dict[str, tuple[str, ...]] | None = None,
                     coalitions: frozenset[str] = frozenset(), group_obs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every cell of the province that a view publishes, with ``suppressed`` decided by one joint audit.

    The cells are those of the national view (each municipality's and the province's own periods) and of
    every municipality's view (its postcode areas over fixed blocks, its and the province's pooled blocks),
    protected together (:mod:`ks_data.publish.linked`). ``obs`` as the loader gives it (intervals filled); counts
    implied by value and denominator protect like counts (see :func:`ks_data.publish.published.implied_counts`).
    ``configured`` municipalities list their postcode areas as their configuration says. With ``store`` (a
    folder), decisions taken before for exactly the same input are read from there instead of taken again.
    ``groups`` are the province's coalitions of several municipalities and regions (their rows in ``group_obs``,
    see :mod:`ks_data.publish.groups`), each figure one more relation; ``coalitions`` those of them with blocks.
    """
    municipalities = province_municipalities(areas, province, configured)
    groups = {g: tuple(m) for g, m in (groups or {}).items() if set(m) <= set(municipalities)}
    wanted = {"NL01", province, *municipalities, *groups,
              *(pc for m in municipalities.values() for pc in m.postcode_areas)}
    rows = obs[obs["area_code"].isin(list(wanted))]
    if group_obs is not None and len(group_obs):
        rows = pd.concat([rows, group_obs[group_obs["area_code"].isin(list(groups))]], ignore_index=True)
    rows = prepared(rows, catalogue)
    structure = Structure(province, {code: m.postcode_areas for code, m in municipalities.items()}, groups,
                          frozenset(coalitions) & frozenset(groups))
    key = decision_store.fingerprint(rows, structure, settings, catalogue)
    stored = decision_store.read(store, province, key)
    if stored is not None:
        return stored
    table = cover_table(rows, catalogue, municipalities, settings, province, structure)
    protected, _ = protect_linked(table, structure, settings)
    decision_store.write(store, province, key, protected)
    return protected


def decisions(protected: pd.DataFrame, codes: list[str]) -> pd.Series:
    """Whether each (indicator, area, period) of ``codes`` is hidden, for a municipality's own view to follow."""
    rows = protected[protected["area_code"].isin(codes)]
    return pd.Series(rows["suppressed"].to_numpy(bool), index=pd.MultiIndex.from_frame(rows[KEY].astype(str)))


def own_periods(protected: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """The national view's part: the province's and its municipalities' own periods (no postcode areas,
    no blocks pooled for them)."""
    level = protected["area_code"].map(areas["level"])
    return protected[level.isin(["gemeente", "provincie"]).to_numpy() & ~protected["derived"].astype(bool).to_numpy()]


@dataclass
class NationalView:
    """Every province's municipalities, protected and published, with verdicts against the Netherlands."""
    table: pd.DataFrame
    catalogue: pd.DataFrame
    areas: pd.DataFrame

    def periods(self, indicator_id: str) -> list[str]:
        """Periods with municipality figures, latest last."""
        rows = self.table[(self.table["indicator_id"] == indicator_id) & (self.table["level"] == "gemeente")
                          & (self.table["value"].notna() | self.table["suppressed"])]
        rows = rows.sort_values(["period_end", "period_start"], na_position="first")
        return list(dict.fromkeys(rows["period_label"].astype(str)))

    def municipalities(self, indicator_id: str, period: str, region: str = "NL01") -> pd.DataFrame:
        """One row per municipality of ``region`` (NL01 or a province) in ``period``, highest value first.

        ``attrs``: p0 (the Netherlands' proportion in that period, NaN when hidden, missing or of another
        definition than the municipalities' figures).
        """
        t = self.table
        rows = t[(t["indicator_id"] == indicator_id) & (t["period_label"] == period) & (t["level"] == "gemeente")]
        if region != "NL01":
            rows = rows[rows["province"] == region]
        rows = rows.copy()
        nl = t[(t["indicator_id"] == indicator_id) & (t["period_label"] == period) & (t["area_code"] == "NL01")]
        # a Netherlands of another definition (22 instead of 24 weeks) is no centre for the funnel
        ours = set(rows["definition"].dropna().astype(str)) if "definition" in rows else set()
        theirs = {str(nl["definition"].iloc[0])} if len(nl) and "definition" in nl else ours
        same_definition = not ours or theirs == ours
        p0 = (float(nl["numerator"].iloc[0] / nl["denominator"].iloc[0])
              if len(nl) and pd.notna(nl["numerator"].iloc[0]) and nl["denominator"].iloc[0] and same_definition
              else float("nan"))
        rows = funnel.place(rows, p0).sort_values("value", ascending=False, na_position="last").reset_index(drop=True)
        rows.attrs.update(p0=p0, benchmark=nl.iloc[0].to_dict() if len(nl) else None)
        return rows

    def funnel_data(self, indicator_id: str, period: str, region: str = "NL01"):
        """(municipalities with counts, limit curves, NL's value): the funnel of all municipalities around NL."""
        table = self.municipalities(indicator_id, period, region)
        return funnel.plot_data(table, table.attrs["p0"], float(self.catalogue.at[indicator_id, "multiplier"]))


def provinces_in(obs: pd.DataFrame, areas: pd.DataFrame) -> list[str]:
    present = set(obs["area_code"].unique().astype(str))
    return [p for p in areas.index[areas["level"] == "provincie"] if p in present]


def nl_decisions(protected: dict[str, pd.DataFrame]) -> pd.Series:
    """Whether each figure of the Netherlands is hidden: hidden when any province's joint audit hid it (a figure
    shown in one view and hidden in another would be taken from the one that shows it)."""
    parts = [decisions(p, ["NL01"]) for p in protected.values()]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.Series(dtype=bool)
    both = pd.concat(parts)
    return both.groupby(level=[0, 1, 2], sort=False).any()


def build_national(obs: pd.DataFrame, catalogue: pd.DataFrame, areas: pd.DataFrame, settings: Settings,
                   protected: dict[str, pd.DataFrame]) -> NationalView:
    """Every province's municipalities published and judged against the Netherlands.

    ``protected`` holds every province as :func:`protect_province` decided it (the publication keeps them, so
    that a municipality's view and this one follow the same decisions).
    """
    parts = [own_periods(protected[p], areas) for p in provinces_in(obs, areas)]
    nl = obs[obs["area_code"] == "NL01"]
    if len(nl):
        nl = primary(prepared(nl, catalogue).assign(derived=False), settings.suppression_threshold)
        hidden = nl_decisions(protected).reindex(pd.MultiIndex.from_frame(nl[KEY].astype(str))).fillna(False)
        more = hidden.to_numpy(bool) & ~nl["suppressed"].to_numpy(bool)  # hidden to protect a province's counts
        nl.loc[more, ["suppressed", "hidden_kind", "suppression_reason"]] = [
            True, "secondary", hidden_reason(settings.suppression_threshold)]
        parts.append(nl)
    protected = pd.concat(parts, ignore_index=True) if parts else obs.iloc[0:0]
    table, compared = publish(protected, catalogue, areas, ("NL01",))
    judged = compared["NL01"]
    judged["level"] = judged["area_code"].map(areas["level"]).astype(str)
    judged["province"] = np.where(judged["level"] == "gemeente", judged["area_code"].map(areas["parent_code"]),
                                  judged["area_code"]).astype(str)
    judged["name"] = judged["area_code"].map(areas["name"]).astype(str)
    return NationalView(judged, catalogue, areas)
