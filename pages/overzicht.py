"""Overzicht: the three perinatal core figures against NL, the province and the plan's target."""

import pandas as pd
import streamlit as st

from ks_data import bundle_names, fmt
from ks_ui.components import chart, header, shown_value, untested_reason, verdict_line
from ks_ui.dutch import hyphenated
from ks_ui.figures import sparkline
from ks_ui.safe import md
from ks_ui.shell import page_choice
from ks_ui.state import get_monitor
from ks_ui.style import target_heading, target_text

choice = page_choice()
monitor = get_monitor(choice)
mun = monitor.municipality
province = monitor.area_name(mun.province)
header(monitor, f"Perinatale kerncijfers {mun.name}")
region = f", {md(monitor.area_name(mun.region))}" if mun.region else ""
core = monitor.catalogue[monitor.catalogue["core"]]
count = {1: "het kerncijfer", 2: "de twee kerncijfers", 3: "de drie kerncijfers", 4: "de vier kerncijfers"}.get(
    len(core), f"de {len(core)} kerncijfers")
if mun.configured and mun.plan:
    st.write(f"{count.capitalize()} van Kansrijke Start in {md(mun.name)}, vergeleken met Nederland, de provincie "
             f"{md(province)}{region} en het doel van het plan: minstens stabilisatie, liefst een verbetering.")
else:  # no plan of its own: followed and compared, never judged against a target
    st.write(f"{count.capitalize()} van Kansrijke Start in {md(mun.name)}, vergeleken met Nederland en de provincie "
             f"{md(province)}{region}. Voor {md(mun.name)} is geen plan ingesteld: de cijfers worden gevolgd, zonder "
             f"doel.")
if mun.is_coalition:
    st.caption(md(f"De coalitie {mun.name} telt de aantallen op van {', '.join(map(monitor.area_name, mun.members))}; "
                  f"een periode waarin niet alle gemeenten aantallen hebben, krijgt geen cijfer voor de coalitie."))

if not monitor.bundle.is_example and "voorbeeld" in bundle_names() and not any(
        monitor.series(ind, mun.code)[["period_end", "value"]].notna().all(axis=1).sum() >= 2
        for ind in monitor.catalogue.index[monitor.catalogue["core"]]):
    # a newcomer on the real data sees no trend and no verdict yet: say why in one sentence, offer the example
    st.info(f"De echte cijfers van {md(mun.name)} zijn nog de waarden uit het plan: één periode per kerncijfer, "
            f"zonder aantallen, dus nog zonder trend en zonder doeloordeel.")
    st.page_link("pages/overzicht.py", label="Zie wat de monitor met volledige reeksen doet: voorbeelddata (verzonnen) →",
                 query_params={"bundel": "voorbeeld", "gemeente": mun.code})


for column, (ind, meta) in zip(st.columns(len(core)), core.iterrows()):
    unit = meta["unit"]
    with column, st.container(border=True):
        st.subheader(hyphenated(md(meta["name"])), anchor=False)
        latest = monitor.latest(ind, mun.code, "NL01")
        if latest is None:
            st.markdown("**Geen gegevens** voor deze gemeente.")
        elif latest["suppressed"]:
            st.markdown(f"**{md(latest['period_label'])}: {md(latest['hidden'])}**")
            st.caption("Kleine aantallen worden niet getoond, ook geen vergelijking. Kijk bij Trends naar andere "
                       "perioden.")
        elif pd.isna(latest["value"]):
            st.markdown("**Geen getal in de bron**")
            if latest["note"]:
                st.caption(md(latest["note"]))
        else:
            st.metric(md(f"{mun.name}, {latest['period_label']}"), shown_value(latest, unit))
            if pd.notna(latest["ci_low"]):
                st.caption(f"95%-interval {fmt.interval(latest['ci_low'], latest['ci_high'], unit)}")
        if latest is not None:
            against_pv = monitor.latest(ind, mun.code, "provincie")
            lines = [(latest, "Nederland"), (against_pv, province)]
            if mun.region:  # the region's verdict where the data hold its figure for that period
                lines.append((monitor.latest(ind, mun.code, mun.region), monitor.area_name(mun.region)))
            # a benchmark without a figure for the period needs no reason; the others' shared reason is said once
            reasons = {untested_reason(r) for r, _ in lines if r is not None and pd.notna(r.get("benchmark_value"))}
            once = len(reasons) == 1 and "" not in reasons  # the same reason for both: said once, under them
            for row, name in lines:
                st.markdown("- " + md(verdict_line(row, unit, name, reason=not once)))
            if once:
                st.caption(md(f"Niet te beoordelen: {reasons.pop()}."))
        result = monitor.target(ind)
        st.markdown(f"**{target_heading(mun.target_rule(ind))}:** {md(target_text(result.status, result.text))}")
        if result.reason or result.indicative:
            st.caption(md("; ".join(t for t in [result.reason, result.indicative] if t)))
        if mun.target_rule(ind) == "volgen":
            st.caption("Voor deze indicator stelt het plan geen doel; hij wordt gevolgd.")
        trend = monitor.trend(ind)
        st.markdown(f"**Trend:** {md(trend.marker)}" + (f" ({md(trend.reason)})" if trend.reason else ""))
        series = monitor.series(ind, mun.code)
        dated = series[series["period_end"].notna() & series["value"].notna()]
        if len(dated) >= 2:
            chart(sparkline(series[series["period_end"].notna()], unit, monitor.bundle.is_example),
                  alt=md(f"Verloop {meta['name']} in {mun.name}: van {shown_value(dated.iloc[0], unit)} "
                         f"({dated['period_label'].iloc[0]}) naar {shown_value(dated.iloc[-1], unit)} "
                         f"({dated['period_label'].iloc[-1]}).")
                  + (" Verborgen perioden zijn open plekken in de lijn." if series["suppressed"].any() else ""),
                  key=f"spark_{ind}", filename=f"{ind}_{mun.code}")
        else:
            st.caption("Nog maar één periode met een waarde: een verloop is er pas na het inlezen van nieuwe cijfers.")
        st.caption(f"Bron: {md(monitor.sources(ind))}")

# the questions people come with, one click each (also on a phone, where the sidebar is folded away);
# under the figures, so that a phone's first screen shows a figure
tasks = st.columns(3)
tasks[0].page_link("pages/trends.py", label=f"Trend van {md(monitor.indicator(choice.indicator)['name'])}: tegen "
                   f"Nederland, de provincie en het doel →")
tasks[1].page_link("pages/postcodegebieden.py", label="Welke postcodegebieden zijn hoog, en is dat meer dan toeval? →")
tasks[2].page_link("pages/evaluatie.py", label="Basis tegenover laatste waarde per indicator, om te downloaden →")
st.page_link("pages/vergelijkbaar.py", label=f"Hoe staat {md(mun.name)} ervoor tussen vergelijkbare gemeenten? →")
