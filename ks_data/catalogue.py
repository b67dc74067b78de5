"""The indicator catalogue (``data/indicators.csv``): what each indicator means and how to judge it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ks_data.config import data_dir

# Scale of a unit: the value is the proportion times this multiplier; also the value's upper bound.
UNIT_MULTIPLIER = {"per1000": 1000.0, "%": 100.0}
UNIT_LABEL = {"per1000": "per 1000", "%": "%"}
POLARITIES = {"lower", "higher"}
PERIOD_TYPES = {"year": "per jaar", "5year": "vijf jaar samen", "survey": "peiljaar (enquête)"}
GROUPS = ["perinatale kerncijfers", "fysieke en mentale gezondheid", "gezinssituatie", "werk en inkomen"]
PHASES = {"voor": "vóór de zwangerschap", "tijdens": "tijdens de zwangerschap", "na": "na de geboorte"}


def load_catalogue(root: Path | None = None) -> pd.DataFrame:
    """The catalogue indexed by ``indicator_id``, checked for known units, polarities and methods."""
    from ks_data.stats.intervals import CI_METHODS

    table = pd.read_csv((root or data_dir()) / "indicators.csv", dtype=str, keep_default_na=False)
    table["core"] = table["core"].str.lower().eq("true")
    problems = []
    for column, allowed in [("unit", UNIT_MULTIPLIER), ("polarity", POLARITIES),
                            ("period_type", PERIOD_TYPES), ("ci_method", CI_METHODS),
                            ("group", GROUPS), ("phase", PHASES)]:
        bad = table.loc[~table[column].isin(list(allowed)), ["indicator_id", column]]
        problems += [f"{r.indicator_id}: onbekende waarde '{r[column]}' in kolom {column}" for _, r in bad.iterrows()]
    if table["indicator_id"].duplicated().any():
        problems.append("dubbele indicator_id in de catalogus")
    if problems:
        raise ValueError("Indicatorcatalogus klopt niet: " + "; ".join(problems))
    table["multiplier"] = table["unit"].map(UNIT_MULTIPLIER)
    return table.set_index("indicator_id", drop=False)
