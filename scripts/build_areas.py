"""Build the area registry and the PC4 boundary file from the offline CBS copy.

Reads ``../shared/data/*.geojson`` (CBS boundaries via certegis, see
data/geo/README.md for the credit) and writes:

- ``data/areas.csv``: NL01, the provinces, the municipalities and every
  postcode area (PC4), each with its parent and inhabitants;
- ``data/geo/pc4.geojson``: the PC4 polygons, properties trimmed;
- ``data/geo/gemeenten.geojson``: the municipality polygons (for the national view), likewise.

Usage: ``python scripts/build_areas.py [SOURCE_DIR]``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ks_data.storage import atomic_write_bytes, atomic_write_text  # noqa: E402


def main(source: Path) -> None:
    def load(name: str) -> list[dict]:
        return json.loads((source / name).read_text(encoding="utf-8"))["features"]

    provinces = [f["properties"] for f in load("provincies_nl.geojson")]
    municipality_shapes = load("gemeenten_nl.geojson")
    municipalities = [f["properties"] for f in municipality_shapes]
    pc4 = load("pc4_nl.geojson")

    rows = [{"area_code": "NL01", "name": "Nederland", "level": "land", "parent_code": "",
             "inhabitants": sum(p["inwoners_pc4"] for p in provinces)}]
    rows += [{"area_code": p["provinciecode"], "name": p["provincienaam"], "level": "provincie",
              "parent_code": "NL01", "inhabitants": p["inwoners_pc4"]} for p in provinces]
    rows += [{"area_code": m["gemeentecode"], "name": m["gemeentenaam"], "level": "gemeente",
              "parent_code": m["provinciecode"], "inhabitants": m["inwoners_pc4"]}
             for m in municipalities]
    rows += [{"area_code": f["properties"]["pc4"],
              "name": f["properties"]["plaats"] or "",
              "level": "postcode", "parent_code": f["properties"]["gemeentecode"],
              "inhabitants": f["properties"]["inwoners"]} for f in pc4]
    table = pd.DataFrame(rows)
    table["inhabitants"] = table["inhabitants"].astype("Int64")
    atomic_write_text(ROOT / "data" / "areas.csv", table.to_csv(index=False, lineterminator="\n"))

    slim = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": f["properties"]["pc4"],
         "properties": {"pc4": f["properties"]["pc4"], "gemeentecode": f["properties"]["gemeentecode"]},
         "geometry": f["geometry"]} for f in pc4]}
    atomic_write_bytes(ROOT / "data" / "geo" / "pc4.geojson",
                       json.dumps(slim, separators=(",", ":")).encode("utf-8"))
    shapes = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": f["properties"]["gemeentecode"],
         "properties": {"gemeentecode": f["properties"]["gemeentecode"],
                        "provinciecode": f["properties"]["provinciecode"]},
         "geometry": f["geometry"]} for f in municipality_shapes]}
    atomic_write_bytes(ROOT / "data" / "geo" / "gemeenten.geojson",
                       json.dumps(shapes, separators=(",", ":")).encode("utf-8"))
    print(f"{len(table)} areas, {len(pc4)} PC4 polygons written")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")
