"""Regenerate the example bundle ``voorbeeld`` (fictitious data, fixed seed) for every configured municipality.

Usage: ``python scripts/make_example.py``. The output is deterministic: running it twice
gives the same file, so a diff shows only real changes of the generator.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ks_data.sources.example import load_generator, make_example
from ks_data.table.areas import load_areas
from ks_data.table.catalogue import load_catalogue
from ks_data.table.config import load_municipality, municipality_codes
from ks_data.table.observations import check_table, load_observations, save_observations


def main() -> None:
    areas, catalogue, gen = load_areas(), load_catalogue(), load_generator()
    real = load_observations("echt")
    parts = []
    for code in municipality_codes():
        municipality = load_municipality(code)
        anchors = real[real["area_code"].astype(str).isin([code, municipality.province, "NL01",
                                                             *municipality.postcode_areas])]
        parts.append(make_example(municipality, areas, catalogue, anchors, gen))
    table = pd.concat(parts, ignore_index=True).drop_duplicates(
        subset=["indicator_id", "area_code", "period_label"], keep="first")
    # through the validator, so each value keeps the decimals it was written with
    save_observations(check_table(table.astype(str).replace({"nan": ""})), "voorbeeld")
    print(f"{len(table)} example rows written")


if __name__ == "__main__":
    main()
