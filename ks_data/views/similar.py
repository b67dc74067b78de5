"""How a municipality (or coalition) compares with municipalities like it: the group, its figures, a rank.

The group comes from :mod:`ks_data.table.similar` (or the configuration). Its members' figures are the published
ones (:meth:`ks_data.publish.publication.Publication.municipal_figures`): a hidden figure stays hidden here. The
group's own figure — the members' counts added up — is given only when every member's figure for that period is
shown with its counts, so it is worked out from published figures alone and tells nothing they do not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ks_data.publish.groups import group_rows
from ks_data.stats import compare as cmp
from ks_data.table.similar import K, fixed_group, similar_group
from ks_data.vocab import NOT_ASSESSED

GROUP_CODE = "vergelijkbaar"


@dataclass
class Similar:
    group: pd.DataFrame  # indexed by code: name, province, inhabitants, density, distance
    chosen_by: str  # "berekend" (nearest neighbours) or "ingesteld" (the configuration names the group)
    figures: pd.DataFrame  # the members' published own-period figures

    @classmethod
    def build(cls, publication, municipality) -> Similar:
        if municipality.similar:
            group, chosen_by = fixed_group(municipality.similar, publication.root), "ingesteld"
        else:
            group, chosen_by = similar_group(municipality.municipalities, publication.root), "berekend"
        return cls(group, chosen_by, publication.municipal_figures(list(group.index)))

    def compare(self, monitor, indicator_id: str) -> tuple[pd.DataFrame, dict]:
        """(one row per member for the municipality's latest period, the summary: period, rank, the group's
        figure and the municipality's verdict against it, or why not)."""
        meta = monitor.indicator(indicator_id)
        me = monitor.latest(indicator_id, monitor.municipality.code, "NL01")
        summary = {"period_label": None, "rank": None, "ranked": 0, "group_row": None, "verdict": NOT_ASSESSED,
                   "why": ""}
        rows = self.group.assign(value=np.nan, ci_low=np.nan, ci_high=np.nan, numerator=np.nan, denominator=np.nan,
                                 suppressed=False, hidden="", decimals=pd.NA, present=False)
        if me is None:
            summary["why"] = "geen cijfer van deze gemeente"
            return rows, summary
        period = str(me["period_label"])
        summary["period_label"] = period
        figs = self.figures
        figs = figs[(figs["indicator_id"].astype(str) == indicator_id) & (figs["period_label"].astype(str) == period)]
        figs = figs.drop_duplicates("area_code").set_index(figs["area_code"].astype(str).to_numpy())
        for col in ["value", "ci_low", "ci_high", "numerator", "denominator", "decimals", "hidden"]:
            rows[col] = figs[col].reindex(rows.index).to_numpy() if col in figs else rows[col]
        rows["suppressed"] = figs["suppressed"].reindex(rows.index).fillna(False).astype(bool).to_numpy() \
            if len(figs) else False
        rows["present"] = rows.index.isin(figs.index)
        shown = rows[rows["value"].notna()]
        if pd.notna(me["value"]) and not me["suppressed"]:
            values = pd.concat([shown["value"], pd.Series([me["value"]], index=[monitor.municipality.code])])
            better_low = meta["polarity"] == "lower"
            ranks = values.rank(ascending=better_low, method="min")
            summary["rank"], summary["ranked"] = int(ranks[monitor.municipality.code]), len(values)
        counted = rows["numerator"].notna() & rows["denominator"].notna() & ~rows["suppressed"]
        if not len(rows):
            summary["why"] = "geen vergelijkbare gemeenten gevonden"
        elif not counted.all():
            missing = len(rows) - int(counted.sum())
            summary["why"] = (f"{missing} van de {len(rows)} vergelijkbare gemeenten {'heeft' if missing == 1 else 'hebben'} "
                              f"geen getoond cijfer met aantallen voor {period}, en het groepscijfer wordt alleen uit "
                              f"getoonde cijfers van alle gemeenten opgeteld")
        else:  # summed as any group's figure is (all members' counts, one definition), from shown figures only
            summed = group_rows(figs, monitor.catalogue, {GROUP_CODE: tuple(rows.index)})
            if summed.empty:
                summary["why"] = f"de cijfers van de vergelijkbare gemeenten voor {period} hebben niet één definitie"
            else:
                summary["group_row"] = summed.iloc[0]
                summary["verdict"] = _verdict(monitor, me, summary["group_row"])
        return rows, summary


def _verdict(monitor, me: pd.Series, group: pd.Series) -> str:
    """The municipality's figure against the group's, as against any benchmark (none for a hidden or uncounted one)."""
    if me["suppressed"] or pd.isna(me["numerator"]):
        return NOT_ASSESSED
    keys = ["indicator_id", "period_label", "period_start", "period_end", "value", "numerator", "denominator",
            "ci_low", "ci_high", "decimals", "definition"]
    table = pd.DataFrame([{**{k: me.get(k) for k in keys}, "area_code": monitor.municipality.code},
                          {**{k: group.get(k) for k in keys}, "area_code": GROUP_CODE}])
    return str(cmp.compare(table, monitor.catalogue, monitor.areas, GROUP_CODE)["verdict"].iloc[0])


__all__ = ["K", "Similar", "GROUP_CODE"]
