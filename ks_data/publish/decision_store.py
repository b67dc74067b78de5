"""A province's disclosure decisions kept on disk (its whole protected table), keyed on everything they follow from.

The joint audit of a large province takes seconds to minutes; the table depends only on the province's rows (every
column), who is part of whom, the settings, the catalogue and the code that makes it. Those are hashed into the
file's name, so a stored table is used only for exactly the input it was made from: a changed figure, definition,
note, postcode list, threshold or line of that code gives another name, and the joint audit runs again. Written
atomically with a digest of its content; a damaged or cut file is ignored (decided again). The whole table is kept,
not only the decisions, so that the same input needs neither the audit nor the cover table (a national first view).
"""

from __future__ import annotations

import functools
import hashlib
import logging
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ks_data.storage import atomic_write_with

log = logging.getLogger("ks_monitor")

RULES = "linked-3"  # change when what is hidden for the same input changes (2: NL as a relation, 3: groups)
FORMAT = "table-2"  # what a file holds: the whole protected table (1: keyed on the counts only)
REQUIRED = ["indicator_id", "area_code", "period_label", "suppressed", "hidden_kind"]
KEEP = 4  # stored inputs per province


@functools.cache
def _code() -> bytes:
    """The source of the code the stored table comes from (the publish and statistics stages), read once: a
    changed rule, pooling or interval method must never be served from a table stored before it."""
    here = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted([*here.glob("publish/*.py"), *here.glob("stats/*.py")]):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.digest()


def _frame_digest(digest, table: pd.DataFrame) -> None:
    """Every column of ``table``: names, types and values (a renamed or retyped column is another table)."""
    digest.update(repr([(str(c), str(t)) for c, t in table.dtypes.items()]).encode())
    digest.update(pd.util.hash_pandas_object(table, index=False).to_numpy().tobytes())


def fingerprint(rows: pd.DataFrame, structure, settings, catalogue: pd.DataFrame) -> str:
    """A digest of everything the province's protected table follows from: every column of its rows (counts,
    definitions, notes, sources, intervals), who is part of whom (``structure``,
    :class:`ks_data.publish.linked.Structure`), the settings, the whole catalogue and the code."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(RULES.encode())
    digest.update(FORMAT.encode())
    digest.update(_code())
    digest.update(repr(sorted((m, tuple(p)) for m, p in structure.members.items())).encode())
    digest.update(repr((sorted((g, tuple(m)) for g, m in structure.groups.items()),
                        sorted(structure.pooled_groups))).encode())
    digest.update(repr(settings).encode())
    _frame_digest(digest, catalogue.astype(str).assign(_key=catalogue.index.astype(str)))
    _frame_digest(digest, rows.reset_index(drop=True))
    return digest.hexdigest()


def _path(folder: Path, province: str, key: str) -> Path:
    return folder / f"{province}-{key}.parquet"


def _digest(table: pd.DataFrame) -> str:
    """A digest of a stored table (column names, types, values), kept in the file: a file cut short, damaged or
    altered by accident is never trusted. It is no seal: whoever can write the data folder can change the data."""
    digest = hashlib.blake2b(digest_size=16)
    _frame_digest(digest, table)
    return digest.hexdigest()


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
