"""Render pieces shared by the pages: the example banner, tables with downloads, charts with a text alternative."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ks_data import fmt
from ks_data.monitor import Monitor
from ks_data.stats import compare as cmp
from ks_ui.style import EXAMPLE_MARK, verdict_text


def header(monitor: Monitor, title: str) -> None:
    st.title(title)
    retrieved = monitor.observations["retrieved"].max() if len(monitor.observations) else ""
    st.caption(f"Gemeente {monitor.municipality.name} · gegevens: **{monitor.bundle.title}** · "
               f"opgehaald {retrieved}")
    if monitor.bundle.is_example:
        st.warning(f"**{EXAMPLE_MARK}.** Deze pagina toont verzonnen cijfers om de grafieken en toetsen te "
                   f"laten zien. Kies bij 'Gegevens' de echte cijfers voor de werkelijke situatie.", icon="⚠️")


def source_line(monitor: Monitor, indicator_id: str | None = None) -> str:
    rows = monitor.observations
    if indicator_id:
        rows = rows[rows["indicator_id"] == indicator_id]
    sources = list(dict.fromkeys(rows["source"]))
    return "; ".join(sources[:2]) if sources else "geen gegevens"


def chart(fig: go.Figure, alt: str, key: str, filename: str) -> None:
    """A chart with its text alternative (for screen readers) and a PNG download in the toolbar."""
    st.plotly_chart(fig, key=key, alt=alt, config={
        "displaylogo": False, "locale": "nl",
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"]})
    st.caption(alt)


def download_table(table: pd.DataFrame, filename: str, example: bool, key: str) -> None:
    out = table.copy()
    if example:
        out.insert(0, "let_op", EXAMPLE_MARK)
    safe = re.sub(r"[^a-z0-9_-]+", "_", filename.lower())
    st.download_button("Tabel downloaden (CSV)", out.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig"),
                       file_name=f"{safe}{'_voorbeelddata' if example else ''}.csv", mime="text/csv", key=key)


def show_table(table: pd.DataFrame, caption: str, monitor: Monitor, filename: str, key: str) -> None:
    if monitor.bundle.is_example:
        caption = f"{caption} — {EXAMPLE_MARK}"
    st.markdown(f"**{caption}**")
    st.table(table.set_index(table.columns[0]))
    download_table(table, filename, monitor.bundle.is_example, key)


def verdict_line(row: pd.Series | None, unit: str, benchmark_name: str) -> str:
    """'NL 152,8 per 1000 — ▼ slechter (Wilson…)', or why no verdict can be given."""
    if row is None:
        return f"{benchmark_name}: geen gegevens"
    bm = row.get("benchmark_value")
    head = f"{benchmark_name}: {fmt.value(bm, unit)}"
    if pd.isna(bm):
        return f"{benchmark_name}: geen waarde voor dezelfde periode"
    verdict = row.get("verdict", cmp.NOT_ASSESSED)
    if verdict == cmp.NOT_ASSESSED:
        why = cmp.not_assessed_reason(row)
        side = ""
        if pd.notna(row["value"]):
            side = "hoger dan" if row["value"] > bm else "lager dan" if row["value"] < bm else "gelijk aan"
            side = f" · waarde {side} {benchmark_name}"
        return f"{head} — {verdict_text(verdict)} ({why}){side}"
    return f"{head} — {verdict_text(verdict)} dan {benchmark_name}" if verdict != cmp.SIMILAR else \
        f"{head} — {verdict_text(verdict)} met {benchmark_name}"
