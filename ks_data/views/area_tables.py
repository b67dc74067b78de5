"""The areas one level down, side by side: a municipality's postcode areas, or a coalition's members.

Each table holds one row per area for the latest published period, tested against the municipality
(or coalition) or a benchmark; the funnel plot and the stacking of unfavourable verdicts are built
from it. Read from the :class:`~ks_data.views.monitor.Monitor` only, so nothing hidden reaches them.
"""

from __future__ import annotations

import pandas as pd

from ks_data.stats import funnel
from ks_data.views.monitor import Monitor, plan_statement
from ks_data.vocab import CLEARLY_WORSE, NOT_ASSESSED, WORSE


def postcode_table(monitor: Monitor, indicator_id: str, against: str = "gemeente") -> pd.DataFrame:
    """One row per postcode area for the latest published period, highest value first.

    ``attrs``: period_label, p0 (the proportion of the area compared with — the municipality or
    ``against`` — in that period, or NaN when it is hidden, missing or of another definition). The
    funnel column is tested against that same p0, so it follows the chosen comparison.
    """
    return monitor.remember(("postcode", indicator_id, against),
                            lambda: _area_table(monitor, indicator_id, against))


def member_table(monitor: Monitor, indicator_id: str, against: str = "gemeente") -> pd.DataFrame:
    """A coalition's members as :func:`postcode_table` gives postcode areas: their own latest period, against the
    coalition (``"gemeente"``) or ``against``."""
    return monitor.remember(("members", indicator_id, against),
                            lambda: _area_table(monitor, indicator_id, against, list(monitor.municipality.members)))


def _area_table(monitor: Monitor, indicator_id: str, against: str, codes: list[str] | None = None) -> pd.DataFrame:
    pcs = list(monitor.municipality.postcode_areas) if codes is None else codes
    table = monitor.view.compared[against]
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
    rows["name"] = rows["area_code"].map(monitor.labels)
    rows["statement"] = [plan_statement(n, str(src)) if pd.isna(v) and not h else "" for n, src, v, h in
                         zip(rows["note"].astype(str), rows["source"], rows["value"], rows["suppressed"].astype(bool))]
    centre = monitor.municipality.code if against == "gemeente" else against
    total = monitor.value_for(indicator_id, centre, period_label) if period_label else None
    ours = set(rows["definition"].dropna()) if "definition" in rows else set()
    same_definition = total is None or not ours or {total.get("definition")} == ours
    p0 = (float(total["numerator"]) / float(total["denominator"])
          if total is not None and pd.notna(total["numerator"]) and total["denominator"] and same_definition
          else float("nan"))
    rows = funnel.place(rows, p0).sort_values("value", ascending=False, na_position="last").reset_index(drop=True)
    rows.attrs.update(period_label=period_label, p0=p0)
    return rows


def funnel_data(monitor: Monitor, indicator_id: str, against: str = "gemeente",
                members: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """(areas with counts, limit curves, the centre's value) for the funnel plot around the municipality or, with
    ``against``, around that benchmark (the comparison chosen on the page).

    No funnel when the centre's figure for the period is hidden or missing: its line would show it.
    """
    table = (member_table if members else postcode_table)(monitor, indicator_id, against)
    return funnel.plot_data(table, table.attrs["p0"], float(monitor.indicator(indicator_id)["multiplier"]))


def postcode_flags(monitor: Monitor) -> pd.DataFrame:
    """For each postcode area and indicator: the verdict against the municipality (latest period)."""
    def flags() -> pd.DataFrame:
        out = []
        for ind in monitor.catalogue.index:
            table = postcode_table(monitor, ind, "gemeente")
            if table["value"].notna().any():
                out.append(table[["area_code", "name", "verdict", "value"]].assign(indicator_id=ind))
        if not out:
            return pd.DataFrame(columns=["area_code", "name", "indicator_id", "verdict", "value"])
        return pd.concat(out, ignore_index=True)
    return monitor.remember(("flags",), flags)


def stacking(monitor: Monitor) -> pd.DataFrame:
    """Per postcode area: on how many indicators it is worse than the municipality, and which."""
    flags = postcode_flags(monitor)
    if flags.empty:
        return flags
    names = dict(zip(monitor.catalogue.index, monitor.catalogue["name"]))
    flags = flags.assign(worse=flags["verdict"].isin([WORSE, CLEARLY_WORSE]))
    summary = flags.groupby(["area_code", "name"], as_index=False).agg(
        n_worse=("worse", "sum"), n_known=("value", "count"))
    worse = flags[flags["worse"]]
    summary["which"] = summary["area_code"].map(
        lambda a: ", ".join(names[i] for i in worse.loc[worse["area_code"] == a, "indicator_id"]) or "–")
    return summary.sort_values(["n_worse", "area_code"], ascending=[False, True]).reset_index(drop=True)
