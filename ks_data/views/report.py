"""The evaluation report: one build, three forms (CSV of the table, an Excel workbook, a self-contained HTML file).

Everything comes from the published view through :mod:`ks_data.views.evaluation`, so a hidden figure
is hidden here too; text cells are spreadsheet-safe (:mod:`ks_data.views.safe_export`) and escaped in
HTML. The HTML file has no script and asks for nothing from outside: it opens offline and prints
to PDF from a browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path

import pandas as pd

from ks_data import fmt
from ks_data.views import evaluation as ev
from ks_data.views.methods import explanations
from ks_data.views.monitor import Monitor, up_to
from ks_data.views.plan import (
    NOT_RECORDED,
    Plan,
    action_status,
    activity_counts,
    budget_against_spending,
    half_years,
    load_plan,
    load_registrations,
    milestones_in_time,
)
from ks_data.views.provenance import provenance
from ks_data.views.report_svg import AREA, NL, line_chart
from ks_data.views.safe_export import csv_bytes, xlsx_workbook
from ks_data.vocab import EXAMPLE_MARK, VERDICT_COLOUR, VERDICT_SYMBOL

CAVEATS = [
    "Een verschil dat 'niet significant' is, is geen bewijs dat er niets veranderde: bij kleine aantallen zijn de "
    "intervallen breed.",
    "Het doel is 'ten minste stabilisatie': een cijfer telt pas als 'geen stijging groter dan de marge' als het "
    "95%-interval van de verandering zo'n stijging uitsluit; 'gedaald' en 'gestegen' staan er alleen als het "
    "interval 0 uitsluit. De marge is voorlopig en wordt door de coalitie gekozen.",
    "Cijfers uit de periode vóór het plan kunnen geen effect van het plan laten zien; perinatale cijfers komen met "
    "vertraging beschikbaar.",
    "Verborgen cijfers zijn weggelaten om te voorkomen dat kleine aantallen herleidbaar worden; ze tellen niet mee "
    "in een oordeel.",
]


@dataclass
class Report:
    monitor: Monitor
    choice: ev.Choice
    table: pd.DataFrame
    summary: list[str]
    plan: Plan | None
    registrations: pd.DataFrame
    made: str = field(default_factory=lambda: date.today().isoformat())

    @property
    def example(self) -> bool:
        return self.monitor.bundle.is_example

    @property
    def moment(self) -> str:
        labels = {year: label for label, year in ev.review_options(self.monitor)}
        return labels.get(self.choice.until, f"tot en met {self.choice.until}")

    def title(self) -> str:
        return f"Evaluatie Kansrijke Start {self.monitor.municipality.name}"

    def byline(self) -> str:
        mun = self.monitor.municipality
        base = self.choice.baseline or (f"{mun.baseline_label}, anders de laatste periode vóór het plan"
                                        if mun.baseline_label else "de laatste periode vóór het plan")
        return (f"Gemeente {mun.name} ({mun.code}) · gegevens: {self.monitor.bundle.title} · evaluatiemoment: "
                f"{self.moment} · basis: {base} · gemaakt op {self.made}")

    def file_name(self, extension: str) -> str:
        mark = "_voorbeelddata" if self.example else ""
        return f"evaluatie_{self.monitor.municipality.code}{mark}_{self.made}.{extension}"


def build(monitor: Monitor, choice: ev.Choice = ev.Choice(), *, groups: list[str] | None = None,
          phases: list[str] | None = None, root: Path | None = None) -> Report:
    table = ev.filtered(ev.table(monitor, choice), groups, phases)
    plan = load_plan(monitor.municipality, root)
    return Report(monitor, choice, table.reset_index(drop=True), ev.summary(monitor, table), plan,
                  load_registrations(monitor.municipality, root))


def plan_tables(report: Report) -> list[tuple[str, pd.DataFrame]]:
    plan = report.plan
    if plan is None:
        return []
    until = report.choice.until
    periods = [h for h in half_years(report.monitor.municipality) if until is None or int(h[:4]) <= until]
    objectives = plan.objectives.rename(columns={"id": "Doel", "title": "Omschrijving", "where": "In het plan"})
    milestones = milestones_in_time(plan.milestones).rename(
        columns={"nr": "Nr.", "date": "Wanneer", "title": "Mijlpaal", "where": "In het plan"})
    return [("Doelstellingen", objectives[["Doel", "Omschrijving", "In het plan"]]),
            ("Acties per half jaar", action_status(plan, report.registrations, periods)),
            ("Activiteiten per half jaar", activity_counts(plan, report.registrations, periods)),
            ("Mijlpalen", milestones[["Nr.", "Wanneer", "Mijlpaal", "In het plan"]]),
            ("Begroting en besteding", budget_against_spending(plan, report.registrations))]


def _methods(report: Report) -> pd.DataFrame:
    mon = report.monitor
    rows = [("Methode", k, v) for k, v in explanations(mon.settings, mon.municipality).items()]
    rows += [("Kanttekening", "", c) for c in CAVEATS]
    sources = provenance(mon)[["Indicator", "Bron", "Periode", "Opgehaald"]].drop_duplicates(["Indicator", "Bron"])
    rows += [("Bron", r.Indicator, f"{r.Bron} (opgehaald {r.Opgehaald})") for r in sources.itertuples()]
    return pd.DataFrame(rows, columns=["Soort", "Onderwerp", "Tekst"])


def to_csv(report: Report) -> bytes:
    """The evaluation table: numbers in numeric columns, words in their own (Excel flavour: ; and decimal comma)."""
    out = ev.for_people(report.table)
    if report.example:
        out.insert(0, "Let op", EXAMPLE_MARK)
    return csv_bytes(out, excel=True)


def to_xlsx(report: Report) -> bytes:
    """A sheet per part; every sheet starts with the title, the byline and, for example data, the example mark."""
    head = [f"{report.title()}{' — ' + EXAMPLE_MARK.upper() if report.example else ''}", report.byline()]
    sheets = [("Evaluatie", ev.for_people(report.table), head),
              ("Samenvatting", pd.DataFrame({"Samenvatting": report.summary}), head),
              ("In één oogopslag", ev.glance(report.table, report.monitor.municipality.code), head)]
    parts = plan_tables(report)
    if parts:
        sheets += [(name, frame, head) for name, frame in parts]
    else:
        sheets.append(("Plan", pd.DataFrame({"Plan": [no_plan(report)]}), head))
    sheets.append(("Bronnen en methoden", _methods(report), head))
    return xlsx_workbook(sheets)


def no_plan(report: Report) -> str:
    code = report.monitor.municipality.code
    return (f"Het plan (doelen, acties, begroting) is voor deze gemeente ({code}) niet ingesteld; de beheerder kan "
            f"het toevoegen in de configuratie van de gemeente.")


# ---- HTML --------------------------------------------------------------------------------------------
STYLE = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1f1f1f}
h1{font-size:1.7em}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:1.6em}
table{border-collapse:collapse;font-size:.85em;margin:.6em 0;width:100%}th,td{border:1px solid #ccc;padding:3px 5px;
text-align:left;vertical-align:top}th{background:#f0f2f6}td.n{text-align:right;white-space:nowrap}
table.wide{font-size:.75em;display:block;overflow-x:auto}table.wide td{overflow-wrap:normal;hyphens:auto}
.warn{background:#fff3cd;border:2px solid #d39e00;padding:.6em 1em;font-weight:bold}
.muted{color:#555;font-size:.9em}figure{margin:1em 0;break-inside:avoid}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table{break-inside:auto}tr{break-inside:avoid}}"""


def _html_table(frame: pd.DataFrame, numeric: set[str] = frozenset(), colour: set[str] = frozenset(),
                css: str = "") -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for col, value in zip(frame.columns, row):
            if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
                text = ""
            elif isinstance(value, int | float) and not isinstance(value, bool):
                text = fmt.number(value, 0 if float(value).is_integer() else None)
            else:
                text = str(value)
            if col in colour and text in VERDICT_COLOUR:
                style = f' style="background:{VERDICT_COLOUR[text]}"'
                dark = text in {"duidelijk beter", "duidelijk slechter"}
                style = style[:-1] + (';color:#fff"' if dark else '"')
                text = f"{VERDICT_SYMBOL[text]} {text}"
                cells.append(f"<td{style}>{escape(text)}</td>")
            else:
                cells.append(f'<td{" class=n" if col in numeric else ""}>{escape(text)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table{' class=' + css if css else ''}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def shown_table(report: Report) -> pd.DataFrame:
    """The evaluation table as people read it (Dutch numbers with their unit)."""
    t = report.table
    dec = t["indicator_id"].map(report.monitor.catalogue["decimals"]).astype(int)

    def val(col: str) -> list[str]:
        given = t[col.replace("_value", "_decimals")] if col.replace("_value", "_decimals") in t else dec
        hidden = t[col.replace("_value", "_hidden")].astype(bool)
        return [fmt.value(v, u, d) if pd.notna(v) else ("verborgen" if h else fmt.MISSING)
                for v, u, d, h in zip(t[col], t["unit"], given, hidden)]

    change = []
    for r, d in zip(t.itertuples(index=False), dec):
        if pd.notna(r.change_low):
            change.append(f"{fmt.difference(r.change, r.unit, d)} (95%-interval {fmt.difference(r.change_low, r.unit, d)} "
                          f"tot {fmt.difference(r.change_high, r.unit, d)})")
        elif pd.notna(r.ratio_low):
            change.append(f"verhouding {fmt.ratio(r.ratio)} (95%-interval {fmt.ratio(r.ratio_low)}–{fmt.ratio(r.ratio_high)})")
        else:
            change.append(fmt.difference(r.change, r.unit, d) + (" (niet getoetst)" if pd.notna(r.change) else ""))
    base = [f"{v} ({p})" if p else v for v, p in zip(val("baseline_value"), t["baseline_period"])]
    last = [f"{v} ({p})" if p else "nog geen" for v, p in zip(val("latest_value"), t["latest_period"])]
    sources = [" / ".join(dict.fromkeys(f"{s} (opgehaald {o})" for s, o in [(bs, bo), (ls, lo)] if s))
               for bs, bo, ls, lo in zip(t["baseline_source"], t["baseline_retrieved"], t["latest_source"],
                                         t["latest_retrieved"])]
    # the comparison is for the newest period up to the review moment; said where it is not the "latest" column's
    period = [f" ({p})" if p and p != lp else "" for p, lp in zip(t["verdict_period"], t["latest_period"])]
    return pd.DataFrame({
        "Indicator": t["indicator"], "Gebied": t["area"], "Basis": base, "Laatste": last,
        "Verandering (95%-interval)": change,
        "Oordeel doel": t["target_verdict"].where(t["target_verdict"] != "", "geen doel (gevolgd)"),
        "T.o.v. Nederland": [f"{v}{p}" for v, p in zip(t["verdict_nl"], period)],
        "T.o.v. provincie": [f"{v}{p}" for v, p in zip(t["verdict_province"], period)],
        "Toelichting": [" ".join(x for x in [n, v] if x) for n, v in zip(t["note"], t["verdict_reason"])],
        "Bron": sources})


def _charts(report: Report) -> str:
    mon, mun = report.monitor, report.monitor.municipality
    out = []
    for indicator_id in report.table.loc[report.table["area_code"] == mun.code, "indicator_id"]:
        meta = mon.indicator(indicator_id)
        if not bool(meta["core"]):
            continue
        result = mon.target(indicator_id, until=report.choice.until, baseline=report.choice.baseline)
        base = result.baseline
        baseline = float(base["value"]) if base is not None and pd.notna(base["value"]) else None
        lines = [(mun.name, AREA, mon.series(indicator_id, mun.code)), ("Nederland", NL, mon.series(indicator_id, "NL01"))]
        lines = [(n, c, up_to(r, report.choice.until)) for n, c, r in lines]
        svg = line_chart(meta["name"], str(meta["unit"]), lines, baseline=baseline, margin=result.margin_fraction,
                         lower_better=meta["polarity"] == "lower", plan_start=mun.plan_start)
        caption = f"{meta['name']}. Bron: {mon.sources(indicator_id).rstrip('.')}. Doel: {result.label}."
        if svg:
            out.append(f"<figure>{svg}<figcaption class=muted>{escape(caption)}</figcaption></figure>")
        else:
            out.append(f"<p class=muted>{escape(meta['name'])}: te weinig jaarcijfers voor een grafiek. "
                       f"{escape('Doel: ' + result.label)}.</p>")
    return "".join(out)


def _readable(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A plan table for reading: what was not recorded says so (the numeric exports leave it empty)."""
    out = frame.astype(object)
    if name.startswith("Activiteiten"):
        out.iloc[:, 1:] = out.iloc[:, 1:].where(frame.iloc[:, 1:].notna(), NOT_RECORDED)
    if name.startswith("Begroting"):
        cost = (frame["Soort"] == "kosten") & (frame["Post"] != "totaal")
        spent = "Besteed volgens registratie (euro)"
        out[spent] = out[spent].where(~cost | frame[spent].notna(), NOT_RECORDED)
    return out


def to_html(report: Report) -> str:
    mon = report.monitor
    warn = (f'<p class=warn>{escape(EXAMPLE_MARK)}: dit rapport toont verzonnen cijfers en is niet bedoeld om '
            f"conclusies uit te trekken.</p>") if report.example else ""
    parts = [f'<!doctype html><html lang="nl"><head><meta charset="utf-8">'
             f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(report.title())}</title>'
             f"<style>{STYLE}</style></head><body>{warn}<h1>{escape(report.title())}</h1>"
             f"<p class=muted>{escape(report.byline())}</p>",
             "<h2>Samenvatting</h2><ul>" + "".join(f"<li>{escape(s)}</li>" for s in report.summary) + "</ul>",
             "<h2>In één oogopslag</h2><p class=muted>Per indicator het oordeel voor de gemeente ten opzichte van "
             "Nederland en de provincie (95%- en 99,8%-intervallen) en ten opzichte van het doel; kleur en symbool "
             "zeggen hetzelfde.</p>",
             _html_table(ev.glance(report.table, mon.municipality.code), colour={"T.o.v. Nederland", "T.o.v. provincie"}),
             "<h2>Alle indicatoren: basis, laatste periode en verandering</h2>",
             _html_table(shown_table(report), numeric=set(),
                         colour={"T.o.v. Nederland", "T.o.v. provincie"}, css="wide"),
             "<h2>Perinatale kerncijfers in de tijd</h2>", _charts(report), "<h2>Het plan naast de cijfers</h2>"]
    tables = plan_tables(report)
    if tables:
        parts.append(f"<p>Voortgang op de acties wordt gemeten: {escape(report.plan.measured)}. Een lege cel of "
                     f"'niet geregistreerd' betekent dat de coalitie voor dat half jaar (nog) niets heeft vastgelegd.</p>")
        parts += [f"<h3>{escape(name)}</h3>{_html_table(_readable(name, frame))}" for name, frame in tables]
    else:
        parts.append(f"<p>{escape(no_plan(report))}</p>")
    methods = _methods(report)
    parts.append("<h2>Methoden, kanttekeningen en bronnen</h2>")
    for kind in ["Methode", "Kanttekening", "Bron"]:
        rows = methods[methods["Soort"] == kind]
        parts.append("<ul>" + "".join(f"<li>{'<b>' + escape(r.Onderwerp) + ':</b> ' if r.Onderwerp else ''}"
                                      f"{escape(r.Tekst)}</li>" for r in rows.itertuples()) + "</ul>")
    parts.append(f"<p class=muted>{escape(report.byline())}. Gemaakt met de Kansrijke Start monitor.</p>"
                 f"{warn}</body></html>")
    return re.sub(r"\s*\n\s*", "\n", "".join(parts))
