"""The shared sidebar choices, bound to the URL, and the cached data for the chosen view.

The URL holds ids (``?indicator=big2&gebied=2986&bundel=voorbeeld``) so a link opens the same
view; an unknown value falls back to the default with a short notice instead of an error.
"""

from __future__ import annotations

import logging
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
from ks_ui.safe import echo, md
from ks_ui.shell import USES_INDICATOR_AND_AREA

log = logging.getLogger("ks_monitor")


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
    """The data for the view, or a Dutch error that says what to do, then stop.

    The user sees which lines are wrong, never a traceback or a server path; the details go to
    the server log.
    """
    try:
        return _monitor(choice.bundle, choice.municipality, str(data_dir()), _stamp())
    except ValidationError as err:
        log.warning("data bundle %s does not validate: %s", choice.bundle, err)
        lines = "\n".join(f"- {md(p)}" for p in err.problems[:20])
        more = f"\n\n… en nog {len(err.problems) - 20} problemen" if len(err.problems) > 20 else ""
        st.error("De gegevens kunnen niet worden geladen omdat het gegevensbestand "
                 f"({md(choice.bundle)}/observations.csv) fouten bevat. Herstel de genoemde regels (of zet de "
                 f"vorige versie terug) en laad de pagina opnieuw.\n\n{lines}{more}")
    except Exception:  # noqa: BLE001 — any broken data file: a message for the user, the trace for the log
        log.exception("loading bundle %s for %s failed", choice.bundle, choice.municipality)
        st.error("De gegevens kunnen niet worden geladen: een gegevens- of configuratiebestand ontbreekt of is "
                 "onleesbaar. Controleer de map met gegevens (instelling KS_DATA_DIR) of zet de vorige versie "
                 "terug, en laad de pagina opnieuw. De beheerder vindt de details in het serverlogboek.")
    st.stop()


def _choose(key: str, label: str, options: list[str], labels: dict[str, str], default: str,
            notices: list[str], help: str | None = None, disabled: bool = False) -> str:
    asked = st.query_params.get(key)
    if key not in st.session_state or st.session_state[key] not in options:
        if asked is not None and asked in options:
            st.session_state[key] = asked
        else:
            if asked is not None:
                notices.append(f"'{echo(asked)}' is geen geldige keuze voor '{label.lower()}'; "
                               f"de standaard ({md(labels.get(default, default))}) wordt getoond.")
            st.session_state[key] = default if default in options else options[0]
    value = st.sidebar.selectbox(label, options, format_func=lambda v: labels.get(v, v), key=key, help=help,
                                 disabled=disabled)
    st.query_params[key] = value
    return value


def sidebar(page_title: str = "Trends") -> Choice:
    """Render the shared choices; returns them. Stops with a Dutch message if the configuration is broken.

    Choices a page does not use are shown disabled with the reason, so no control seems to do nothing.
    """
    notices: list[str] = []
    try:
        settings = load_settings()
        codes = municipality_codes()
        bundles = bundle_names()
        municipalities = {c: load_municipality(c).name for c in codes}
        bundle_titles = {b: load_bundle_meta(b).title for b in bundles}
    except (ConfigError, OSError, KeyError, ValueError) as err:
        log.exception("configuration unreadable")
        why = md(err) if isinstance(err, ConfigError) else "details in het serverlogboek"
        st.error(f"De configuratie van de monitor is onvolledig of onleesbaar ({why}). "
                 "Controleer de map data/ en laad de pagina opnieuw.")
        st.stop()
    st.sidebar.header("Keuzes")
    one = (" Er is nu één gemeente ingesteld; een gemeente komt erbij met een bestand in data/gemeenten/ "
           "(zie de README)." if len(codes) == 1 else "")
    municipality = _choose("gemeente", "Gemeente", codes, municipalities, settings.default_municipality, notices,
                           help=f"De gemeente van de coalitie.{one}")
    bundle = _choose("bundel", "Gegevens", bundles, bundle_titles, settings.default_bundle, notices,
                     help="Echte cijfers uit de bron, of fictieve voorbeelddata om de grafieken te verkennen.")
    choice = Choice(municipality, bundle, "big2", municipality)
    monitor = get_monitor(choice)
    catalogue = monitor.catalogue
    unused = page_title not in USES_INDICATOR_AND_AREA
    why = f" Op de pagina '{page_title}' niet van toepassing: die toont alle indicatoren." if unused else ""
    indicator = _choose("indicator", "Indicator", list(catalogue.index), dict(catalogue["name"]), "big2", notices,
                        help=f"Het cijfer voor de pagina's Trends en Postcodegebieden.{why}", disabled=unused)
    areas = [municipality, *monitor.municipality.postcode_areas]
    area = _choose("gebied", "Gebied", areas, monitor.labels, municipality, notices,
                   help=f"De gemeente of een van haar postcodegebieden (Trends en Postcodegebieden).{why}",
                   disabled=unused)
    if unused:
        st.sidebar.caption(f"Indicator en gebied gelden voor Trends en Postcodegebieden, niet voor "
                           f"'{md(page_title)}'.")
    if notices:  # one notice for all bad link values, short and escaped: a link must never become a link
        st.sidebar.warning("\n\n".join(notices))
    return Choice(municipality, bundle, indicator, area)
