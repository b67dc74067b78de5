"""Regenerate the example bundle ``voorbeeld`` (fictitious data, fixed seed) for every configured municipality.

Usage: ``python scripts/make_example.py``. The output is deterministic: running it twice
gives the same file, so a diff shows only real changes of the generator.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ks_data.areas import load_areas
from ks_data.catalogue import load_catalogue
from ks_data.config import load_municipality, municipality_codes
from ks_data.example import make_example
from ks_data.observations import load_observations, save_observations
from ks_data.schema import coerce


def main() -> None:
    areas, catalogue = load_areas(), load_catalogue()
    real = load_observations("echt")
    parts = []
    for code in municipality_codes():
        municipality = load_municipality(code)
        anchors = real[real["area_code"].astype(str).isin([code, municipality.province, "NL01",
                                                             *municipality.postcode_areas])]
        parts.append(make_example(municipality, areas, catalogue, anchors))
    table = pd.concat(parts, ignore_index=True).drop_duplicates(
        subset=["indicator_id", "area_code", "period_label"], keep="first")
    save_observations(coerce(table.astype(str).replace({"": None})), "voorbeeld")
    print(f"{len(table)} example rows written")


if __name__ == "__main__":
    main()
