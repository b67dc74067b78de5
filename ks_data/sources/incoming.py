"""Bring a file in the tidy format into shape before it is checked: the spellings people use.

An export from a colleague or a portal rarely matches the stored format exactly. This step
accepts only the columns a figure needs (indicator, area, period, value and unit), derives a
period label from the years (or years from a label such as ``2017-2021``, ``2017 t/m 2021`` or
``2022JJ00``), reads units as people write them (``per 1000``, ``‰``, ``procent``), turns
suppression markers (``.``, ``x``, ``-``, ``?``, ``<10``) into missing values with a note (never
0), reads a decimal comma, and matches region names and codes (padding, case, ``NL00`` for the
Netherlands) to the registry. What it cannot match is left for validation to report by line.

A source may give the opposite share of the indicator (RIVM's "start ná de 10e week" for "vóór 10 weken"): its
rows carry a ``complement`` column naming what the source gives, and are turned round here — the value becomes
100% (or 1000 per 1000) minus the source's, the count the denominator minus the source's count, the interval's
bounds swap round — with the source's own value in the row's note, never silently.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

import pandas as pd

from ks_data.table.schema import COLUMNS

UNIT_SPELLINGS = {"per1000": "per1000", "per 1000": "per1000", "‰": "per1000", "promille": "per1000",
                  "per 1.000": "per1000", "%": "%", "procent": "%", "percent": "%", "pct": "%"}
SUPPRESSED = {".", "x", "X", "-", "–", "?", "<10", "< 10"}
REGION_ALIASES = {"NL00": "NL01", "NEDERLAND": "NL01"}
_RANGE = re.compile(r"^\s*(\d{4})\s*(?:-|–|—|t/m|tot en met)\s*(\d{4})\s*$", re.IGNORECASE)
_YEAR = re.compile(r"^\s*(\d{4})(?:JJ00)?\s*$", re.IGNORECASE)


def _years(label: str) -> tuple[str, str]:
    """('2017', '2021') from '2017-2021', '2017 t/m 2021'; ('2022', '2022') from '2022' or '2022JJ00'."""
    if match := _RANGE.match(label):
        return match.group(1), match.group(2)
    if match := _YEAR.match(label):
        return match.group(1), match.group(1)
    return "", ""


def _number(text: pd.Series) -> pd.Series:
    """'12,5' → '12.5', '1.234,5' → '1234.5'; anything else as written (validation judges it)."""
    text = text.str.strip()
    comma = text.str.contains(",", regex=False)
    fixed = text.where(~comma, text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False))
    return fixed


def normalise(raw: pd.DataFrame, areas: pd.DataFrame, *, source: str = "", is_example: bool = False,
              retrieved: str | None = None) -> pd.DataFrame:
    """The incoming table in the stored text format (every required column present, as text)."""
    table = raw.copy()
    table.columns = [str(c).strip().lower() for c in table.columns]
    table = table.astype("string").fillna("")
    turned = table["complement"].str.strip() if "complement" in table else pd.Series("", index=table.index)
    for col in COLUMNS:
        if col not in table:
            table[col] = ""
    table = table[COLUMNS].apply(lambda s: s.str.strip())

    # periods: years from the label where they are missing, a label from the years where it is
    label_years = table["period_label"].map(_years)
    no_years = table["period_start"].eq("") & table["period_end"].eq("")
    table.loc[no_years, "period_start"] = [y[0] for y in label_years[no_years]]
    table.loc[no_years, "period_end"] = [y[1] for y in label_years[no_years]]
    no_label = table["period_label"].eq("")
    table.loc[no_label, "period_label"] = [(e if s == e else f"{s}–{e}") for s, e in
                                           zip(table.loc[no_label, "period_start"], table.loc[no_label, "period_end"])]
    cbs_label = table["period_label"].str.fullmatch(r"\d{4}JJ00", case=False)
    table.loc[cbs_label, "period_label"] = table.loc[cbs_label, "period_label"].str[:4]
    dash = table["period_label"].str.fullmatch(r"\d{4}\s*(-|t/m)\s*\d{4}", case=False)
    table.loc[dash, "period_label"] = table.loc[dash, "period_start"] + "–" + table.loc[dash, "period_end"]

    # units as people write them
    table["unit"] = table["unit"].map(lambda u: UNIT_SPELLINGS.get(u.lower(), UNIT_SPELLINGS.get(u, u)))

    # suppression markers are missing values with a note, never 0
    for col in ["value", "numerator", "denominator", "ci_low", "ci_high"]:
        marker = table[col].isin(SUPPRESSED)
        if marker.any():
            note = "in de bron onderdrukt of ontbrekend ('" + table.loc[marker, col] + "')"
            table.loc[marker, "note"] = (table.loc[marker, "note"] + " " + note).str.strip()
            table.loc[marker, col] = ""
        table[col] = _number(table[col])

    turned = turned.reindex(table.index).fillna("")
    if turned.ne("").any():
        table = _complement(table, turned)

    # regions: codes with padding or another case, the registry's names, NL00 for the Netherlands
    regions = areas[areas["level"].isin(["land", "provincie", "gemeente"])].drop_duplicates("name", keep=False)
    by_name = pd.Series(regions["area_code"].to_numpy(), index=regions["name"].str.upper())
    code = table["area_code"].str.upper().str.replace(r"\s+", "", regex=True)
    code = code.map(lambda c: REGION_ALIASES.get(c, c))
    named = ~code.isin(areas.index) & table["area_code"].str.upper().isin(by_name.index)
    code[named] = table.loc[named, "area_code"].str.upper().map(by_name)
    table["area_code"] = code.where(code.isin(areas.index), table["area_code"])

    if source:
        table.loc[table["source"].eq(""), "source"] = source
    table.loc[table["retrieved"].eq(""), "retrieved"] = retrieved or date.today().isoformat()
    table.loc[table["is_example"].eq(""), "is_example"] = "true" if is_example else "false"
    table["indicator_id"] = table["indicator_id"].str.lower()
    return table


WHOLE = {"%": Decimal(100), "per1000": Decimal(1000)}


def _minus(whole: Decimal, text: str) -> str:
    """``whole`` − the number written in ``text``, with as many decimals as it was written with ('' stays '')."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return text  # not a number: validation names it
    return str((whole - number).quantize(number) if number.as_tuple().exponent < 0 else whole - number)


def _complement(table: pd.DataFrame, turned: pd.Series) -> pd.DataFrame:
    """Rows whose source gives the opposite share (``turned`` says what it gives), turned round; see the module."""
    out = table.copy()
    for i in turned.index[turned.ne("")]:
        whole = WHOLE.get(out.at[i, "unit"])
        if whole is None:  # a unit without a whole (a count): nothing to turn; validation refuses the row's unit
            continue
        row = out.loc[i]
        given = row["value"]
        out.at[i, "value"] = _minus(whole, given) if given else ""
        if row["numerator"] and row["denominator"]:
            out.at[i, "numerator"] = _minus(_decimal(row["denominator"]), row["numerator"])
        elif row["numerator"]:
            out.at[i, "numerator"] = ""  # a count without its whole cannot be turned round: left out, said below
        low, high = row["ci_low"], row["ci_high"]
        out.at[i, "ci_low"] = _minus(whole, high) if high else ""
        out.at[i, "ci_high"] = _minus(whole, low) if low else ""
        unit = "%" if out.at[i, "unit"] == "%" else " per 1000"
        shown = given.replace(".", ",") + unit if given else "geen waarde"
        said = (f"omgerekend: de bron geeft {turned[i]} ({shown}); hier {int(whole)}{unit} min dat"
                + ("; het aantal zonder noemer is weggelaten" if row["numerator"] and not row["denominator"] else ""))
        out.at[i, "note"] = f"{row['note']} {said}".strip()
    return out


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        return Decimal("NaN")
