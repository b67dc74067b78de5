"""Trends: one indicator over time against NL, the province, the plan's baseline and target zone."""

import pandas as pd
import streamlit as st

from ks_data import fmt
from ks_data.stats.suppression import apply_suppression
from ks_ui.components import chart, header, show_table, source_line
from ks_ui.figures import trend_figure
from ks_ui.shell import page_choice
from ks_ui.state import get_monitor

choice = page_choice()
monitor = get_monitor(choice)
mun = monitor.municipality
meta = monitor.indicator(choice.indicator)
unit = meta["unit"]
area = choice.area
header(monitor, f"Trend: {meta['name']}")
st.write(f"{monitor.area_name(area)} door de tijd, met Nederland, de provincie en de basiswaarde van het plan.")

own = apply_suppression(monitor.series(choice.indicator, area))  # hidden years stay as gaps
dated = own[own["period_end"].notna() & own["value"].notna()]
if len(dated) < 2:
    st.info(f"Voor **{meta['name']}** in {monitor.area_name(area)} is er maar "
            f"{'één periode' if len(own) else 'geen periode'} met een waarde in deze gegevens"
            f"{' (' + own['period_label'].iloc[-1] + ')' if len(own) else ''}; een trendlijn kan pas "
            f"getekend worden als er nieuwe perioden zijn ingelezen. Kies bij 'Gegevens' de voorbeelddata om te "
            f"zien hoe deze pagina er dan uitziet.")
    if len(own):
        codes = list(dict.fromkeys([area, mun.code, mun.province, "NL01"]))
        rows = pd.concat([monitor.series(choice.indicator, code) for code in codes])
        table = pd.DataFrame({"Gebied": rows["area_code"].map(monitor.area_name), "Periode": rows["period_label"],
                              "Waarde": rows["value"].map(lambda v: fmt.value(v, unit)), "Bron": rows["source"],
                              "Toelichting": rows["note"]})
        show_table(table, "Beschikbare waarden", monitor, f"{choice.indicator}_{area}", "trend_table_single")
    st.stop()

col_options, _ = st.columns([2, 1])
with col_options:
    show_ci = st.toggle("Toon betrouwbaarheidsintervallen", value=True, key="trends_ci")
    show_pc = st.toggle("Toon ook de postcodegebieden", value=False, key="trends_pc",
                        disabled=area != mun.code)

lines = [(monitor.area_name(area), "area", dated)]
province_rows = monitor.series(choice.indicator, mun.province)
lines.append(("Nederland", "NL01", monitor.series(choice.indicator, "NL01")))
if area != mun.code:
    lines.append((mun.name, "extra", apply_suppression(monitor.series(choice.indicator, mun.code))))
lines.append((monitor.area_name(mun.province), "provincie", province_rows))
if show_pc and area == mun.code:
    for pc in mun.postcode_areas:
        rows = apply_suppression(monitor.series(choice.indicator, pc))
        if rows["value"].notna().any():
            lines.append((monitor.area_name(pc), "extra", rows))

result = monitor.target(choice.indicator, area)
baseline = result.baseline["value"] if result.baseline is not None else None
fig = trend_figure(lines, meta, baseline=baseline,
                   baseline_label=result.baseline["period_label"] if result.baseline is not None else "",
                   plan_start=mun.plan_start, review_years=mun.review_years,
                   source=source_line(monitor, choice.indicator), example=monitor.bundle.is_example, show_ci=show_ci)
first, last = dated.iloc[0], dated.iloc[-1]
trend = monitor.trend(choice.indicator, area)
alt = (f"Lijngrafiek van {meta['name']} in {monitor.area_name(area)}: {fmt.value(first['value'], unit)} in "
       f"{first['period_label']} en {fmt.value(last['value'], unit)} in {last['period_label']}. "
       f"Trend: {trend.marker}. Doel van het plan: {result.label}.")
chart(fig, alt, key="trend_chart", filename=f"trend_{choice.indicator}_{area}")

c1, c2 = st.columns(2)
with c1:
    st.markdown(f"**Trend (laatste 5 jaar):** {trend.marker}")
    if trend.reason:
        st.caption(trend.reason)
    elif trend.chi2 is not None:
        st.caption(f"Chi-kwadraat voor trend {fmt.number(trend.chi2, 2)} over "
                   f"{trend.years[0]}–{trend.years[-1]}; grens 9,55 (99,8%).")
with c2:
    st.markdown(f"**Doel van het plan:** {result.label}")
    if result.baseline is not None and result.latest is not None:
        st.caption(f"Basis {result.baseline['period_label']}: {fmt.value(result.baseline['value'], unit)}; "
                   f"laatste {result.latest['period_label']}: {fmt.value(result.latest['value'], unit)}.")
    if result.low is not None:
        what = "verschil" if result.measure == "verschil" else "verhouding laatste/basis"
        st.caption(f"95%-interval van het {what}: {fmt.number(result.low, 2)} tot {fmt.number(result.high, 2)}"
                   f"{' ' + ('per 1000' if unit == 'per1000' else 'procentpunt') if result.measure == 'verschil' else ''}.")
    if result.reason:
        st.caption(result.reason)

rows = []
for name, _, series in lines:
    for r in series[series["period_end"].notna()].itertuples():
        rows.append({"Gebied": name, "Periode": r.period_label, "Waarde": fmt.value(r.value, unit),
                     "95%-interval": fmt.interval(r.ci_low, r.ci_high, unit),
                     "Teller": fmt.integer(r.numerator), "Noemer": fmt.integer(r.denominator)})
show_table(pd.DataFrame(rows), f"Cijfers achter de grafiek ({meta['name']})", monitor,
           f"trend_{choice.indicator}_{area}", "trend_table")
