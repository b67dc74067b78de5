"""Kansrijke Start monitor — entry point: page setup, navigation and the shared sidebar."""

import streamlit as st

from ks_ui.shell import navigation
from ks_ui.state import sidebar

st.set_page_config(page_title="Kansrijke Start monitor", page_icon="🍼", layout="wide")
page = navigation()
st.session_state["_choice"] = sidebar()
st.sidebar.caption("Kansrijke Start monitor · open source · cijfers met bron en periode")
page.run()
