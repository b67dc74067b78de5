"""What the pages ask of the data: one object per (data folder, bundle, municipality).

Built once and cached by the app; every question is answered from the validated table with
the statistics module, so pages only render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ks_data.areas import area_labels, load_areas
from ks_data.catalogue import load_catalogue
from ks_data.config import (
    Bundle,
    Municipality,
    Settings,
    load_bundle_meta,
    load_municipality,
    load_settings,
)
from ks_data.observations import load_observations
from ks_data.stats import compare as cmp
from ks_data.stats import funnel, suppression
from ks_data.stats.intervals import fill_intervals
from ks_data.stats.target import TargetResult, target_verdict
from ks_data.stats.trend import TOO_FEW, TrendResult, trend_marker

BENCHMARKS = {"NL01": "Nederland", "provincie": "provincie", "gemeente": "gemeente"}


@dataclass
class Monitor:
    observations: pd.DataFrame
    catalogue: pd.DataFrame
    areas: pd.DataFrame
    municipality: Municipality
    settings: Settings
    bundle: Bundle
    compared: dict[str, pd.DataFrame] = field(default_factory=dict)
    # Answers are computed once per Monitor (the app keeps one per bundle and municipality).
    _memo: dict[tuple, object] = field(default_factory=dict, repr=False)

    def _remember(self, key: tuple, compute):
        if key not in self._memo:
            self._memo[key] = compute()
        value = self._memo[key]
        return value.copy() if isinstance(value, pd.DataFrame) else value

    @classmethod
    def load(cls, bundle: str | None = None, municipality: str | None = None, root: Path | None = None) -> Monitor:
        settings = load_settings(root)
        bundle = bundle or settings.default_bundle
        mun = load_municipality(municipality or settings.default_municipality, root)
        areas = load_areas(root)
        obs = load_observations(bundle, root)
        wanted = {"NL01", mun.province, mun.code, *mun.postcode_areas}
        obs = obs[obs["area_code"].astype(str).isin(wanted)].copy()
        obs["area_code"] = obs["area_code"].astype(str)
        obs["indicator_id"] = obs["indicator_id"].astype(str)
        obs = suppression.mark_suppression(obs, areas, settings.suppression_threshold)
        return cls(obs, load_catalogue(root), areas, mun, settings, load_bundle_meta(bundle, root))

    def __post_init__(self) -> None:
        for against in BENCHMARKS:
            self.compared[against] = self._judge(self.observations, against)

    def _judge(self, table: pd.DataFrame, against: str) -> pd.DataFrame:
        """Verdicts against a benchmark; a hidden figure gets none (a verdict would hint at what is hidden)."""
        judged = cmp.compare(table, self.catalogue, self.areas, against)
        verdict = judged["verdict"].astype(object).where(~judged["suppressed"].astype(bool), cmp.NOT_ASSESSED)
        judged["verdict"] = pd.Categorical(verdict, categories=cmp.VERDICTS)
        return judged

    # ---- names -------------------------------------------------------------------------------
    @cached_property
    def labels(self) -> dict[str, str]:
        return area_labels(self.areas, self.municipality)

    def area_name(self, code: str) -> str:
        return self.labels.get(code, code)

    def indicator(self, indicator_id: str) -> pd.Series:
        return self.catalogue.loc[indicator_id]

    # ---- series and latest values --------------------------------------------------------------
    def series(self, indicator_id: str, area: str, against: str = "NL01") -> pd.DataFrame:
        """All periods of one indicator and area, oldest first, with verdicts against a benchmark."""
        table = self.compared[against]
        rows = table[(table["indicator_id"] == indicator_id) & (table["area_code"] == area)]
        return rows.sort_values(["period_end", "period_start"], na_position="first")

    def latest(self, indicator_id: str, area: str, against: str = "NL01") -> pd.Series | None:
        """The most recent row (dated rows after undated ones, such as the plan's published figures)."""
        rows = self.series(indicator_id, area, against)
        with_value = rows[rows["value"].notna()]
        rows = with_value if len(with_value) else rows
        return rows.iloc[-1] if len(rows) else None

    def value_for(self, indicator_id: str, area: str, period_label: str) -> pd.Series | None:
        rows = self.series(indicator_id, area)
        rows = rows[rows["period_label"] == period_label]
        return rows.iloc[0] if len(rows) else None

    # ---- verdicts -----------------------------------------------------------------------------
    def target(self, indicator_id: str, area: str | None = None) -> TargetResult:
        return self._remember(("target", indicator_id, area), lambda: self._target(indicator_id, area))

    def _target(self, indicator_id: str, area: str | None) -> TargetResult:
        meta = self.indicator(indicator_id)
        rows = self.series(indicator_id, area or self.municipality.code)
        rows = rows[~rows["suppressed"]]
        return target_verdict(rows, polarity=meta["polarity"], ci_method=meta["ci_method"],
                              multiplier=float(meta["multiplier"]), rule=self.municipality.target_rule(indicator_id),
                              baseline_label=self.municipality.baseline_label, plan_start=self.municipality.plan_start)

    def trend(self, indicator_id: str, area: str | None = None) -> TrendResult:
        meta = self.indicator(indicator_id)
        if meta["period_type"] == "5year":
            return TrendResult(TOO_FEW, reason="vijfjaarsperioden overlappen en worden niet getoetst")
        rows = self.series(indicator_id, area or self.municipality.code)
        return trend_marker(rows[~rows["suppressed"]], meta["ci_method"])

    # ---- postcode areas ----------------------------------------------------------------------
    def postcode_table(self, indicator_id: str, against: str = "gemeente", period_label: str | None = None) -> pd.DataFrame:
        """One row per postcode area of the municipality for one period, suppressed values blanked.

        Sorted by value (highest first, missing last), with the funnel position where counts exist.
        """
        table = self._remember(("postcode", indicator_id, against, period_label),
                               lambda: self._postcode_table(indicator_id, against, period_label))
        return table

    def _postcode_table(self, indicator_id: str, against: str, period_label: str | None) -> pd.DataFrame:
        pcs = list(self.municipality.postcode_areas)
        table, pooling = self._pooled(indicator_id, against) if period_label is None else (None, "")
        if table is None:
            table = self.compared[against]
        rows = table[(table["indicator_id"] == indicator_id) & table["area_code"].isin(pcs)]
        if period_label is None and len(rows):
            dated = rows[rows["value"].notna()].sort_values("period_end", na_position="first")
            period_label = dated["period_label"].iloc[-1] if len(dated) else rows["period_label"].iloc[-1]
        rows = rows[rows["period_label"] == period_label]
        present = set(rows["area_code"])
        missing = [pc for pc in pcs if pc not in present]
        if missing:
            rows = pd.concat([rows, pd.DataFrame({"area_code": missing, "indicator_id": indicator_id,
                                                  "period_label": period_label, "suppressed": False,
                                                  "verdict": cmp.NOT_ASSESSED, "note": "geen gegevens"})],
                             ignore_index=True)
        rows = rows.copy()
        rows["name"] = rows["area_code"].map(self.labels)
        # The funnel's centre is the municipality: all areas' counts, hidden ones included (their sum is public).
        p0 = funnel.pooled(rows["numerator"], rows["denominator"])
        rows["funnel"] = ""
        counted = ~rows["suppressed"].astype(bool) & rows["numerator"].notna()
        if counted.any() and not np.isnan(p0):
            rows.loc[counted, "funnel"] = funnel.significance(rows.loc[counted, "numerator"],
                                                              rows.loc[counted, "denominator"], p0)
        rows = suppression.apply_suppression(rows)
        rows = rows.sort_values("value", ascending=False, na_position="last").reset_index(drop=True)
        rows.attrs["pooling"] = pooling
        rows.attrs["period_label"] = period_label
        rows.attrs["p0"] = p0
        return rows

    def _pooled(self, indicator_id: str, against: str) -> tuple[pd.DataFrame | None, str]:
        """Annual postcode counts pooled over the fewest recent years that let every area pass the threshold."""
        obs = self.observations
        rows = obs[(obs["indicator_id"] == indicator_id) & (obs["period_start"] == obs["period_end"])
                   & obs["numerator"].notna()]
        pcs = list(self.municipality.postcode_areas)
        if not rows["area_code"].isin(pcs).any():
            return None, ""
        pooled, description = suppression.pool_years(rows, self.settings.suppression_threshold,
                                                     check_areas=pcs)
        pooled = fill_intervals(pooled, self.catalogue)
        pooled = suppression.mark_suppression(pooled, self.areas, self.settings.suppression_threshold)
        return self._judge(pooled, against), description

    def funnel_data(self, indicator_id: str, period_label: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, float]:
        """(areas with counts, limit curves, pooled value in the indicator's unit) for the funnel plot."""
        meta = self.indicator(indicator_id)
        table = self.postcode_table(indicator_id, "gemeente", period_label)
        rows = table[table["numerator"].notna() & table["denominator"].notna()]
        if rows.empty:
            return rows, pd.DataFrame(), float("nan")
        p0 = table.attrs["p0"]
        curve = funnel.curve(p0, float(rows["denominator"].max()), float(meta["multiplier"]),
                             n_min=float(rows["denominator"].min()) * 0.5)
        return rows, curve, p0 * float(meta["multiplier"])

    def postcode_flags(self) -> pd.DataFrame:
        """For each postcode area: on how many indicators it is worse than the municipality (latest period)."""
        return self._remember(("flags",), self._postcode_flags)

    def _postcode_flags(self) -> pd.DataFrame:
        out = []
        for ind in self.catalogue.index:
            table = self.postcode_table(ind, "gemeente")
            if table["value"].notna().any():
                out.append(table[["area_code", "name", "verdict", "value"]].assign(indicator_id=ind))
        if not out:
            return pd.DataFrame(columns=["area_code", "name", "indicator_id", "verdict", "value"])
        return pd.concat(out, ignore_index=True)

