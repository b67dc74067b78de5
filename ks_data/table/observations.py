"""The one loader of observations: text files in git, a Parquet copy as the fast path.

A bundle lives in ``data/bundles/<name>/`` as ``observations.csv`` (small, diffable, the
truth) plus ``bundle.toml``. The loader validates the text, fills the 95% intervals and keeps
a Parquet copy in ``data/.cache/`` that it rebuilds whenever the text file changes.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ks_data.stats.intervals import fill_intervals
from ks_data.storage import atomic_write_text, put_in_place, temporary_beside
from ks_data.table.areas import load_areas
from ks_data.table.catalogue import load_catalogue
from ks_data.table.config import data_dir, load_bundle_meta
from ks_data.table.reading import read_table
from ks_data.table.schema import COLUMNS, OPTIONAL, TEXT, as_text, coerce
from ks_data.table.validation import Problem, ValidationError, parse_numbers, stated_decimals, validate

CACHE_VERSION = "6"  # 6: Poisson bounds capped at the whole denominator


def bundle_csv(bundle: str, root: Path | None = None) -> Path:
    return (root or data_dir()) / "bundles" / bundle / "observations.csv"


def read_raw(path: str | Path, sheet: str | int | None = None) -> pd.DataFrame:
    """A tidy file (CSV, XLSX or Parquet) as text, so validation sees what was written; text columns categorical."""
    return read_table(path, sheet, categorical=True)


def check_table(raw: pd.DataFrame, root: Path | None = None, source: str = "",
                meanwhile: Callable[[pd.DataFrame], object] | None = None) -> pd.DataFrame:
    """Validate a raw table and return it typed, with 95% intervals filled; raise ValidationError.

    Two columns are added: ``decimals`` (how many decimals the source gives for the value, so it
    is shown as precisely as it was published, no more) and ``ci_computed`` (the interval was
    computed here from the counts, not given by the source: it is never written back).
    ``meanwhile(typed)`` runs in a second thread while the checks run (the loader writes its
    Parquet copy there); its result counts only if the checks pass.
    """
    catalogue, areas = load_catalogue(root), load_areas(root)
    text = as_text(raw)  # stripped once, read by validation and typing alike
    numbers = parse_numbers(text)
    try:
        with warnings.catch_warnings():  # typing before the checks may meet what they refuse (an -inf year)
            warnings.simplefilter("ignore", RuntimeWarning)
            table, failed = _typed(text, numbers, catalogue), None
    except Exception as err:  # noqa: BLE001 — typing before the checks may meet what they refuse
        table, failed = None, err
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(meanwhile, table) if meanwhile and table is not None else None
        problems = validate(raw, catalogue, areas, text, numbers)
        if pending:
            pending.result()
    if problems:
        raise ValidationError(problems, source)
    if failed:
        raise failed
    return table


def _typed(text: pd.DataFrame, numbers: dict, catalogue: pd.DataFrame) -> pd.DataFrame:
    table = coerce(text, numbers)
    table["decimals"] = stated_decimals(text["value"]).astype("Int64").array
    table["ci_computed"] = (table["ci_low"].isna() & table["ci_high"].isna()).to_numpy()
    return fill_intervals(table, catalogue, copy=False)


def _stamp(identity: tuple[int, ...]) -> str:
    _, _, size, mtime = identity
    return json.dumps([CACHE_VERSION, mtime, size])


def load_observations(bundle: str | None = None, root: Path | None = None) -> pd.DataFrame:
    """The validated observations of one bundle (default: the settings' default bundle)."""
    from ks_data.table.config import load_settings

    root = root or data_dir()
    bundle = bundle or load_settings(root).default_bundle
    meta = load_bundle_meta(bundle, root)
    csv = bundle_csv(bundle, root)
    cache = root / ".cache" / f"{bundle}.parquet"
    identity = _identity(csv)  # one look at the file: the stamp and the later "did it change?" agree
    stamp = _stamp(identity)
    if cache.exists():
        try:
            stored = pq.read_table(cache)
            built = (stored.schema.metadata or {}).get(b"ks_build", b"").decode()
            seen = _sidecar(cache)
            ours = bool(built) and seen.get("build") == built  # this copy is the one the sidecar describes
            fresh = ours and seen.get("stamp") == stamp
            if ours and not fresh:  # touched or checked out again: the same bytes need no new checks
                fresh = seen.get("content") == f"{CACHE_VERSION}:{_content(csv)}" and _identity(csv) == identity
                if fresh:
                    _write_sidecar(cache, {**seen, "stamp": stamp})
            if fresh:
                return _restore_types(stored.to_pandas())
        except (OSError, pa.ArrowException, ValueError):
            pass  # a damaged cache is rebuilt from the text file
    return _load_text(csv, cache, identity, meta.is_example, root, f"{bundle}/observations.csv")


def _load_text(csv: Path, cache: Path, before: tuple[int, ...], is_example: bool, root: Path,
               source: str) -> pd.DataFrame:
    """Read, check and type the text; meanwhile hash it and write the Parquet copy, kept only if all is well.

    The copy carries a build number that its sidecar repeats with the text's stamp and checksum: a copy
    and a sidecar from different builds (a crash between the two writes) are never taken for each other.
    The text is hashed after it was read; if the file changed since ``before`` (the look that gave the
    stamp), or is gone, the copy is not kept.
    """
    raw = read_raw(csv)
    build = secrets.token_hex(8)
    try:
        tmp = temporary_beside(cache)
    except OSError:
        tmp = None  # a read-only data folder still works, only slower
    written: list[bool] = []
    try:
        with ThreadPoolExecutor(1) as pool:  # hashing releases the GIL: it runs beside the checks
            content = pool.submit(_content, csv)
            table = check_table(raw, root, source,
                                meanwhile=(lambda typed: written.append(_write_parquet(typed, tmp, build))) if tmp else None)
            wrong = table["is_example"] != is_example
            if wrong.any():
                lines = (wrong.to_numpy().nonzero()[0] + 2).tolist()
                raise ValidationError([Problem(int(n), "is_example", "bundels mengen niet: rij past niet bij de bundel")
                                       for n in lines], source)
            try:
                content, unchanged = content.result(), _identity(csv) == before
            except OSError:  # gone meanwhile (a checkout in progress): what was read stands, uncached
                unchanged = False
        if any(written) and unchanged:
            try:
                put_in_place(tmp, cache)
            except OSError:
                pass  # not kept this time: the next load checks the text again
            else:
                _write_sidecar(cache, {"build": build, "stamp": _stamp(before),
                                       "content": f"{CACHE_VERSION}:{content}"})
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    return table


def _identity(path: Path) -> tuple[int, ...]:
    stat = path.stat()
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns


def _content(path: Path) -> str:
    """The file's checksum: the cache is keyed on what the text says, not on when it was written."""
    digest = hashlib.sha256()  # SHA-256 has CPU instructions of its own: the fastest of hashlib's here
    block = bytearray(1 << 22)  # one buffer, read into again and again: no fresh memory per block
    view = memoryview(block)
    with open(path, "rb", buffering=0) as handle:
        while size := handle.readinto(block):
            digest.update(view[:size])
    return digest.hexdigest()


def _sidecar(cache: Path) -> dict:
    """The copy's build, and the text's stamp and checksum it was built from (so a warm load reads no text)."""
    try:
        return json.loads(cache.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_sidecar(cache: Path, seen: dict) -> None:
    try:
        atomic_write_text(cache.with_suffix(".json"), json.dumps(seen))
    except OSError:
        pass  # a read-only data folder still works, only slower


def _restore_types(table: pd.DataFrame) -> pd.DataFrame:
    for col in ["period_start", "period_end", "decimals"]:
        table[col] = table[col].astype("Int64")
    return table


TEXT_COLUMNS = TEXT + OPTIONAL  # repeated texts; numbers are written plain (dictionary-encoding them costs more)


def _write_parquet(table: pd.DataFrame, path: Path, build: str) -> bool:
    """Write the typed table with its build number to ``path``; False if the disk refuses."""
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), b"ks_build": build.encode()})
    try:
        pq.write_table(arrow, path, compression="lz4", use_dictionary=TEXT_COLUMNS)
    except OSError:
        return False
    return True


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
    for col in TEXT_COLUMNS:  # plain text again, as written (missing stays missing)
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(object)
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
