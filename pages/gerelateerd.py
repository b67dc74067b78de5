"""Gerelateerde cijfers: the plan's related indicators by group, the municipality against NL and the province."""

import pandas as pd
import streamlit as st

from ks_data import fmt
from ks_data.catalogue import GROUPS, PHASES
from ks_ui.components import chart, header, show_table, source_line, verdict_line
from ks_ui.figures import dot_chart
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

related = monitor.catalogue[~monitor.catalogue["core"]]
for group in GROUPS[1:]:
    inds = related[related["group"] == group]
    if inds.empty:
        continue
    st.header(group.capitalize())
    rows, lines = [], []
    for ind, meta in inds.iterrows():
        latest = monitor.latest(ind, mun.code, "NL01")
        if latest is None:
            continue
        pv = monitor.value_for(ind, mun.province, latest["period_label"])
        rows.append({"name": meta["name"], "value": latest["value"], "nl": latest["benchmark_value"],
                     "pv": pv["value"] if pv is not None else float("nan"), "verdict": latest["verdict"],
                     "unit": meta["unit"]})
        lines.append({"Indicator": meta["name"], "Fase": PHASES[meta["phase"]], "Periode": latest["period_label"],
                      mun.name: fmt.value(latest["value"], meta["unit"]),
                      "Nederland": fmt.value(latest["benchmark_value"], meta["unit"]),
                      province: fmt.value(pv["value"] if pv is not None else None, meta["unit"]),
                      "Oordeel t.o.v. Nederland": verdict_line(latest, meta["unit"], "Nederland").split(" — ", 1)[-1]})
    if not rows:
        st.info("Geen gegevens voor deze groep.")
        continue
    frame = pd.DataFrame(rows)
    alt = "; ".join(f"{r['name']}: {mun.name} {fmt.value(r['value'], r['unit'])}, Nederland "
                    f"{fmt.value(r['nl'], r['unit'])} ({verdict_text(r['verdict'])})" for r in rows)
    chart(dot_chart(frame, source_line(monitor, inds.index[0]), monitor.bundle.is_example, group.capitalize()),
          alt=alt, key=f"dots_{group}", filename=f"gerelateerd_{group.replace(' ', '_')}")
    show_table(pd.DataFrame(lines), f"{group.capitalize()}: cijfers", monitor, f"gerelateerd_{group}",
               f"rel_table_{group}")

st.header("Postcodegebieden die op meerdere indicatoren hoog scoren")
flags = monitor.postcode_flags()
if flags.empty:
    st.info("In deze gegevens zijn er geen cijfers per postcodegebied met aantallen; zodra die er zijn, toont "
            "deze tabel welke gebieden op meerdere indicatoren slechter scoren dan de gemeente.")
else:
    worse = flags[flags["verdict"].isin(["slechter", "duidelijk slechter"])]
    names = dict(zip(monitor.catalogue.index, monitor.catalogue["name"]))
    summary = (flags.assign(worse=flags["verdict"].isin(["slechter", "duidelijk slechter"]))
               .groupby(["area_code", "name"], as_index=False)
               .agg(n_worse=("worse", "sum"), n_known=("value", "count")))
    summary["Slechter dan de gemeente op"] = summary["area_code"].map(
        lambda a: ", ".join(names[i] for i in worse.loc[worse["area_code"] == a, "indicator_id"]) or "–")
    summary = summary.sort_values(["n_worse", "area_code"], ascending=[False, True])
    table = summary.rename(columns={"name": "Postcodegebied", "n_worse": "Aantal indicatoren slechter",
                                    "n_known": "Indicatoren met een waarde"})[
        ["Postcodegebied", "Aantal indicatoren slechter", "Indicatoren met een waarde", "Slechter dan de gemeente op"]]
    show_table(table, "Stapeling per postcodegebied (laatste periode, getoetst tegen de gemeente)", monitor,
               "stapeling_postcode", "stack_table")
