"""Postcodegebieden: where is the indicator high, and is that more than chance?"""

import pandas as pd
import streamlit as st

from ks_data import (
    fmt,
    funnel,
    funnel_data,
    member_table,
    municipality_geojson,
    numeric_rows,
    postcode_geojson,
    postcode_table,
)
from ks_ui.components import chart, definition_caption, header, show_table, shown_value
from ks_ui.figures import funnel_figure, postcode_map
from ks_ui.safe import md
from ks_ui.shell import page_choice
from ks_ui.state import get_monitor
from ks_ui.style import FUNNEL_SYMBOL, verdict_text

choice = page_choice()
monitor = get_monitor(choice)
mun = monitor.municipality
meta = monitor.indicator(choice.indicator)
unit = meta["unit"]
header(monitor, f"Postcodegebieden: {meta['name']}")

# a coalition of several municipalities: its members one level down, their postcode areas below them
members = mun.is_coalition and st.radio(
    "Gebieden", ["gemeenten", "postcodegebieden"], horizontal=True, key="pc_niveau",
    format_func=lambda v: "de gemeenten van de coalitie" if v == "gemeenten" else "de postcodegebieden",
    help="Een coalitie van meer gemeenten: kies de gemeenten of hun postcodegebieden.") == "gemeenten"
word, words = ("gemeente", "gemeenten") if members else ("postcodegebied", "postcodegebieden")


def area_table(against: str):
    return member_table(monitor, choice.indicator, against) if members else postcode_table(monitor, choice.indicator,
                                                                                                  against)


# a comparison needs counts: without any, the choice would change nothing, so it is shown disabled with the reason
testable = area_table("gemeente")["numerator"].notna().any()
own_name = f"de coalitie {mun.name}" if mun.is_coalition else f"de gemeente {mun.name}"
against = st.radio(f"Vergelijk elk{'e' if members else ''} {word} met", ["gemeente", "NL01"], horizontal=True,
                   key="pc_vergelijk", format_func=lambda v: md(own_name) if v == "gemeente" else "Nederland",
                   disabled=not testable,
                   help=None if testable else f"Niet te kiezen: de bron geeft voor deze indicator geen aantallen per "
                                              f"{word}, dus er valt niets te toetsen.")
benchmark_name = mun.name if against == "gemeente" else "Nederland"
table = area_table(against)
highlight = choice.area if choice.area in set(table["area_code"]) else None
period = table.attrs.get("period_label") or "–"
if members:
    st.write(f"Periode **{md(period)}**: de laatste periode van elke gemeente, opgeteld tot de coalitie "
             f"{md(mun.name)}.")
else:
    st.write(f"Periode **{md(period)}**. Postcodegebieden worden alleen over vaste blokken van "
             f"{monitor.settings.postcode_block_years} jaar getoond, zodat elk gebied meer aantallen heeft en een "
             f"klein aantal niet uit losse jaren terug te rekenen is.")

if table["value"].isna().all() and not table["suppressed"].any():
    st.info(f"Voor {md(meta['name'])} zijn er in deze gegevens geen cijfers per {word}. "
            f"Kies een andere indicator, of de voorbeelddata om deze pagina te verkennen.")

geo = municipality_geojson(list(mun.members)) if members else postcode_geojson(list(mun.postcode_areas))
source = monitor.sources(choice.indicator)
summary = "; ".join(f"{r.name}: {shown_value(pd.Series(r._asdict()), unit)} ({r.verdict})"
                    for r in table.itertuples() if pd.notna(r.value) or r.suppressed) or "geen waarden"
if geo is None:
    st.warning(f"Voor deze gemeente zijn geen grenzen van {words} beschikbaar; de cijfers staan hieronder "
               "in de tabel.")
else:
    tested = (table["verdict"] != "niet te beoordelen").any()
    coloured = f"oordeel ten opzichte van {benchmark_name}" if tested else "waarde (niet getoetst: geen aantallen)"
    chart(postcode_map(geo, table, meta, benchmark_name, highlight, source, monitor.bundle.is_example),
          alt=md(f"Kaart van de {words} van {mun.name}, gekleurd naar {coloured}. {summary}."),
          key="pc_map", filename=f"kaart_{choice.indicator}")
    definition_caption(meta, source)

rows = []
for r in table.itertuples():
    row = pd.Series(r._asdict())
    marker = " ◀ gekozen" if r.area_code == highlight else ""
    # the verdict beside the value (a phone shows the first columns); a hidden figure says so in one short word,
    # its reason once under the table
    rows.append({word.capitalize(): f"{r.name}{marker}",
                 "Waarde": "verborgen*" if r.suppressed else shown_value(row, unit),
                 f"Oordeel t.o.v. {benchmark_name}": verdict_text(r.verdict),
                 "Trechter": f"{FUNNEL_SYMBOL.get(r.funnel, '')} {r.funnel}".strip() if r.funnel else "–",
                 "95%-interval": fmt.interval(r.ci_low, r.ci_high, unit),
                 "Noemer": fmt.integer(r.denominator),
                 "Toelichting": r.note if isinstance(r.note, str) and not r.suppressed else ""})
show_table(pd.DataFrame(rows), f"{meta['name']} per {word}, hoogste eerst", monitor,
           f"{'gemeenten' if members else 'postcode'}_{choice.indicator}", "pc_table",
           download=numeric_rows(table, monitor.area_name, benchmark_name))
if table["suppressed"].any():
    st.caption(md(f"* {table.loc[table['suppressed'], 'hidden'].iloc[0]}"))

points, curve, p0 = funnel_data(monitor, choice.indicator, against, members)
st.subheader("Meer dan toeval?", anchor=False)
if points.empty:
    why = (f"het cijfer van {md(benchmark_name)} voor deze periode is verborgen of ontbreekt, en het midden van de "
           f"trechter zou het tonen" if table["numerator"].notna().any() else
           f"een trechter vraagt aantallen (teller en noemer) per {word}; die geeft deze bron niet")
    st.info(f"Geen trechter: {why}. Verschillen tussen gebieden zijn daarom hier niet te toetsen.")
else:
    outside = funnel.outside(points)
    text = ("Buiten de trechter: " + ", ".join(f"{r.name} ({r.funnel})" for r in outside.itertuples())
            if len(outside) else "Alle getoonde gebieden liggen binnen de trechter: de verschillen passen bij toeval.")
    st.write(f"De trechter ligt rond de waarde van **{md(benchmark_name)}**, de vergelijking die hierboven is gekozen.")
    chart(funnel_figure(points, curve, p0, meta, highlight, source, monitor.bundle.is_example,
                        f"{benchmark_name} ({period})"),
          alt=md(f"Trechterdiagram van {meta['name']} per {word} tegen het aantal {meta['denominator']}. "
                 f"{text}"), key="pc_funnel", filename=f"trechter_{choice.indicator}")
    st.markdown(md(funnel.chance_sentence(len(points))))
