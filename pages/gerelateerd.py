"""Gerelateerde cijfers: the plan's related indicators by group, the municipality against NL and the province."""

import pandas as pd
import streamlit as st

from ks_data import fmt, related, related_groups, related_numeric, stacking
from ks_ui.components import chart, header, show_table, shown_value, verdict_line
from ks_ui.figures import dot_chart
from ks_ui.safe import md
from ks_ui.shell import page_choice
from ks_ui.state import get_monitor
from ks_ui.style import verdict_text

choice = page_choice()
monitor = get_monitor(choice)
mun = monitor.municipality
province = monitor.area_name(mun.province)
header(monitor, f"Gerelateerde cijfers {mun.name}")
st.write("Indicatoren die samenhangen met een gezonde start: gezondheid, gezinssituatie, werk en inkomen. "
         "De gemeente (cirkel, gekleurd naar oordeel) tegenover Nederland (ruit) en de provincie (vierkant).")

for group in related_groups(monitor):
    st.header(md(group.capitalize()), anchor=False)
    rows = related(monitor, group)
    if rows.empty:
        st.info("Geen gegevens voor deze groep.")
        continue
    lines = [{"Indicator": r.name, "Fase": r.phase, "Periode": r.period_label,
              mun.name: shown_value(r.row, r.unit),
              "Nederland": fmt.value(r.nl, r.unit, r.row.get("benchmark_decimals")),
              province: r.pv_statement or fmt.value(r.pv, r.unit, r.pv_decimals),
              "Oordeel t.o.v. Nederland": verdict_line(r.row, r.unit, "Nederland").split(" — ", 1)[-1]}
             for r in rows.itertuples()]
    plotted = rows.assign(nl_decimals=[r.get("benchmark_decimals") for r in rows["row"]])
    alt = "; ".join(f"{r.name}: {mun.name} {shown_value(r.row, r.unit)}, Nederland "
                    f"{fmt.value(r.nl, r.unit, r.row.get('benchmark_decimals'))} ({verdict_text(r.verdict)})"
                    for r in rows.itertuples())
    chart(dot_chart(plotted, monitor.sources(rows["indicator_id"].iloc[0]), monitor.bundle.is_example,
                    group.capitalize()), alt=md(alt), key=f"dots_{group}", filename=f"gerelateerd_{group.replace(' ', '_')}")
    show_table(pd.DataFrame(lines), f"{group.capitalize()}: cijfers", monitor, f"gerelateerd_{group}",
               f"rel_table_{group}", download=related_numeric(monitor, group))

st.header("Postcodegebieden die op meerdere indicatoren ongunstig scoren", anchor=False)
summary = stacking(monitor)
if summary.empty:
    st.info("In deze gegevens zijn er geen cijfers per postcodegebied met aantallen; zodra die er zijn, toont "
            "deze tabel welke gebieden op meerdere indicatoren slechter scoren dan de gemeente.")
else:
    table = summary.rename(columns={"name": "Postcodegebied", "n_worse": "Aantal indicatoren slechter",
                                    "n_known": "Indicatoren met een getoonde waarde",
                                    "which": "Slechter dan de gemeente op"})[
        ["Postcodegebied", "Aantal indicatoren slechter", "Indicatoren met een getoonde waarde",
         "Slechter dan de gemeente op"]]
    show_table(table, "Stapeling per postcodegebied (laatste periode, getoetst tegen de gemeente)", monitor,
               "stapeling_postcode", "stack_table",
               download=table.assign(Periode="laatste periode per indicator", Bron=monitor.sources()))
