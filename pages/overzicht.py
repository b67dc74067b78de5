"""Overzicht: the three perinatal core figures against NL, the province and the plan's target."""

import pandas as pd
import streamlit as st

from ks_data import fmt
from ks_ui.components import chart, header, source_line, verdict_line
from ks_ui.figures import sparkline
from ks_ui.shell import page_choice
from ks_ui.state import get_monitor

monitor = get_monitor(page_choice())
mun = monitor.municipality
province = monitor.area_name(mun.province)
header(monitor, f"Perinatale kerncijfers {mun.name}")
st.write(f"De drie kerncijfers van Kansrijke Start in {mun.name}, vergeleken met Nederland, de provincie "
         f"{province} en het doel van het plan: minstens stabilisatie, liefst een daling.")

core = monitor.catalogue[monitor.catalogue["core"]]
for column, (ind, meta) in zip(st.columns(len(core)), core.iterrows()):
    unit = meta["unit"]
    with column, st.container(border=True):
        st.subheader(meta["name"])
        latest = monitor.latest(ind, mun.code, "NL01")
        if latest is None:
            st.markdown("**Geen gegevens** voor deze gemeente.")
        elif latest["suppressed"]:
            st.markdown(f"**Verborgen** ({latest['period_label']}): {latest['suppression_reason']}.")
            st.caption("Kleine aantallen worden niet getoond; kies een langere periode of kijk bij Trends.")
        elif pd.isna(latest["value"]):
            st.markdown("**Geen getal in de bron**")
            if latest["note"]:
                st.caption(latest["note"])
        else:
            st.metric(f"{mun.name}, {latest['period_label']}", fmt.value(latest["value"], unit))
            if pd.notna(latest["ci_low"]):
                st.caption(f"95%-interval {fmt.interval(latest['ci_low'], latest['ci_high'], unit)}")
        if latest is not None:
            st.markdown("- " + verdict_line(latest, unit, "Nederland"))
            st.markdown("- " + verdict_line(monitor.latest(ind, mun.code, "provincie"), unit, province))
        result = monitor.target(ind)
        rule = mun.target_rule(ind)
        st.markdown(f"**Doel van het plan:** {result.label}" + (f" — {result.reason}" if result.reason else ""))
        if rule == "volgen":
            st.caption("Voor deze indicator stelt het plan geen doel; hij wordt gevolgd.")
        trend = monitor.trend(ind)
        st.markdown(f"**Trend:** {trend.marker}" + (f" ({trend.reason})" if trend.reason else ""))
        series = monitor.series(ind, mun.code)
        dated = series[series["period_end"].notna() & series["value"].notna() & ~series["suppressed"]]
        if len(dated) >= 2:
            chart(sparkline(dated, unit, monitor.bundle.is_example), alt=f"Verloop {meta['name']} in {mun.name}: van "
                  f"{fmt.value(dated['value'].iloc[0], unit)} ({dated['period_label'].iloc[0]}) naar "
                  f"{fmt.value(dated['value'].iloc[-1], unit)} ({dated['period_label'].iloc[-1]}).",
                  key=f"spark_{ind}", filename=f"{ind}_{mun.code}")
        else:
            st.caption("Nog maar één periode: een verloop is er pas na het inlezen van nieuwe cijfers.")
        st.caption(f"Bron: {source_line(monitor, ind)}")
