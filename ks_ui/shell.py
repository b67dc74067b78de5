"""The app's shell: the page list and the guard that makes deep links work on a fresh server.

With a ``pages/`` folder, Streamlit serves the very first session of a new server in its
legacy multipage mode: a deep link such as ``/postcodegebieden?gebied=2986`` then runs the page
file without ``app.py``. Page files therefore start with :func:`page_choice`, which in that case
registers the real navigation and reruns through ``app.py``. Page url paths equal the file names so
both modes resolve the same link.
"""

from __future__ import annotations

import streamlit as st

PAGES = [
    ("pages/overzicht.py", "Overzicht"),
    ("pages/trends.py", "Trends"),
    ("pages/postcodegebieden.py", "Postcodegebieden"),
    ("pages/vergelijkbaar.py", "Vergelijkbare gemeenten"),
    ("pages/gerelateerd.py", "Gerelateerde cijfers"),
    ("pages/landelijk.py", "Landelijk beeld"),
    ("pages/evaluatie.py", "Evaluatie"),
    ("pages/over_de_data.py", "Over de data"),
    ("pages/bijwerken.py", "Gegevens bijwerken"),
]


# The pages on which the sidebar's indicator and area choices do something; elsewhere they are disabled.
USES_INDICATOR_AND_AREA = {"Trends", "Postcodegebieden"}
USES_INDICATOR = USES_INDICATOR_AND_AREA | {"Landelijk beeld", "Vergelijkbare gemeenten"}


def navigation():
    pages = [st.Page(path, title=title, default=i == 0) for i, (path, title) in enumerate(PAGES)]
    return st.navigation(pages)


def page_choice():
    """The sidebar choice made by app.py in this run; on a legacy first run, switch modes and rerun."""
    if "_choice" not in st.session_state:
        navigation()
        st.rerun()
    return st.session_state["_choice"]
