"""The one loader of observations: text files in git, a Parquet copy as the fast path.

A bundle lives in ``data/bundles/<name>/`` as ``observations.csv`` (small, diffable, the
truth) plus ``bundle.toml``. The loader validates the text, fills the 95% intervals and keeps
a Parquet copy in ``data/.cache/`` that it rebuilds whenever the text file changes.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ks_data.areas import load_areas
from ks_data.catalogue import load_catalogue
from ks_data.config import data_dir, load_bundle_meta
from ks_data.reading import read_table
from ks_data.schema import COLUMNS, coerce
from ks_data.stats.intervals import fill_intervals
from ks_data.storage import atomic_write_text, atomic_write_with
from ks_data.validation import Problem, ValidationError, as_text, stated_decimals, validate

CACHE_VERSION = "3"


def bundle_csv(bundle: str, root: Path | None = None) -> Path:
    return (root or data_dir()) / "bundles" / bundle / "observations.csv"


read_raw = read_table  # a tidy file (CSV, XLSX or Parquet) as text, so validation sees what was written


def check_table(raw: pd.DataFrame, root: Path | None = None, source: str = "") -> pd.DataFrame:
    """Validate a raw table and return it typed, with 95% intervals filled; raise ValidationError.

    Two columns are added: ``decimals`` (how many decimals the source gives for the value, so it
    is shown as precisely as it was published, no more) and ``ci_computed`` (the interval was
    computed here from the counts, not given by the source: it is never written back).
    """
    catalogue, areas = load_catalogue(root), load_areas(root)
    text = as_text(raw)  # stripped once, read by validation and typing alike
    problems = validate(raw, catalogue, areas, text)
    if problems:
        raise ValidationError(problems, source)
    table = coerce(text, stripped=True)
    table["decimals"] = stated_decimals(text["value"]).astype("Int64").array
    table["ci_computed"] = (table["ci_low"].isna() & table["ci_high"].isna()).to_numpy()
    return fill_intervals(table, catalogue)


def _stamp(path: Path) -> str:
    stat = path.stat()
    return json.dumps([CACHE_VERSION, stat.st_mtime_ns, stat.st_size])


def load_observations(bundle: str | None = None, root: Path | None = None) -> pd.DataFrame:
    """The validated observations of one bundle (default: the settings' default bundle)."""
    from ks_data.config import load_settings

    root = root or data_dir()
    bundle = bundle or load_settings(root).default_bundle
    meta = load_bundle_meta(bundle, root)
    csv = bundle_csv(bundle, root)
    cache = root / ".cache" / f"{bundle}.parquet"
    stamp, content = _stamp(csv), None
    if cache.exists():
        try:
            stored = pq.read_table(cache)
            known = (stored.schema.metadata or {}).get(b"ks_content", b"").decode()
            fresh = bool(known) and _sidecar(cache) == {"stamp": stamp, "content": known}
            if not fresh:  # touched or checked out again: the same bytes need no new validation
                content = _content(csv)
                fresh = known == f"{CACHE_VERSION}:{content}"
                if fresh:
                    _write_sidecar(cache, stamp, known)
            if fresh:
                return _restore_types(stored.to_pandas())
        except (OSError, pa.ArrowException, ValueError):
            pass  # a damaged cache is rebuilt from the text file
    content = content or _content(csv)  # before reading: a file replaced meanwhile is not cached under it
    table = check_table(read_raw(csv), root, source=f"{bundle}/observations.csv")
    wrong = table["is_example"] != meta.is_example
    if wrong.any():
        lines = (wrong.to_numpy().nonzero()[0] + 2).tolist()
        raise ValidationError([Problem(int(n), "is_example", "bundels mengen niet: rij past niet bij de bundel")
                               for n in lines], f"{bundle}/observations.csv")
    _write_cache(table, cache, stamp, f"{CACHE_VERSION}:{content}")
    return table


def _content(path: Path) -> str:
    """The file's checksum: the cache is keyed on what the text says, not on when it was written."""
    digest = hashlib.blake2b(digest_size=20)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def _sidecar(cache: Path) -> dict:
    """The file's stamp when its content was last checked (so a warm load does not read the text at all)."""
    try:
        return json.loads(cache.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_sidecar(cache: Path, stamp: str, content: str) -> None:
    try:
        atomic_write_text(cache.with_suffix(".json"), json.dumps({"stamp": stamp, "content": content}))
    except OSError:
        pass  # a read-only data folder still works, only slower


def _restore_types(table: pd.DataFrame) -> pd.DataFrame:
    for col in ["period_start", "period_end", "decimals"]:
        table[col] = table[col].astype("Int64")
    return table


def _write_cache(table: pd.DataFrame, cache: Path, stamp: str, content: str) -> None:
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), b"ks_content": content.encode()})
    try:
        atomic_write_with(cache, lambda tmp: pq.write_table(arrow, tmp))
    except OSError:
        return  # a read-only data folder still works, only slower
    _write_sidecar(cache, stamp, content)


def to_text(table: pd.DataFrame, source_only: bool = False) -> pd.DataFrame:
    """The table in its text form (as stored and exported): years as integers, booleans lower-case.

    Values keep the decimals their source gave. ``source_only`` leaves out what was computed
    here (intervals from counts), so the stored file holds only what the source said.
    """
    out = table[COLUMNS].copy()
    if source_only and "ci_computed" in table:
        out.loc[table["ci_computed"].astype(bool).to_numpy(), ["ci_low", "ci_high"]] = np.nan
    if "decimals" in table:
        decimals = table["decimals"]
        out["value"] = [("" if pd.isna(v) else f"{v:.{int(d)}f}" if pd.notna(d) else repr(float(v)))
                        for v, d in zip(out["value"], decimals)]
    out["is_example"] = out["is_example"].map({True: "true", False: "false"})
    for col in ["indicator_id", "area_code", "unit", "period_label"]:
        out[col] = out[col].astype(str)
    for col in ["numerator", "denominator"]:
        whole = out[col].dropna()
        if (whole % 1 == 0).all():  # counts are written as integers: 79, not 79.0
            out[col] = out[col].astype("Int64")
    return out


def save_observations(table: pd.DataFrame, bundle: str, root: Path | None = None) -> None:
    """Validate, then write the bundle's text file atomically (the previous file survives a failure)."""
    text = to_text(table, source_only=True).astype("string").fillna("")
    check_table(text, root, source=bundle)
    atomic_write_text(bundle_csv(bundle, root), text.to_csv(index=False, lineterminator="\n"))
