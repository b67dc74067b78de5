"""The tidy observations table: its columns, types and key."""

from __future__ import annotations

import pandas as pd

from ks_data.columnar import per_value, stripped_text, to_float

REQUIRED = ["indicator_id", "area_code", "period_start", "period_end", "period_label", "value", "unit",
            "numerator", "denominator", "ci_low", "ci_high", "source", "source_detail", "retrieved",
            "is_example", "note"]
# Optional columns: absent in older files and in imports that do not need them; filled with "".
# ``definition`` names how a series' definition differs from the catalogue's (22 instead of 24
# weeks, ages 18+ instead of 19-45, a model estimate); empty means the catalogue's definition.
OPTIONAL = ["definition"]
COLUMNS = REQUIRED + OPTIONAL
# Columns that must hold something on every row (the others may be empty: a missing value stays missing).
NOT_EMPTY = ["indicator_id", "area_code", "period_label", "unit", "source", "retrieved", "is_example"]
NUMERIC = ["value", "numerator", "denominator", "ci_low", "ci_high"]
YEARS = ["period_start", "period_end"]
TEXT = ["indicator_id", "area_code", "period_label", "unit", "source", "source_detail", "retrieved", "note"]
KEY = ["indicator_id", "area_code", "period_start", "period_end", "period_label"]


def with_optional(table: pd.DataFrame) -> pd.DataFrame:
    """The table with every optional column present (empty where the file had none)."""
    missing = [c for c in OPTIONAL if c not in table.columns]
    return table.assign(**{c: "" for c in missing}) if missing else table


def as_text(raw: pd.DataFrame) -> pd.DataFrame:
    """Every column of the schema as stripped text ("" for missing), categorical: what validation and typing read."""
    table = with_optional(raw)
    return pd.DataFrame({col: stripped_text(table[col]) for col in COLUMNS}, index=table.index)


def coerce(table: pd.DataFrame, numbers: dict | None = None) -> pd.DataFrame:
    """Give the columns their types; anything unparsable becomes missing (validation reports it first).

    Text columns become categoricals of stripped text: a national table repeats a few thousand
    distinct texts over a million rows, and each is then held (and converted) once. ``numbers``
    are the numeric columns as validation parsed them, when it did.
    """
    out = as_text(table)
    numbers = numbers or {}
    for col in NUMERIC:
        out[col] = numbers[col] if col in numbers else to_float(out[col])
    for col in YEARS:
        out[col] = (numbers[col] if col in numbers else to_float(out[col])).astype("Int64")
    out["is_example"] = per_value(out["is_example"], lambda c: c.str.lower().isin(["true", "1", "ja"])).astype(bool)
    rest = [c for c in table.columns if c not in COLUMNS]
    return pd.concat([out, table[rest]], axis=1) if rest else out
