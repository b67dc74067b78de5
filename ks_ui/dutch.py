"""Dutch for the parts of the page that Streamlit and Plotly write themselves.

Streamlit has no language setting: its own labels ("Skip to main content", "Help for …", "Page not
found") and ``<html lang="en">`` are fixed in its frontend. ``install`` adds one small script of our
own (constant text, never data) through ``st.html(unsafe_allow_javascript=True)`` that declares the
page Dutch and replaces those fixed strings, also when Streamlit draws them later (dialogs, menus).
Plotly's own toolbar is translated the supported way: a locale passed in the chart's config.

The same script does two accessibility repairs that Streamlit offers no setting for: a table that
scrolls inside its box gets keyboard focus, and each chart is named by the text alternative under it.
"""

from __future__ import annotations

import json
import re

import pyphen
import streamlit as st

_HYPHENS = pyphen.Pyphen(lang="nl_NL")

# Whole strings Streamlit writes as text, aria-label, title or placeholder, and their Dutch.
STREAMLIT = {
    "Skip to main content": "Naar de inhoud",
    "Sidebar": "Zijbalk",
    "App pages": "Pagina's",
    "Expand sidebar": "Zijbalk openen",
    "Collapse sidebar": "Zijbalk sluiten",
    "Open": "Openen",
    "Close": "Sluiten",
    "Dismiss": "Sluiten",
    "Clear value": "Keuze wissen",
    "Clear all": "Alles wissen",
    "Selected values": "Gekozen waarden",
    "No results": "Geen resultaten",
    "Choose an option": "Kies een optie",
    "Choose options": "Kies opties",
    "Select...": "Kies…",
    "Running...": "Bezig…",
    "Stop": "Stoppen",
    "Stop script": "Stoppen",
    "Rerun": "Opnieuw uitvoeren",
    "Main menu": "Hoofdmenu",
    "Fullscreen": "Volledig scherm",
    "Close fullscreen": "Volledig scherm sluiten",
    "Exit fullscreen": "Volledig scherm sluiten",
    "Toggle fullscreen": "Volledig scherm aan/uit",
    "Page not found": "Pagina niet gevonden",
    "The page that you have requested does not seem to exist. Running the app's main page.":
        "De gevraagde pagina bestaat niet. U ziet nu de startpagina.",
    "Drag and drop file here": "Sleep een bestand hierheen",
    "Drag and drop files here": "Sleep bestanden hierheen",
    "Browse files": "Bestand kiezen",
    "file upload": "bestand uploaden",
    "Select all": "Alles kiezen",
    "Deselect all": "Niets kiezen",
    "Upload": "Uploaden",
    "Remove file": "Bestand verwijderen",
    "Delete file": "Bestand verwijderen",
    "Press Enter to apply": "Druk op Enter om toe te passen",
    "Show password text": "Wachtwoord tonen",
    "Hide password text": "Wachtwoord verbergen",
    "Notifications": "Meldingen",
    "Connecting": "Verbinden",
    "Please wait...": "Even geduld…",
    "Print": "Afdrukken",
    "Settings": "Instellingen",
    "About": "Over",
    "Clear cache": "Cache wissen",
    "Show data": "Gegevens tonen",
    "Download": "Downloaden",
    # the data grid's toolbar and menus (the provenance table on "Over de data")
    "Show/hide columns": "Kolommen tonen/verbergen",
    "Download as CSV": "Downloaden als CSV",
    "Search": "Zoeken",
    "Clear search": "Zoekopdracht wissen",
    "Sort ascending": "Oplopend sorteren",
    "Sort descending": "Aflopend sorteren",
    "Hide column": "Kolom verbergen",
    "Pin column": "Kolom vastzetten",
    "Unpin column": "Kolom losmaken",
    "Copy to clipboard": "Kopiëren",
    "Format": "Opmaak",
}
# Strings that start the same and end with data (a label's name, a size limit).
STREAMLIT_PATTERNS = [
    ("^Help for (.+)$", "Uitleg bij $1"),
    ("^Limit (.+) per file(.*)$", "Maximaal $1 per bestand$2"),
    ("^(\\S+) per file(.*)$", "maximaal $1 per bestand$2"),
]

# Plotly's toolbar and messages, as a locale dictionary (plotly.js config "locales").
PLOTLY_LOCALE = {
    "dictionary": {
        "Download plot as a PNG": "Grafiek opslaan als PNG",
        "Download plot": "Grafiek opslaan",
        "Zoom": "Inzoomen op gebied",
        "Pan": "Verschuiven",
        "Zoom in": "Inzoomen",
        "Zoom out": "Uitzoomen",
        "Autoscale": "Schaal passend maken",
        "Reset axes": "Assen herstellen",
        "Reset view": "Beeld herstellen",
        "Reset": "Herstellen",
        "Box Select": "Rechthoek selecteren",
        "Lasso Select": "Lasso selecteren",
        "Toggle Spike Lines": "Hulplijnen aan/uit",
        "Show closest data on hover": "Dichtstbijzijnde waarde tonen",
        "Compare data on hover": "Waarden vergelijken",
        "Double-click to zoom back out": "Dubbelklik om terug te zoomen",
        "Taking snapshot - this may take a few seconds": "Afbeelding maken, een ogenblik",
        "Snapshot succeeded": "Afbeelding gemaakt",
        "Sorry, there was a problem downloading your snapshot!": "Het opslaan van de afbeelding is mislukt.",
        "Click to enter Plot title": "Klik om een titel in te voeren",
        "Click to enter X axis title": "Klik om een titel in te voeren",
        "Click to enter Y axis title": "Klik om een titel in te voeren",
        "Click to enter Colorscale title": "Klik om een titel in te voeren",
        "trace": "reeks",
    },
    "format": {"decimal": ",", "thousands": ".", "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag",
                                                           "vrijdag", "zaterdag"],
               "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
               "months": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                          "oktober", "november", "december"],
               "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
               "date": "%d-%m-%Y"},
}

_SCRIPT = """
(() => {
  if (window.__ksDutch) return;
  window.__ksDutch = true;
  const exact = new Map(Object.entries(%(exact)s));
  const patterns = %(patterns)s.map(([p, r]) => [new RegExp(p), r]);
  const dutch = (text) => {
    const key = text.trim();
    if (exact.has(key)) return text.replace(key, exact.get(key));
    for (const [p, r] of patterns) if (p.test(key)) return text.replace(key, key.replace(p, r));
    return null;
  };
  const ATTRS = ["aria-label", "title", "placeholder", "data-title"];
  const pass = () => {
    if (document.documentElement.lang !== "nl") document.documentElement.lang = "nl";
    for (const attr of ATTRS) {
      for (const el of document.querySelectorAll(`[${attr}]`)) {
        const now = dutch(el.getAttribute(attr));
        if (now !== null) el.setAttribute(attr, now);
      }
    }
    // A table wider than its box scrolls inside it; a keyboard must reach it (WCAG 2.1.1), so it gets focus
    for (const box of document.querySelectorAll("[data-testid='stTable'] > div")) {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && box.getAttribute("tabindex") !== "0") {
        box.setAttribute("tabindex", "0"); box.setAttribute("role", "region");
        box.setAttribute("aria-label", "Tabel, schuif opzij voor meer kolommen");
      } else if (!scrolls && box.hasAttribute("tabindex")) {
        for (const a of ["tabindex", "role", "aria-label"]) box.removeAttribute(a);
      }
    }
    // Each chart is named by the text alternative written right under it (ks_ui.components.chart)
    for (const chart of document.querySelectorAll("[data-testid='stPlotlyChart']")) {
      const next = chart.closest("[data-testid='stElementContainer']")?.nextElementSibling;
      const alt = next?.querySelector("[data-testid='stCaptionContainer']")?.innerText?.trim();
      if (alt && chart.getAttribute("aria-label") !== alt) {
        chart.setAttribute("role", "figure"); chart.setAttribute("aria-label", alt);
      }
    }
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      const now = node.nodeValue.trim() ? dutch(node.nodeValue) : null;
      if (now !== null) node.nodeValue = now;
    }
  };
  let queued = false;
  const soon = () => { if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; pass(); }); } };
  new MutationObserver(soon).observe(document.documentElement, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: [...ATTRS, "lang"]});
  addEventListener("resize", soon);
  pass();
})();
"""


def script() -> str:
    """The page script, with the dictionaries inlined as JSON (constant text, no data)."""
    return "<script>" + _SCRIPT % {"exact": json.dumps(STREAMLIT, ensure_ascii=False),
                                   "patterns": json.dumps(STREAMLIT_PATTERNS)} + "</script>"


def hyphenated(text: str) -> str:
    """Soft hyphens in long Dutch words, so a narrow heading breaks at a syllable, never mid-syllable."""
    return re.sub(r"\w{12,}", lambda m: _HYPHENS.inserted(m.group(0), hyphen="\u00ad"), text)


def install(style: str = "") -> None:
    """Declare the page Dutch and translate Streamlit's own strings, once per page load (with the app's CSS)."""
    st.html(style + script(), unsafe_allow_javascript=True)


def plotly_config(filename: str) -> dict:
    """A chart's config: Dutch toolbar and number format, PNG download named ``filename``."""
    return {"displaylogo": False, "locale": "nl", "locales": {"nl": PLOTLY_LOCALE},
            "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
            "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
