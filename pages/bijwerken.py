"""Gegevens bijwerken: import a file with a preview, confirm as an editor, see the history, undo."""

import pandas as pd
import streamlit as st

from ks_data import (
    ConfigError,
    ReadError,
    ValidationError,
    fmt,
    half_years,
    load_plan,
    read_bytes,
    refresh,
    registrations,
    sheet_names,
    source_names,
    store,
    wide,
)
from ks_ui.auth import editor
from ks_ui.components import header, undo_with_confirmation
from ks_ui.safe import md, md_table
from ks_ui.shell import page_choice
from ks_ui.state import get_monitor

MAX_MB = 20  # also server.maxUploadSize in .streamlit/config.toml

choice = page_choice()
monitor = get_monitor(choice)
bundle = monitor.bundle.name
header(monitor, "Gegevens bijwerken")
st.write(f"Nieuwe cijfers toevoegen aan de gegevens '{md(monitor.bundle.title)}': eerst een voorvertoning, dan pas "
         f"opslaan. Elke wijziging wordt bewaard met wie, wanneer en welke bron, en kan worden teruggedraaid.")

who = editor()
if who:
    st.subheader("Bestand inlezen", anchor=False)
    upload = st.file_uploader("Bestand in het tabelformaat van de monitor (CSV of Excel)",
                              type=["csv", "tsv", "txt", "xlsx"], key="upload_file",
                              help="Kolommen: indicator_id, area_code, periode (period_label of period_start/"
                                   "period_end), value, unit; optioneel numerator, denominator, source, note.")
    mapping_file = st.file_uploader("Koppelbestand voor een brede export van een portaal (optioneel, .toml)",
                                    type=["toml"], key="upload_mapping",
                                    help="Zegt welke kolom de gebieden bevat en wat elke andere kolom is (periode "
                                         "of indicator); zie data/mappings/ voor voorbeelden.")
    if mapping_file is not None:  # said by the server, so the user (and a test) knows the file has arrived
        st.caption(f"Koppelbestand ontvangen: {md(mapping_file.name)}")
    source = st.text_input("Bron (voor rijen zonder bron)", key="upload_source",
                           placeholder="bijvoorbeeld: waarstaatjegemeente.nl, export 20-11-2026")
    if upload is not None:
        st.caption(f"Bestand ontvangen: {md(upload.name)}")  # said by the server, as for the mapping below
        data = upload.getvalue()
        sheets = sheet_names(data, upload.name)
        sheet = st.selectbox("Werkblad", sheets, key="upload_sheet") if len(sheets) > 1 else None
        if len(data) > MAX_MB * 1024 * 1024:
            st.error(f"Het bestand is groter dan {MAX_MB} MB; splits het of lees het in met de opdrachtregel.")
        elif st.button("Voorvertoning maken", key="upload_preview"):
            try:
                if mapping_file is not None:
                    mapping = wide.parse_mapping(mapping_file.getvalue().decode("utf-8-sig"), mapping_file.name)
                    long = wide.to_long(data, upload.name, mapping)
                    result = store.preview(bundle, long, source=source.strip() or mapping.source or upload.name,
                                           trace=lambda problems, long=long: wide.trace(problems, long))
                else:
                    result = store.preview(bundle, read_bytes(data, upload.name, sheet),
                                           source=source.strip() or upload.name)
                st.session_state["upload_result"] = result
            except (ReadError, ValidationError, store.StoreError, wide.MappingError, UnicodeDecodeError) as err:
                st.session_state.pop("upload_result", None)
                st.error(md(err))
    result = st.session_state.get("upload_result")
    if result is not None and result.bundle == bundle:
        st.markdown(f"**Voorvertoning:** {md(result.summary())}.")
        columns = ["indicator_id", "area_code", "period_label", "value", "unit", "source"]
        if (result.added.get("definition", pd.Series(dtype=str)) != "").any():
            columns.append("definition")  # another definition than the catalogue's: said before storing
        if len(result.added):
            st.markdown("**Nieuw**")
            st.table(md_table(store.preview_rows(result.added[columns].head(200))))
        if len(result.changed):
            st.markdown("**Gewijzigd** (oude waarde → nieuwe waarde)")
            st.table(md_table(store.preview_rows(result.changed[[
                "indicator_id", "area_code", "period_label", "old_value", "old_source", "value", "source"]].head(200))))
        if result.refused:
            st.markdown(f"**Geweigerd: {len(result.refused)} regel(s).** Bij bevestigen worden deze overgeslagen; "
                        f"alleen de {len(result.added) + len(result.changed)} nieuwe en gewijzigde rijen hierboven "
                        f"worden opgeslagen. Herstel liever eerst het bestand als de geweigerde regels nodig zijn.")
            st.table(md_table(pd.DataFrame({"Reden": result.refused[:200]})))
        if not result.empty and st.button("Bevestigen en opslaan", type="primary", key="upload_apply"):
            try:
                entry = store.apply(result, who=who)
                st.session_state.pop("upload_result", None)
                st.success(f"Opgeslagen als wijziging {entry['id']}.")
            except (ValidationError, store.StoreError) as err:
                st.error(md(err))

if who:
    st.subheader("Open data verversen", anchor=False)
    names = source_names()
    st.caption("Haalt de bronnen uit data/sources.toml op bij CBS en RIVM (StatLine). Eerst een voorvertoning; "
               "lukt een bron niet, dan blijven de vorige gegevens staan. Bronnen: " + md(", ".join(names) or "geen"))
    if names and st.button("Verversen (voorvertoning)", key="refresh_preview"):
        bar = st.progress(0.0, text="Bronnen ophalen…")
        results = refresh(bundle, dry_run=True,
                          progress=lambda name, fraction: bar.progress(min(max(fraction, 0.0), 1.0), text=md(name)))
        st.session_state["refresh_results"] = results
    results = st.session_state.get("refresh_results") or []
    previews = [(n, r) for n, r in results if isinstance(r, store.Preview) and r.bundle == bundle]
    for name, result in results:
        if isinstance(result, store.Preview):
            st.markdown(f"- **{md(name)}**: {md(result.summary())}")
        else:
            st.markdown(f"- **{md(name)}**: niet bijgewerkt — {md(result)}")
    if any(not r.empty for _, r in previews) and st.button("Verversing bevestigen en opslaan", key="refresh_apply"):
        for name, result in previews:
            if not result.empty:
                try:
                    entry = store.apply(result, who=who)
                    st.success(f"{md(name)}: opgeslagen als wijziging {entry['id']}.")
                except (ValidationError, store.StoreError) as err:
                    st.error(f"{md(name)}: {md(err)}")
        st.session_state.pop("refresh_results", None)

st.subheader("Geschiedenis", anchor=False)
entries = store.history(bundle)
if not entries:
    st.caption("Deze gegevens zijn nog niet gewijzigd.")
else:
    table = store.history_rows(entries)
    st.table(md_table(table).set_index(md_table(table).columns[0]))
    if who:
        last = entries[-1]
        undo_with_confirmation(
            "history_undo", last["id"], "Laatste wijziging terugdraaien…",
            f"Wijziging {last['id']} ({md(last['action'])}: {md(last['detail'])}) terugdraaien? De gegevens gaan "
            f"terug naar de stand ervóór; ook dit komt in de geschiedenis en is weer terug te draaien.",
            "Ja, terugdraaien", lambda: f"Teruggedraaid: {md(store.undo(bundle, who=who)['detail'])}.", store.StoreError)


# ---- the coalition's registrations: entered and corrected here, with history and undo -------------------------
mun = monitor.municipality
try:
    plan = load_plan(mun)
except ConfigError as err:
    plan = None
    st.error(f"Het plan van {md(mun.name)} kan niet worden gelezen: {md(err)}")
st.subheader("Registraties van de coalitie", anchor=False)
if plan is None or not half_years(mun):
    st.caption(f"Voor {md(mun.name)} is geen plan met looptijd ingesteld; er valt niets te registreren.")
else:
    st.write("Per half jaar: de status van elke actie, het aantal keer dat een activiteit is gedaan en wat er is "
             "besteed. Een nieuwe registratie voor hetzelfde half jaar en onderdeel vervangt de vorige; de vorige "
             "blijft in de geschiedenis.")
    if who:
        kinds = {"actie": "status van een actie", "activiteit": "aantal van een activiteit",
                 "besteding": "besteding op een kostenpost"}
        kind = st.radio("Wat registreert u?", list(kinds), format_func=kinds.get, horizontal=True, key="reg_kind")
        options = registrations.items(plan, kind)
        with st.form("reg_form", clear_on_submit=False):
            half_year = st.selectbox("Half jaar", half_years(mun), key="reg_half_year")
            item = st.selectbox("Onderdeel", list(options), format_func=lambda i: f"{i}: {options[i]}"[:120],
                                key="reg_item")
            entry = {"kind": kind, "half_year": half_year, "id": item}
            if kind == "actie":
                entry["status"] = st.selectbox("Status", registrations.STATUSES, key="reg_status")
            elif kind == "activiteit":
                entry["count"] = st.text_input("Aantal", key="reg_count", placeholder="bijvoorbeeld 12")
            else:
                entry["spent_eur"] = st.text_input("Bedrag in euro (hele euro's)", key="reg_spent",
                                                   placeholder="bijvoorbeeld 1.500")
            entry["note"] = st.text_input("Toelichting (optioneel)", key="reg_note")
            if st.form_submit_button("Registratie vastleggen"):
                try:
                    row = registrations.record(mun, plan, entry, who)
                except (registrations.RegistrationError, ConfigError) as err:
                    st.error(md(err))
                else:
                    st.success(f"Vastgelegd: {md(row['half_year'])}, {md(row['kind'])} {md(row['id'])}.")
    events = registrations.history(mun)
    if events:
        shown = pd.DataFrame([{"Wanneer": fmt.moment(e["when"]), "Wie": e["who"],
                               "Wat": "vastgelegd" if e["action"] == "registratie" else "ongedaan gemaakt",
                               "Half jaar": e["row"]["half_year"], "Onderdeel": f"{e['row']['kind']} {e['row']['id']}",
                               "Waarde": e["row"]["status"] or (f"€ {fmt.integer(float(e['row']['spent_eur']))}"
                                                                if e["row"]["spent_eur"] else e["row"]["count"]),
                               "Toelichting": e["row"]["note"]} for e in reversed(events[-20:])])
        st.markdown("**Laatste registraties (nieuwste eerst)**")
        st.table(md_table(shown).set_index(md_table(shown).columns[0]))
        if who:
            def undo_registration() -> str:
                row = registrations.undo(mun, who)
                return f"Ongedaan gemaakt: {md(row['half_year'])}, {md(row['kind'])} {md(row['id'])}."
            undo_with_confirmation(
                "reg_undo", len(events), "Laatste registratie ongedaan maken…",
                "De laatst vastgelegde registratie weghalen? Een eerdere registratie voor hetzelfde half jaar en "
                "onderdeel telt dan weer; ook dit komt in de geschiedenis.",
                "Ja, ongedaan maken", undo_registration, registrations.RegistrationError)
