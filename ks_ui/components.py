"""Render pieces shared by the pages: the example banner, tables with downloads, charts with a text alternative.

Everything that came from data is escaped here or by the caller with :mod:`ks_ui.safe`;
downloads go through :mod:`ks_data.views.safe_export` so a spreadsheet never runs a formula.
"""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ks_data import Monitor, csv_bytes, fmt
from ks_data import compare as cmp
from ks_data.vocab import EXAMPLE_MARK, NOT_ASSESSED, SIMILAR
from ks_ui.dutch import hyphenated, plotly_config
from ks_ui.safe import md, md_table
from ks_ui.style import verdict_text


def header(monitor: Monitor, title: str) -> None:
    """Page title (``title`` is escaped), the municipality, the data and the periods they cover."""
    st.title(hyphenated(md(title)), anchor=False)
    kind = "Coalitie" if monitor.municipality.is_coalition else "Gemeente"
    st.caption(f"{kind} {md(monitor.municipality.name)} · gegevens: **{md(monitor.bundle.title)}** · "
               f"perioden van {md(monitor.municipality.name)}: {md(monitor.periods())}")
    if monitor.bundle.is_example:
        st.warning(f"**{EXAMPLE_MARK}.** Deze pagina toont verzonnen cijfers om de grafieken en toetsen te "
                   f"laten zien. Kies bij 'Gegevens' de echte cijfers voor de werkelijke situatie.", icon="⚠️")


def chart(fig: go.Figure, alt: str, key: str, filename: str) -> None:
    """A chart with its text alternative (``alt`` must already be escaped) and a PNG download in the toolbar."""
    if EXAMPLE_MARK in str(fig.layout.title.text or ""):  # a saved picture of example data says so in its name
        filename = f"{filename}_voorbeelddata"
    st.plotly_chart(fig, key=key, config=plotly_config(filename))
    st.caption(alt)


def definition_caption(meta: pd.Series, source: str) -> None:
    """The indicator's short definition and source, next to the chart that shows it."""
    st.caption(f"**Wat is dit?** {md(meta['definition'])} **Bron:** {md(source)}")


def download_table(table: pd.DataFrame, filename: str, example: bool, key: str) -> None:
    """A CSV download that Excel opens directly (``;``, decimal comma) and that runs no formula.

    The file is made when the button is clicked, not on every run of the page (a page offers several)."""
    def data() -> bytes:
        out = table.copy()
        if example:
            out.insert(0, "let_op", EXAMPLE_MARK)
        return csv_bytes(out, excel=True)

    safe = re.sub(r"[^a-z0-9_-]+", "_", filename.lower())
    st.download_button("Tabel downloaden (CSV)", data,
                       file_name=f"{safe}{'_voorbeelddata' if example else ''}.csv", mime="text/csv", key=key,
                       on_click="ignore")  # no rerun: the page stays as it is and the file is not replaced mid-download


def show_table(table: pd.DataFrame, caption: str, monitor: Monitor, filename: str, key: str | None,
               download: pd.DataFrame | None = None) -> None:
    """A static table (cells escaped: ``st.table`` renders Markdown) with its download; ``caption`` is escaped.

    ``download``: the table's numeric twin (numbers in their own columns) offered instead of the shown
    text; ``key=None``: no download (the page offers the table's numeric form elsewhere).
    """
    if monitor.bundle.is_example:
        caption = f"{caption} — {EXAMPLE_MARK}"
    st.markdown(f"**{md(caption)}**")
    shown = md_table(table)
    st.table(shown.set_index(shown.columns[0]))
    if key is not None:
        download_table(table if download is None else download, filename, monitor.bundle.is_example, key)


def shown_value(row: pd.Series | None, unit: str) -> str:
    """A row's value as published: the number with its own precision, or why it is hidden or missing."""
    if row is None:
        return fmt.MISSING
    if bool(row.get("suppressed", False)):
        return row["hidden"]
    return fmt.value(row["value"], unit, row.get("decimals"))


def untested_reason(row: pd.Series | None) -> str:
    """Why a shown figure with a benchmark gets no verdict ('' when it gets one, or the line says why itself)."""
    if row is None or pd.isna(row.get("benchmark_value")) or bool(row.get("suppressed", False)):
        return ""
    return cmp.not_assessed_reason(row) if row.get("verdict", NOT_ASSESSED) == NOT_ASSESSED else ""


def verdict_line(row: pd.Series | None, unit: str, benchmark_name: str, reason: bool = True) -> str:
    """'Nederland: 152,8 per 1000 — ! slechter dan Nederland', or why there is no verdict (plain text).

    A hidden figure gets no verdict and no direction; a figure without counts gets its direction
    as a plain comparison of values, labelled as untested.
    """
    if row is None:
        return f"{benchmark_name}: geen gegevens"
    bm = row.get("benchmark_value")
    if pd.isna(bm):
        return f"{benchmark_name}: geen waarde voor dezelfde periode"
    head = f"{benchmark_name}: {fmt.value(bm, unit, row.get('benchmark_decimals'))}"
    verdict = row.get("verdict", NOT_ASSESSED)
    if bool(row.get("suppressed", False)):
        return f"{head} — {verdict_text(NOT_ASSESSED)} (cijfer verborgen)"
    if verdict == NOT_ASSESSED:
        value = row["value"]
        side = ("hoger dan" if value > bm else "lager dan" if value < bm else "gelijk aan") if pd.notna(value) else ""
        side = f" · waarde {side} {benchmark_name}, niet getoetst" if side else ""
        why = f" ({cmp.not_assessed_reason(row)})" if reason else ""
        return f"{head} — {verdict_text(verdict)}{why}{side}"
    word = "met" if verdict == SIMILAR else "dan"
    return f"{head} — {verdict_text(verdict)} {word} {benchmark_name}"


def undo_with_confirmation(key: str, marker: object, ask: str, question: str, yes: str, action, errors) -> None:
    """A button that asks first: ``ask`` opens ``question`` (already escaped) with "``yes``" and "Annuleren";
    only "yes" runs ``action()``, which returns the sentence said after the rerun (a message before st.rerun is
    never seen). ``marker`` names what would be undone, so a question left open for an older state is not
    answered for a newer one. ``errors``: the exception types whose Dutch message is shown instead."""
    if st.button(ask, key=key):
        st.session_state[f"_confirm_{key}"] = marker
    if st.session_state.get(f"_confirm_{key}") == marker:
        st.warning(question)
        left, right = st.columns(2)
        if left.button(yes, type="primary", key=f"{key}_yes"):
            st.session_state.pop(f"_confirm_{key}", None)
            try:
                said = action()
            except errors as err:
                st.error(md(err))
            else:
                st.session_state[f"_done_{key}"] = said
                st.rerun()
        if right.button("Annuleren", key=f"{key}_no"):
            st.session_state.pop(f"_confirm_{key}", None)
            st.rerun()
    done = st.session_state.pop(f"_done_{key}", None)
    if done:
        st.success(done)
