"""Where each published figure comes from: source, period and retrieval date, hidden ones with their reason."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ks_data import fmt
from ks_data.publish.published import numeric_rows
from ks_data.views.monitor import Monitor
from ks_data.vocab import EXAMPLE_WORDS


def provenance(monitor: Monitor) -> pd.DataFrame:
    """Every published figure with its source, period and retrieval date (hidden ones say why)."""
    obs = monitor.view.table
    shown = ~obs["suppressed"].astype(bool)
    return pd.DataFrame({
        "Indicator": obs["indicator_id"].map(monitor.catalogue["name"]), "Gebied": obs["area_code"].map(monitor.area_name),
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


def provenance_numeric(monitor: Monitor) -> pd.DataFrame:
    """The provenance table as a download: value and bounds as numbers, with indicator and detail beside them."""
    obs = monitor.view.table
    out = numeric_rows(obs, monitor.area_name)
    out.insert(0, "Indicator", obs["indicator_id"].map(monitor.catalogue["name"]).to_numpy())
    out.insert(1, "Indicator-id", obs["indicator_id"].to_numpy())
    out.insert(out.columns.get_loc("Bron") + 1, "Detail", obs["source_detail"].astype(str).to_numpy())
    out["Voorbeeld"] = obs["is_example"].map(EXAMPLE_WORDS).to_numpy()
    return out


def births_per_year(monitor: Monitor) -> float | None:
    """Mean births per year in the municipality's annual rows counted per birth, where the data give counts."""
    cat = monitor.catalogue
    rows = monitor.view.table
    rows = rows[rows["indicator_id"].isin(cat.index[cat["denominator"] == "geboorten"])
                & (rows["area_code"] == monitor.municipality.code)
                & (rows["period_start"] == rows["period_end"]) & rows["denominator"].notna()]
    return float(rows.groupby("period_end")["denominator"].max().mean()) if len(rows) else None
