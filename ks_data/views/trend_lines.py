"""The lines of a trend chart and its table: the chosen area, the areas above it and the benchmarks."""

from __future__ import annotations

import pandas as pd

from ks_data.views.monitor import Monitor


def trend_lines(monitor: Monitor, indicator_id: str, area: str,
                with_postcodes: bool = False) -> list[tuple[str, str, pd.DataFrame]]:
    """(name, role, rows) for the trend chart and its table: the chosen area first, then benchmarks."""
    mun = monitor.municipality
    series = monitor.series
    lines = [(monitor.area_name(area), "area", series(indicator_id, area))]
    up = monitor.owner(area)
    if up:
        lines.append((monitor.area_name(up), "extra", series(indicator_id, up)))
        if up in mun.members:  # a coalition's postcode area: its municipality, then the coalition
            lines.append((mun.name, "extra", series(indicator_id, mun.code)))
    if mun.region:
        lines.append((monitor.area_name(mun.region), "regio", series(indicator_id, mun.region)))
    lines.append((monitor.area_name(mun.province), "provincie", series(indicator_id, mun.province)))
    lines.append(("Nederland", "NL01", series(indicator_id, "NL01")))
    if with_postcodes and area == mun.code:
        for pc in mun.members or mun.postcode_areas:  # a coalition's members, else the postcode areas
            rows = series(indicator_id, pc)
            if rows["value"].notna().any():
                lines.append((monitor.area_name(pc), "extra", rows))
    return lines


def no_line_note(monitor: Monitor, indicator_id: str, area: str, rows: pd.DataFrame) -> str:
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
    return (f"Voor {monitor.indicator(indicator_id)['name']} in {monitor.area_name(area)} is er in deze gegevens "
            f"{said}; een eigen trendlijn kan pas getekend worden bij ten minste twee perioden met een meetjaar. "
            f"Kies bij 'Gegevens' de voorbeelddata om te zien hoe deze pagina er dan uitziet.")
