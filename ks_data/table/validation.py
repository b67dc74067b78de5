"""Validation of a tidy observations table: every problem named with its line in the file.

All checks are column-wise (no per-row Python), and a check of one column runs on its distinct
texts only (:func:`ks_data.columnar.per_value`): a national table of ~1.4 million rows holds a
few thousand. Beyond the form of each field, the checks hold a row to itself: counts are whole
numbers, the value agrees with its counts and lies inside its own interval, each to the
precision the value is written with.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ks_data.columnar import per_value, to_float
from ks_data.table.catalogue import UNIT_MULTIPLIER
from ks_data.table.schema import NOT_EMPTY, NUMERIC, REQUIRED, YEARS, as_text

MISSING_MARKERS = {"", ".", "x", "-", "–", "<10", "nan", "NaN", "NA"}
COUNTS = ["numerator", "denominator"]
DELIMITER_NAMES = {";": "puntkomma's", "\t": "tabs", ",": "komma's"}
NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?"  # as written, lower-cased
EPSILON = 1e-9  # relative: float error in value and counts, far below any stated precision


@dataclass(frozen=True)
class Problem:
    line: int  # line in the file: 1 is the header, 2 the first data row; 0 for the file as a whole
    column: str
    message: str

    def __str__(self) -> str:
        where = f"regel {self.line}" if self.line else "bestand"
        return f"{where}, kolom {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


class ValidationError(ValueError):
    def __init__(self, problems: list[Problem], source: str = ""):
        self.problems = problems
        head = f"{source}: " if source else ""
        shown = "\n".join(f"- {p}" for p in problems[:20])
        more = f"\n… en nog {len(problems) - 20} problemen" if len(problems) > 20 else ""
        super().__init__(f"{head}{len(problems)} probleem/problemen in de gegevens:\n{shown}{more}")


def stated_decimals(text: pd.Series) -> pd.Series:
    """How many decimals each number is written with ("176.0" → 1, "7" → 0, "1.75e2" → 0); <NA> if not a number.

    With an exponent the decimals are those of the number it stands for, never below 0.
    Column-wise string operations only (a regex extract would run Python per row); a categorical
    column is read once per distinct text.
    """
    if isinstance(text.dtype, pd.CategoricalDtype):
        return per_value(text, stated_decimals).astype("Int64")
    text = text.astype("string").str.strip().str.lower()
    is_number = text.str.fullmatch(NUMBER).fillna(False).astype(bool)
    length = text.str.len().astype("float64")
    exp_at = text.str.find("e").astype("float64")
    has_exp = is_number & (exp_at >= 0)
    mantissa_end = length.where(~has_exp, exp_at)
    dot = text.str.find(".").astype("float64")
    digits = (mantissa_end - dot - 1).where(dot >= 0, 0.0)
    exponent = pd.Series(0.0, index=text.index)
    if has_exp.any():
        exponent[has_exp] = pd.to_numeric(text[has_exp].str.split("e").str[1], errors="coerce").astype("float64")
    return (digits - exponent).clip(lower=0).where(is_number).astype("Int64")


def _rounding(decimals: pd.Series) -> pd.Series:
    """Half a unit of the last stated decimal: how far a value may lie from the number it was rounded from."""
    return 0.5 * 10.0 ** (-decimals.astype("float64"))


def _lines(mask: pd.Series) -> np.ndarray:
    return np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool)) + 2


def _add(problems: list[Problem], mask: pd.Series, column: str, message: str) -> None:
    problems.extend(Problem(int(line), column, message) for line in _lines(mask))


def _add_each(problems: list[Problem], mask: pd.Series, column: str, messages: pd.Series) -> None:
    """Like :func:`_add`, with a message of its own per row (built only for the rows that fail)."""
    mask = mask.fillna(False).astype(bool)
    problems.extend(Problem(int(line), column, str(msg)) for line, msg in zip(_lines(mask), messages[mask]))


def _delimiter_problem(raw: pd.DataFrame) -> list[Problem]:
    """One problem instead of a 'missing column' per column when the header was not split at all."""
    if len(raw.columns) != 1:
        return []
    header = str(raw.columns[0])
    found = next((d for d in DELIMITER_NAMES if d in header), None)
    if found is None:
        return []
    return [Problem(0, "", f"alle kolommen staan in één kolom: de kopregel is gescheiden door {DELIMITER_NAMES[found]}, "
                           "wat hier niet als scheidingsteken is gelezen; sla het bestand op als CSV met komma's")]


def _fmt(whole: pd.Series) -> pd.Series:
    return whole.map("{:.0f}".format)


def validate(raw: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame,
             text: pd.DataFrame | None = None, numbers: dict | None = None) -> list[Problem]:
    """Check a table read as text (``dtype=str``); return the problems, empty when it is valid.

    ``text`` is :func:`as_text` of ``raw`` and ``numbers`` :func:`parse_numbers` of ``text`` when
    the caller has them already.
    """
    missing_cols = [c for c in REQUIRED if c not in raw.columns]
    if missing_cols:
        return _delimiter_problem(raw) or [Problem(0, c, "verplichte kolom ontbreekt") for c in missing_cols]
    if len(raw) == 0:
        return [Problem(0, "", "het bestand bevat geen gegevensrijen")]
    text = as_text(raw) if text is None else text
    problems: list[Problem] = []

    for col in NOT_EMPTY:
        _add(problems, text[col].eq(""), col, "mag niet leeg zijn")
    _add(problems, ~text["indicator_id"].isin(indicators.index) & text["indicator_id"].ne(""),
         "indicator_id", "onbekende indicator")
    _add(problems, ~text["area_code"].isin(areas.index) & text["area_code"].ne(""),
         "area_code", "onbekend gebied")
    _add(problems, ~text["unit"].isin(list(UNIT_MULTIPLIER)) & text["unit"].ne(""), "unit",
         "onbekende eenheid (toegestaan: per1000, %)")
    _add(problems, text["unit"].isin(list(UNIT_MULTIPLIER)) & _unit_differs(text, indicators),
         "unit", "eenheid past niet bij de indicator (omrekenen vóór het laden)")
    truth = per_value(text["is_example"], lambda c: c.str.lower().isin(["true", "false", "1", "0", "ja", "nee"]))
    _add(problems, ~truth.astype(bool) & text["is_example"].ne(""), "is_example", "moet true of false zijn")

    parsed_numbers = parse_numbers(text) if numbers is None else numbers
    numbers = {}
    for col in NUMERIC + YEARS:
        given = ~text[col].isin(MISSING_MARKERS)
        parsed = parsed_numbers[col]
        bad = given & parsed.isna()
        if bad.any():  # the value itself, shortened, and what would be read: comma and point both are
            shown = text.loc[bad, col].astype(str).str.slice(0, 30)
            _add_each(problems, bad, col, (("'" + shown + "' is geen getal; schrijf bijvoorbeeld 172,1 of 172.1")
                                           .reindex(text.index)))
        infinite = parsed.notna() & ~np.isfinite(parsed)
        finite = parsed.where(~infinite)  # reported here, once; the checks below see it as missing
        if col in COUNTS:
            _add(problems, infinite | (finite % 1 != 0) & finite.notna(), col, "een aantal moet een eindig geheel getal zijn")
        else:
            _add(problems, infinite, col, "moet een eindig getal zijn" if col in NUMERIC else "geen geldig jaartal")
        numbers[col] = finite
    for col in YEARS:
        y = numbers[col]
        _add(problems, y.notna() & ((y % 1 != 0) | (y < 1900) | (y > 2100)), col, "geen geldig jaartal")
    start, end = numbers["period_start"], numbers["period_end"]
    _add(problems, start.notna() & end.notna() & (end < start), "period_end", "einde van de periode ligt vóór het begin")
    _add(problems, start.isna() != end.isna(), "period_end", "begin en einde van de periode: beide of geen van beide")

    multiplier = text["unit"].map(UNIT_MULTIPLIER).astype("float64")
    for col in ["value", "ci_low", "ci_high"]:
        v = numbers[col]
        _add(problems, v < 0, col, "negatieve waarde")
        _add(problems, multiplier.notna() & (v > multiplier), col,
             "waarde boven het maximum van de eenheid (100% of 1000 per 1000)")
    low, high = numbers["ci_low"], numbers["ci_high"]
    _add(problems, low.notna() & high.notna() & (low > high), "ci_low", "ondergrens van het interval boven de bovengrens")
    num, den = numbers["numerator"], numbers["denominator"]
    for col, v in [("numerator", num), ("denominator", den)]:
        _add(problems, v < 0, col, "negatief aantal")
    _add(problems, den.eq(0) & num.notna(), "denominator", "noemer is 0")
    _add(problems, num.notna() & den.notna() & (num > den), "numerator", "teller groter dan noemer")

    _check_against_itself(problems, text, numbers, multiplier)
    _check_duplicates(problems, text, start, end)
    problems.sort(key=lambda p: (p.line, p.column))
    return problems


def parse_numbers(text: pd.DataFrame) -> dict[str, pd.Series]:
    """Each numeric column of :func:`as_text` as float: NaN where empty, a missing marker or no number."""
    return {col: per_value(text[col], lambda c: to_float(c.where(~c.isin(MISSING_MARKERS)))).astype("float64")
            for col in NUMERIC + YEARS}


def _unit_differs(text: pd.DataFrame, indicators: pd.DataFrame) -> pd.Series:
    """Rows whose unit is not their (known) indicator's, compared on category codes."""
    if not len(indicators):
        return pd.Series(False, index=text.index)
    units = text["unit"].cat.categories
    expected = pd.Series(text["indicator_id"].cat.categories, dtype=object).map(indicators["unit"])
    expected_code = units.get_indexer(expected.fillna("").to_numpy(dtype=object))  # -1: unit not in the file
    code = expected_code.take(text["indicator_id"].cat.codes.to_numpy())
    known = expected.notna().to_numpy().take(text["indicator_id"].cat.codes.to_numpy())
    return pd.Series(known & (code != text["unit"].cat.codes.to_numpy()), index=text.index)


def _check_against_itself(problems: list[Problem], text: pd.DataFrame, numbers: dict, multiplier: pd.Series) -> None:
    """The value agrees with its counts and lies inside its own interval, to the precision it is written with.

    Plain arrays: this runs over every row of a national table, and pandas' per-operation cost adds up.
    """
    value, num, den, low, high = (numbers[c].to_numpy(dtype="float64") for c in
                                  ["value", "numerator", "denominator", "ci_low", "ci_high"])
    mult = multiplier.to_numpy(dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        counts_ok = (num == np.floor(num)) & (den == np.floor(den)) & (num >= 0) & (den > 0) & (num <= den) \
            & ~np.isnan(mult)
        bounds = ~np.isnan(low) & ~np.isnan(high)
        need = ~np.isnan(value) & (counts_ok | bounds)
        if not need.any():
            return
        slack = _slack(text["value"])  # the rounding of each written number (NaN where it is none)
        computed = num / den * mult
        off = need & counts_ok & (np.abs(value - computed) > slack + EPSILON * np.fmax(np.abs(computed), 1))
        # Rounding keeps order, so a value may pass a bound only by the rounding of the coarser of the two.
        epsilon = EPSILON * np.fmax(np.abs(value), 1)
        below = low - value > np.fmax(slack, _slack(text["ci_low"])) + epsilon
        above = value - high > np.fmax(slack, _slack(text["ci_high"])) + epsilon
    if off.any():
        rows = pd.Series(off, index=text.index)
        decimals = stated_decimals(text["value"])[rows]
        shown = pd.Series([f"{c:.{int(d)}f}" for c, d in zip(computed[off], decimals)], index=rows[rows].index)
        messages = ("waarde past niet bij teller en noemer: " + _fmt(numbers["numerator"][rows]) + "/"
                    + _fmt(numbers["denominator"][rows]) + " × " + _fmt(multiplier[rows]) + " = " + shown
                    + ", niet " + text["value"][rows].astype(str))
        _add_each(problems, rows, "value", messages.reindex(text.index))
    _add(problems, pd.Series(need & bounds & (below | above), index=text.index), "value",
         "waarde ligt buiten het eigen interval (ci_low tot ci_high)")


def _slack(text: pd.Series) -> np.ndarray:
    """Half a unit of the last decimal each number is written with; NaN where the cell is no number."""
    if isinstance(text.dtype, pd.CategoricalDtype):
        return per_value(text, lambda c: _rounding(stated_decimals(c))).to_numpy(dtype="float64")
    return _rounding(stated_decimals(text)).to_numpy(dtype="float64")


def _check_duplicates(problems: list[Problem], text: pd.DataFrame, start: pd.Series, end: pd.Series) -> None:
    """One row per indicator, area and period: dated rows by their years (whatever the label), others by label."""
    dated = start.notna() & end.notna()
    codes = {col: text[col].cat.codes.to_numpy() for col in ["indicator_id", "area_code", "period_label"]}
    key = pd.DataFrame({"indicator_id": codes["indicator_id"], "area_code": codes["area_code"],
                        "start": start.where(dated).to_numpy(), "end": end.where(dated).to_numpy(),
                        "label": np.where(dated, -1, codes["period_label"])}, index=text.index)
    later = key.duplicated(keep="first")
    if not later.any():
        return
    group = key.groupby(list(key.columns), dropna=False, sort=False).ngroup()
    first_line = pd.Series(np.arange(len(key)) + 2, index=key.index).groupby(group).transform("min")
    messages = ("dubbele rij: zelfde indicator, gebied en periode als regel " + first_line.astype(str)
                + np.where(dated, " (ook als period_label verschilt)", ""))
    _add_each(problems, later, "indicator_id", messages)
