"""A province's disclosure decisions kept on disk, keyed on everything they follow from.

The joint audit of a large province takes seconds to tens of seconds; its outcome depends only on the province's
rows, who is part of whom, the settings, the catalogue and the rules' version. Those are hashed into the file's
name, so a stored decision is used only for exactly the input it was taken for: a changed figure, postcode list,
threshold or rule gives another name, and the joint audit runs again. Written atomically; a damaged or
mismatching file is ignored (decided again), never trusted.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pandas as pd

from ks_data.storage import atomic_write_with

log = logging.getLogger("ks_monitor")

RULES = "linked-3"  # change when what is hidden for the same input changes (2: NL as a relation, 3: groups)
KEY = ["indicator_id", "area_code", "period_label"]
KEEP = 4  # stored inputs per province
INPUT = ["indicator_id", "area_code", "period_start", "period_end", "period_label", "numerator", "denominator",
         "value"]


def fingerprint(rows: pd.DataFrame, structure, settings, catalogue: pd.DataFrame) -> str:
    """A digest of the province's rows and of every rule the decisions follow from (``structure``: who is part of
    whom, :class:`ks_data.publish.linked.Structure`)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(RULES.encode())
    digest.update(repr(sorted((m, tuple(p)) for m, p in structure.members.items())).encode())
    digest.update(repr((sorted((g, tuple(m)) for g, m in structure.groups.items()),
                        sorted(structure.pooled_groups))).encode())
    digest.update(repr(settings).encode())
    digest.update(pd.util.hash_pandas_object(catalogue[["multiplier", "decimals"]].astype(str)).to_numpy().tobytes())
    data = rows[INPUT].astype({c: str for c in ["indicator_id", "area_code", "period_label"]})
    digest.update(pd.util.hash_pandas_object(data, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def _path(folder: Path, province: str, key: str) -> Path:
    return folder / f"{province}-{key}.parquet"


def read(folder: Path | None, province: str, key: str, table: pd.DataFrame) -> pd.DataFrame | None:
    """The stored decisions (``suppressed``, ``hidden_kind`` in the order of ``table``), or None."""
    if folder is None:
        return None
    path = _path(folder, province, key)
    try:
        stored = pd.read_parquet(path)
    except (OSError, ValueError):
        return None
    if len(stored) != len(table) or list(stored.columns) != [*KEY, "suppressed", "hidden_kind"]:
        log.warning("stored decisions %s do not match: decided again", path.name)
        return None
    merged = table[KEY].astype(str).merge(stored, on=KEY, how="left", validate="one_to_one")
    if merged["suppressed"].isna().any():
        log.warning("stored decisions %s do not match: decided again", path.name)
        return None
    return merged[["suppressed", "hidden_kind"]]


def write(folder: Path | None, province: str, key: str, protected: pd.DataFrame) -> None:
    if folder is None:
        return
    out = protected[KEY].astype(str).assign(suppressed=protected["suppressed"].astype(bool).to_numpy(),
                                            hidden_kind=protected["hidden_kind"].astype(str).to_numpy())
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_with(_path(folder, province, key), lambda tmp: out.to_parquet(tmp, index=False))
        _prune(folder, province)
    except OSError as err:  # a read-only data folder: decided again next time, nothing lost
        log.warning("could not store the decisions of %s: %s", province, err)


def _prune(folder: Path, province: str) -> None:
    """Only the newest KEEP inputs' decisions of a province stay (an undo can go back to a recent one)."""
    files = sorted(folder.glob(f"{province}-*.parquet"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)
