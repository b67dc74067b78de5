"""The shared sidebar choices, bound to the URL, and the cached data for the chosen view.

The URL holds ids (``?indicator=big2&gebied=2986&bundel=voorbeeld``) so a link opens the same
view; an unknown value falls back to the default with a short notice instead of an error.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ks_data.config import (
    ConfigError,
    bundle_names,
    data_dir,
    load_bundle_meta,
    load_municipality,
    load_settings,
    municipality_codes,
)
from ks_data.monitor import Monitor
from ks_data.validation import ValidationError


@dataclass(frozen=True)
class Choice:
    municipality: str
    bundle: str
    indicator: str
    area: str


def _stamp() -> tuple:
    """Modification times of the data files, so a refreshed file is picked up by the cache."""
    root = data_dir()
    files = sorted(root.glob("bundles/*/observations.csv")) + sorted(root.glob("gemeenten/*.toml")) + [
        root / "indicators.csv", root / "areas.csv", root / "settings.toml"]
    return tuple((str(f), f.stat().st_mtime_ns) for f in files if f.exists())


@st.cache_resource(show_spinner="Gegevens laden…", max_entries=8)
def _monitor(bundle: str, municipality: str, root: str, stamp: tuple) -> Monitor:
    return Monitor.load(bundle, municipality)


def get_monitor(choice: Choice) -> Monitor:
    """The data for the view, or a Dutch error that says what to do, then stop."""
    try:
        return _monitor(choice.bundle, choice.municipality, str(data_dir()), _stamp())
    except ValidationError as err:
        st.error("De gegevens kunnen niet worden geladen omdat het gegevensbestand fouten bevat. "
                 "Herstel de genoemde regels (of zet de vorige versie terug) en laad de pagina opnieuw.\n\n"
                 + str(err))
    except (ConfigError, OSError) as err:
        st.error(f"De gegevens kunnen niet worden geladen: {err}. Controleer de map met gegevens "
                 f"(instelling KS_DATA_DIR) en laad de pagina opnieuw.")
    st.stop()


def _choose(key: str, label: str, options: list[str], labels: dict[str, str], default: str,
            notices: list[str], help: str | None = None) -> str:
    asked = st.query_params.get(key)
    if key not in st.session_state or st.session_state[key] not in options:
        if asked is not None and asked in options:
            st.session_state[key] = asked
        else:
            if asked is not None:
                notices.append(f"'{asked}' is geen geldige keuze voor '{label.lower()}'; "
                               f"de standaard ({labels.get(default, default)}) wordt getoond.")
            st.session_state[key] = default if default in options else options[0]
    value = st.sidebar.selectbox(label, options, format_func=lambda v: labels.get(v, v), key=key, help=help)
    st.query_params[key] = value
    return value


def sidebar() -> Choice:
    """Render the shared choices; returns them. Stops with a Dutch message if the configuration is broken."""
    notices: list[str] = []
    try:
        settings = load_settings()
        codes = municipality_codes()
        bundles = bundle_names()
        municipalities = {c: load_municipality(c).name for c in codes}
        bundle_titles = {b: load_bundle_meta(b).title for b in bundles}
    except (ConfigError, OSError, KeyError) as err:
        st.error(f"De configuratie van de monitor is onvolledig: {err}. Controleer de map data/.")
        st.stop()
    st.sidebar.header("Keuzes")
    municipality = _choose("gemeente", "Gemeente", codes, municipalities, settings.default_municipality, notices)
    bundle = _choose("bundel", "Gegevens", bundles, bundle_titles, settings.default_bundle, notices,
                     help="Echte cijfers uit de bron, of fictieve voorbeelddata om de grafieken te verkennen.")
    choice = Choice(municipality, bundle, "big2", municipality)
    monitor = get_monitor(choice)
    catalogue = monitor.catalogue
    indicator = _choose("indicator", "Indicator", list(catalogue.index), dict(catalogue["name"]), "big2", notices)
    areas = [municipality, *monitor.municipality.postcode_areas]
    area = _choose("gebied", "Gebied", areas, monitor.labels, municipality, notices,
                   help="De gemeente of een van haar postcodegebieden.")
    for notice in notices:
        st.toast(notice)
        st.sidebar.warning(notice)
    return Choice(municipality, bundle, indicator, area)
