"""Validation of a tidy observations table: every problem named with its line in the file.

All checks are column-wise (no per-row Python) so a national table of ~1.5 million rows
validates in well under a second's worth of pandas operations per check.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ks_data.catalogue import UNIT_MULTIPLIER
from ks_data.schema import KEY, NOT_EMPTY, NUMERIC, REQUIRED, YEARS

MISSING_MARKERS = {"", ".", "x", "-", "–", "<10", "nan", "NaN", "NA"}


@dataclass(frozen=True)
class Problem:
    line: int  # line in the file: 1 is the header, 2 the first data row; 0 for the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        where = f"regel {self.line}" if self.line else "bestand"
        return f"{where}, kolom {self.column}: {self.message}"


class ValidationError(ValueError):
    def __init__(self, problems: list[Problem], source: str = ""):
        self.problems = problems
        head = f"{source}: " if source else ""
        shown = "\n".join(f"- {p}" for p in problems[:20])
        more = f"\n… en nog {len(problems) - 20} problemen" if len(problems) > 20 else ""
        super().__init__(f"{head}{len(problems)} probleem/problemen in de gegevens:\n{shown}{more}")


def _lines(mask: pd.Series) -> np.ndarray:
    return np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool)) + 2


def _add(problems: list[Problem], mask: pd.Series, column: str, message: str) -> None:
    problems.extend(Problem(int(line), column, message) for line in _lines(mask))


def validate(raw: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame) -> list[Problem]:
    """Check a table read as text (``dtype=str``); return the problems, empty when it is valid."""
    missing_cols = [c for c in REQUIRED if c not in raw.columns]
    if missing_cols:
        return [Problem(0, c, "verplichte kolom ontbreekt") for c in missing_cols]
    text = raw[REQUIRED].astype("string").fillna("").apply(lambda s: s.str.strip())
    problems: list[Problem] = []

    for col in NOT_EMPTY:
        _add(problems, text[col].eq(""), col, "mag niet leeg zijn")
    _add(problems, ~text["indicator_id"].isin(indicators.index) & text["indicator_id"].ne(""),
         "indicator_id", "onbekende indicator")
    _add(problems, ~text["area_code"].isin(areas.index) & text["area_code"].ne(""),
         "area_code", "onbekend gebied")
    _add(problems, ~text["unit"].isin(list(UNIT_MULTIPLIER)) & text["unit"].ne(""), "unit",
         "onbekende eenheid (toegestaan: per1000, %)")
    expected_unit = text["indicator_id"].map(indicators["unit"]) if len(indicators) else text["unit"]
    _add(problems, expected_unit.notna() & text["unit"].isin(list(UNIT_MULTIPLIER)) & text["unit"].ne(expected_unit),
         "unit", "eenheid past niet bij de indicator (omrekenen vóór het laden)")
    _add(problems, ~text["is_example"].str.lower().isin(["true", "false", "1", "0", "ja", "nee"])
         & text["is_example"].ne(""), "is_example", "moet true of false zijn")

    numbers = {}
    for col in NUMERIC + YEARS:
        given = ~text[col].isin(MISSING_MARKERS)
        parsed = pd.to_numeric(text[col].where(given), errors="coerce").astype("float64")
        _add(problems, given & parsed.isna(), col, f"'{col}' is geen getal (gebruik een punt als decimaalteken)")
        numbers[col] = parsed
    for col in YEARS:
        y = numbers[col]
        _add(problems, y.notna() & ((y % 1 != 0) | (y < 1900) | (y > 2100)), col, "geen geldig jaartal")
    start, end = numbers["period_start"], numbers["period_end"]
    _add(problems, start.notna() & end.notna() & (end < start), "period_end", "einde van de periode ligt vóór het begin")
    _add(problems, start.isna() != end.isna(), "period_end", "begin en einde van de periode: beide of geen van beide")

    upper = text["unit"].map(UNIT_MULTIPLIER)
    for col in ["value", "ci_low", "ci_high"]:
        v = numbers[col]
        _add(problems, v < 0, col, "negatieve waarde")
        _add(problems, upper.notna() & (v > upper), col, "waarde boven het maximum van de eenheid (100% of 1000 per 1000)")
    low, high = numbers["ci_low"], numbers["ci_high"]
    _add(problems, low.notna() & high.notna() & (low > high), "ci_low", "ondergrens van het interval boven de bovengrens")
    num, den = numbers["numerator"], numbers["denominator"]
    for col, v in [("numerator", num), ("denominator", den)]:
        _add(problems, v < 0, col, "negatief aantal")
    _add(problems, den.eq(0) & num.notna(), "denominator", "noemer is 0")
    _add(problems, num.notna() & den.notna() & (num > den), "numerator", "teller groter dan noemer")

    keyframe = pd.DataFrame({c: text[c] for c in KEY})
    dup = keyframe.duplicated(keep=False) & keyframe.duplicated(keep="first")
    _add(problems, dup, "indicator_id", "dubbele rij: zelfde indicator, gebied en periode als een eerdere regel")
    problems.sort(key=lambda p: (p.line, p.column))
    return problems
