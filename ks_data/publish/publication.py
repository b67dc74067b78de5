"""A bundle's publication: the one owner of what every view of it may show.

Every view of a bundle — the national one and each municipality's — follows one set of decisions per province,
taken by one joint audit over all of them (:mod:`ks_data.publish.linked`). Building those decisions, and each view from
them, happens here and nowhere else: the app's cache, the command line, the report and the benchmark hold a
``Publication`` and ask it for views; none of them wires the chain itself.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pandas as pd

from ks_data.publish.groups import group_rows
from ks_data.publish.linked import Structure, audit_views
from ks_data.publish.national import (
    NationalView,
    build_national,
    decisions,
    nl_decisions,
    own_periods,
    protect_province,
    province_municipalities,
    provinces_in,
)
from ks_data.publish.published import PublishedView, build, publish
from ks_data.table.areas import load_areas
from ks_data.table.catalogue import load_catalogue
from ks_data.table.config import (
    ConfigError,
    Municipality,
    Region,
    data_dir,
    load_groups,
    load_municipality,
    load_regions,
    load_settings,
    municipality_codes,
)
from ks_data.table.observations import load_observations

log = logging.getLogger("ks_monitor")


class Publication:
    """One bundle's decisions and views, each built once on first use (thread-safe)."""

    def __init__(self, bundle: str | None = None, root: Path | None = None,
                 observations: pd.DataFrame | None = None):
        self.root = root
        self.settings = load_settings(root)
        self.bundle = bundle or self.settings.default_bundle
        self.catalogue, self.areas = load_catalogue(root), load_areas(root)
        self.observations = load_observations(self.bundle, root) if observations is None else observations
        # decisions taken once per input, kept beside the Parquet copy (keyed on the input, see decision_store)
        self.store = (root or data_dir()) / ".cache" / "decisions"
        self._provinces: dict[str, pd.DataFrame] = {}
        self._national: NationalView | None = None
        self._nl: pd.Series | None = None
        self._groups: pd.DataFrame | None = None
        self._group_config: dict[str, Region] | None = None
        self._lock = threading.RLock()

    def configured(self) -> dict[str, Municipality]:
        """The municipalities with a configuration of their own; a broken one is left out here (and gives its
        Dutch error when it is opened), so it cannot keep the other municipalities from being published."""
        out = {}
        for code in municipality_codes(self.root):
            try:
                out[code] = load_municipality(code, self.root)
            except ConfigError as err:
                log.warning("configuration of %s left out of the joint protection: %s", code, err)
        return out

    def groups(self) -> dict[str, Region]:
        """Every group whose figure is the sum of its members' (regions, coalitions of several), read once: a
        changed configuration gives a new publication (the app's cache is keyed on the files)."""
        with self._lock:
            if self._group_config is None:
                for problem in load_regions(self.root)[1]:
                    log.warning("region left out: %s", problem)
                self._group_config = load_groups(self.root)
            return self._group_config

    def _groups_in(self, province: str) -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
        """The province's groups (code → members), and those of them that are coalitions (they keep blocks)."""
        mine = {code: g for code, g in self.groups().items() if g.province == province}
        return ({code: g.members for code, g in mine.items()},
                frozenset(code for code, g in mine.items() if g.kind == "coalitie"))

    def group_rows(self) -> pd.DataFrame:
        """The groups' own figures, summed from their members' counts (built once)."""
        with self._lock:
            if self._groups is None:
                names = dict(zip(self.areas["area_code"], self.areas["name"]))
                members = {c: g.members for c, g in self.groups().items()}
                rows = self.observations[self.observations["area_code"].isin(
                    list({m for ms in members.values() for m in ms}))]
                summed = group_rows(rows, self.catalogue, members, names)
                # where the source gives a group's figure itself (a GGD region's table), that figure stands
                given = self.observations[self.observations["area_code"].isin(list(members))]
                key = ["area_code", "indicator_id", "period_label"]
                taken = pd.MultiIndex.from_frame(given[key].astype(str))
                self._groups = summed[~pd.MultiIndex.from_frame(summed[key].astype(str)).isin(taken)]
            return self._groups

    def rows_for(self, codes) -> pd.DataFrame:
        """The observations of ``codes``, the groups' own figures among them."""
        codes = list(codes)
        own = self.observations[self.observations["area_code"].isin(codes)]
        groups = self.group_rows()
        groups = groups[groups["area_code"].isin(codes)]
        return pd.concat([own, groups], ignore_index=True) if len(groups) else own

    def province(self, code: str) -> pd.DataFrame:
        """Every cell of the province that a view publishes, with what is hidden decided (built once)."""
        with self._lock:
            if code not in self._provinces:
                groups, coalitions = self._groups_in(code)
                self._provinces[code] = protect_province(self.observations, self.catalogue, self.areas, self.settings,
                                                         code, self.configured(), self.store, groups, coalitions,
                                                         self.group_rows() if groups else None)
            return self._provinces[code]

    def provinces(self) -> dict[str, pd.DataFrame]:
        """Every province of the bundle with its decisions (each taken once)."""
        return {p: self.province(p) for p in provinces_in(self.observations, self.areas)}

    def decisions_for(self, municipality: Municipality) -> pd.Series:
        """Its province's decisions for the municipality, its postcode areas and the province, and the Netherlands'
        figures as every province decided them (so every view of the bundle shows the same NL figures)."""
        own = decisions(self.province(municipality.province), list(municipality.shown_areas))
        return pd.concat([own, self.netherlands()])

    def netherlands(self) -> pd.Series:
        """Whether each NL figure is hidden (any province's joint audit may hide one): needs every province."""
        with self._lock:
            if self._nl is None:
                self._nl = nl_decisions(self.provinces())
            return self._nl

    def view(self, municipality: Municipality) -> PublishedView:
        """The municipality's published view, following its province's decisions."""
        return build(self.rows_for(["NL01", *municipality.shown_areas]), self.catalogue, self.areas, municipality,
                     self.settings,
                     self.decisions_for(municipality))

    def joint_audit(self, province: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The joint audit of everything the province's views publish (its decided cells, coalitions and regions
        among them), worked out again from scratch as a check: (every hidden count's range, disagreements)."""
        members = province_municipalities(self.areas, province, self.configured())
        structure = Structure(province, {c: m.postcode_areas for c, m in members.items()}, *self._groups_in(province))
        return audit_views([self.province(province)], structure, self.catalogue, self.settings)

    def municipal_figures(self, codes) -> pd.DataFrame:
        """The published own-period figures of some municipalities (any province; hidden ones blanked), as the
        national view shows them, built from their provinces' decisions only."""
        codes = [c for c in codes if c in self.areas.index]
        provinces = sorted({str(self.areas.at[c, "parent_code"]) for c in codes} & set(provinces_in(self.observations,
                                                                                                  self.areas)))
        parts = [own_periods(self.province(p), self.areas) for p in provinces]
        rows = pd.concat(parts, ignore_index=True) if parts else self.observations.iloc[0:0].assign(suppressed=False)
        rows = rows[rows["area_code"].astype(str).isin(codes)]
        if rows.empty:
            return rows.assign(hidden="")
        table, _ = publish(rows, self.catalogue, self.areas, {})
        return table

    def national(self) -> NationalView:
        """Every municipality of the bundle against the Netherlands (built once)."""
        with self._lock:
            if self._national is None:
                provinces = self.provinces()
                self._national = build_national(self.observations, self.catalogue, self.areas, self.settings,
                                                provinces)
            return self._national
