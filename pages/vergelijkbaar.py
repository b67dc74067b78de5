"""Vergelijkbare gemeenten: the municipality against municipalities like it, with its rank and the group listed."""

import pandas as pd
import streamlit as st

from ks_data import fmt
from ks_ui.components import header, show_table, shown_value, verdict_line
from ks_ui.safe import md
from ks_ui.shell import page_choice
from ks_ui.state import get_monitor, get_similar

choice = page_choice()
monitor = get_monitor(choice)
mun = monitor.municipality
meta = monitor.indicator(choice.indicator)
unit = meta["unit"]
header(monitor, f"Vergelijkbare gemeenten: {meta['name']}")
similar = get_similar(choice)
group = similar.group
if similar.chosen_by == "ingesteld":
    st.write(f"De groep is in de configuratie van {md(mun.name)} vastgelegd ({len(group)} gemeenten).")
else:
    st.write(f"De {len(group)} gemeenten die in grootte (inwoners) en stedelijkheid (inwoners per km²) het meest op "
             f"{md(mun.name)} lijken, berekend uit het gebiedenregister en de CBS-grenzen (zie 'Over de data').")
if group.empty:
    st.info(f"Voor {md(mun.name)} is geen vergelijkingsgroep te berekenen: inwoners of oppervlakte ontbreken.")
    st.stop()

rows, summary = similar.compare(monitor, choice.indicator)
period = summary["period_label"]
me = monitor.latest(choice.indicator, mun.code, "NL01")
if period is None:
    st.info(f"Voor {md(meta['name'])} heeft {md(mun.name)} in deze gegevens geen cijfer.")
else:
    st.markdown(f"**Periode {md(period)}** (de laatste van {md(mun.name)}): {md(mun.name)} "
                f"{md(shown_value(me, unit))}.")
    if summary["rank"] is not None:
        st.markdown(f"**Plaats {summary['rank']} van {summary['ranked']}** onder {md(mun.name)} en de vergelijkbare "
                    f"gemeenten met een getoond cijfer (1 = {'laagste' if meta['polarity'] == 'lower' else 'hoogste'} "
                    f"waarde, de gunstigste).")
    else:
        st.markdown("**Geen plaats:** het eigen cijfer is verborgen of ontbreekt.")
    group_row = summary["group_row"]
    if group_row is not None:
        row = pd.Series({"benchmark_value": group_row["value"], "benchmark_decimals": group_row["decimals"],
                         "verdict": summary["verdict"], "suppressed": me["suppressed"], "value": me["value"]})
        st.markdown("- " + md(verdict_line(row, unit, "Vergelijkbare gemeenten samen")))
        st.caption(f"Samen: {fmt.integer(group_row['numerator'])} van {fmt.integer(group_row['denominator'])} "
                   f"({md(meta['denominator'])}); 95%-interval {fmt.interval(group_row['ci_low'], group_row['ci_high'], unit)}.")
    else:
        st.markdown(f"- Vergelijkbare gemeenten samen: geen cijfer — {md(summary['why'])}.")

table = pd.DataFrame({
    "Gemeente": group["name"].astype(str),
    "Provincie": [monitor.area_name(p) for p in group["province"]],
    "Inwoners": [fmt.integer(v) for v in group["inhabitants"]],
    "Inwoners per km²": [fmt.integer(v) for v in group["density"]],
    "Afstand": [fmt.number(v, 2) if pd.notna(v) else "ingesteld" for v in group["distance"]],
    f"Waarde {period or ''}".strip(): ["verborgen*" if s else shown_value(pd.Series(r), unit) if p else "geen cijfer"
                                      for s, r, p in zip(rows["suppressed"], rows.to_dict("records"), rows["present"])],
    "95%-interval": [fmt.interval(lo, hi, unit) for lo, hi in zip(rows["ci_low"], rows["ci_high"])],
})
show_table(table, f"Vergelijkbare gemeenten van {mun.name}, meest gelijkend eerst", monitor,
           f"vergelijkbaar_{choice.indicator}", "similar_table")
if rows["suppressed"].any():
    st.caption(md(f"* {rows.loc[rows['suppressed'], 'hidden'].iloc[0]}"))
st.caption("Afstand: hoe ver een gemeente in grootte en stedelijkheid van de eigen gemeente ligt, in "
           "standaardafwijkingen (0 = gelijk). Een coalitie kan de groep zelf vastleggen in haar configuratie.")
