"""Kansrijke Start monitor — entry point: page setup, navigation and the shared sidebar."""

import streamlit as st

from ks_ui.dutch import install
from ks_ui.page_css import CSS
from ks_ui.shell import navigation
from ks_ui.state import sidebar

st.set_page_config(page_title="Kansrijke Start monitor", page_icon="🍼", layout="wide")
install(CSS)
page = navigation()
st.session_state["_choice"] = sidebar(page.title)
st.sidebar.caption("Kansrijke Start monitor · open source · cijfers met bron en periode")
page.run()
