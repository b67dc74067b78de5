"""Trends: one indicator over time against NL, the province, the plan's baseline and target zone."""

import pandas as pd
import streamlit as st

from ks_data import fmt, no_line_note, numeric_rows, trend_lines
from ks_ui.components import chart, definition_caption, header, show_table, shown_value
from ks_ui.figures import trend_figure, with_gaps
from ks_ui.safe import md
from ks_ui.shell import page_choice
from ks_ui.state import get_monitor
from ks_ui.style import target_heading, target_text

choice = page_choice()
monitor = get_monitor(choice)
mun = monitor.municipality
meta = monitor.indicator(choice.indicator)
unit = meta["unit"]
area = choice.area
header(monitor, f"Trend: {meta['name']}")
region = f", de regio ({md(monitor.area_name(mun.region))})" if mun.region else ""
st.write(f"{md(monitor.area_name(area))} door de tijd, met Nederland, de provincie{region} en de basiswaarde van het "
         f"plan.")
if monitor.is_postcode(area):
    st.caption(f"Postcodegebieden worden alleen per blok van {monitor.settings.postcode_block_years} jaar getoond, "
               f"zodat kleine aantallen niet uit losse jaren terug te rekenen zijn.")

col_options, _ = st.columns([2, 1])
with col_options:
    show_ci = st.toggle("Toon betrouwbaarheidsintervallen", value=True, key="trends_ci")
    show_pc = st.toggle("Toon ook de gemeenten van de coalitie" if mun.is_coalition else "Toon ook de postcodegebieden",
                        value=False, key="trends_pc", disabled=area != mun.code)
lines = trend_lines(monitor, choice.indicator, area, with_postcodes=show_pc and area == mun.code)
own = lines[0][2]
def _dated(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[rows["period_end"].notna() & rows["value"].notna()]


dated = _dated(own)
result = monitor.target(choice.indicator, area)
trend = monitor.trend(choice.indicator, area)

if len(dated) < 2:
    st.info(md(no_line_note(monitor, choice.indicator, area, own)))
drawable = [name for name, _, rows in lines if len(_dated(rows)) >= 2]
if drawable:  # benchmarks with a line of their own are drawn even when the own area has none yet
    fig = trend_figure(lines, meta, target=result, plan_start=mun.plan_start, review_moments=mun.review_moments,
                       source=monitor.sources(choice.indicator), example=monitor.bundle.is_example, show_ci=show_ci)
    gaps = own[own["suppressed"]]
    if len(dated) >= 2:
        first, last = dated.iloc[0], dated.iloc[-1]
        alt = (f"Lijngrafiek van {meta['name']} in {monitor.area_name(area)}: {shown_value(first, unit)} in "
               f"{first['period_label']} en {shown_value(last, unit)} in {last['period_label']}. "
               f"Trend: {trend.marker}. {target_heading(mun.target_rule(choice.indicator))}: {result.text}."
               + (f" Verborgen (open plek in de lijn): {', '.join(gaps['period_label'])}." if len(gaps) else ""))
    else:
        alt = (f"Lijngrafiek van {meta['name']} voor {', '.join(drawable)}; {monitor.area_name(area)} heeft nog geen "
               f"lijn (zie de melding hierboven en de tabel).")
    chart(fig, md(alt), key="trend_chart", filename=f"trend_{choice.indicator}_{area}")
    definition_caption(meta, monitor.sources(choice.indicator))

c1, c2 = st.columns(2)
with c1:
    st.markdown(f"**Trend (vijf opeenvolgende jaren):** {md(trend.marker)}")
    if trend.reason:
        st.caption(md(trend.reason))
    elif trend.chi2 is not None:
        st.caption(f"Chi-kwadraat voor trend {fmt.number(trend.chi2, 2)} over "
                   f"{trend.years[0]}–{trend.years[-1]}; grens 9,55 (99,8%).")
with c2:
    st.markdown(f"**{target_heading(mun.target_rule(choice.indicator))}:** {md(target_text(result.status, result.text))}")
    if result.baseline is not None and result.latest is not None:
        st.caption(md(f"Basis {result.baseline['period_label']}: {shown_value(result.baseline, unit)}; laatste "
                      f"{result.latest['period_label']}: {shown_value(result.latest, unit)}."))
    if result.low is not None:
        if result.measure == "verschil":
            st.caption(f"95%-interval van het verschil: {fmt.difference(result.low, unit)} tot "
                       f"{fmt.difference(result.high, unit)}.")
        else:
            st.caption(f"95%-interval van de verhouding laatste/basis: {fmt.ratio(result.low)} tot "
                       f"{fmt.ratio(result.high)}.")
    if result.margin_fraction is not None and result.status != "followed":
        st.caption(f"Marge: een {'stijging' if meta['polarity'] == 'lower' else 'daling'} van hoogstens "
                   f"{fmt.number(result.margin_fraction * 100, 0)}% van de basiswaarde telt als stabiel. "
                   f"{md(mun.margin_note)}")
    if result.reason or result.indicative:
        st.caption(md("; ".join(t for t in [result.reason, result.indicative] if t)))

rows = []
for name, role, series in lines:
    if role == "area":  # open places in the own line are in the table too, with their reason
        series = pd.concat([series[series["period_end"].isna()], with_gaps(series[series["period_end"].notna()])])
    for r in series.itertuples():
        missing = pd.isna(r.value) and not r.suppressed and pd.isna(getattr(r, "source", None))
        rows.append({"Gebied": name, "Periode": r.period_label,
                     "Waarde": "geen cijfer in de bron" if missing else shown_value(pd.Series(r._asdict()), unit),
                     "95%-interval": fmt.interval(r.ci_low, r.ci_high, unit),
                     "Teller": fmt.integer(r.numerator), "Noemer": fmt.integer(r.denominator),
                     "Definitie": (r.definition if isinstance(r.definition, str) else "") or "zoals in de catalogus",
                     "Bron": r.source if isinstance(r.source, str) else "–",
                     "Toelichting": r.note if isinstance(r.note, str) else ""})
show_table(pd.DataFrame(rows), f"Cijfers achter de grafiek ({meta['name']})", monitor,
           f"trend_{choice.indicator}_{area}", "trend_table",
           download=numeric_rows(pd.concat([series for _, _, series in lines]), monitor.area_name, "Nederland"))
