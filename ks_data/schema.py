"""The tidy observations table: its columns, types and key."""

from __future__ import annotations

import pandas as pd

from ks_data.columnar import to_float

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


def coerce(table: pd.DataFrame, stripped: bool = False) -> pd.DataFrame:
    """Give the columns their types; anything unparsable becomes missing (validation reports it first)."""
    out = with_optional(table).copy()
    for col in TEXT + OPTIONAL:
        out[col] = out[col].fillna("").astype(str)
        if not stripped:  # text from validation.as_text is stripped already
            out[col] = out[col].str.strip()
    for col in NUMERIC:
        out[col] = to_float(out[col])
    for col in YEARS:
        out[col] = to_float(out[col]).astype("Int64")
    out["is_example"] = out["is_example"].astype(str).str.strip().str.lower().isin(["true", "1", "ja"])
    for col in ["indicator_id", "area_code", "unit", "period_label"]:
        out[col] = out[col].astype("category")
    return out[COLUMNS + [c for c in out.columns if c not in COLUMNS]]
