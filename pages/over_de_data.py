"""Over de data: the catalogue, provenance per figure, the methods in plain Dutch and the caveats."""

import pandas as pd
import streamlit as st

from ks_data import births_per_year, explanations, fmt, provenance, provenance_numeric
from ks_data.vocab import PERIOD_TYPES, PHASES, POLARITIES, UNIT_LABEL
from ks_ui.components import download_table, header, show_table
from ks_ui.safe import md
from ks_ui.shell import page_choice
from ks_ui.state import get_monitor

choice = page_choice()
monitor = get_monitor(choice)
mun = monitor.municipality
header(monitor, "Over de data")

st.header("Indicatoren", anchor=False)
cat = monitor.catalogue
table = pd.DataFrame({
    "Indicator": cat["name"], "Wat het meet": cat["definition"], "Eenheid": cat["unit"].map(UNIT_LABEL),
    "Gunstig is": cat["polarity"].map(POLARITIES), "Groep": cat["group"], "Fase": cat["phase"].map(PHASES),
    "Periode": cat["period_type"].map(PERIOD_TYPES), "Bron": cat["source"]})
show_table(table, "Catalogus van indicatoren", monitor, "catalogus", "cat_table")

st.header("Herkomst van elk cijfer", anchor=False)
st.write(f"Alle getoonde cijfers voor {md(mun.name)}, de postcodegebieden, de provincie en Nederland in de gekozen "
         f"gegevens, met bron, periode en ophaaldatum. Lege waarden geeft de bron niet; ze zijn niet geschat. "
         f"Verborgen cijfers staan erin met de reden.")
prov = provenance(monitor)
st.dataframe(prov, hide_index=True, width="stretch", height=320)  # a data grid: shows text, renders no Markdown
download_table(provenance_numeric(monitor), "herkomst_cijfers", monitor.bundle.is_example, "prov_download")

st.header("Methoden in gewone taal", anchor=False)
for title, text in explanations(monitor.settings, mun).items():
    st.subheader(md(title), anchor=False)
    st.write(md(text))

st.header("Kanttekeningen", anchor=False)
births = births_per_year(monitor)
size = (f"In deze gegevens heeft {md(mun.name)} gemiddeld {fmt.integer(births)} geboorten per jaar"
        if births else f"Een gemeente als {md(mun.name)} heeft per jaar honderden geboorten of minder")
undated = monitor.published[monitor.published["period_end"].isna() & monitor.published["value"].notna()]
dated_plan = monitor.published[monitor.published["period_end"].notna() & ~monitor.published["derived"].astype(bool)]
periods = (f"{len(undated)} cijfers in deze gegevens hebben geen periode (de bron vermeldt die niet; ze staan als "
           f"'{md(undated['period_label'].iloc[0])}')" if len(undated) else "Alle cijfers in deze gegevens hebben een periode")
st.markdown(
    f"- **Kleine aantallen.** {size}, een postcodegebied een fractie daarvan. Veel verschillen zijn toeval; kijk naar "
    f"het oordeel en het interval, niet alleen naar het getal.\n"
    f"- **Definities verschillen per bron.** Sterfte rond de geboorte telt in deze monitor vanaf 24 weken; oudere "
    f"CBS-reeksen tellen vanaf 22 weken en worden nooit in één reeks gemengd. Landelijke enquêtecijfers over stress "
    f"gaan soms over 18 jaar en ouder in plaats van 19–45 jaar.\n"
    f"- **Perioden.** {periods}; {len(dated_plan)} cijfers hebben er wel een. Cijfers zonder teller en noemer krijgen "
    f"geen interval en geen getoetst oordeel.\n"
    f"- **Voorbeelddata.** De bundel 'Voorbeelddata — fictief' is verzonnen (vaste seed) om de grafieken te tonen; "
    f"gebruik hem nooit voor conclusies.\n"
    f"- **Kaarten.** Grenzen: © Centraal Bureau voor de Statistiek, © ESRI Nederland (CBS PC4 2020); CBS/Kadaster "
    f"gebiedsindelingen 2022; bevolking CBS 83503NED (1-1-2021); via certegis (Certe).")
if mun.postcode_names_source:
    st.caption(f"Wijknamen bij postcodegebieden: {md(mun.postcode_names_source)}; de andere gebieden staan onder hun "
               f"nummer.")
if mun.review_moments:
    st.caption("Evaluatiemomenten: " + "; ".join(f"{md(m.label)} ({md(m.source)})" for m in mun.review_moments))
