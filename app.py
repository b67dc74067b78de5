"""Kansrijke Start monitor — entry point: page setup, navigation and the shared sidebar."""

import streamlit as st

from ks_ui.state import sidebar

st.set_page_config(page_title="Kansrijke Start monitor", page_icon="🍼", layout="wide")

pages = [
    st.Page("pages/overzicht.py", title="Overzicht", url_path="overzicht", default=True),
    st.Page("pages/trends.py", title="Trends", url_path="trends"),
    st.Page("pages/postcodegebieden.py", title="Postcodegebieden", url_path="postcodegebieden"),
    st.Page("pages/gerelateerd.py", title="Gerelateerde cijfers", url_path="gerelateerd"),
    st.Page("pages/over_de_data.py", title="Over de data", url_path="over-de-data"),
]
navigation = st.navigation(pages)
st.session_state["_choice"] = sidebar()
st.sidebar.caption("Kansrijke Start monitor · open source · cijfers met bron en periode")
navigation.run()
