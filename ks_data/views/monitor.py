"""What the pages ask of the data: one object per (data folder, bundle, municipality).

The Monitor answers queries — names, an area's series, its latest figure, the target and trend verdicts — from
the published view (:mod:`ks_data.publish.published`), so no page can show a hidden figure; whether a statistic
over hidden counts may be shown is decided by that view. The tables pages lay out are built from a Monitor in
their own modules: :mod:`~ks_data.views.area_tables` (postcode areas and members, funnel, stacking),
:mod:`~ks_data.views.trend_lines`, :mod:`~ks_data.views.related` and :mod:`~ks_data.views.provenance`.
Built once and cached by the app.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from ks_data.publish.publication import Publication
from ks_data.publish.published import PublishedView
from ks_data.stats.target import TargetResult, target_verdict
from ks_data.stats.trend import TOO_FEW, TrendResult, trend_marker
from ks_data.table.areas import area_labels
from ks_data.table.config import (
    Bundle,
    Municipality,
    Settings,
    load_bundle_meta,
    load_municipality,
)


def up_to(rows: pd.DataFrame, until: int | None) -> pd.DataFrame:
    """Rows whose period ends by ``until`` (a review moment), undated ones kept; all rows without ``until``."""
    return rows if until is None else rows[rows["period_end"].isna() | (rows["period_end"] <= until)]


def plan_statement(note: str, source: str = "") -> str:
    """A source's words in place of a number ("boven het landelijk gemiddelde"), as their own category.

    The real bundle records such statements of the plan in the row's note with this wording; they
    are shown as statements, never turned into a number.
    """
    found = re.search(r"\b(boven|onder) het (landelijk|provinciaal) gemiddelde|\b(gelijk) aan het (landelijk|provinciaal) "
                      r"gemiddelde", note)
    said = "het plan" if "plan" in source.lower() else "de bron"
    if not found:
        return ""
    word, level = (found.group(1), found.group(2)) if found.group(1) else (f"{found.group(3)} aan", found.group(4))
    return f"{word} {level} volgens {said}, geen getal"


@dataclass
class Monitor:
    view: PublishedView
    catalogue: pd.DataFrame
    areas: pd.DataFrame
    municipality: Municipality
    settings: Settings
    bundle: Bundle
    _memo: dict[tuple, object] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, bundle: str | None = None, municipality: str | None = None, root: Path | None = None,
             observations: pd.DataFrame | None = None, publication: Publication | None = None) -> Monitor:
        """One municipality's monitor, published as ``publication`` decides (a new one over ``observations``,
        or the bundle's table, when not given)."""
        pub = publication or Publication(bundle, root, observations)
        mun = load_municipality(municipality or pub.settings.default_municipality, root)
        return cls(pub.view(mun), pub.catalogue, pub.areas, mun, pub.settings, load_bundle_meta(pub.bundle, root))

    def remember(self, key: tuple, compute):
        """``compute()`` once per key for this view (a copy of a frame is handed out, so callers may change it)."""
        if key not in self._memo:
            self._memo[key] = compute()
        value = self._memo[key]
        return value.copy() if isinstance(value, pd.DataFrame) else value

    @property
    def published(self) -> pd.DataFrame:
        """Every published figure of this municipality (hidden ones blanked)."""
        return self.view.table

    # ---- names -------------------------------------------------------------------------------
    @cached_property
    def labels(self) -> dict[str, str]:
        return area_labels(self.areas, self.municipality)  # coalitions and regions are in the registry too

    def area_name(self, code: str) -> str:
        return self.labels.get(code, code)

    def indicator(self, indicator_id: str) -> pd.Series:
        return self.catalogue.loc[indicator_id]

    def is_postcode(self, area: str) -> bool:
        return area in self.municipality.postcode_areas

    def areas_below(self) -> list[str]:
        """What the area choice offers under the municipality: a coalition's members, then the postcode areas."""
        return [*self.municipality.members, *self.municipality.postcode_areas]

    def owner(self, area: str) -> str:
        """The area one level up within the view: a postcode area's municipality, a member's coalition."""
        mun = self.municipality
        if self.is_postcode(area):
            return str(self.areas.at[area, "parent_code"]) if mun.is_coalition and area in self.areas.index else mun.code
        return mun.code if area in mun.members else ""

    # ---- series and latest values --------------------------------------------------------------
    def series(self, indicator_id: str, area: str, against: str = "NL01") -> pd.DataFrame:
        """All published periods of one indicator and area, oldest first, with verdicts.

        Blocks derived only to compare postcode areas are left out for the other areas, so a
        municipality's line holds the periods its source gives.
        """
        return self.remember(("series", indicator_id, area, against), lambda: self._series(indicator_id, area, against))

    def _series(self, indicator_id: str, area: str, against: str) -> pd.DataFrame:
        table = self.view.compared[against]
        positions = self._positions(against).get((indicator_id, area))
        rows = table.iloc[positions if positions is not None else []]
        if not self.is_postcode(area):
            rows = rows[~rows["derived"].astype(bool)]
        return rows.sort_values(["period_end", "period_start"], na_position="first")

    def _positions(self, against: str) -> dict:
        """Row positions of each (indicator, area) in a compared table, found once (pages ask many series)."""
        def indices() -> dict:
            table = self.view.compared[against]
            return table.groupby([table["indicator_id"].astype(str), table["area_code"].astype(str)], sort=False).indices
        return self.remember(("positions", against), indices)

    def latest(self, indicator_id: str, area: str, against: str = "NL01") -> pd.Series | None:
        """The most recent row with a value or hidden (dated rows after undated ones)."""
        rows = self.series(indicator_id, area, against)
        known = rows[rows["value"].notna() | rows["suppressed"]]
        rows = known if len(known) else rows
        return rows.iloc[-1] if len(rows) else None

    def value_for(self, indicator_id: str, area: str, period_label: str) -> pd.Series | None:
        table = self.view.table
        rows = table[(table["indicator_id"] == indicator_id) & (table["area_code"] == area)
                     & (table["period_label"] == period_label)]
        return rows.iloc[0] if len(rows) else None

    def sources(self, indicator_id: str | None = None) -> str:
        """The sources of the figures shown for an indicator (at most two, then 'e.a.')."""
        rows = self.view.table
        if indicator_id:
            rows = rows[rows["indicator_id"] == indicator_id]
        sources = list(dict.fromkeys(rows["source"]))
        return "; ".join(sources[:2]) + (" e.a." if len(sources) > 2 else "") if sources else "geen gegevens"

    def periods(self) -> str:
        """Which periods this municipality's own figures cover (not the benchmarks'), for the page header.

        A period without years ("gepubliceerd 2024") says that the source does not state its years."""
        table = self.view.table
        mun = self.municipality
        own = table[table["area_code"].isin([mun.code, *mun.postcode_areas])
                    & (table["value"].notna() | table["suppressed"].astype(bool))]
        ends = own["period_end"].dropna()
        labels = sorted(set(own.loc[own["period_end"].isna(), "period_label"].astype(str)))
        span = [] if ends.empty else [str(int(ends.max()))] if ends.min() == ends.max() else [
            f"{int(ends.min())}–{int(ends.max())}"]
        parts = span + [f"{label} (jaren niet vermeld in de bron)" for label in labels]
        return ", ".join(parts) or "geen"

    # ---- verdicts -----------------------------------------------------------------------------
    def target(self, indicator_id: str, area: str | None = None, *, until: int | None = None,
               baseline: str | None = None) -> TargetResult:
        """The target verdict; ``until`` keeps periods ending by that year (a review moment), ``baseline``
        names another baseline period than the configuration's."""
        return self.remember(("target", indicator_id, area, until, baseline),
                              lambda: self._target(indicator_id, area, until, baseline))

    def _target(self, indicator_id: str, area: str | None, until: int | None, baseline: str | None) -> TargetResult:
        meta = self.indicator(indicator_id)
        rule = self.municipality.target(indicator_id)
        rows = up_to(self.series(indicator_id, area or self.municipality.code), until)
        return target_verdict(rows, polarity=meta["polarity"], ci_method=meta["ci_method"],
                              multiplier=float(meta["multiplier"]), rule=rule.rule, margin=rule.margin,
                              baseline_label=baseline or self.municipality.baseline_label,
                              plan_start=self.municipality.plan_start)

    def trend(self, indicator_id: str, area: str | None = None) -> TrendResult:
        """The recent-trend marker on the raw counts, published only when it gives nothing hidden away.

        A hidden year may take part in the test, but then the marker is shown only if it comes out
        the same for every count the audit allows that year (so it says nothing the published
        figures do not), and the test statistic is never shown.
        """
        return self.remember(("trend", indicator_id, area), lambda: self._trend(indicator_id, area))

    def _trend(self, indicator_id: str, area: str | None) -> TrendResult:
        area = area or self.municipality.code
        meta = self.indicator(indicator_id)
        if meta["period_type"] == "5year":
            return TrendResult(TOO_FEW, reason="vijfjaarsperioden overlappen en worden niet op trend getoetst")
        if self.is_postcode(area):
            return TrendResult(TOO_FEW, reason="postcodegebieden worden alleen per blok van "
                                               f"{self.settings.postcode_block_years} jaar getoond, niet per jaar")
        raw = self.view.raw
        rows = raw[(raw["indicator_id"] == indicator_id) & (raw["area_code"] == area) & ~raw["derived"].astype(bool)]
        method = meta["ci_method"]
        result = trend_marker(rows, method)
        hidden = rows[rows["suppressed"] & rows["period_end"].isin(result.years)]
        if not result.tested or hidden.empty:
            return result
        years = ", ".join(str(int(y)) for y in hidden["period_end"])
        if self.view.same_for_every_allowed_count(indicator_id, rows, hidden.index,
                                                  lambda trial: trend_marker(trial, method).marker, result.marker):
            return TrendResult(result.marker, None, result.years,
                               f"getoetst op alle aantallen; de toetsgrootheid wordt niet getoond omdat {years} "
                               f"verborgen is")
        return TrendResult(TOO_FEW, reason=f"niet getoond: de uitkomst zou iets zeggen over het verborgen jaar "
                                           f"{years}")
