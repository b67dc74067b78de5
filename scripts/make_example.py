"""Regenerate the example bundle ``voorbeeld`` (fictitious data, fixed seed) for every configured municipality,
every member of a coalition (with postcode areas) and every member of a configured region (the municipality only).

Usage: ``python scripts/make_example.py``. The output is deterministic: running it twice
gives the same file, so a diff shows only real changes of the generator.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ks_data.sources.example import load_generator, make_example
from ks_data.table.areas import load_areas
from ks_data.table.catalogue import load_catalogue
from ks_data.table.config import load_groups, load_municipality, municipality_codes
from ks_data.table.observations import check_table, load_observations, save_observations


def main() -> None:
    areas, catalogue, gen = load_areas(), load_catalogue(), load_generator()
    real = load_observations("echt")
    parts = []
    configured = [load_municipality(code) for code in municipality_codes()]
    for municipality in configured:
        anchors = real[real["area_code"].astype(str).isin([municipality.code, municipality.province, "NL01",
                                                             *municipality.postcode_areas])]
        parts.append(make_example(municipality, areas, catalogue, anchors, gen))
    done = {m.code for m in configured}
    groups = load_groups().values()
    members = [m for g in groups if g.kind == "coalitie" for m in g.members]
    regional = [m for g in groups if g.kind == "regio" for m in g.members]
    for code in dict.fromkeys([*members, *regional]):
        if code in done:
            continue
        municipality = load_municipality(code)  # from the registry: no plan of its own
        # anchored like the configured municipalities on the real province and NL figures (never on its own)
        label = next((m.baseline_label for m in configured if m.province == municipality.province),
                     configured[0].baseline_label if configured else "")
        municipality = replace(municipality, baseline_label=label,
                               postcode_areas=municipality.postcode_areas if code in members else ())
        anchors = real[real["area_code"].astype(str).isin([municipality.province, "NL01"])]
        parts.append(make_example(municipality, areas, catalogue, anchors, gen, salt=int(code[2:])))
    table = pd.concat(parts, ignore_index=True).drop_duplicates(
        subset=["indicator_id", "area_code", "period_label"], keep="first")
    # through the validator, so each value keeps the decimals it was written with
    save_observations(check_table(table.astype(str).replace({"nan": ""})), "voorbeeld")
    print(f"{len(table)} example rows written")


if __name__ == "__main__":
    main()
