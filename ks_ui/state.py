"""The shared sidebar choices, bound to the URL, and the cached data for the chosen view.

The URL holds ids (``?indicator=big2&gebied=2986&bundel=voorbeeld``) so a link opens the same
view; an unknown value falls back to the default with a short notice instead of an error.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from ks_data import (
    ConfigError,
    Monitor,
    NationalView,
    Publication,
    Similar,
    UnsafeView,
    ValidationError,
    bundle_csv,
    bundle_names,
    coalition_codes,
    data_dir,
    keep_freed_memory,
    load_bundle_meta,
    load_municipality,
    load_observations,
    load_settings,
    municipality_codes,
    registry_municipalities,
)
from ks_ui.safe import echo, md
from ks_ui.shell import USES_INDICATOR, USES_INDICATOR_AND_AREA

log = logging.getLogger("ks_monitor")
keep_freed_memory()  # once per server process: a national load reuses memory instead of faulting in fresh pages


@dataclass(frozen=True)
class Choice:
    municipality: str
    bundle: str
    indicator: str
    area: str


def _stamp(bundle: str) -> tuple:
    """Modification times of the files a bundle's views read, so a refreshed file is picked up by the cache."""
    root = data_dir()
    files = [bundle_csv(bundle, root), *sorted(root.glob("gemeenten/*.toml")), *sorted(root.glob("coalities/*.toml")),
             root / "regios.toml", root / "indicators.csv", root / "areas.csv", root / "settings.toml"]
    return tuple((str(f), f.stat().st_mtime_ns) for f in files if f.exists())


_current: dict[str, tuple] = {}  # the stamp each bundle's cached table was loaded with


@st.cache_resource(show_spinner="Gegevens laden…", max_entries=4)
def _observations(bundle: str, root: str, stamp: tuple) -> pd.DataFrame:
    """One copy of a bundle's table for every session: a national table is hundreds of megabytes."""
    return load_observations(bundle, Path(root))


@st.cache_resource(show_spinner="Cijfers beveiligen…", max_entries=4)
def _publication(bundle: str, root: str, stamp: tuple) -> Publication:
    """The bundle's publication, shared by every session: each province's decisions are taken once."""
    return Publication(bundle, Path(root), _observations(bundle, root, stamp))


# Builds are CPU-bound (one interpreter lock), so running them one at a time costs no speed; it keeps
# twenty sessions that start together from holding twenty builds' working memory at once.
_building = threading.Lock()


@st.cache_resource(show_spinner="Gegevens van de gemeente klaarzetten…", max_entries=400)
def _monitor(bundle: str, municipality: str, root: str, stamp: tuple) -> Monitor:
    with _building:
        return Monitor.load(bundle, municipality, Path(root), publication=_publication(bundle, root, stamp))


@st.cache_resource(show_spinner="Vergelijkbare gemeenten opzoeken…", max_entries=100)
def _similar(bundle: str, municipality: str, root: str, stamp: tuple) -> Similar:
    with _building:
        return Similar.build(_publication(bundle, root, stamp), load_municipality(municipality, Path(root)))


def get_similar(choice: Choice) -> Similar:
    """The municipality's comparison group with its members' published figures (or a Dutch error, then stop)."""
    return _guarded(choice.bundle, lambda stamp: _similar(choice.bundle, choice.municipality, str(data_dir()), stamp))


@st.cache_resource(show_spinner="Landelijk beeld samenstellen…", max_entries=4)
def _national(bundle: str, root: str, stamp: tuple) -> NationalView:
    return _publication(bundle, root, stamp).national()


def open_municipality(choice: Choice, code: str) -> None:
    """Open a municipality's pages (from the national view): the sidebar takes it over on the next run.

    The address carries the choices too, because a switch of page may drop the sidebar's widget state.
    """
    st.session_state["_open_gemeente"] = code
    st.switch_page("pages/overzicht.py", query_params={"bundel": choice.bundle, "gemeente": code,
                                                      "indicator": choice.indicator})


def get_national(bundle: str) -> NationalView:
    """Every municipality of the bundle, published and judged against the Netherlands (or a Dutch error, then stop)."""
    return _guarded(bundle, lambda stamp: _national(bundle, str(data_dir()), stamp))


def shared_observations(bundle: str) -> pd.DataFrame:
    """The bundle's shared table; a changed file drops the old copies first, so memory holds one."""
    stamp = _stamp(bundle)
    if _current.get(bundle, stamp) != stamp:
        for cache in (_observations, _publication, _monitor, _national, _codes_in, _similar):
            cache.clear()
    _current[bundle] = stamp
    return _observations(bundle, str(data_dir()), stamp)


def get_monitor(choice: Choice) -> Monitor:
    """The data for the view, or a Dutch error that says what to do, then stop."""
    return _guarded(choice.bundle, lambda stamp: _monitor(choice.bundle, choice.municipality, str(data_dir()), stamp))


@st.cache_resource(max_entries=4)
def _codes_in(bundle: str, root: str, stamp: tuple) -> frozenset[str]:
    return frozenset(_observations(bundle, root, stamp)["area_code"].unique().astype(str))


def municipalities_with_data(bundle: str) -> set[str]:
    """The municipalities whose own figures the bundle holds (a national bundle: all of them)."""
    codes = _guarded(bundle, lambda stamp: _codes_in(bundle, str(data_dir()), stamp))
    return set(codes) & set(registry_municipalities())


def _guarded(bundle: str, action):
    """Load the bundle's shared table, then ``action(stamp)``; a broken file gives a Dutch message and stops.

    The user sees which lines are wrong, never a traceback or a server path; the details go to
    the server log.
    """
    try:
        shared_observations(bundle)
        return action(_current[bundle])
    except ValidationError as err:
        log.warning("data bundle %s does not validate: %s", bundle, err)
        lines = "\n".join(f"- {md(p)}" for p in err.problems[:20])
        more = f"\n\n… en nog {len(err.problems) - 20} problemen" if len(err.problems) > 20 else ""
        st.error("De gegevens kunnen niet worden geladen omdat het gegevensbestand "
                 f"({md(bundle)}/observations.csv) fouten bevat. Herstel de genoemde regels (of zet de "
                 f"vorige versie terug) en laad de pagina opnieuw.\n\n{lines}{more}")
    except UnsafeView as err:  # the safety net of disclosure control: refuse rather than publish
        log.error("view refused by its own disclosure audit: %s", err)
        st.error("De cijfers van deze gemeente worden niet getoond: de beveiliging van kleine aantallen kon niet "
                 "worden rondgemaakt. De beheerder vindt de details in het serverlogboek.")
    except Exception:  # noqa: BLE001 — any broken data file: a message for the user, the trace for the log
        log.exception("loading bundle %s failed", bundle)
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


@st.cache_resource(max_entries=4)
def _configuration(root: str, stamp: tuple) -> tuple:
    """What the sidebar offers, read once per state of the configuration files (``stamp``), not on every rerun:
    (settings, configured codes, names, bundles, bundle titles, coalitions, broken coalition files → error)."""
    folder = Path(root)
    settings = load_settings(folder)
    configured = municipality_codes(folder)
    names = {c: name for c, (name, _) in registry_municipalities(folder).items()} | {
        c: load_municipality(c, folder).name for c in configured}
    bundles = bundle_names(folder)
    coalitions, broken = {}, {}
    for code in coalition_codes(folder):
        try:
            coalitions[code] = load_municipality(code, folder)
        except ConfigError as err:
            log.warning("coalition %s cannot be opened: %s", code, err)
            broken[code] = str(err)
    return (settings, configured, names, bundles, {b: load_bundle_meta(b, folder).title for b in bundles},
            coalitions, broken)


def sidebar(page_title: str = "Trends") -> Choice:
    """Render the shared choices; returns them. Stops with a Dutch message if the configuration is broken.

    Choices a page does not use are shown disabled with the reason, so no control seems to do nothing.
    """
    notices: list[str] = []
    try:
        root = data_dir()
        files = [root / "settings.toml", root / "areas.csv", root / "regios.toml", *sorted(root.glob("*/*.toml")),
                 *sorted(root.glob("bundles/*/bundle.toml"))]
        config = _configuration(str(root), tuple((str(f), f.stat().st_mtime_ns) for f in files if f.exists()))
    except (ConfigError, OSError, KeyError, ValueError) as err:
        log.exception("configuration unreadable")
        why = md(err) if isinstance(err, ConfigError) else "details in het serverlogboek"
        st.error(f"De configuratie van de monitor is onvolledig of onleesbaar ({why}). "
                 "Controleer de map data/ en laad de pagina opnieuw.")
        st.stop()
    settings, configured, names, bundles, bundle_titles, coalitions, broken = config
    names = dict(names)
    # a broken coalition file is named, the others keep working
    notices += [f"Coalitie '{echo(code)}' kan niet worden geopend: {md(err)}" for code, err in broken.items()]
    st.sidebar.header("Keuzes")
    bundle = _choose("bundel", "Gegevens", bundles, bundle_titles, settings.default_bundle, notices,
                     help="Echte cijfers uit de bron, of fictieve voorbeelddata om de grafieken te verkennen.")
    codes = sorted(set(configured) | municipalities_with_data(bundle), key=lambda c: (names.get(c, c), c))
    one = (" Deze gegevens bevatten één gemeente; een landelijke bundel bevat ze allemaal." if len(codes) == 1
           else f" Deze gegevens bevatten {len(codes)} gemeenten; zonder eigen plan (een bestand in "
                "data/gemeenten/) worden de cijfers gevolgd en vergeleken, zonder doel.")
    codes = sorted(coalitions, key=lambda c: coalitions[c].name) + codes  # coalitions of several first
    names |= {c: f"Coalitie {m.name} ({', '.join(names.get(g, g) for g in m.members)})" if m.is_coalition
              else f"Coalitie {m.name}" for c, m in coalitions.items()}
    if "_open_gemeente" in st.session_state:  # a municipality opened from the national view
        st.session_state["gemeente"] = st.session_state.pop("_open_gemeente")
    asked = st.query_params.get("coalitie")
    if asked is not None:  # ?coalitie=bommelerwaard opens a coalition; the address then says ?gemeente=…
        del st.query_params["coalitie"]
        if asked in coalitions:
            st.session_state["gemeente"] = asked
        else:
            notices.append(f"'{echo(asked)}' is geen bekende coalitie; kies er een bij 'Gemeente of coalitie'.")
    municipality = _choose("gemeente", "Gemeente of coalitie", codes, names, settings.default_municipality, notices,
                           help=f"De gemeente van de coalitie, of een coalitie van meer gemeenten.{one}")
    choice = Choice(municipality, bundle, "", municipality)  # the indicator is not needed to build the view
    monitor = get_monitor(choice)
    catalogue = monitor.catalogue
    # the default indicator: the catalogue's first core figure
    first = catalogue.index[catalogue["core"]][0] if catalogue["core"].any() else catalogue.index[0]
    unused = page_title not in USES_INDICATOR
    no_area = page_title not in USES_INDICATOR_AND_AREA
    why = f" Op de pagina '{page_title}' niet van toepassing: die toont alle indicatoren." if unused else ""
    indicator = _choose("indicator", "Indicator", list(catalogue.index), dict(catalogue["name"]), first, notices,
                        help=f"Het cijfer voor de pagina's Trends, Postcodegebieden en Landelijk beeld.{why}",
                        disabled=unused)
    areas = [municipality, *monitor.areas_below()]
    why_area = why or (f" Op de pagina '{page_title}' niet van toepassing: die toont alle gemeenten." if no_area else "")
    area = _choose("gebied", "Gebied", areas, monitor.labels, municipality, notices,
                   help=f"De gemeente (of coalitie), een gemeente van de coalitie of een postcodegebied (Trends "
                        f"en Postcodegebieden).{why_area}",
                   disabled=no_area)
    if unused:
        st.sidebar.caption(f"Indicator en gebied gelden voor Trends en Postcodegebieden, niet voor "
                           f"'{md(page_title)}'.")
    elif no_area:
        st.sidebar.caption(f"Het gebied geldt voor Trends en Postcodegebieden, niet voor '{md(page_title)}'.")
    if notices:  # one notice for all bad link values, short and escaped: a link must never become a link
        st.sidebar.warning("\n\n".join(notices))
    return Choice(municipality, bundle, indicator, area)
