"""What the pages ask of the data: one object per (data folder, bundle, municipality).

Everything is answered from the published view (:mod:`ks_data.publish.published`), so no page can show
a hidden figure; statistics that need raw counts run here and return only what may be shown.
Built once and cached by the app.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ks_data import fmt
from ks_data.publish.publication import Publication
from ks_data.publish.published import PublishedView, numeric_rows
from ks_data.stats import funnel
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
from ks_data.vocab import CLEARLY_WORSE, EXAMPLE_WORDS, GROUPS, NOT_ASSESSED, PHASES, WORSE


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
        result = trend_marker(rows, meta["ci_method"])
        hidden = rows[rows["suppressed"] & rows["period_end"].isin(result.years)]
        if not result.tested or hidden.empty:
            return result
        years = ", ".join(str(int(y)) for y in hidden["period_end"])
        ranges = self.view.exact_audit(indicator_id)
        if ranges is not None and self._marker_is_the_same_for_every_allowed_count(rows, hidden, ranges,
                                                                                    meta["ci_method"], result.marker):
            return TrendResult(result.marker, None, result.years,
                               f"getoetst op alle aantallen; de toetsgrootheid wordt niet getoond omdat {years} "
                               f"verborgen is")
        return TrendResult(TOO_FEW, reason=f"niet getoond: de uitkomst zou iets zeggen over het verborgen jaar "
                                           f"{years}")

    @staticmethod
    def _marker_is_the_same_for_every_allowed_count(rows: pd.DataFrame, hidden: pd.DataFrame, ranges: pd.DataFrame,
                                                    method: str, marker: str, limit: int = 400) -> bool:
        audit = ranges.set_index("cell")
        if not set(hidden.index) <= set(audit.index):
            return False
        ranges = [range(int(np.ceil(audit.at[i, "low"] - 1e-6)), int(np.floor(audit.at[i, "high"] + 1e-6)) + 1)
                  for i in hidden.index]
        if np.prod([len(r) for r in ranges], dtype=float) > limit:
            return False
        for counts in itertools.product(*ranges):
            trial = rows.copy()
            trial.loc[hidden.index, "numerator"] = counts
            if trend_marker(trial, method).marker != marker:
                return False
        return True

    # ---- postcode areas ----------------------------------------------------------------------
    def postcode_table(self, indicator_id: str, against: str = "gemeente") -> pd.DataFrame:
        """One row per postcode area for the latest published period, highest value first.

        ``attrs``: period_label, p0 (the proportion of the area compared with — the municipality or
        ``against`` — in that period, or NaN when it is hidden, missing or of another definition). The
        funnel column is tested against that same p0, so it follows the chosen comparison.
        """
        return self.remember(("postcode", indicator_id, against), lambda: self._postcode_table(indicator_id, against))

    def member_table(self, indicator_id: str, against: str = "gemeente") -> pd.DataFrame:
        """A coalition's members as :meth:`postcode_table` gives postcode areas: their own latest period, against
        the coalition (``"gemeente"``) or ``against``."""
        return self.remember(("members", indicator_id, against),
                              lambda: self._postcode_table(indicator_id, against, list(self.municipality.members)))

    def _postcode_table(self, indicator_id: str, against: str, codes: list[str] | None = None) -> pd.DataFrame:
        pcs = list(self.municipality.postcode_areas) if codes is None else codes
        table = self.view.compared[against]
        rows = table[(table["indicator_id"] == indicator_id) & table["area_code"].isin(pcs)]
        if codes is not None:  # members: their own periods, not blocks pooled for their postcode areas
            rows = rows[~rows["derived"].astype(bool)]
        period_label = None
        if len(rows):
            known = rows[rows["value"].notna() | rows["suppressed"]].sort_values("period_end", na_position="first")
            period_label = (known if len(known) else rows)["period_label"].iloc[-1]
        rows = rows[rows["period_label"] == period_label].copy()
        missing = [pc for pc in pcs if pc not in set(rows["area_code"])]
        if missing:
            rows = pd.concat([rows, pd.DataFrame({
                "area_code": missing, "indicator_id": indicator_id, "period_label": period_label, "suppressed": False,
                "verdict": NOT_ASSESSED, "note": "geen gegevens", "hidden": "", "suppression_reason": ""})],
                ignore_index=True)
        rows["name"] = rows["area_code"].map(self.labels)
        rows["statement"] = [plan_statement(n, str(src)) if pd.isna(v) and not h else "" for n, src, v, h in
                             zip(rows["note"].astype(str), rows["source"], rows["value"],
                                 rows["suppressed"].astype(bool))]
        centre = self.municipality.code if against == "gemeente" else against
        total = self.value_for(indicator_id, centre, period_label) if period_label else None
        ours = set(rows["definition"].dropna()) if "definition" in rows else set()
        same_definition = total is None or not ours or {total.get("definition")} == ours
        p0 = (float(total["numerator"]) / float(total["denominator"])
              if total is not None and pd.notna(total["numerator"]) and total["denominator"] and same_definition
              else float("nan"))
        rows = funnel.place(rows, p0).sort_values("value", ascending=False, na_position="last").reset_index(drop=True)
        rows.attrs.update(period_label=period_label, p0=p0)
        return rows

    def funnel_data(self, indicator_id: str, against: str = "gemeente",
                    members: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, float]:
        """(areas with counts, limit curves, the centre's value) for the funnel plot around the municipality
        or, with ``against``, around that benchmark (the comparison chosen on the page).

        No funnel when the centre's figure for the period is hidden or missing: its line would show it.
        """
        table = self.member_table(indicator_id, against) if members else self.postcode_table(indicator_id, against)
        return funnel.plot_data(table, table.attrs["p0"], float(self.indicator(indicator_id)["multiplier"]))

    def postcode_flags(self) -> pd.DataFrame:
        """For each postcode area and indicator: the verdict against the municipality (latest period)."""
        return self.remember(("flags",), self._postcode_flags)

    def _postcode_flags(self) -> pd.DataFrame:
        out = []
        for ind in self.catalogue.index:
            table = self.postcode_table(ind, "gemeente")
            if table["value"].notna().any():
                out.append(table[["area_code", "name", "verdict", "value"]].assign(indicator_id=ind))
        if not out:
            return pd.DataFrame(columns=["area_code", "name", "indicator_id", "verdict", "value"])
        return pd.concat(out, ignore_index=True)

    def stacking(self) -> pd.DataFrame:
        """Per postcode area: on how many indicators it is worse than the municipality, and which."""
        flags = self.postcode_flags()
        if flags.empty:
            return flags
        names = dict(zip(self.catalogue.index, self.catalogue["name"]))
        flags = flags.assign(worse=flags["verdict"].isin([WORSE, CLEARLY_WORSE]))
        summary = flags.groupby(["area_code", "name"], as_index=False).agg(
            n_worse=("worse", "sum"), n_known=("value", "count"))
        worse = flags[flags["worse"]]
        summary["which"] = summary["area_code"].map(
            lambda a: ", ".join(names[i] for i in worse.loc[worse["area_code"] == a, "indicator_id"]) or "–")
        return summary.sort_values(["n_worse", "area_code"], ascending=[False, True]).reset_index(drop=True)

    # ---- tables the pages lay out --------------------------------------------------------------
    def no_line_note(self, indicator_id: str, area: str, rows: pd.DataFrame) -> str:
        """Why an area's own trend line cannot be drawn yet: what its shown periods are, dated and undated."""
        shown = rows[rows["value"].notna()]
        dated = shown[shown["period_end"].notna()]["period_label"].astype(str).tolist()
        undated = shown[shown["period_end"].isna()]["period_label"].astype(str).tolist()
        parts = []
        if dated:
            parts.append(f"één periode met een meetjaar ({dated[0]})")
        if undated:
            one = len(undated) == 1
            parts.append(f"{'één periode' if one else f'{len(undated)} perioden'} zonder meetjaar "
                         f"({', '.join(undated)}), die niet op de tijdas {'staat' if one else 'staan'}")
        said = " en ".join(parts) if parts else "geen periode met een getoonde waarde"
        return (f"Voor {self.indicator(indicator_id)['name']} in {self.area_name(area)} is er in deze gegevens "
                f"{said}; een eigen trendlijn kan pas getekend worden bij ten minste twee perioden met een meetjaar. "
                f"Kies bij 'Gegevens' de voorbeelddata om te zien hoe deze pagina er dan uitziet.")

    def related(self, group: str) -> pd.DataFrame:
        """The municipality's latest figure of each indicator in a group, with NL and the province."""
        mun = self.municipality
        rows = []
        for ind, meta in self.catalogue[self.catalogue["group"] == group].iterrows():
            latest = self.latest(ind, mun.code, "NL01")
            if latest is None:
                continue
            pv = self.value_for(ind, mun.province, latest["period_label"])
            rows.append({"indicator_id": ind, "name": meta["name"], "phase": PHASES[meta["phase"]],
                         "period_label": latest["period_label"], "unit": meta["unit"],
                         "value": latest["value"], "decimals": latest["decimals"], "hidden": latest["hidden"],
                         "nl": latest["benchmark_value"], "pv": pv["value"] if pv is not None else np.nan,
                         "pv_decimals": pv["decimals"] if pv is not None else pd.NA,
                         "pv_statement": (plan_statement(str(pv["note"]), str(pv["source"]))
                                          if pv is not None and pd.isna(pv["value"]) and not pv["suppressed"] else ""),
                         "verdict": latest["verdict"], "row": latest})
        return pd.DataFrame(rows)

    def related_groups(self) -> list[str]:
        return [g for g in GROUPS if g in set(self.catalogue.loc[~self.catalogue["core"], "group"])]

    def trend_lines(self, indicator_id: str, area: str, with_postcodes: bool = False) -> list[tuple[str, str, pd.DataFrame]]:
        """(name, role, rows) for the trend chart and its table: the chosen area first, then benchmarks."""
        mun = self.municipality
        lines = [(self.area_name(area), "area", self.series(indicator_id, area))]
        up = self.owner(area)
        if up:
            lines.append((self.area_name(up), "extra", self.series(indicator_id, up)))
            if up in mun.members:  # a coalition's postcode area: its municipality, then the coalition
                lines.append((mun.name, "extra", self.series(indicator_id, mun.code)))
        if mun.region:
            lines.append((self.area_name(mun.region), "regio", self.series(indicator_id, mun.region)))
        lines.append((self.area_name(mun.province), "provincie", self.series(indicator_id, mun.province)))
        lines.append(("Nederland", "NL01", self.series(indicator_id, "NL01")))
        if with_postcodes and area == mun.code:
            for pc in mun.members or mun.postcode_areas:  # a coalition's members, else the postcode areas
                rows = self.series(indicator_id, pc)
                if rows["value"].notna().any():
                    lines.append((self.area_name(pc), "extra", rows))
        return lines

    def provenance(self) -> pd.DataFrame:
        """Every published figure with its source, period and retrieval date (hidden ones say why)."""
        obs = self.view.table
        cat = self.catalogue
        shown = ~obs["suppressed"].astype(bool)
        return pd.DataFrame({
            "Indicator": obs["indicator_id"].map(cat["name"]), "Gebied": obs["area_code"].map(self.area_name),
            "Periode": obs["period_label"],
            "Waarde": [fmt.value(v, u, d) if s else h for v, u, d, s, h in
                       zip(obs["value"], obs["unit"].astype(str), obs["decimals"], shown, obs["hidden"])],
            "95%-interval": [fmt.interval(lo, hi, u) for lo, hi, u in
                             zip(obs["ci_low"], obs["ci_high"], obs["unit"].astype(str))],
            "Interval": np.where(~shown, "–", np.where(obs["ci_low"].isna(),
                                 np.where(obs["value"].isna(), "geen waarde", "bron geeft geen aantallen"),
                                 np.where(obs["ci_computed"].astype(bool), "berekend uit de aantallen", "uit de bron"))),
            "Bron": obs["source"], "Detail": obs["source_detail"], "Opgehaald": obs["retrieved"],
            "Voorbeeld": obs["is_example"].map(EXAMPLE_WORDS),
            "Toelichting": obs["note"]}).reset_index(drop=True)

    def provenance_numeric(self) -> pd.DataFrame:
        """The provenance table as a download: value and bounds as numbers, with indicator and detail beside them."""
        obs = self.view.table
        out = numeric_rows(obs, self.area_name)
        out.insert(0, "Indicator", obs["indicator_id"].map(self.catalogue["name"]).to_numpy())
        out.insert(1, "Indicator-id", obs["indicator_id"].to_numpy())
        out.insert(out.columns.get_loc("Bron") + 1, "Detail", obs["source_detail"].astype(str).to_numpy())
        out["Voorbeeld"] = obs["is_example"].map(EXAMPLE_WORDS).to_numpy()
        return out

    def related_numeric(self, group: str) -> pd.DataFrame:
        """A group's table as a download: the municipality's row as numbers, with NL and the province beside it."""
        related = self.related(group)
        if related.empty:
            return related
        out = numeric_rows(pd.DataFrame(list(related["row"])), self.area_name, "Nederland")
        out.insert(0, "Indicator", related["name"].to_numpy())
        out.insert(1, "Fase", related["phase"].to_numpy())
        at = out.columns.get_loc("95%-bovengrens") + 1
        out.insert(at, "Waarde Nederland", pd.to_numeric(related["nl"], errors="coerce").to_numpy())
        out.insert(at + 1, f"Waarde {self.area_name(self.municipality.province)}",
                   pd.to_numeric(related["pv"], errors="coerce").to_numpy())
        return out

    def births_per_year(self) -> float | None:
        """Mean births per year in the municipality's annual rows counted per birth, where the data give counts."""
        per_birth = self.catalogue.index[self.catalogue["denominator"] == "geboorten"]
        rows = self.view.table
        rows = rows[rows["indicator_id"].isin(per_birth) & (rows["area_code"] == self.municipality.code)
                    & (rows["period_start"] == rows["period_end"]) & rows["denominator"].notna()]
        return float(rows.groupby("period_end")["denominator"].max().mean()) if len(rows) else None
