"""Landelijk beeld: every municipality of the country or of a province, against the Netherlands."""

import pandas as pd
import streamlit as st

from ks_data import fmt, funnel, load_bundle_meta, municipality_geojson, numeric_rows
from ks_data.vocab import EXAMPLE_MARK, VERDICTS
from ks_ui.components import definition_caption, download_table, shown_value
from ks_ui.dutch import hyphenated, plotly_config
from ks_ui.national_figures import municipality_funnel, municipality_map
from ks_ui.safe import md, md_table
from ks_ui.shell import page_choice
from ks_ui.state import get_national, open_municipality
from ks_ui.style import FUNNEL_SYMBOL, verdict_text

SORTS = {"waarde, hoogste eerst": (["value"], False), "waarde, laagste eerst": (["value"], True),
         "naam": (["name"], True), "grootte (noemer), grootste eerst": (["denominator"], False),
         "oordeel, slechtste eerst": (["_verdict_rank", "value"], True)}


def open_clicked(choice, event) -> None:
    """A click on a municipality's dot (map or funnel) opens its pages."""
    picked = [p.get("customdata") for p in (event.selection.points if event else []) if p.get("customdata")]
    if picked:
        open_municipality(choice, str(picked[0]))


choice = page_choice()
bundle = load_bundle_meta(choice.bundle)
national = get_national(choice.bundle)
meta = national.catalogue.loc[choice.indicator]
unit = meta["unit"]
st.title(hyphenated(md(f"Landelijk beeld: {meta['name']}")), anchor=False)
st.caption(f"Alle gemeenten in de gegevens, vergeleken met Nederland · gegevens: **{md(bundle.title)}**")
if bundle.is_example:
    st.warning(f"**{EXAMPLE_MARK}.** Deze pagina toont verzonnen cijfers om de vergelijking te laten zien.", icon="⚠️")

areas = national.areas
provinces = [p for p in areas.index[areas["level"] == "provincie"] if (national.table["province"] == p).any()]
names = dict(zip(areas["area_code"], areas["name"]))
left, right = st.columns(2)
region = left.selectbox("Land of provincie", ["NL01", *provinces], key="landelijk_regio",
                        format_func=lambda c: "heel Nederland" if c == "NL01" else f"provincie {names.get(c, c)}")
periods = national.periods(choice.indicator)
if not periods:
    st.info(f"Voor {md(meta['name'])} zijn er in deze gegevens geen cijfers per gemeente. Kies een andere "
            f"indicator.")
    st.stop()
period = right.selectbox("Periode", periods[::-1], key="landelijk_periode",
                         help="De meest recente periode staat bovenaan.")
table = national.municipalities(choice.indicator, period, region)
where = "Nederland" if region == "NL01" else names.get(region, region)
counts = table["verdict"].astype(str).value_counts()
summary = ", ".join(f"{counts[v]} {verdict_text(v)}" for v in VERDICTS if counts.get(v))
hidden = int(table["suppressed"].sum())
word = "gemeente" if len(table) == 1 else "gemeenten"
st.write(f"**{len(table)} {word}** in {md(where)}, periode **{md(period)}**, elk vergeleken met Nederland: "
         f"{md(summary)}. {hidden} cijfers zijn verborgen omdat ze op kleine aantallen rusten of een klein aantal "
         f"zouden verraden.")
sources = "; ".join(sorted(set(table["source"].dropna().astype(str)))) or "–"

# ---- map: a click on a municipality opens its pages --------------------------------------------------
geo = municipality_geojson(list(table["area_code"]))
if geo is None:
    st.warning("Er zijn geen gemeentegrenzen beschikbaar; de cijfers staan hieronder in de tabel.")
else:
    fig = municipality_map(geo, table, meta, sources, bundle.is_example,
                           f"{meta['name']} per gemeente vergeleken met Nederland ({period})")
    event = st.plotly_chart(fig, key="landelijk_kaart", on_select="rerun", selection_mode="points",
                            config=plotly_config(f"kaart_gemeenten_{choice.indicator}"))
    st.caption(md(f"Kaart van de gemeenten in {where}, gekleurd naar hun oordeel ten opzichte van Nederland: "
                  f"{summary}. Klik op de stip van een gemeente om haar pagina's te openen."))
    definition_caption(meta, sources)
    open_clicked(choice, event)

# ---- funnel ----------------------------------------------------------------------------------------------
st.subheader("Meer dan toeval?", anchor=False)
points, curve, p0 = national.funnel_data(choice.indicator, period, region)
if points.empty:
    st.info("Geen trechter: er zijn geen aantallen per gemeente, of het landelijke cijfer voor deze periode "
            "ontbreekt of is verborgen.")
else:
    outside = funnel.outside(points)
    fig = municipality_funnel(points, curve, p0, meta, sources, bundle.is_example, f"Nederland ({period})")
    event = st.plotly_chart(fig, key="landelijk_trechter", on_select="rerun", selection_mode="points",
                            config=plotly_config(f"trechter_gemeenten_{choice.indicator}"))
    st.caption(md(f"Trechterdiagram van {meta['name']} per gemeente tegen het aantal {meta['denominator']}, rond "
                  f"de waarde van Nederland. {len(outside)} van de {len(points)} gemeenten liggen buiten de "
                  f"95%-grenzen. Klik op een stip om die gemeente te openen."))
    st.markdown(md(funnel.chance_sentence(len(points))))
    open_clicked(choice, event)

# ---- sortable table --------------------------------------------------------------------------------------
st.subheader("Alle gemeenten", anchor=False)
order = st.selectbox("Sorteer op", list(SORTS), key="landelijk_sortering")
columns, ascending = SORTS[order]
worst_first = {v: i for i, v in enumerate(reversed(VERDICTS[:-1]))}  # "niet te beoordelen" last
ranked = table.assign(_verdict_rank=table["verdict"].astype(str).map(worst_first).fillna(len(VERDICTS)))
ranked = ranked.sort_values(columns, ascending=ascending, na_position="last", kind="stable")
rows = pd.DataFrame({
    "Gemeente": ranked["name"], "Provincie": ranked["province"].map(names),
    "Waarde": [shown_value(pd.Series(r._asdict()), unit) for r in ranked.itertuples()],
    "95%-interval": [fmt.interval(lo, hi, unit) for lo, hi in zip(ranked["ci_low"], ranked["ci_high"])],
    "Noemer": [fmt.integer(n) for n in ranked["denominator"]],
    "Oordeel t.o.v. Nederland": [verdict_text(v) for v in ranked["verdict"]],
    "Trechter": [f"{FUNNEL_SYMBOL.get(f, '')} {f}".strip() if f else "–" for f in ranked["funnel"]]})
caption = f"{meta['name']} per gemeente in {where}, {period}, gesorteerd op {order}"
st.markdown(f"**{md(caption + (' — ' + EXAMPLE_MARK if bundle.is_example else ''))}**")
shown = md_table(rows)
st.table(shown.set_index(shown.columns[0]))
download_table(numeric_rows(ranked, lambda c: names.get(c, c), "Nederland"), f"gemeenten_{choice.indicator}",
               bundle.is_example, "landelijk_download")

codes = list(table.sort_values("name")["area_code"])
pick = st.selectbox("Open de pagina's van gemeente", codes, format_func=lambda c: names.get(c, c),
                    key="landelijk_open", index=None, placeholder="Kies een gemeente")
if st.button("Pagina's openen", key="landelijk_openen", disabled=pick is None):
    open_municipality(choice, pick)
