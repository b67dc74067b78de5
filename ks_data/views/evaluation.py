"""The periodic review: every indicator's baseline, latest value, change and verdicts in one table.

Read from the published view only (through :class:`~ks_data.views.monitor.Monitor`), so a hidden figure
stays hidden here and in every export built on this table. Numbers stay numbers (value, bounds,
counts in their own columns); words (unit, period, verdict, source) have their own columns. The
summary sentences are filled from the table by templates and say no more than the table does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ks_data import fmt
from ks_data.stats.compare import not_assessed_reason
from ks_data.views.monitor import Monitor, up_to
from ks_data.vocab import CHANGE_WORDS, EXAMPLE_WORDS, NOT_ASSESSED, RULE_TARGET, UNIT_LABEL

# Column → Dutch heading, in export order.
COLUMNS = {
    "indicator": "Indicator", "indicator_id": "Indicator-id", "group": "Groep", "phase": "Fase",
    "area": "Gebied", "area_code": "Gebiedscode", "unit": "Eenheid",
    "baseline_period": "Basisperiode", "baseline_value": "Basiswaarde",
    "baseline_numerator": "Basis teller", "baseline_denominator": "Basis noemer",
    "baseline_source": "Bron basis", "baseline_retrieved": "Basis opgehaald",
    "latest_period": "Laatste periode", "latest_value": "Laatste waarde",
    "latest_numerator": "Laatste teller", "latest_denominator": "Laatste noemer",
    "latest_ci_low": "Laatste 95%-ondergrens", "latest_ci_high": "Laatste 95%-bovengrens",
    "latest_source": "Bron laatste", "latest_retrieved": "Laatste opgehaald",
    "change": "Verschil (laatste − basis)", "change_low": "Verschil 95%-ondergrens",
    "change_high": "Verschil 95%-bovengrens", "ratio": "Verhouding (laatste / basis)",
    "ratio_low": "Verhouding 95%-ondergrens", "ratio_high": "Verhouding 95%-bovengrens",
    "change_words": "Verandering in woorden", "target": "Doel", "target_verdict": "Oordeel doel",
    "target_reason": "Toelichting oordeel", "verdict_period": "Periode van de vergelijking",
    "nl_value": "Nederland", "verdict_nl": "T.o.v. Nederland", "province_value": "Provincie",
    "verdict_province": "T.o.v. provincie", "verdict_reason": "Toelichting vergelijking",
    "note": "Toelichting", "is_example": "Voorbeelddata",
}
# kept beside the table, never exported: the decimals each source gives, and status as flags, never words in the
# note to be read back (a figure hidden; "no_value": the source gives the series no number at all)
DISPLAY_ONLY = ["baseline_decimals", "latest_decimals", "baseline_hidden", "latest_hidden", "no_value"]
COUNTS = ["baseline_numerator", "baseline_denominator", "latest_numerator", "latest_denominator"]
NUMBERS = ["baseline_value", "latest_value", "latest_ci_low", "latest_ci_high", "change", "change_low", "change_high",
           "ratio", "ratio_low", "ratio_high", "nl_value", "province_value"]
NO_PERIOD = "nog geen periode geheel binnen de looptijd van het plan"


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


def baseline_options(monitor: Monitor) -> list[tuple[str, str | None]]:
    """(what the evaluator reads, the baseline label to use) — first the default rule, then every period before
    the plan's start. The default is the configured baseline where these data hold it, else, per indicator, the
    last period ending before the plan: its name says which of the two applies, never a label the data lack."""
    mun = monitor.municipality
    table = monitor.view.table
    own = table[table["area_code"] == mun.code]
    before = own[own["period_end"].notna() & (own["period_end"] < (mun.plan_start or 10_000))]
    labels = list(dict.fromkeys(before.sort_values("period_end", ascending=False)["period_label"].astype(str)))
    held = bool(mun.baseline_label) and (own["period_label"].astype(str) == mun.baseline_label).any()
    rule = (f"{mun.baseline_label} (basis uit het plan)" if held else
            f"per indicator de laatste periode vóór {mun.plan_start}" if mun.plan_start else
            "per indicator de laatste periode")
    return [(rule, None)] + [(x, x) for x in labels if not (held and x == mun.baseline_label)]


def _decimals(row: pd.Series | None, default: int) -> int:
    given = None if row is None else row.get("decimals")
    return int(given) if given is not None and pd.notna(given) else default


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
    series = up_to(monitor.series(indicator_id, area), choice.until)
    if series.empty:
        return None
    shown = series[series["value"].notna() | series["suppressed"].astype(bool)]
    # a series whose source gives no number (the plan's "above the national average") stays in, as such;
    # the benchmarks are judged in the newest period up to the review moment, as on the overview page,
    # also when it is no "latest" for the target (a 5-year window mostly before the plan)
    newest = last if last is not None else (shown if len(shown) else series).iloc[-1]
    compared, reasons = {}, []
    for key, against in [("nl", "NL01"), ("province", "provincie")]:
        rows = monitor.series(indicator_id, area, against)
        match = rows[rows["period_label"] == newest["period_label"]]
        row = match.iloc[0] if len(match) else None
        compared[f"verdict_{key}"] = str(row["verdict"]) if row is not None else NOT_ASSESSED
        compared[f"{key}_value"] = np.nan if row is None else float(row["benchmark_value"])
        if row is not None and compared[f"verdict_{key}"] == NOT_ASSESSED:
            reasons.append(not_assessed_reason(row))
    decimals = int(meta["decimals"])
    before, after = _value(base, "value"), _value(last, "value")
    diff, ratio = after - before, (after / before if before else np.nan)
    tested = result.low is not None
    if not tested:
        words = result.indicative
    else:
        null = 0.0 if result.measure == "verschil" else 1.0
        words = CHANGE_WORDS["up" if result.low > null else "down" if result.high < null else "none"]
    notes = [f"{side}: {r['hidden']}" for side, r in (("basis", base), ("laatste", last))
             if r is not None and bool(r.get("suppressed", False))]
    no_value = not notes and newest is not None and not len(shown)
    if no_value:
        notes = [f"geen waarde in de bron{': ' + str(newest['note']) if str(newest['note']) else ''}"]
    difference = tested and result.measure == "verschil"
    return {
        "indicator": meta["name"], "indicator_id": indicator_id, "group": meta["group"], "phase": meta["phase"],
        "area": monitor.area_name(area), "area_code": area, "unit": str(meta["unit"]),
        # the decimals each figure's source gives (229,09 stays 229,09); not exported, only for display
        "baseline_decimals": _decimals(base, decimals), "latest_decimals": _decimals(last, decimals),
        "baseline_hidden": base is not None and bool(base.get("suppressed", False)),
        "latest_hidden": last is not None and bool(last.get("suppressed", False)),
        "baseline_period": "" if base is None else str(base["period_label"]),
        "baseline_value": _value(base, "value"), "baseline_numerator": _value(base, "numerator"),
        "baseline_denominator": _value(base, "denominator"),
        "baseline_source": "" if base is None else str(base["source"]),
        "baseline_retrieved": "" if base is None else str(base["retrieved"]),
        "latest_period": "" if last is None else str(last["period_label"]),
        "latest_value": _value(last, "value"), "latest_numerator": _value(last, "numerator"),
        "latest_denominator": _value(last, "denominator"),
        "latest_ci_low": round(_value(last, "ci_low"), decimals + 1),
        "latest_ci_high": round(_value(last, "ci_high"), decimals + 1),
        "latest_source": "" if last is None else str(last["source"]),
        "latest_retrieved": "" if last is None else str(last["retrieved"]),
        "change": round(diff, decimals + 1),
        "change_low": round(result.low, decimals + 1) if difference else np.nan,
        "change_high": round(result.high, decimals + 1) if difference else np.nan,
        "ratio": round(ratio, 3) if tested and not difference else np.nan,
        "ratio_low": round(result.low, 3) if tested and not difference else np.nan,
        "ratio_high": round(result.high, 3) if tested and not difference else np.nan,
        "change_words": words or "", "target": "ja" if has_target else "nee (gevolgd)",
        "target_verdict": result.text if has_target else "",
        "target_reason": result.reason, "verdict_period": str(newest["period_label"]), **compared,
        "verdict_reason": "; ".join(dict.fromkeys(r for r in reasons if r)),
        "note": "; ".join(notes), "is_example": monitor.bundle.is_example, "no_value": no_value,
    }


def table(monitor: Monitor, choice: Choice = Choice()) -> pd.DataFrame:
    """One row per indicator for the municipality, then (if chosen) per postcode area with figures."""
    return monitor.remember(("evaluation", choice), lambda: _table(monitor, choice))


def _table(monitor: Monitor, choice: Choice) -> pd.DataFrame:
    mun = monitor.municipality
    areas = [mun.code, *(mun.postcode_areas if choice.postcodes else ())]
    rows = [r for area in areas for ind in monitor.catalogue.index
            if (r := _row(monitor, ind, area, choice)) is not None]
    out = pd.DataFrame(rows, columns=[*COLUMNS, *DISPLAY_ONLY])
    for col in NUMBERS:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    for col in COUNTS:  # whole numbers, written as such
        out[col] = pd.to_numeric(out[col], errors="coerce").round().astype("Int64")
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
    out["is_example"] = out["is_example"].map(EXAMPLE_WORDS)
    out["unit"] = out["unit"].map(lambda u: UNIT_LABEL.get(u, u))  # "per 1000", as in every other download
    return out[list(COLUMNS)].rename(columns=COLUMNS)


def _first_effect(monitor: Monitor, indicator_id: str) -> str:
    """When the first figures that can show an effect of the plan are expected, from the periods alone."""
    mun = monitor.municipality
    if not mun.plan_start:
        return ""
    meta = monitor.indicator(indicator_id)
    ends = monitor.series(indicator_id, mun.code)["period_end"].dropna()
    now = f" De nieuwste periode in de gegevens eindigt in {int(ends.max())}." if len(ends) else ""
    if meta["period_type"] == "5year":
        first = f"{mun.plan_start}–{mun.plan_start + 4}"
        if mun.plan_end and mun.plan_start + 4 > mun.plan_end:
            return (f"Dit cijfer gaat altijd over vijf jaar samen; de eerste vijfjaarsperiode zonder jaren van vóór "
                    f"het plan is {first}, na het einde van het plan ({mun.plan_end}). Binnen de looptijd van het "
                    f"plan is het dus niet te beoordelen.{now}")
        return f"De eerste vijfjaarsperiode zonder jaren van vóór het plan is {first}.{now}"
    return f"Het eerste jaarcijfer binnen de looptijd is {mun.plan_start}; het komt zodra de bron dat jaar publiceert.{now}"


def _change_text(r: pd.Series, unit: str, decimals: int) -> str:
    """'verschil −12,2 per 1000, 95%-interval −62,1 tot +37,5 per 1000' or the ratio for rates."""
    if pd.notna(r["change_low"]):
        return (f"verschil {fmt.difference(r['change'], unit, decimals)}, 95%-interval "
                f"{fmt.difference(r['change_low'], unit, decimals)} tot {fmt.difference(r['change_high'], unit, decimals)}")
    return (f"verhouding laatste/basis {fmt.ratio(r['ratio'])}, 95%-interval {fmt.ratio(r['ratio_low'])} tot "
            f"{fmt.ratio(r['ratio_high'])}")


def summary(monitor: Monitor, evaluation: pd.DataFrame) -> list[str]:
    """One sentence (or two) per indicator of the municipality, only from what the table says."""
    out = []
    own = evaluation[evaluation["area_code"] == monitor.municipality.code]
    for row in own.itertuples(index=False):
        r = pd.Series(row._asdict())
        name, unit = r["indicator"], r["unit"]
        decimals = int(monitor.indicator(r["indicator_id"])["decimals"])
        if pd.isna(r["baseline_value"]) and pd.isna(r["latest_value"]) and r["no_value"]:
            out.append(f"{name}: {r['note'].rstrip('.')}; niet te beoordelen.")
            continue
        if not r["latest_period"] or pd.isna(r["latest_value"]) or pd.isna(r["baseline_value"]):
            reason = r["target_reason"] or NO_PERIOD
            later = _first_effect(monitor, r["indicator_id"]) if not r["latest_period"] else ""
            out.append(f"{name}: nog niet te beoordelen — {reason}. {later}".strip())
            continue
        values = (f"{fmt.value(r['baseline_value'], unit, decimals)} in {r['baseline_period']} → "
                  f"{fmt.value(r['latest_value'], unit, decimals)} in {r['latest_period']}")
        if pd.isna(r["change_low"]) and pd.isna(r["ratio_low"]):
            verdict = r["target_verdict"] or "niet getoetst"
            why = r["target_reason"] + (f"; {r['change_words']}" if r["change_words"] else "")
            out.append(f"{name}: {values}; {verdict} ({why}).")
            continue
        moved = {"gestegen": "aantoonbaar gestegen", "gedaald": "aantoonbaar gedaald"}.get(
            r["change_words"], "niet aantoonbaar veranderd")
        tail = f" Doel: {r['target_verdict']}." if r["target_verdict"] else " Gevolgd zonder doel."
        out.append(f"{name}: {moved} ten opzichte van de uitgangssituatie ({values}; "
                   f"{_change_text(r, unit, decimals)}).{tail}")
    return out


def glance(evaluation: pd.DataFrame, area_code: str) -> pd.DataFrame:
    """The at-a-glance table: per indicator of one area, its verdicts against NL, the province and the target."""
    own = evaluation[evaluation["area_code"] == area_code]
    return pd.DataFrame({"Indicator": own["indicator"], "Periode": own["verdict_period"],
                         "T.o.v. Nederland": own["verdict_nl"], "T.o.v. provincie": own["verdict_province"],
                         "Doel": own["target_verdict"].where(own["target_verdict"] != "", "geen doel (gevolgd)"),
                         # where there is no latest figure, the verdicts rest on the baseline's source
                         "Bron": own["latest_source"].where(own["latest_source"].fillna("").astype(str).str.strip() != "",
                                                            own["baseline_source"])}
                        ).reset_index(drop=True)
