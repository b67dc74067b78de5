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

from ks_data.publish.national import (
    NationalView,
    build_national,
    decisions,
    nl_decisions,
    protect_province,
    provinces_in,
)
from ks_data.publish.published import PublishedView, build
from ks_data.table.areas import load_areas
from ks_data.table.catalogue import load_catalogue
from ks_data.table.config import ConfigError, Municipality, data_dir, load_municipality, load_settings, municipality_codes
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

    def province(self, code: str) -> pd.DataFrame:
        """Every cell of the province that a view publishes, with what is hidden decided (built once)."""
        with self._lock:
            if code not in self._provinces:
                self._provinces[code] = protect_province(self.observations, self.catalogue, self.areas,
                                                         self.settings, code, self.configured(), self.store)
            return self._provinces[code]

    def provinces(self) -> dict[str, pd.DataFrame]:
        """Every province of the bundle with its decisions (each taken once)."""
        return {p: self.province(p) for p in provinces_in(self.observations, self.areas)}

    def decisions_for(self, municipality: Municipality) -> pd.Series:
        """Its province's decisions for the municipality, its postcode areas and the province, and the Netherlands'
        figures as every province decided them (so every view of the bundle shows the same NL figures)."""
        codes = [municipality.code, municipality.province, *municipality.postcode_areas]
        own = decisions(self.province(municipality.province), codes)
        return pd.concat([own, self.netherlands()])

    def netherlands(self) -> pd.Series:
        """Whether each NL figure is hidden (any province's joint audit may hide one): needs every province."""
        with self._lock:
            if self._nl is None:
                self._nl = nl_decisions(self.provinces())
            return self._nl

    def view(self, municipality: Municipality) -> PublishedView:
        """The municipality's published view, following its province's decisions."""
        return build(self.observations, self.catalogue, self.areas, municipality, self.settings,
                     self.decisions_for(municipality))

    def national(self) -> NationalView:
        """Every municipality of the bundle against the Netherlands (built once)."""
        with self._lock:
            if self._national is None:
                provinces = self.provinces()
                self._national = build_national(self.observations, self.catalogue, self.areas, self.settings,
                                                provinces)
            return self._national
