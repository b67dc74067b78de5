"""Figures of the national view: municipalities on a map by verdict, and the funnel of all municipalities."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ks_data import fmt
from ks_data.vocab import NOT_ASSESSED, SIMILAR
from ks_ui.figures import (
    _base_layout,
    _cell_value,
    _label_point,
    _outline,
    _polygons,
    _unit_title,
    funnel_frame,
)
from ks_ui.safe import plot
from ks_ui.style import VERDICT_COLOUR, verdict_text

CREDIT = "Grenzen: © CBS, gemeenten 1-1-2022 (via certegis)"


def municipality_map(geo: dict, table: pd.DataFrame, meta: pd.Series, source: str, example: bool,
                     title: str) -> go.Figure:
    """Municipalities as plain SVG shapes, one filled trace per verdict against NL (few traces, so it stays fast).

    A dot in each municipality carries its name, value and verdict on hover, and its code for a click.
    """
    unit = meta["unit"]
    shapes = {f["id"]: f["geometry"] for f in geo["features"]}
    lat0 = float(np.mean([c[1] for g in shapes.values() for poly in _polygons(g) for c in poly[0]] or [52]))
    fig = go.Figure()
    for verdict, colour in VERDICT_COLOUR.items():
        part = table[(table["verdict"] == verdict) & table["area_code"].isin(shapes)]
        if part.empty:
            continue
        xs, ys = [], []
        for code in part["area_code"]:
            x, y, _ = _outline(shapes[code], lat0)
            xs += x
            ys += y
        fig.add_trace(go.Scatter(x=xs, y=ys, fill="toself", fillcolor=colour, mode="lines", hoverinfo="skip",
                                 line={"color": "#555555", "width": 0.5}, name=verdict_text(verdict)))
    drawn = table[table["area_code"].isin(shapes)]
    points = [_label_point(shapes[c], lat0) for c in drawn["area_code"]]
    hover = []
    for r in drawn.itertuples():
        word = "" if r.verdict == NOT_ASSESSED else (" met Nederland" if r.verdict == SIMILAR else " dan Nederland")
        hover.append(f"<b>{plot(r.name)}</b><br>{_cell_value(r, unit)}<br>{verdict_text(r.verdict)}{word}")
    fig.add_trace(go.Scatter(
        x=[p[0] for p in points], y=[p[1] for p in points], mode="markers", name="gemeente (aanwijzen of klikken)",
        marker={"size": 6, "color": "#1f1f1f", "opacity": 0.55}, customdata=list(drawn["area_code"]),
        text=hover, hoverinfo="text", showlegend=False))
    fig = _base_layout(fig, title, f"{source} · {CREDIT}", example, height=640)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(hovermode="closest", clickmode="event+select", dragmode=False)
    return fig


def municipality_funnel(rows: pd.DataFrame, curve: pd.DataFrame, p0: float, meta: pd.Series, source: str,
                        example: bool, centre: str) -> go.Figure:
    """Every municipality against its denominator, with control limits around the Netherlands."""
    unit = meta["unit"]
    fig = funnel_frame(curve, p0, meta, centre)
    for verdict, part in rows.groupby("verdict", sort=False, observed=True):
        fig.add_trace(go.Scatter(
            x=part["denominator"], y=part["value"], mode="markers", name=f"gemeente: {verdict_text(verdict)}",
            marker={"size": 8, "color": VERDICT_COLOUR.get(verdict, "#fff"), "line": {"color": "#000", "width": 1}},
            customdata=list(part["area_code"]), hoverinfo="text",
            hovertext=[f"<b>{plot(r.name)}</b><br>{fmt.value(r.value, unit, r.decimals)} · {fmt.integer(r.denominator)} "
                       f"{plot(meta['denominator'])}<br>{r.funnel}" for r in part.itertuples()]))
    # ticks only at 1, 2 and 5 times a power of ten, written out in Dutch ("1.000"): the default log axis writes
    # "5 6 7 8 9 100 2 3…", which reads as nonsense
    low, high = float(rows["denominator"].min()), float(rows["denominator"].max())
    ticks = [m * 10 ** e for e in range(int(np.floor(np.log10(max(low, 1)))), int(np.ceil(np.log10(max(high, 1)))) + 1)
             for m in (1, 2, 5) if low / 2 <= m * 10 ** e <= high * 2]
    fig.update_xaxes(title="aantal (noemer, logaritmische schaal)", type="log", tickvals=ticks,
                     ticktext=[fmt.integer(t) for t in ticks])
    top = max(float(curve["upper998"].max()), float(rows["value"].max())) * 1.1
    fig.update_yaxes(title=_unit_title(meta), range=[0, top])
    return _base_layout(fig, f"Trechter rond {centre}: {meta['name']}", source, example)
