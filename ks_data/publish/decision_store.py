"""A province's disclosure decisions kept on disk (its whole protected table), keyed on everything they follow from.

The joint audit of a large province takes seconds to tens of seconds; its outcome depends only on the province's
rows, who is part of whom, the settings, the catalogue and the rules' version. Those are hashed into the file's
name, so a stored decision is used only for exactly the input it was taken for: a changed figure, postcode list,
threshold or rule gives another name, and the joint audit runs again. Written atomically with a digest of its
content; a damaged, cut or edited file is ignored (decided again), never trusted. The whole table is kept, not only
the decisions, so that the same input needs neither the audit nor the cover table again (a national first view).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ks_data.storage import atomic_write_with

log = logging.getLogger("ks_monitor")

RULES = "linked-3"  # change when what is hidden for the same input changes (2: NL as a relation, 3: groups)
FORMAT = "table-1"  # what a file holds: the whole protected table (before: only the decisions)
REQUIRED = ["indicator_id", "area_code", "period_label", "suppressed", "hidden_kind"]
KEEP = 4  # stored inputs per province
INPUT = ["indicator_id", "area_code", "period_start", "period_end", "period_label", "numerator", "denominator",
         "value"]


def fingerprint(rows: pd.DataFrame, structure, settings, catalogue: pd.DataFrame) -> str:
    """A digest of the province's rows and of every rule the decisions follow from (``structure``: who is part of
    whom, :class:`ks_data.publish.linked.Structure`)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(RULES.encode())
    digest.update(FORMAT.encode())
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


def _digest(table: pd.DataFrame) -> str:
    """A digest of a stored table's content, kept in the file: a file cut short or edited is never trusted."""
    return hashlib.blake2b(pd.util.hash_pandas_object(table, index=False).to_numpy().tobytes(),
                           digest_size=16).hexdigest()


def read(folder: Path | None, province: str, key: str) -> pd.DataFrame | None:
    """The province's protected table stored for exactly this input, or None (nothing stored, or damaged)."""
    if folder is None:
        return None
    path = _path(folder, province, key)
    try:
        stored = pq.read_table(path)
        expected = (stored.schema.metadata or {}).get(b"ks_digest", b"").decode()
        table = stored.to_pandas()
    except (OSError, ValueError, pa.ArrowException):
        return None
    if not set(REQUIRED) <= set(table.columns) or _digest(table) != expected:
        log.warning("stored decisions %s are damaged: decided again", path.name)
        return None
    return table


def write(folder: Path | None, province: str, key: str, protected: pd.DataFrame) -> None:
    """Keep the whole protected table, so that the same input later needs neither the audit nor the cover table."""
    if folder is None:
        return
    table = protected.reset_index(drop=True)
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), b"ks_digest": _digest(table).encode()})
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_with(_path(folder, province, key), lambda tmp: pq.write_table(arrow, tmp))
        _prune(folder, province)
    except OSError as err:  # a read-only data folder: decided again next time, nothing lost
        log.warning("could not store the decisions of %s: %s", province, err)


def _prune(folder: Path, province: str) -> None:
    """Only the newest KEEP inputs' decisions of a province stay (an undo can go back to a recent one)."""
    files = sorted(folder.glob(f"{province}-*.parquet"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in files[KEEP:]:
        old.unlink(missing_ok=True)
