"""The area registry (``data/areas.csv``): NL01 → provinces → municipalities → postcode areas; beside them the
configured regions (``regios.toml``) and coalitions of several municipalities (``coalities/``), each under its
province, so that their figures are areas like any other (named, validated, exported)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ks_data.table.config import Municipality, data_dir, load_groups

LEVELS = ["land", "provincie", "gemeente", "postcode"]


def load_areas(root: Path | None = None) -> pd.DataFrame:
    table = pd.read_csv((root or data_dir()) / "areas.csv", dtype={"area_code": str, "parent_code": str},
                        keep_default_na=False)
    table["inhabitants"] = pd.to_numeric(table["inhabitants"], errors="coerce").astype("Int64")
    groups = _groups(root, table)
    if groups:
        table = pd.concat([table, pd.DataFrame(groups)], ignore_index=True)
        table["inhabitants"] = table["inhabitants"].astype("Int64")
    return table.set_index("area_code", drop=False)


def _groups(root: Path | None, registry: pd.DataFrame) -> list[dict]:
    """A row per sound region and coalition of several municipalities (a broken one is left out; it gives its
    Dutch error where it is opened)."""
    inhabitants = dict(zip(registry["area_code"], registry["inhabitants"]))
    return [{"area_code": code, "name": g.name, "level": g.kind, "parent_code": g.province,
             "inhabitants": sum(int(inhabitants[m]) for m in g.members if pd.notna(inhabitants.get(m)))}
            for code, g in load_groups(root).items()]


def area_labels(areas: pd.DataFrame, municipality: Municipality) -> dict[str, str]:
    """Display names: provinces and municipalities by name, postcode areas by number and neighbourhood."""
    labels = dict(zip(areas["area_code"], areas["name"]))
    for pc4 in municipality.postcode_areas:
        labels[pc4] = municipality.postcode_label(pc4)
    return labels
