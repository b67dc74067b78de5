"""Plotly figure builders. Inputs are tables from the data layer; all labels Dutch, numbers with a comma."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from ks_data import ReviewMoment, TargetResult, fmt
from ks_data.vocab import EXAMPLE_MARK, NOT_ASSESSED, SIMILAR, UNIT_LABEL
from ks_ui.safe import plot
from ks_ui.style import SERIES, VERDICT_COLOUR, verdict_text

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"  # local fonts only: no downloads


def _unit_title(meta: pd.Series) -> str:
    unit = meta["unit"]
    return "%" if unit == "%" else f"{UNIT_LABEL.get(unit, unit)} {meta['denominator']}"


# Charts must read on a 390 px phone as well as on a desktop, and Plotly cannot wrap text itself: titles and
# source lines are wrapped here at widths that fit a phone, and the space for the legend is reserved for the
# number of rows it takes there. A desktop then shows a little more white space, never cut-off text.
PHONE_WIDTH = 340  # px of chart width on a 390 px screen
TITLE_CHARS, SOURCE_CHARS = 40, 52


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


LABEL_CHARS = 22  # a category label on the axis: ~140 px, so the plot keeps most of a phone's width


def axis_label(text: str, width: int = LABEL_CHARS) -> str:
    """A long category name as short escaped lines, so it is wrapped, never cut off at the chart's edge."""
    return "<br>".join(plot(line) for line in _lines(text, width))


def _legend_rows(fig: go.Figure) -> int:
    """Rows the horizontal legend takes on a phone (entries of ~7 px a character plus the symbol)."""
    names, rows, used = [], 0, PHONE_WIDTH
    for trace in fig.data:
        if trace.showlegend is not False and trace.name and (trace.type != "scatter" or trace.mode != "text"):
            names.append(str(trace.name))
    for name in dict.fromkeys(names):
        width = 45 + 7 * len(name)
        if used + width > PHONE_WIDTH:
            rows, used = rows + 1, 0
        used += width
    return rows


def _base_layout(fig: go.Figure, title: str, source: str, example: bool, height: int = 440) -> go.Figure:
    """Title (with the example mark), legend under the title, source line under the plot.

    ``title`` and ``source`` are data text: wrapped, then escaped line by line, so they can never become markup.
    """
    heading = [plot(line) for line in _lines(title, TITLE_CHARS)]
    if example:
        heading.append(f"<b>{EXAMPLE_MARK}</b>")
    source_lines = [plot(line) for line in _lines(f"Bron: {source}", SOURCE_CHARS)]
    title_px = 40 + 21 * len(heading)  # the first 30 px are the toolbar's, which would cover a title there
    legend_px = 24 * _legend_rows(fig)
    top, bottom = title_px + legend_px + 16, 78 + 15 * len(source_lines)
    height += max(0, top - 90) + max(0, bottom - 95)
    fig.update_layout(
        title={"text": "<br>".join(heading), "x": 0, "xanchor": "left", "y": 1, "yanchor": "top", "yref": "container",
               "pad": {"t": 36, "l": 4}, "font": {"size": 16}},
        separators=",.", font={"family": FONT, "color": "#1f1f1f"}, height=height,
        margin={"l": 60, "r": 20, "t": top, "b": bottom},
        plot_bgcolor="white", paper_bgcolor="white",
        legend={"orientation": "h", "yref": "container", "y": 1 - title_px / height, "yanchor": "top", "x": 0,
                "xanchor": "left"},
    )
    fig.add_annotation(text="<br>".join(source_lines), xref="paper", yref="paper", x=0, xshift=-55, y=0, yshift=6 - bottom,
                       showarrow=False, xanchor="left", yanchor="bottom", align="left",
                       font={"size": 11, "color": "#444"})
    fig.update_xaxes(showgrid=False, linecolor="#666")
    fig.update_yaxes(gridcolor="#e5e5e5", linecolor="#666")
    return fig


def _hover(series: pd.DataFrame, name: str, unit: str) -> list[str]:
    out = []
    for row in series.itertuples():
        shown = plot(row.hidden) if getattr(row, "suppressed", False) else fmt.value(row.value, unit, row.decimals)
        ci = f"<br>95%-interval {fmt.interval(row.ci_low, row.ci_high, unit)}" if pd.notna(row.ci_low) else ""
        out.append(f"<b>{plot(name)}</b><br>{plot(row.period_label)}: {shown}{ci}")
    return out


def trend_figure(lines: list[tuple[str, str, pd.DataFrame]], meta: pd.Series, *, target: TargetResult | None,
                 plan_start: int | None, review_moments: tuple[ReviewMoment, ...], source: str, example: bool,
                 show_ci: bool = True) -> go.Figure:
    """Series over time: the chosen area with its 95% band, benchmarks, the baseline and the target zone.

    ``lines``: (display name, role, rows) with role 'area', 'NL01', 'provincie', 'regio' or 'extra'; rows have
    period_end, value, ci_low, ci_high, period_label. Gaps stay visible (no connecting across them).
    The target zone is drawn from the plan's start and from the configured margin, so a point in
    it is a point the verdict would call "not risen".
    """
    unit = meta["unit"]
    fig = go.Figure()
    extra_colours = iter(SERIES["extra"])
    for name, role, rows in lines:
        rows = with_gaps(rows[rows["period_end"].notna()].copy())
        x = rows["period_end"].astype(int)
        main = role == "area"
        colour, marker = SERIES[role] if role != "extra" else (next(extra_colours, "#777777"), "triangle-up")
        if main and show_ci and rows["ci_low"].notna().any():
            _band(fig, x, rows)
        if main:
            _gap_marks(fig, x, rows)
        for number, (definition, part) in enumerate(_by_definition(rows)):
            # a change of definition is a break: its own trace, named, never joined to the other part
            label = f"{name} ({definition})" if definition else name
            dash = ("solid" if main else "dot") if not number else "dash"
            fig.add_trace(go.Scatter(x=x[part.index], y=part["value"], mode="lines+markers", name=plot(label),
                                     connectgaps=False, legendrank=1 if main else 10, opacity=1 if main else 0.75,
                                     line={"color": colour, "width": 3 if main else 1.5, "dash": dash},
                                     marker={"symbol": marker, "size": 9 if main else 7, "color": colour},
                                     hovertext=_hover(part, label, unit), hoverinfo="text"))
            if number:
                fig.add_vline(x=float(part["period_end"].min()) - 0.5, line={"color": colour, "width": 1, "dash": "dash"},
                              annotation_text="andere definitie", annotation_position="top left")
    base = target.baseline if target is not None else None
    if base is not None and pd.isna(base["value"]):  # said in the legend: no line, hence no target zone
        why = "verborgen (kleine aantallen)" if bool(base.get("suppressed", False)) else "geen waarde"
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", legendrank=19, hoverinfo="skip",
                                 name=f"basiswaarde ({plot(base['period_label'])}): {why}, dus geen doelzone",
                                 line={"color": "#1f1f1f", "dash": "dash", "width": 1.5}))
    if base is not None and pd.notna(base["value"]):
        baseline = float(base["value"])
        fig.add_hline(y=baseline, line={"color": "#1f1f1f", "dash": "dash", "width": 1.5},
                      annotation_text=f"Basiswaarde ({plot(base['period_label'])}):<br>"
                                      f"{fmt.value(baseline, unit, base.get('decimals'))}",
                      annotation_position="top left")
        if target.margin_fraction is not None and plan_start:
            lower_better = meta["polarity"] == "lower"
            edge = baseline * (1 + target.margin_fraction if lower_better else 1 - target.margin_fraction)
            far = 0 if lower_better else float(meta["multiplier"])
            years = [int(y) for _, _, r in lines for y in r["period_end"].dropna()]
            fig.add_shape(type="rect", x0=plan_start - 0.5, x1=max([*years, plan_start]) + 0.5,
                          y0=min(edge, far), y1=max(edge, far), fillcolor="rgba(0,158,115,0.08)", line_width=0,
                          layer="below")
            pct = fmt.number(target.margin_fraction * 100, 0)
            # named in the legend, not written on the plot: a label there runs off the edge of a phone
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", legendrank=20, hoverinfo="skip",
                                     name=f"doelzone (basis {'+' if lower_better else '−'} {pct}%)",
                                     marker={"symbol": "square", "size": 12, "color": "rgba(0,158,115,0.25)"}))
    if plan_start:
        fig.add_vline(x=plan_start - 0.5, line={"color": "#555", "width": 1},
                      annotation_text=f"start plan {plan_start}", annotation_position="top left")
    for moment in review_moments:
        fig.add_vline(x=moment.year + 0.5, line={"color": "#999", "width": 1, "dash": "dot"},
                      annotation_text=plot(moment.label), annotation_position="bottom left")
    values = pd.concat([r[["value", "ci_low", "ci_high"]] for _, _, r in lines]).stack()
    top = float(values.max()) if len(values) else 1.0
    bottom = 0.0
    fig.update_yaxes(title=_unit_title(meta), range=[bottom, top * 1.15 if top > 0 else 1], tickformat=",.1f"
                     if top < 10 else ",.0f")
    years = [int(y) for _, _, r in lines for y in r["period_end"].dropna()]
    if years:  # the data's years (and the plan's start), not whatever an annotation would stretch to
        first, last = min(years), max([*years, plan_start or years[-1]])
        fig.update_xaxes(range=[first - 0.6, last + 0.6])
    fig.update_xaxes(title="jaar (einde van de periode)", tickformat="d", dtick=1)
    return _base_layout(fig, meta["name"], source, example)


def _gap_marks(fig: go.Figure, x: pd.Series, rows: pd.DataFrame) -> None:
    """A shaded column where the own line has an open place, named in the legend with why (hidden, or no
    figure). Never a mark on the zero line: that reads as a value of 0."""
    gap = rows["value"].isna()
    if not gap.any():
        return
    hidden = rows.get("suppressed", pd.Series(False, index=rows.index)).fillna(False).astype(bool)
    for year in x[gap]:
        fig.add_vrect(x0=float(year) - 0.4, x1=float(year) + 0.4, fillcolor="rgba(163,82,0,0.10)",
                      line={"color": "rgba(163,82,0,0.5)", "width": 1, "dash": "dot"}, layer="below")
    labels = ", ".join(plot(p) for p in rows.loc[gap, "period_label"])
    why = ("verborgen (kleine aantallen)" if hidden[gap].all() else "geen cijfer in de bron" if not hidden[gap].any()
           else "verborgen of geen cijfer")
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", legendrank=30, hoverinfo="skip",
                             name=f"open plek: {labels} ({why})",
                             marker={"symbol": "square", "size": 12, "color": "rgba(163,82,0,0.25)"}))


def _band(fig: go.Figure, x: pd.Series, rows: pd.DataFrame) -> None:
    """The 95% band, one piece per run of consecutive periods with an interval (a gap stays a gap)."""
    has = rows["ci_low"].notna().to_numpy()
    run = np.cumsum(np.r_[True, has[1:] != has[:-1]])
    first = True
    for number in np.unique(run[has]):
        part = run == number
        xs = x[part].tolist()
        if len(xs) == 1:  # a lone period: a short band around its point
            xs = [xs[0] - 0.15, xs[0] + 0.15]
            low, high = [rows["ci_low"][part].iloc[0]] * 2, [rows["ci_high"][part].iloc[0]] * 2
        else:
            low, high = rows["ci_low"][part].tolist(), rows["ci_high"][part].tolist()
        fig.add_trace(go.Scatter(x=xs, y=high, mode="lines", line={"width": 0}, hoverinfo="skip", showlegend=False))
        fig.add_trace(go.Scatter(x=xs, y=low, mode="lines", line={"width": 0}, fill="tonexty",
                                 fillcolor="rgba(0,114,178,0.14)", hoverinfo="skip", showlegend=first, legendrank=2,
                                 legendgroup="ci", name="95%-betrouwbaarheidsinterval"))
        first = False


def _by_definition(rows: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Consecutive runs of one definition ("" = the catalogue's), in period order; gaps join the run before."""
    if "definition" not in rows or rows.empty:
        return [("", rows)]
    hidden = rows["suppressed"].astype(bool) if "suppressed" in rows else False
    definition = rows["definition"].where(rows["value"].notna() | hidden)
    definition = definition.ffill().bfill().fillna("").astype(str)
    run = (definition != definition.shift()).cumsum()
    return [(definition[part.index[0]], part) for _, part in rows.groupby(run, sort=False)]


def with_gaps(rows: pd.DataFrame) -> pd.DataFrame:
    """Annual rows with an empty row for every missing year, so the line breaks instead of bridging it."""
    annual = rows["period_start"] == rows["period_end"]
    if rows.empty or not annual.all():
        return rows
    years = rows["period_end"].astype(int)
    missing = sorted(set(range(years.min(), years.max() + 1)) - set(years))
    if not missing:
        return rows
    blank = pd.DataFrame({"period_start": missing, "period_end": missing, "period_label": [str(y) for y in missing],
                          "value": np.nan, "ci_low": np.nan, "ci_high": np.nan, "suppressed": False,
                          "hidden": "", "decimals": pd.NA, "definition": np.nan})
    return pd.concat([rows, blank], ignore_index=True).sort_values("period_end")


def sparkline(rows: pd.DataFrame, unit: str, example: bool) -> go.Figure:
    rows = rows[rows["period_end"].notna()]  # hidden periods stay in as gaps
    fig = go.Figure(go.Scatter(x=rows["period_end"].astype(int), y=rows["value"], mode="lines+markers",
                               line={"color": SERIES["area"][0], "width": 2}, marker={"size": 4}, connectgaps=False,
                               hovertext=[f"{plot(r.period_label)}: "
                                          + (plot(r.hidden) if r.suppressed else fmt.value(r.value, unit, r.decimals))
                                          for r in rows.itertuples()],
                               hoverinfo="text"))
    fig.update_layout(height=110, margin={"l": 5, "r": 5, "t": 5, "b": 20}, separators=",.", showlegend=False,
                      plot_bgcolor="white", paper_bgcolor="white", font={"family": FONT})
    fig.update_xaxes(tickformat="d", nticks=4, showgrid=False)
    # a scale from zero, with its lowest and highest value written at the side: a small change looks small
    values = rows["value"].dropna().astype(float)
    top = float(values.max()) * 1.15 if len(values) and values.max() > 0 else 1.0
    fig.update_yaxes(visible=True, range=[0, top], showgrid=True, gridcolor="#eee", zeroline=True,
                     tickvals=[0, float(values.max())] if len(values) else [0],
                     ticktext=["0", fmt.number(float(values.max()), int(rows["decimals"].dropna().max())
                                             if "decimals" in rows and rows["decimals"].notna().any() else None)]
                     if len(values) else ["0"], tickfont={"size": 9}, side="right")
    fig.add_annotation(text=UNIT_LABEL.get(unit, unit), xref="paper", yref="paper", x=0, y=1, showarrow=False,
                       xanchor="left", yanchor="top", font={"size": 10, "color": "#444"})
    if example:
        fig.add_annotation(text=EXAMPLE_MARK, xref="paper", yref="paper", x=0, y=0.75, showarrow=False, xanchor="left",
                           yanchor="top", font={"size": 10, "color": "#7a4a00"}, bgcolor="rgba(255,255,255,0.8)")
    return fig


STATEMENT_COLOUR = {"boven": "#7E57A8", "onder": "#C4AEDC"}  # purple, both well off white: off the blue value scale
NO_VALUE_COLOUR = "#BDBDBD"


def _polygons(geometry: dict) -> list:
    """A Polygon or MultiPolygon as a list of polygons (each a list of rings)."""
    return geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]


def _outline(geometry: dict, lat0: float) -> tuple[list, list, float]:
    """An area's rings as one path (None between rings), x squeezed by cos(latitude) so shapes keep their form."""
    polygons = _polygons(geometry)
    squeeze = float(np.cos(np.radians(lat0)))
    xs, ys = [], []
    for polygon in polygons:
        for ring in polygon:
            xs += [c[0] * squeeze for c in ring] + [None]
            ys += [c[1] for c in ring] + [None]
    size = max(len(p[0]) for p in polygons)
    return xs, ys, size


def _label_point(geometry: dict, lat0: float) -> tuple[float, float]:
    """The middle of the largest ring's bounding box: where the area's code is written."""
    ring = max((p[0] for p in _polygons(geometry)), key=len)
    xs, ys = [c[0] for c in ring], [c[1] for c in ring]
    return (min(xs) + max(xs)) / 2 * float(np.cos(np.radians(lat0))), (min(ys) + max(ys)) / 2


def _short(code: str, name: str) -> str:
    """What a map or funnel writes beside an area: a postcode area's number, a municipality's name."""
    return str(name) if str(code).startswith("GM") else str(code)


def postcode_map(geo: dict, table: pd.DataFrame, meta: pd.Series, benchmark_name: str, highlight: str | None,
                 source: str, example: bool) -> go.Figure:
    """An offline map drawn as plain SVG shapes: areas coloured by verdict, value and interval on hover, codes written on.

    Not a tile or geo map: those fetch fonts or a world outline from the internet to write labels.
    """
    unit = meta["unit"]
    shapes = {f["id"]: f["geometry"] for f in geo["features"] if f["id"] in set(table["area_code"])}
    lat0 = float(np.mean([c[1] for g in shapes.values() for poly in _polygons(g) for ring in poly for c in ring] or [52]))
    by_value = (table["verdict"] == NOT_ASSESSED).all() and table["value"].notna().any()
    parts: list[tuple[str, str, pd.DataFrame, list[str]]] = []  # legend label, colour, rows, hover per row
    if by_value:
        # No area can be tested (no counts): colour by value instead, and say so in the legend and hover.
        shown = table[table["value"].notna()]
        low, high = float(shown["value"].min()) * 0.8, float(shown["value"].max())
        for row in shown.itertuples():
            colour = sample_colorscale("Blues", [(row.value - low) / (high - low) if high > low else 1.0])[0]
            parts.append(("waarde (niet getoetst)", colour, shown.loc[[row.Index]],
                          [f"<b>{plot(row.name)}</b><br>{_cell_value(row, unit)}<br>niet getoetst: geen aantallen"]))
        missing = table[table["value"].isna()]
        statements = missing["statement"] if "statement" in missing else pd.Series("", index=missing.index)
        # a source's words instead of a number are their own category; "geen waarde" is grey, off the value scale
        for label in sorted(set(statements) - {""}):
            part = missing[statements == label]
            parts.append((f"○ {label}", STATEMENT_COLOUR.get(label.split()[0], "#CBB4D9"), part,
                          [f"<b>{plot(r.name)}</b><br>{plot(label)}" for r in part.itertuples()]))
        part = missing[statements == ""]
        parts.append(("○ geen waarde", NO_VALUE_COLOUR, part,
                      [f"<b>{plot(r.name)}</b><br>geen waarde in de bron" for r in part.itertuples()]))
    else:
        for verdict in VERDICT_COLOUR:
            part = table[table["verdict"] == verdict]
            word = "met" if verdict == SIMILAR else "dan"
            comparison = verdict_text(verdict) if verdict == NOT_ASSESSED else f"{verdict_text(verdict)} {word} "
            parts.append((verdict_text(verdict), VERDICT_COLOUR[verdict], part,
                          [f"<b>{plot(r.name)}</b><br>{_cell_value(r, unit)}<br>{comparison}"
                           f"{'' if verdict == NOT_ASSESSED else plot(benchmark_name)}" for r in part.itertuples()]))
    fig = go.Figure()
    drawn = []
    for label, colour, part, hovers in parts:
        for code, hover in zip(part["area_code"], hovers):
            if code in shapes:
                xs, ys, size = _outline(shapes[code], lat0)
                drawn.append((size, go.Scatter(
                    x=xs, y=ys, fill="toself", fillcolor=colour, mode="lines", line={"color": "#333333", "width": 1},
                    name=label, legendgroup=label, text=hover, hoverinfo="text", hoveron="fills")))
    seen = set()
    for _, trace in sorted(drawn, key=lambda d: -d[0]):  # large areas first, so an enclave stays on top
        trace.showlegend = trace.name not in seen
        seen.add(trace.name)
        fig.add_trace(trace)
    if by_value:  # the scale itself, as a colour bar beside the map
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", showlegend=False, hoverinfo="skip", marker={
            "colorscale": "Blues", "cmin": low, "cmax": high, "color": [low], "showscale": True,
            "colorbar": {"title": {"text": _unit_title(meta)}, "tickformat": ",.0f"}}))
    if highlight in shapes:
        xs, ys, _ = _outline(shapes[highlight], lat0)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": "#000000", "width": 4},
                                 name="gekozen gebied", hoverinfo="skip"))
    points = {code: _label_point(g, lat0) for code, g in shapes.items()}
    names = dict(zip(table["area_code"], table["name"]))
    fig.add_trace(go.Scatter(x=[p[0] for p in points.values()], y=[p[1] for p in points.values()], mode="text",
                             text=[plot(_short(c, names.get(c, c))) for c in points],
                             textfont={"size": 12, "color": "#000000"}, hoverinfo="skip",
                             showlegend=False))
    title = f"{meta['name']}: " + ("waarde per gebied (niet getoetst)" if by_value else f"vergeleken met {benchmark_name}")
    fig = _base_layout(fig, title,
                       source + (" · Grenzen: © CBS, gemeenten 1-1-2022 (via certegis)" if any(
                           str(c).startswith("GM") for c in shapes) else " · Grenzen: © CBS, © ESRI Nederland (PC4 2020)"),
                       example, height=520)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_layout(hovermode="closest")
    return fig


def _cell_value(row, unit: str) -> str:
    if getattr(row, "suppressed", False):
        return plot(row.hidden)
    if pd.isna(row.value):
        return "geen waarde"
    text = fmt.value(row.value, unit, row.decimals)
    if pd.notna(row.ci_low):
        text += f" (95%: {fmt.interval(row.ci_low, row.ci_high, unit)})"
    return text


def funnel_frame(curve: pd.DataFrame, p0: float, meta: pd.Series, centre: str) -> go.Figure:
    """A funnel's limit lines (95% and 99.8%) and its centre line, named with ``centre`` and its value in the
    legend (on the plot the label covered the dots that lie on the line, on a phone the more so)."""
    fig = go.Figure()
    for col, name, dash in [("upper998", "99,8%-grens", "dash"), ("upper95", "95%-grens", "dot"),
                            ("lower95", None, "dot"), ("lower998", None, "dash")]:
        fig.add_trace(go.Scatter(x=curve["denominator"], y=curve[col], mode="lines", name=name or col,
                                 showlegend=name is not None, line={"color": "#555", "dash": dash, "width": 1.5},
                                 hoverinfo="skip"))
    line = {"color": "#1f1f1f", "width": 1.5}
    fig.add_hline(y=p0, line=line)
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=line, hoverinfo="skip",
                             name=f"{plot(centre)}: {fmt.value(p0, meta['unit'], meta['decimals'])}"))
    return fig


def funnel_figure(rows: pd.DataFrame, curve: pd.DataFrame, p0: float, meta: pd.Series, highlight: str | None,
                  source: str, example: bool, centre: str) -> go.Figure:
    """Postcode areas against their denominator, with control limits around ``centre`` (the chosen comparison)."""
    unit = meta["unit"]
    fig = funnel_frame(curve, p0, meta, centre)
    # one trace per verdict, so the legend says what each dot colour means
    word = "gemeente" if rows["area_code"].astype(str).str.startswith("GM").any() else "postcodegebied"
    for verdict, part in rows.groupby("verdict", sort=False):
        fig.add_trace(go.Scatter(
            x=part["denominator"], y=part["value"], mode="markers+text",
            text=[plot(_short(a, n)) for a, n in zip(part["area_code"], part["name"])],
            textposition="top center", legendgroup=word, name=f"{word}: {verdict_text(verdict)}",
            marker={"size": [16 if a == highlight else 11 for a in part["area_code"]],
                    "color": VERDICT_COLOUR.get(verdict, "#fff"),
                    "line": {"color": "#000", "width": [3 if a == highlight else 1 for a in part["area_code"]]}},
            hoverinfo="text",
            hovertext=[f"<b>{plot(r.name)}</b><br>{fmt.value(r.value, unit, r.decimals)} · {fmt.integer(r.denominator)} "
                       f"{plot(meta['denominator'])}<br>{r.funnel}" for r in part.itertuples()]))
    fig.update_xaxes(title="aantal (noemer)", tickformat=",d", rangemode="tozero")
    visible = curve[curve["denominator"] >= rows["denominator"].min() * 0.5]
    top = max(float(visible["upper998"].max()), float(rows["value"].max())) * 1.1
    fig.update_yaxes(title=_unit_title(meta), range=[0, top])
    return _base_layout(fig, f"Trechter rond {centre}: {meta['name']}", source, example)


def dot_chart(rows: pd.DataFrame, source: str, example: bool, title: str) -> go.Figure:
    """Related indicators: the municipality (coloured by verdict) against NL (diamond) and the province (square).

    ``rows``: name, value, nl, pv, verdict, unit per indicator.
    """
    fig = go.Figure()
    y = [axis_label(n) for n in rows["name"]]
    fig.add_trace(go.Scatter(x=rows["nl"], y=y, mode="markers", name="Nederland",
                             marker={"symbol": "diamond", "size": 12, "color": SERIES["NL01"][0]},
                             hovertext=[f"Nederland: {fmt.value(v, u, d)}" for v, u, d in
                                        zip(rows["nl"], rows["unit"], rows["nl_decimals"])],
                             hoverinfo="text"))
    fig.add_trace(go.Scatter(x=rows["pv"], y=y, mode="markers", name="provincie",
                             marker={"symbol": "square", "size": 10, "color": SERIES["provincie"][0]},
                             hovertext=[f"provincie: {fmt.value(v, u, d)}" for v, u, d in
                                        zip(rows["pv"], rows["unit"], rows["pv_decimals"])],
                             hoverinfo="text"))
    fig.add_trace(go.Scatter(x=rows["value"], y=y, mode="markers", name="gemeente",
                             marker={"symbol": "circle", "size": 15, "line": {"color": "#000", "width": 1.5},
                                     "color": [VERDICT_COLOUR.get(v, "#fff") for v in rows["verdict"]]},
                             hovertext=[f"gemeente: {fmt.value(v, u, n)} — {verdict_text(d)}"
                                        for v, u, n, d in zip(rows["value"], rows["unit"], rows["decimals"],
                                                              rows["verdict"])],
                             hoverinfo="text"))
    fig.update_xaxes(title="%", rangemode="tozero", ticksuffix="%")
    fig.update_yaxes(autorange="reversed")
    fig = _base_layout(fig, title, source, example, height=140 + 55 * len(rows))
    fig.update_layout(margin={"l": 10})
    fig.update_yaxes(automargin=True)
    return fig
