"""Small static line charts as inline SVG for the offline report (no script, no outside request, prints well).

One chart per indicator: the municipality (with its 95% band), the Netherlands, the baseline and
the target zone from the plan's start. A missing or hidden year breaks the line; a change of
definition starts a new, dashed line.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from ks_data import fmt

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 260, 56, 150, 16, 34
AREA, NL = "#0072B2", "#333333"


def _runs(rows: pd.DataFrame) -> list[pd.DataFrame]:
    """Consecutive annual runs of shown values with one definition (a gap or a new definition breaks)."""
    rows = rows[rows["value"].notna()].sort_values("period_end")
    if rows.empty:
        return []
    years = rows["period_end"].astype(int).to_numpy()
    defs = rows["definition"].astype(str).to_numpy() if "definition" in rows else np.full(len(rows), "")
    breaks = np.r_[True, (np.diff(years) != 1) | (defs[1:] != defs[:-1])]
    return [part for _, part in rows.groupby(np.cumsum(breaks))]


def _nice_step(top: float) -> float:
    """A step of 1, 2 or 5 times a power of ten giving four to eight ticks up to ``top``."""
    power = 10 ** np.floor(np.log10(top / 5))
    return float(next(m * power for m in (1, 2, 5, 10) if top / (m * power) <= 8))


def line_chart(title: str, unit: str, lines: list[tuple[str, str, pd.DataFrame]], *, baseline: float | None,
               margin: float | None, lower_better: bool, plan_start: int | None) -> str:
    """``lines``: (name, colour, rows with period_end/value/ci_low/ci_high); only annual, dated rows are drawn."""
    dated = [(n, c, r[r["period_end"].notna() & (r["period_start"] == r["period_end"])]) for n, c, r in lines]
    years = [int(y) for _, _, r in dated for y in r.loc[r["value"].notna(), "period_end"]]
    if len(set(years)) < 2:
        return ""
    values = [v for _, _, r in dated for c in ("value", "ci_low", "ci_high") for v in r[c].dropna()]
    values += [baseline] if baseline is not None else []
    x0, x1 = min(years), max(years + [plan_start or years[0]])
    step = _nice_step(max(values) * 1.1 or 1.0)
    top = step * np.ceil(max(values) * 1.1 / step) if max(values) > 0 else 1.0

    def x(year: float) -> float:
        return LEFT + (year - x0 + 0.5) / (x1 - x0 + 1) * (WIDTH - LEFT - RIGHT)

    def y(value: float) -> float:
        return TOP + (1 - value / top) * (HEIGHT - TOP - BOTTOM)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
             f'height="{HEIGHT}" role="img" aria-label="{escape(title)}" font-family="sans-serif" font-size="11">',
             f"<title>{escape(title)}</title>"]
    if baseline is not None and margin is not None and plan_start:
        edge = baseline * (1 + margin if lower_better else 1 - margin)
        y_a, y_b = sorted([y(edge), y(0 if lower_better else top)])
        parts.append(f'<rect x="{x(plan_start - 0.5):.1f}" y="{y_a:.1f}" width="{x(x1 + 0.5) - x(plan_start - 0.5):.1f}" '
                     f'height="{y_b - y_a:.1f}" fill="#009E73" fill-opacity="0.08"/>')
    for tick in np.arange(0, top + step / 2, step):
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e5e5e5"/>'
                     f'<text x="{LEFT - 4}" y="{y(tick) + 4:.1f}" text-anchor="end">'
                     f"{fmt.number(tick, 0 if step >= 1 else 1)}</text>")
    for year in range(x0, x1 + 1):
        parts.append(f'<text x="{x(year):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{year}</text>')
    if plan_start:
        parts.append(f'<line x1="{x(plan_start - 0.5):.1f}" x2="{x(plan_start - 0.5):.1f}" y1="{TOP}" '
                     f'y2="{HEIGHT - BOTTOM}" stroke="#555"/><text x="{x(plan_start - 0.5) - 3:.1f}" y="{TOP + 10}" '
                     f'text-anchor="end">'
                     f"start plan {plan_start}</text>")
    if baseline is not None:
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(baseline):.1f}" y2="{y(baseline):.1f}" '
                     f'stroke="#1f1f1f" stroke-dasharray="5 4"/>')
    legend = []
    for number, (name, colour, rows) in enumerate(dated):
        runs = _runs(rows)
        for run_no, run in enumerate(runs):
            xs, ys = run["period_end"].astype(int).map(x).tolist(), run["value"].map(y).tolist()
            if number == 0 and run["ci_low"].notna().all() and len(xs) > 1:
                band = list(zip(xs, run["ci_high"].map(y))) + list(zip(xs[::-1], run["ci_low"].map(y).tolist()[::-1]))
                parts.append('<polygon fill="#0072B2" fill-opacity="0.15" points="'
                             + " ".join(f"{a:.1f},{b:.1f}" for a, b in band) + '"/>')
            dash = ' stroke-dasharray="6 3"' if run_no and run["definition"].iloc[0] else ""
            parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="{3 if number == 0 else 2}"{dash} '
                         'points="' + " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(xs, ys)) + '"/>')
            parts += [f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{colour}"/>' for a, b in zip(xs, ys)]
        if runs:  # only what is drawn is in the legend
            legend.append((name, colour))
    if baseline is not None:
        legend.append(("basiswaarde (streep)", "#1f1f1f"))
        if margin is not None and plan_start:
            legend.append(("doelzone: basis ± marge", "#b3e2d5"))
    for i, (name, colour) in enumerate(legend):
        parts.append(f'<rect x="{WIDTH - RIGHT + 10}" y="{TOP + 14 * i}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{WIDTH - RIGHT + 24}" y="{TOP + 9 + 14 * i}">{escape(name)}</text>')
    parts.append(f'<text x="{LEFT}" y="{HEIGHT - 2}">{escape(fmt.UNIT_LABEL.get(unit, unit))}; jaar</text></svg>')
    return "".join(parts)
