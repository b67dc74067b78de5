"""The indicator catalogue (``data/indicators.csv``): what each indicator means and how to judge it.

Adding an indicator is a data change: a row here (and, for the example bundle, nothing else;
the generator reads its parameters from the catalogue and ``generator.toml``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ks_data.table.config import data_dir
from ks_data.vocab import (  # noqa: F401  (re-exported: the catalogue's allowed values)
    CI_METHOD_NAMES,
    GROUPS,
    PERIOD_TYPES,
    PHASES,
    POLARITIES,
    UNIT_LABEL,
    UNIT_MULTIPLIER,
)

BOOLEAN = ["core", "postcode"]


def load_catalogue(root: Path | None = None) -> pd.DataFrame:
    """The catalogue indexed by ``indicator_id``, checked for known units, polarities and methods."""
    table = pd.read_csv((root or data_dir()) / "indicators.csv", dtype=str, keep_default_na=False)
    for column in BOOLEAN:
        table[column] = table.get(column, pd.Series("false", index=table.index)).str.lower().eq("true")
    if "denominator" not in table:
        table["denominator"] = "aantal"
    table["denominator"] = table["denominator"].replace("", "aantal")
    problems = []
    for column, allowed in [("unit", UNIT_MULTIPLIER), ("polarity", POLARITIES),
                            ("period_type", PERIOD_TYPES), ("ci_method", CI_METHOD_NAMES),
                            ("group", GROUPS), ("phase", PHASES)]:
        bad = table.loc[~table[column].isin(list(allowed)), ["indicator_id", column]]
        problems += [f"{r.indicator_id}: onbekende waarde '{r[column]}' in kolom {column}" for _, r in bad.iterrows()]
    decimals = pd.to_numeric(table.get("decimals", pd.Series("1", index=table.index)), errors="coerce")
    problems += [f"{i}: kolom decimals moet 0 tot 3 zijn" for i in table.loc[~decimals.between(0, 3), "indicator_id"]]
    if table["indicator_id"].duplicated().any():
        problems.append("dubbele indicator_id in de catalogus")
    if problems:
        raise ValueError("Indicatorcatalogus klopt niet: " + "; ".join(problems))
    table["decimals"] = decimals.astype(int)
    table["multiplier"] = table["unit"].map(UNIT_MULTIPLIER)
    return table.set_index("indicator_id", drop=False)
