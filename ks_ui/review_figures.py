"""Figures of the evaluation page: the verdicts at a glance, the plan's timeline and its budget."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ks_data import ReviewMoment, fmt, milestones_in_time
from ks_ui.figures import _base_layout, axis_label
from ks_ui.safe import plot
from ks_ui.style import VERDICT_COLOUR, verdict_text

COLUMNS = ["T.o.v. Nederland", "T.o.v. provincie"]


def glance_figure(glance: pd.DataFrame, source: str, example: bool) -> go.Figure:
    """A verdict heat map: one row per indicator, a column per benchmark; colour, symbol and word agree."""
    names = [axis_label(n, 18) for n in glance["Indicator"]][::-1]
    verdicts = glance[COLUMNS].iloc[::-1]
    palette = list(VERDICT_COLOUR)
    codes = verdicts.apply(lambda col: col.map(palette.index)).to_numpy()
    scale = [[i / (len(palette) - 1), VERDICT_COLOUR[v]] for i, v in enumerate(palette)]
    fig = go.Figure(go.Heatmap(
        z=codes, x=["t.o.v. NL", "t.o.v. provincie"], y=names, zmin=0, zmax=len(palette) - 1, colorscale=scale, showscale=False,
        xgap=2, ygap=2, text=[[axis_label(verdict_text(v), 12) for v in row] for row in verdicts.to_numpy()],
        texttemplate="%{text}", textfont={"size": 10}, hovertemplate="%{y}:<br>%{x} %{text}<extra></extra>"))
    fig.update_xaxes(side="top", tickangle=0)
    fig = _base_layout(fig, "In één oogopslag: oordeel per indicator", source, example,
                       height=160 + 64 * len(glance))  # rows tall enough for a name wrapped to 5 lines
    fig.update_layout(margin={"l": 10})
    fig.update_yaxes(automargin=True, tickfont={"size": 11})
    return fig


def timeline_figure(milestones: pd.DataFrame, moments: tuple[ReviewMoment, ...], start: int, end: int,
                    example: bool) -> go.Figure:
    """The plan's milestones on a time axis with the review moments marked; each point carries its number in the
    milestones table (titles do not fit beside the points on a phone: they are in the hover and the table)."""
    rows = milestones_in_time(milestones).dropna(subset=["when"])
    n = len(rows)  # one line per milestone, top to bottom in time
    fig = go.Figure(go.Scatter(
        x=rows["when"], y=[n - i for i in range(n)], mode="markers+text", text=[str(v) for v in rows["nr"]],
        textposition="middle right", textfont={"size": 12},
        marker={"size": 11, "color": "#0072B2"}, hovertext=[plot(f"{r.nr}. {r.date}: {r.title}") for r in
                                                            rows.itertuples()], hoverinfo="text",
        name="mijlpaal (nummer: zie de tabel Mijlpalen)"))
    for moment in moments:
        x = pd.Timestamp(year=moment.year, month=12, day=31)
        fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=n + 0.6, line={"color": "#A35200", "dash": "dash"})
        fig.add_annotation(x=x, y=n + 0.6, text=plot(moment.label), showarrow=False, yanchor="bottom")
    fig.update_yaxes(visible=False, range=[0, n + 1.4])
    fig.update_xaxes(range=[pd.Timestamp(year=start, month=1, day=1), pd.Timestamp(year=end + 1, month=3, day=1)],
                     title="tijd")
    return _base_layout(fig, "Planning: mijlpalen (genummerd) en evaluatiemomenten",
                        "het projectplan (paragraaf 1, 3 en 4)",
                        example, height=max(320, 170 + 30 * n))


def budget_figure(budget: pd.DataFrame, example: bool) -> go.Figure:
    """Planned costs per year beside what is recorded as spent; no record is said, not drawn as zero."""
    costs = budget[(budget["Soort"] == "kosten") & (budget["Post"] != "totaal")]
    planned = costs.groupby("Jaar")["Gepland (euro)"].sum(min_count=1)
    spent = costs.groupby("Jaar")["Besteed volgens registratie (euro)"].sum(min_count=1)
    available = budget[(budget["Soort"] == "beschikbaar") & (budget["Post"] == "totaal")].groupby("Jaar")[
        "Gepland (euro)"].sum(min_count=1)
    fig = go.Figure([
        go.Bar(x=available.index, y=available.values, name="beschikbaar (projectplan)", marker_color="#56B4E9",
               hovertext=[f"{y}: € {fmt.integer(v)} beschikbaar" for y, v in available.items()], hoverinfo="text"),
        go.Bar(x=planned.index, y=planned.values, name="geplande kosten (projectplan)", marker_color="#0072B2",
               hovertext=[f"{y}: € {fmt.integer(v)} gepland" for y, v in planned.items()], hoverinfo="text"),
        go.Bar(x=spent.index, y=spent.values, name="besteed (registratie)", marker_color="#E69F00",
               hovertext=[f"{y}: " + (f"€ {fmt.integer(v)} besteed" if pd.notna(v) else "niet geregistreerd")
                          for y, v in spent.items()], hoverinfo="text")])
    for year, value in spent.items():
        if pd.isna(value):
            fig.add_annotation(x=year, y=0, text="besteding niet geregistreerd", showarrow=False, yanchor="bottom",
                               xshift=30, textangle=-90, font={"size": 10, "color": "#555"})
    fig.update_yaxes(title="euro", tickformat=",d")
    fig.update_xaxes(title="jaar", type="category")
    return _base_layout(fig, "Begroting: gepland tegenover besteed", "het projectplan (paragraaf 5); registraties "
                        "van de coalitie", example, height=380)
