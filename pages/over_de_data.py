"""Over de data: the catalogue, provenance per figure, the methods in plain Dutch and the caveats."""

import pandas as pd
import streamlit as st

from ks_data import fmt
from ks_data.catalogue import PERIOD_TYPES, PHASES, UNIT_LABEL
from ks_data.stats.intervals import ci_missing_reason
from ks_data.stats.methods import explanations
from ks_ui.components import download_table, header, show_table
from ks_ui.shell import page_choice
from ks_ui.state import get_monitor

choice = page_choice()
monitor = get_monitor(choice)
mun = monitor.municipality
header(monitor, "Over de data")

st.header("Indicatoren")
cat = monitor.catalogue
table = pd.DataFrame({
    "Indicator": cat["name"], "Wat het meet": cat["definition"], "Eenheid": cat["unit"].map(UNIT_LABEL),
    "Gunstig is": cat["polarity"].map({"lower": "lager", "higher": "hoger"}),
    "Groep": cat["group"], "Fase": cat["phase"].map(PHASES), "Periode": cat["period_type"].map(PERIOD_TYPES),
    "Bron": cat["source"]})
show_table(table, "Catalogus van indicatoren", monitor, "catalogus", "cat_table")

st.header("Herkomst van elk cijfer")
st.write(f"Alle cijfers voor {mun.name}, de provincie en Nederland in de gekozen gegevens, met bron, periode en "
         f"ophaaldatum. Lege waarden geeft de bron niet; ze zijn niet geschat.")
obs = monitor.observations
names = monitor.labels
prov = pd.DataFrame({
    "Indicator": obs["indicator_id"].map(cat["name"]), "Gebied": obs["area_code"].map(names),
    "Periode": obs["period_label"],
    "Waarde": [("verborgen (<10)" if s else fmt.value(v, u)) for v, u, s in
               zip(obs["value"], obs["unit"].astype(str), obs["suppressed"])],
    "95%-interval": [fmt.interval(lo, hi, u) if not s else "–" for lo, hi, u, s in
                     zip(obs["ci_low"], obs["ci_high"], obs["unit"].astype(str), obs["suppressed"])],
    "Waarom geen interval": ci_missing_reason(obs).where(~obs["suppressed"], "verborgen (kleine aantallen)"),
    "Bron": obs["source"], "Detail": obs["source_detail"], "Opgehaald": obs["retrieved"],
    "Voorbeeld": obs["is_example"].map({True: "ja (fictief)", False: "nee"}), "Toelichting": obs["note"]})
st.dataframe(prov, hide_index=True, width="stretch", height=320)

download_table(prov, "herkomst_cijfers", monitor.bundle.is_example, "prov_download")

st.header("Methoden in gewone taal")
for title, text in explanations(monitor.settings.suppression_threshold).items():
    st.subheader(title)
    st.write(text)

st.header("Kanttekeningen")
st.markdown(
    f"- **Kleine aantallen.** {mun.name} heeft enkele honderden geboorten per jaar, een postcodegebied soms maar "
    f"tientallen. Veel verschillen zijn toeval; kijk naar het oordeel en het interval, niet alleen naar het getal.\n"
    f"- **Definities verschillen per bron.** Sterfte rond de geboorte telt in deze monitor vanaf 24 weken; oudere "
    f"CBS-reeksen tellen vanaf 22 weken en worden nooit in één reeks gemengd. Landelijke enquêtecijfers over stress "
    f"gaan soms over 18 jaar en ouder in plaats van 19–45 jaar.\n"
    f"- **Cijfers uit het plan.** Het projectplan noemt geen periodes bij de cijfers en geeft geen aantallen; die "
    f"cijfers krijgen daarom geen interval en geen getoetst oordeel. Waar het plan '%' schrijft bij sterfte per "
    f"1000, is de eenheid hersteld (zie de toelichting bij het cijfer).\n"
    f"- **Voorbeelddata.** De bundel 'Voorbeelddata — fictief' is verzonnen (vaste seed) om de grafieken te tonen; "
    f"gebruik hem nooit voor conclusies.\n"
    f"- **Kaarten.** Grenzen: © Centraal Bureau voor de Statistiek, © ESRI Nederland (CBS PC4 2020); CBS/Kadaster "
    f"gebiedsindelingen 2022; bevolking CBS 83503NED (1-1-2021); via certegis (Certe).")
if mun.postcode_names_source:
    st.caption(f"Wijknamen bij postcodegebieden: {mun.postcode_names_source}; de andere gebieden staan onder hun "
               f"nummer.")
