"""Similar municipalities: a comparison group per municipality from data that ship with the monitor.

Method (as the Wmo gemeentevergelijker and Fingertips' nearest neighbours do, on fewer characteristics): every
municipality is described by two characteristics of the area registry and the CBS borders in ``data/``:

- size: the natural logarithm of its inhabitants (``areas.csv``);
- urbanity: the natural logarithm of its inhabitants per km² of its area (``geo/gemeenten.geojson``; the area is
  computed from the borders on a local flat projection, good to about a percent at Dutch latitudes).

Both are standardised over all municipalities (mean 0, standard deviation 1) and the group is the ``K`` municipalities
nearest by Euclidean distance (never itself). A coalition of several municipalities is described by its members
together (their inhabitants summed, over their areas summed). A configuration may name the group itself
(``similar = [...]``); then that list is used as it is.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ks_data.table.config import data_dir

K = 10


def _ring_km2(ring: list, lat0: float) -> float:
    """Shoelace area of one ring (lon/lat degrees) on a flat projection around ``lat0``."""
    pts = np.asarray(ring, dtype=float)
    if len(pts) < 3:
        return 0.0
    x = pts[:, 0] * 111.320 * math.cos(math.radians(lat0))
    y = pts[:, 1] * 110.574
    return abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))) / 2


def _area_km2(geometry: dict) -> float:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    total = 0.0
    for rings in polygons:
        lat0 = float(np.mean([c[1] for c in rings[0]]))
        total += _ring_km2(rings[0], lat0) - sum(_ring_km2(hole, lat0) for hole in rings[1:])
    return total


@lru_cache(maxsize=2)
def _characteristics(root: str, stamp: tuple) -> pd.DataFrame:
    areas = pd.read_csv(Path(root) / "areas.csv", dtype=str, keep_default_na=False)
    mun = areas[areas["level"] == "gemeente"].set_index("area_code")
    try:
        geo = json.loads((Path(root) / "geo" / "gemeenten.geojson").read_text(encoding="utf-8"))
        km2 = {f["id"]: _area_km2(f["geometry"]) for f in geo.get("features", [])}
    except (OSError, ValueError, KeyError, TypeError):  # no or broken borders: no urbanity, so no group
        km2 = {}
    out = pd.DataFrame({"name": mun["name"], "province": mun["parent_code"],
                        "inhabitants": pd.to_numeric(mun["inhabitants"], errors="coerce"),
                        "km2": pd.Series(km2).reindex(mun.index)})
    return out


def characteristics(root: Path | None = None) -> pd.DataFrame:
    """Per municipality: name, province, inhabitants, km² (NaN where the borders lack it). Read once."""
    folder = root or data_dir()
    files = [folder / "areas.csv", folder / "geo" / "gemeenten.geojson"]
    stamp = tuple(f.stat().st_mtime_ns if f.exists() else 0 for f in files)
    return _characteristics(str(folder), stamp).copy()


def similar_group(codes: tuple[str, ...], root: Path | None = None, k: int = K) -> pd.DataFrame:
    """The ``k`` municipalities most like ``codes`` taken together (one municipality, or a coalition's members),
    nearest first: name, province, inhabitants, inhabitants per km², distance (in standard deviations)."""
    table = characteristics(root)
    usable = table[table["inhabitants"].gt(0) & table["km2"].gt(0)]
    me = table.reindex(list(codes))
    if me["inhabitants"].isna().any() or me["km2"].isna().any() or not len(me):
        return pd.DataFrame(columns=["name", "province", "inhabitants", "density", "distance"])
    features = np.column_stack([np.log(usable["inhabitants"]), np.log(usable["inhabitants"] / usable["km2"])])
    mean, sd = features.mean(axis=0), features.std(axis=0)
    mine = np.array([math.log(me["inhabitants"].sum()), math.log(me["inhabitants"].sum() / me["km2"].sum())])
    distance = np.sqrt((((features - mean) / sd - (mine - mean) / sd) ** 2).sum(axis=1))
    out = usable.assign(density=usable["inhabitants"] / usable["km2"], distance=distance)
    out = out[~out.index.isin(list(codes))].sort_values(["distance", "name"]).head(k)
    return out[["name", "province", "inhabitants", "density", "distance"]]


def fixed_group(codes: tuple[str, ...], root: Path | None = None) -> pd.DataFrame:
    """A group named by a configuration, in its order, with the same columns (distance left empty)."""
    table = characteristics(root).reindex(list(codes))
    return table.assign(density=table["inhabitants"] / table["km2"], distance=np.nan)[
        ["name", "province", "inhabitants", "density", "distance"]]
