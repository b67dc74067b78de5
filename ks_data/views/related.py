"""The plan's related indicators by group: the municipality's latest figure beside NL and the province."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ks_data.publish.published import numeric_rows
from ks_data.views.monitor import Monitor, plan_statement
from ks_data.vocab import GROUPS, PHASES


def related_groups(monitor: Monitor) -> list[str]:
    """The groups of the catalogue's related (not core) indicators, in the plan's order."""
    cat = monitor.catalogue
    return [g for g in GROUPS if g in set(cat.loc[~cat["core"], "group"])]


def related(monitor: Monitor, group: str) -> pd.DataFrame:
    """The municipality's latest figure of each indicator in a group, with NL and the province."""
    mun = monitor.municipality
    rows = []
    for ind, meta in monitor.catalogue[monitor.catalogue["group"] == group].iterrows():
        latest = monitor.latest(ind, mun.code, "NL01")
        if latest is None:
            continue
        pv = monitor.value_for(ind, mun.province, latest["period_label"])
        rows.append({"indicator_id": ind, "name": meta["name"], "phase": PHASES[meta["phase"]],
                     "period_label": latest["period_label"], "unit": meta["unit"],
                     "value": latest["value"], "decimals": latest["decimals"], "hidden": latest["hidden"],
                     "nl": latest["benchmark_value"], "pv": pv["value"] if pv is not None else np.nan,
                     "pv_decimals": pv["decimals"] if pv is not None else pd.NA,
                     "pv_statement": (plan_statement(str(pv["note"]), str(pv["source"]))
                                      if pv is not None and pd.isna(pv["value"]) and not pv["suppressed"] else ""),
                     "verdict": latest["verdict"], "row": latest})
    return pd.DataFrame(rows)


def related_numeric(monitor: Monitor, group: str) -> pd.DataFrame:
    """A group's table as a download: the municipality's row as numbers, with NL and the province beside it."""
    table = related(monitor, group)
    if table.empty:
        return table
    out = numeric_rows(pd.DataFrame(list(table["row"])), monitor.area_name, "Nederland")
    out.insert(0, "Indicator", table["name"].to_numpy())
    out.insert(1, "Fase", table["phase"].to_numpy())
    at = out.columns.get_loc("95%-bovengrens") + 1
    out.insert(at, "Waarde Nederland", pd.to_numeric(table["nl"], errors="coerce").to_numpy())
    out.insert(at + 1, f"Waarde {monitor.area_name(monitor.municipality.province)}",
               pd.to_numeric(table["pv"], errors="coerce").to_numpy())
    return out
