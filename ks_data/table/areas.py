"""The area registry (``data/areas.csv``): NL01 → provinces → municipalities → postcode areas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ks_data.table.config import Municipality, data_dir

LEVELS = ["land", "provincie", "gemeente", "postcode"]


def load_areas(root: Path | None = None) -> pd.DataFrame:
    table = pd.read_csv((root or data_dir()) / "areas.csv", dtype={"area_code": str, "parent_code": str},
                        keep_default_na=False)
    table["inhabitants"] = pd.to_numeric(table["inhabitants"], errors="coerce").astype("Int64")
    return table.set_index("area_code", drop=False)


def area_labels(areas: pd.DataFrame, municipality: Municipality) -> dict[str, str]:
    """Display names: provinces and municipalities by name, postcode areas by number and neighbourhood."""
    labels = dict(zip(areas["area_code"], areas["name"]))
    for pc4 in municipality.postcode_areas:
        labels[pc4] = municipality.postcode_label(pc4)
    return labels
