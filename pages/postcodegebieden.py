"""Postcodegebieden: where is the indicator high, and is that more than chance?"""

import pandas as pd
import streamlit as st

from ks_data import fmt
from ks_data.config import data_dir
from ks_ui.components import chart, header, show_table, source_line
from ks_ui.figures import funnel_figure, postcode_geojson, postcode_map
from ks_ui.shell import page_choice
from ks_ui.state import get_monitor
from ks_ui.style import FUNNEL_SYMBOL, verdict_text

choice = page_choice()
monitor = get_monitor(choice)
mun = monitor.municipality
meta = monitor.indicator(choice.indicator)
unit = meta["unit"]
header(monitor, f"Postcodegebieden: {meta['name']}")

against = st.radio("Vergelijk elk postcodegebied met", ["gemeente", "NL01"], horizontal=True, key="pc_vergelijk",
                   format_func=lambda v: f"de gemeente {mun.name}" if v == "gemeente" else "Nederland")
benchmark_name = mun.name if against == "gemeente" else "Nederland"
table = monitor.postcode_table(choice.indicator, against)
highlight = choice.area if choice.area in mun.postcode_areas else None
period = table.attrs.get("period_label") or "–"
pooling = table.attrs.get("pooling")
st.write(f"Periode **{period}**" + (f" — {pooling}, zodat elk gebied genoeg aantallen heeft." if pooling and
                                    pooling != "losse jaren" else "."))

if table["value"].isna().all():
    st.info(f"Voor {meta['name']} zijn er in deze gegevens geen cijfers per postcodegebied. "
            f"Kies een andere indicator, of de voorbeelddata om deze pagina te verkennen.")

geo = postcode_geojson(data_dir() / "geo" / "pc4.geojson", list(mun.postcode_areas))
source = source_line(monitor, choice.indicator)
shown = table[table["value"].notna()]
summary = "; ".join(f"{r.name}: {fmt.value(r.value, unit)} ({r.verdict})" for r in shown.itertuples()) or "geen waarden"
if geo is None:
    st.warning("Voor deze gemeente zijn geen grenzen van postcodegebieden beschikbaar; de cijfers staan hieronder "
               "in de tabel.")
else:
    tested = (table["verdict"] != "niet te beoordelen").any()
    coloured = f"oordeel ten opzichte van {benchmark_name}" if tested else "waarde (niet getoetst: geen aantallen)"
    chart(postcode_map(geo, table, meta, benchmark_name, highlight, source, monitor.bundle.is_example),
          alt=f"Kaart van de postcodegebieden van {mun.name}, gekleurd naar {coloured}. {summary}.",
          key="pc_map", filename=f"kaart_{choice.indicator}")

rows = []
for r in table.itertuples():
    if r.suppressed:
        value, ci = "verborgen (<10)", "–"
    else:
        value, ci = fmt.value(r.value, unit), fmt.interval(r.ci_low, r.ci_high, unit)
    marker = " ◀ gekozen" if r.area_code == highlight else ""
    rows.append({"Postcodegebied": f"{r.name}{marker}", "Waarde": value, "95%-interval": ci,
                 "Noemer": fmt.integer(r.denominator) if pd.notna(r.denominator) else "–",
                 f"Oordeel t.o.v. {benchmark_name}": verdict_text(r.verdict),
                 "Trechter": f"{FUNNEL_SYMBOL.get(r.funnel, '')} {r.funnel}".strip() if r.funnel else "–",
                 "Toelichting": r.suppression_reason if r.suppressed else (r.note if isinstance(r.note, str) else "")})
show_table(pd.DataFrame(rows), f"{meta['name']} per postcodegebied, hoogste eerst", monitor,
           f"postcode_{choice.indicator}", "pc_table")
if table["suppressed"].any():
    st.caption("'verborgen (<10)': te kleine aantallen om te tonen, of verborgen zodat een klein aantal niet uit "
               "het gemeentetotaal terug te rekenen is.")

points, curve, p0 = monitor.funnel_data(choice.indicator)
st.subheader("Meer dan toeval?")
if points.empty:
    st.info("Een trechter (funnel plot) vraagt aantallen (teller en noemer) per postcodegebied; die geeft deze "
            "bron niet. Verschillen tussen gebieden zijn daarom niet te toetsen.")
else:
    outside = points[points["funnel"].str.startswith(("hoog", "laag"))]
    text = ("Buiten de trechter: " + ", ".join(f"{r.name} ({r.funnel})" for r in outside.itertuples())
            if len(outside) else "Alle getoonde gebieden liggen binnen de trechter: de verschillen passen bij toeval.")
    chart(funnel_figure(points, curve, p0, meta, highlight, source, monitor.bundle.is_example, mun.name),
          alt=f"Trechterdiagram van {meta['name']} per postcodegebied tegen het aantal. {text}",
          key="pc_funnel", filename=f"trechter_{choice.indicator}")
