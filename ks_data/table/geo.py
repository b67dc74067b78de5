"""Geometry for the maps: postcode areas of a municipality, or municipalities of a region; read once."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ks_data.table.config import data_dir


@lru_cache(maxsize=4)
def _read(path: str, mtime: int) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def postcode_geojson(codes: list[str], root: Path | None = None) -> dict | None:
    """The features of the given postcode areas, or None when the file or the areas are absent."""
    return _features("pc4.geojson", codes, root)


def municipality_geojson(codes: list[str], root: Path | None = None) -> dict | None:
    """The features of the given municipalities (borders of 1 January 2022), or None when absent."""
    return _features("gemeenten.geojson", codes, root)


def _features(name: str, codes: list[str], root: Path | None) -> dict | None:
    path = (root or data_dir()) / "geo" / name
    if not path.exists():
        return None
    try:
        data = _read(str(path), path.stat().st_mtime_ns)
    except (OSError, ValueError):
        return None  # an unreadable geometry file: the page shows the table without a map
    wanted = set(codes)
    features = [f for f in data.get("features", []) if f.get("id") in wanted]
    return {"type": "FeatureCollection", "features": features} if features else None
