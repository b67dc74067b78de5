"""The periodic review: every indicator's baseline, latest value, change and verdicts in one table.

Read from the published view only (through :class:`~ks_data.monitor.Monitor`), so a hidden figure
stays hidden here and in every export built on this table. Numbers stay numbers (value, bounds,
counts in their own columns); words (unit, period, verdict, source) have their own columns. The
summary sentences are filled from the table by templates and say no more than the table does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ks_data import fmt
from ks_data.monitor import Monitor
from ks_data.vocab import CHANGE_WORDS, NOT_ASSESSED, RULE_TARGET

# Column → Dutch heading, in export order.
COLUMNS = {
    "indicator": "Indicator", "indicator_id": "Indicator-id", "group": "Groep", "phase": "Fase",
    "area": "Gebied", "area_code": "Gebiedscode", "unit": "Eenheid",
    "baseline_period": "Basisperiode", "baseline_value": "Basiswaarde",
    "baseline_numerator": "Basis teller", "baseline_denominator": "Basis noemer",
    "latest_period": "Laatste periode", "latest_value": "Laatste waarde",
    "latest_numerator": "Laatste teller", "latest_denominator": "Laatste noemer",
    "latest_ci_low": "Laatste 95%-ondergrens", "latest_ci_high": "Laatste 95%-bovengrens",
    "change": "Verandering", "change_measure": "Maat van het interval",
    "change_low": "Verandering 95%-ondergrens", "change_high": "Verandering 95%-bovengrens",
    "change_words": "Verandering in woorden", "target": "Doel", "target_verdict": "Oordeel doel",
    "target_reason": "Toelichting oordeel", "verdict_period": "Periode van de vergelijking",
    "verdict_nl": "T.o.v. Nederland", "verdict_province": "T.o.v. provincie",
    "source": "Bron", "retrieved": "Opgehaald", "note": "Toelichting", "is_example": "Voorbeelddata",
}
NUMBERS = ["baseline_value", "baseline_numerator", "baseline_denominator", "latest_value", "latest_numerator",
           "latest_denominator", "latest_ci_low", "latest_ci_high", "change", "change_low", "change_high"]
NO_PERIOD = "nog geen periode binnen de looptijd van het plan"


@dataclass(frozen=True)
class Choice:
    """What the evaluator chose: the review moment (periods ending by ``until``) and the baseline period."""

    until: int | None = None
    baseline: str | None = None
    postcodes: bool = True


def review_options(monitor: Monitor) -> list[tuple[str, int | None]]:
    """(label, last year) per review moment of the configuration, then 'all data'."""
    return [(m.label, m.year) for m in monitor.municipality.review_moments] + [("alle beschikbare cijfers", None)]


def default_until(monitor: Monitor) -> int | None:
    """The configuration's last review moment (None without one: all data)."""
    years = [m.year for m in monitor.municipality.review_moments if m.year]
    return max(years) if years else None


def baseline_options(monitor: Monitor) -> list[str]:
    """The configured baseline first, then every period label before the plan's start."""
    mun = monitor.municipality
    table = monitor.view.table
    own = table[table["area_code"] == mun.code]
    before = own[own["period_end"].notna() & (own["period_end"] < (mun.plan_start or 10_000))]
    labels = list(dict.fromkeys(before.sort_values("period_end", ascending=False)["period_label"].astype(str)))
    first = [mun.baseline_label] if mun.baseline_label else []
    return first + [x for x in labels if x not in first]


def _value(row: pd.Series | None, col: str) -> float:
    if row is None or bool(row.get("suppressed", False)):
        return np.nan
    value = row.get(col)
    return float(value) if pd.notna(value) else np.nan


def _row(monitor: Monitor, indicator_id: str, area: str, choice: Choice) -> dict | None:
    meta = monitor.indicator(indicator_id)
    mun = monitor.municipality
    has_target = mun.target_rule(indicator_id) == RULE_TARGET
    result = monitor.target(indicator_id, area, until=choice.until, baseline=choice.baseline)
    base, last = result.baseline, result.latest
    series = monitor.series(indicator_id, area)
    if choice.until is not None:
        series = series[series["period_end"].isna() | (series["period_end"] <= choice.until)]
    shown = series[series["value"].notna() | series["suppressed"].astype(bool)]
    if shown.empty:
        return None
    newest = last if last is not None else base if base is not None else shown.iloc[-1]
    verdicts = {}
    for key, against in [("verdict_nl", "NL01"), ("verdict_province", "provincie")]:
        rows = monitor.series(indicator_id, area, against)
        match = rows[rows["period_label"] == newest["period_label"]]
        verdicts[key] = str(match["verdict"].iloc[0]) if len(match) else NOT_ASSESSED
    change = _value(last, "value") - _value(base, "value")
    if result.low is None:
        words = result.indicative
    elif result.measure == "verschil":
        words = CHANGE_WORDS["up" if result.low > 0 else "down" if result.high < 0 else "none"]
    else:
        words = CHANGE_WORDS["up" if result.low > 1 else "down" if result.high < 1 else "none"]
    notes = [str(r["hidden"]) for r in (base, last) if r is not None and bool(r.get("suppressed", False))]
    return {
        "indicator": meta["name"], "indicator_id": indicator_id, "group": meta["group"], "phase": meta["phase"],
        "area": monitor.area_name(area), "area_code": area, "unit": str(meta["unit"]),
        "baseline_period": "" if base is None else str(base["period_label"]),
        "baseline_value": _value(base, "value"), "baseline_numerator": _value(base, "numerator"),
        "baseline_denominator": _value(base, "denominator"),
        "latest_period": "" if last is None else str(last["period_label"]),
        "latest_value": _value(last, "value"), "latest_numerator": _value(last, "numerator"),
        "latest_denominator": _value(last, "denominator"),
        "latest_ci_low": _value(last, "ci_low"), "latest_ci_high": _value(last, "ci_high"),
        "change": change, "change_measure": result.measure,
        "change_low": np.nan if result.low is None else float(result.low),
        "change_high": np.nan if result.high is None else float(result.high),
        "change_words": words or "", "target": "ja" if has_target else "nee (gevolgd)",
        "target_verdict": result.text if has_target else "",
        "target_reason": result.reason, "verdict_period": str(newest["period_label"]), **verdicts,
        "source": str(newest["source"]), "retrieved": str(newest["retrieved"]), "note": "; ".join(notes),
        "is_example": monitor.bundle.is_example,
    }


def table(monitor: Monitor, choice: Choice = Choice()) -> pd.DataFrame:
    """One row per indicator for the municipality, then (if chosen) per postcode area with figures."""
    return monitor._remember(("evaluation", choice), lambda: _table(monitor, choice))


def _table(monitor: Monitor, choice: Choice) -> pd.DataFrame:
    mun = monitor.municipality
    areas = [mun.code, *(mun.postcode_areas if choice.postcodes else ())]
    rows = [r for area in areas for ind in monitor.catalogue.index
            if (r := _row(monitor, ind, area, choice)) is not None]
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    for col in NUMBERS:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    return out


def filtered(evaluation: pd.DataFrame, groups: list[str] | None = None, phases: list[str] | None = None) -> pd.DataFrame:
    keep = pd.Series(True, index=evaluation.index)
    if groups:
        keep &= evaluation["group"].isin(groups)
    if phases:
        keep &= evaluation["phase"].isin(phases)
    return evaluation[keep]


def for_people(evaluation: pd.DataFrame) -> pd.DataFrame:
    """The export form: Dutch headings, numbers still numbers, the example mark as ja/nee."""
    out = evaluation.copy()
    out["is_example"] = out["is_example"].map({True: "ja (fictief)", False: "nee"})
    return out[list(COLUMNS)].rename(columns=COLUMNS)


def _first_effect(monitor: Monitor, indicator_id: str, row: pd.Series) -> str:
    """When the first figures that can show an effect of the plan are expected, from the periods alone."""
    mun = monitor.municipality
    if not mun.plan_start:
        return ""
    meta = monitor.indicator(indicator_id)
    series = monitor.series(indicator_id, mun.code)
    ends = series["period_end"].dropna()
    now = f" (de nieuwste periode in de gegevens eindigt in {int(ends.max())})" if len(ends) else ""
    if meta["period_type"] == "5year":
        return (f"De eerste vijfjaarsperiode geheel binnen de looptijd is {mun.plan_start}–{mun.plan_start + 4}; "
                f"eerdere vijfjaarsperioden overlappen met de jaren vóór het plan{now}.")
    return f"Het eerste jaarcijfer binnen de looptijd is {mun.plan_start}; het komt zodra de bron dat jaar publiceert{now}."


def summary(monitor: Monitor, evaluation: pd.DataFrame) -> list[str]:
    """One sentence (or two) per indicator of the municipality, only from what the table says."""
    out = []
    own = evaluation[evaluation["area_code"] == monitor.municipality.code]
    for row in own.itertuples(index=False):
        r = pd.Series(row._asdict())
        name, unit = r["indicator"], r["unit"]
        decimals = int(monitor.indicator(r["indicator_id"])["decimals"])
        if not r["latest_period"] or pd.isna(r["latest_value"]) or pd.isna(r["baseline_value"]):
            reason = r["target_reason"] or NO_PERIOD
            later = _first_effect(monitor, r["indicator_id"], r) if not r["latest_period"] else ""
            out.append(f"{name}: nog niet te beoordelen — {reason}. {later}".strip())
            continue
        values = (f"{fmt.value(r['baseline_value'], unit, decimals)} ({r['baseline_period']}) → "
                  f"{fmt.value(r['latest_value'], unit, decimals)} ({r['latest_period']})")
        if pd.isna(r["change_low"]):
            verdict = r["target_verdict"] or "niet getoetst"
            why = "; ".join(x for x in [r["target_reason"], r["change_words"]] if x) or "geen toets"
            out.append(f"{name}: {values}; {verdict} ({why}).")
            continue
        if r["change_measure"] == "verschil":
            ci = (f"verschil {fmt.difference(r['change'], unit, decimals)}, 95%-interval "
                  f"{fmt.difference(r['change_low'], unit, decimals)} tot {fmt.difference(r['change_high'], unit, decimals)}")
        else:
            ci = f"verhouding laatste/basis 95%-interval {fmt.ratio(r['change_low'])} tot {fmt.ratio(r['change_high'])}"
        moved = {"gestegen": "is significant gestegen", "gedaald": "is significant gedaald"}.get(
            r["change_words"], "is niet significant veranderd")
        tail = f" Doel: {r['target_verdict']}." if r["target_verdict"] else " Gevolgd zonder doel."
        out.append(f"{name} {moved} ten opzichte van de uitgangssituatie ({values}; {ci}).{tail}")
    return out


def glance(evaluation: pd.DataFrame, area_code: str) -> pd.DataFrame:
    """The at-a-glance table: per indicator of one area, its verdicts against NL, the province and the target."""
    own = evaluation[evaluation["area_code"] == area_code]
    return pd.DataFrame({"Indicator": own["indicator"], "Periode": own["verdict_period"],
                         "T.o.v. Nederland": own["verdict_nl"], "T.o.v. provincie": own["verdict_province"],
                         "Doel": own["target_verdict"].where(own["target_verdict"] != "", "geen doel (gevolgd)")}
                        ).reset_index(drop=True)
