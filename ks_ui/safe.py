"""Text from data files or a URL is shown as text: one escape for Markdown, one for Plotly's HTML.

Streamlit renders Markdown (links, images, colour directives, emoji codes, HTML entities) in
titles, captions, alerts, toasts, metric labels and ``st.table`` cells; Plotly renders a subset
of HTML (``<a href>``, ``<b>``, ``<br>``) in titles, annotations and hovers. A note or a source
in a data file, or a value pasted into a link, must never become a link, an image or markup.
"""

from __future__ import annotations

import html
import re

import pandas as pd

# Markdown's active characters (links, images, emphasis, code, HTML, entities, tables, maths,
# Streamlit's :colour[…] and :emoji: directives, autolinked e-mail addresses). Digits, commas,
# dots, hyphens and per cent signs stay as they are, so Dutch numbers read unchanged.
_ACTIVE = re.compile(r"([\\`*_{}\[\]()#+!|<>~$&^])")
# GitHub's autolinks ("https://…", "www.…", "a@b.nl") and Streamlit's ":emoji:", ":material/…:"
# and ":streamlit:" codes are found in the parsed text, whatever the escapes; an invisible word
# joiner (U+2060) after a colon that touches the next character, in "www." and after "@" reads
# the same but links or replaces nothing.
JOINER = "\u2060"
_AUTOLINK = [(re.compile(r":(?=\S)"), ":" + JOINER), (re.compile(r"@"), "@" + JOINER),
             (re.compile(r"(?i)(www)\."), r"\1" + JOINER + ".")]
_LINE_START = re.compile(r"^(\s*\d*)([-=>.)])")  # a list, heading underline or quote at the start
URL_ECHO_LIMIT = 40


def md(value) -> str:
    """``value`` as literal text inside Markdown: Markdown's active characters escaped, on one line."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    text = re.sub(r"[\r\n\t]+", " ", text)
    text = _ACTIVE.sub(r"\\\1", text)
    for pattern, replacement in _AUTOLINK:
        text = pattern.sub(replacement, text)
    return _LINE_START.sub(r"\1\\\2", text)


def plot(value) -> str:
    """``value`` as literal text inside Plotly's pseudo-HTML."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    return html.escape(text, quote=True)


def echo(value) -> str:
    """A value from the URL, quoted back to the user: at most 40 characters, escaped."""
    text = str(value)
    short = text[:URL_ECHO_LIMIT] + ("…" if len(text) > URL_ECHO_LIMIT else "")
    return md(short)


def md_table(table: pd.DataFrame) -> pd.DataFrame:
    """Every cell, header and index of a table for ``st.table`` (which renders Markdown) escaped."""
    out = table.copy()
    for col in out.columns:
        out[col] = out[col].map(md)
    out.columns = [md(c) for c in out.columns]
    return out
