"""Kansrijke Start monitor — entry point: page setup, navigation and the shared sidebar."""

import streamlit as st

from ks_ui.shell import navigation
from ks_ui.state import sidebar

st.set_page_config(page_title="Kansrijke Start monitor", page_icon="🍼", layout="wide")
# Streamlit's faded caption colour fails WCAG 2.1 AA contrast (1.4.3); darken it.
st.html("<style>[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] * "
        "{color: #4a4a4a !important; opacity: 1 !important;}"
        # the label of a disabled choice stays readable (its reason is in the help and a caption)
        "[data-testid='stWidgetLabel'] p {color: #4a4a4a !important;}"
        # A wide static table wraps its cells instead of becoming a scroll box that a keyboard cannot reach
        # (WCAG 2.1.1, axe 'scrollable-region-focusable').
        "[data-testid='stTable'] div {overflow: visible !important;}"
        "[data-testid='stTable'] td, [data-testid='stTable'] th "
        "{overflow-wrap: anywhere; white-space: normal !important;}</style>")
page = navigation()
st.session_state["_choice"] = sidebar(page.title)
st.sidebar.caption("Kansrijke Start monitor · open source · cijfers met bron en periode")
page.run()
