"""Evaluatie: every indicator's baseline, latest value, change and verdicts, the plan beside them, and the report."""

import pandas as pd
import streamlit as st

from ks_data import ConfigError, euro_columns, half_years, report
from ks_data import evaluation as ev
from ks_data.vocab import GROUPS, PHASES
from ks_ui.components import chart, header, show_table
from ks_ui.review_figures import budget_figure, glance_figure, timeline_figure
from ks_ui.safe import md
from ks_ui.shell import page_choice
from ks_ui.state import get_monitor

monitor = get_monitor(page_choice())
mun = monitor.municipality
example = monitor.bundle.is_example
header(monitor, f"Evaluatie {mun.name}")
st.write(f"Alle indicatoren van het plan in één tabel: de basiswaarde, de laatste periode, de verandering en de "
         f"oordelen ten opzichte van Nederland, de provincie en het doel. Het plan ({md(mun.plan or 'niet ingesteld')}) "
         f"wordt geëvalueerd op de evaluatiemomenten uit de configuratie.")

options = ev.review_options(monitor)
default = ev.default_until(monitor)
c1, c2 = st.columns(2)
with c1:
    moment = st.selectbox("Evaluatiemoment", options, index=[y for _, y in options].index(default),
                          format_func=lambda o: o[0] if o[1] is None else f"{o[0]} (cijfers t/m {o[1]})",
                          key="eval_moment", help="Alleen perioden die uiterlijk in dat jaar eindigen tellen mee.")
with c2:
    baseline = st.selectbox("Basis", ev.baseline_options(monitor), format_func=lambda o: o[0], key="eval_baseline",
                            help="Standaard de basis uit het plan als deze gegevens die hebben; anders per indicator "
                                 "de laatste periode die vóór de start van het plan eindigt.")
c3, c4, c5 = st.columns([2, 2, 1.5])
groups = c3.multiselect("Groep", GROUPS, key="eval_groups", placeholder="alle groepen")
phases = c4.multiselect("Fase", list(PHASES), format_func=PHASES.get, key="eval_phases", placeholder="alle fasen")
postcodes = c5.checkbox("Met postcodegebieden", value=False, key="eval_pc",
                        help="Ook elk postcodegebied als eigen rij (over blokken van vijf jaar).")

choice = ev.Choice(until=moment[1], baseline=baseline[1], postcodes=postcodes)
try:
    built = report.build(monitor, choice, groups=groups, phases=phases)
except ConfigError as err:
    st.error(f"Het plan of de registraties van {md(mun.name)} kunnen niet worden gelezen: {md(err)}")
    st.stop()

st.subheader("Samenvatting", anchor=False)
if built.table.empty:
    st.info("Geen indicatoren met cijfers voor deze keuze.")
st.markdown("\n".join(f"- {md(s)}" for s in built.summary))

st.subheader("Downloaden", anchor=False)
d1, d2, d3 = st.columns(3)
# built only when clicked (a callable), so choosing filters stays quick
d1.download_button("Rapport (HTML, af te drukken als PDF)", lambda: report.to_html(built).encode("utf-8"),
                   file_name=built.file_name("html"), mime="text/html", key="dl_html", on_click="ignore")
d2.download_button("Tabellen (Excel)", lambda: report.to_xlsx(built), file_name=built.file_name("xlsx"),
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_xlsx",
                   on_click="ignore")
d3.download_button("Evaluatietabel (CSV)", lambda: report.to_csv(built), file_name=built.file_name("csv"),
                   mime="text/csv", key="dl_csv", on_click="ignore")

st.subheader("In één oogopslag", anchor=False)
glance = ev.glance(built.table, mun.code)
if len(glance):
    chart(glance_figure(glance, monitor.sources(), example),
          md(f"Overzicht van {len(glance)} indicatoren: het oordeel voor {mun.name} ten opzichte van Nederland en de "
             f"provincie; de tabel hieronder geeft dezelfde oordelen in woorden, met het doel."),
          key="glance_chart", filename=f"in_een_oogopslag_{mun.code}")
    show_table(glance, "In één oogopslag (tabel)", monitor, f"in_een_oogopslag_{mun.code}", "glance_table")

st.subheader("Alle indicatoren", anchor=False)
shown = report.shown_table(built)
if len(shown):  # one row per indicator and area, values and verdicts side by side; notes and sources on request
    show_table(shown.drop(columns=["Toelichting", "Bron"]), "Evaluatietabel", monitor, "", None)
    with st.expander("Toelichting en bronnen per rij"):
        show_table(shown[["Indicator", "Gebied", "Toelichting", "Bron"]], "Toelichting en bronnen", monitor, "", None)

st.subheader("Het plan naast de cijfers", anchor=False)
if built.plan is None:
    st.info(md(report.no_plan(built)))
else:
    st.write(f"Voortgang op de acties wordt gemeten: {md(built.plan.measured)}. 'Niet geregistreerd' betekent dat de "
             f"coalitie voor dat half jaar (nog) niets heeft vastgelegd; het is geen nul.")
    if built.registrations.empty:
        st.warning("Er zijn nog geen registraties van de coalitie: status, aantallen en bestedingen ontbreken. De "
                   "redacteur legt ze vast op de pagina 'Gegevens bijwerken'.")
    if mun.plan_start and mun.plan_end:
        chart(timeline_figure(built.plan.milestones, mun.review_moments, mun.plan_start, mun.plan_end, example),
              md(f"Tijdlijn met {len(built.plan.milestones)} mijlpalen uit het plan en de evaluatiemomenten."),
              key="timeline_chart", filename=f"planning_{mun.code}")
    for name, frame in report.plan_tables(built):
        if name == "Begroting en besteding" and len(frame):
            chart(budget_figure(frame, example), md("Geplande kosten per jaar uit het plan naast de geregistreerde "
                                                    "bestedingen; ontbrekende registraties staan erbij."),
                  key="budget_chart", filename=f"begroting_{mun.code}")
        # the shown table says "niet geregistreerd"; its download leaves the cell empty, so counts stay numbers
        shown = (frame.astype(object).where(pd.notna(frame), "niet geregistreerd") if name == "Activiteiten per half jaar"
                 else euro_columns(frame, "–") if name == "Begroting en besteding" else frame)
        show_table(shown, name, monitor,
                   f"{name.lower().replace(' ', '_')}_{mun.code}", f"plan_{name}",
                   download=frame if "Bron" in frame else frame.assign(
                       Bron=f"registraties van de coalitie ({mun.code}/registraties.csv)"
                       if name == "Activiteiten per half jaar" else built.plan.name))
    st.caption(md(f"Halve jaren: {', '.join(half_years(mun))}."))
