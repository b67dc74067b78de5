"""Changing a bundle: preview, merge with history, undo — nothing is overwritten silently.

An import is first a :class:`Preview`: which rows would be added, which would change (old value
→ new value, with both sources), which are unchanged and which are refused and why. Only
:func:`apply` writes, under a lock (two imports at once are serialised), after checking that the
bundle did not change since the preview. Before every write the current file's exact bytes are
kept in ``bundles/<name>/history/`` with an entry in ``history.jsonl`` saying who did what, when,
from which source; :func:`undo` puts the previous bytes back (itself recorded, so it can be
restored in turn). The history lives beside the data, so replicas on shared storage see it too.
"""

from __future__ import annotations

import fcntl
import getpass
import hashlib
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from ks_data import fmt
from ks_data.sources.incoming import normalise
from ks_data.storage import atomic_write_bytes, atomic_write_text
from ks_data.table.areas import load_areas
from ks_data.table.catalogue import load_catalogue
from ks_data.table.config import data_dir, load_bundle_meta
from ks_data.table.observations import bundle_csv, check_table
from ks_data.table.schema import COLUMNS, with_optional
from ks_data.table.validation import validate
from ks_data.vocab import UNIT_LABEL

KEY = ["indicator_id", "area_code", "period_start", "period_end"]  # plus the label for undated rows
COMPARED = ["value", "numerator", "denominator", "ci_low", "ci_high", "unit", "definition"]


class StoreError(ValueError):
    """A change that cannot be made; ``str()`` is the Dutch message for the user."""


@dataclass
class Preview:
    bundle: str
    source: str
    stamp: str  # the bundle file's checksum when the preview was made
    added: pd.DataFrame
    changed: pd.DataFrame  # new rows, with old_value/old_source beside them
    unchanged: int
    refused: list[str] = field(default_factory=list)
    merged: pd.DataFrame | None = None  # the whole bundle after the merge (text form)

    @property
    def empty(self) -> bool:
        return self.added.empty and self.changed.empty

    def summary(self) -> str:
        return (f"{len(self.added)} nieuw, {len(self.changed)} gewijzigd, {self.unchanged} ongewijzigd, "
                f"{len(self.refused)} geweigerd")


def _checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def _keys(text: pd.DataFrame) -> pd.Series:
    undated = text["period_start"].eq("") & text["period_end"].eq("")
    key = text["indicator_id"] + "|" + text["area_code"] + "|" + text["period_start"] + "|" + text["period_end"]
    return key.where(~undated, key + "|" + text["period_label"])


def _numbers_equal(a: pd.Series, b: pd.Series) -> pd.Series:
    x, y = pd.to_numeric(a, errors="coerce"), pd.to_numeric(b, errors="coerce")
    return (x == y) | (x.isna() & y.isna())


def preview(bundle: str, raw: pd.DataFrame, *, source: str = "", root: Path | None = None,
            trace=None) -> Preview:
    """What importing ``raw`` (a table read as text) into ``bundle`` would do; writes nothing.

    ``trace`` turns problems numbered by row of ``raw`` into the file's own rows and columns (a
    wide export reshaped by :mod:`ks_data.sources.wide`).
    """
    root = root or data_dir()
    if raw.empty:  # a header and nothing under it: nothing to import, said as such
        raise StoreError("Het bestand heeft een kopregel maar geen gegevensrijen; er is niets om in te lezen.")
    meta = load_bundle_meta(bundle, root)
    path = bundle_csv(bundle, root)
    current = with_optional(pd.read_csv(path, dtype=str, keep_default_na=False))[COLUMNS]
    incoming = normalise(raw, load_areas(root), source=source, is_example=meta.is_example)
    problems = validate(incoming, load_catalogue(root), load_areas(root))
    bad_lines = {p.line for p in problems if p.line}
    refused = [str(p) for p in (trace(problems) if trace else problems)]
    if any(p.line == 0 for p in problems):  # the file as a whole: nothing can be taken
        bad_lines = set(range(2, len(incoming) + 2))
    ok = incoming[[line not in bad_lines for line in range(2, len(incoming) + 2)]]
    mixed = ok["is_example"].str.lower().isin(["true", "1", "ja"]) != meta.is_example
    refused += [f"regel {i + 2}: voorbeelddata en echte cijfers mengen niet in één bundel"
                for i in ok.index[mixed]]
    ok = ok[~mixed]
    current_keys, ok_keys = _keys(current), _keys(ok)
    old = current.assign(_key=current_keys).set_index("_key")
    known = ok_keys.isin(old.index)
    added = ok[~known]
    same = ok[known].copy()
    before = old.loc[ok_keys[known]].reset_index(drop=True)
    same = same.reset_index(drop=True)
    equal = pd.concat([_numbers_equal(same[c], before[c]) if c not in ("unit", "definition") else same[c].eq(before[c])
                       for c in COMPARED], axis=1).all(axis=1)
    changed = same[~equal].assign(old_value=before.loc[~equal, "value"], old_source=before.loc[~equal, "source"])
    merged = old.copy()
    replace = same[~equal].assign(_key=_keys(same[~equal])).set_index("_key")[COLUMNS]
    merged.loc[replace.index, COLUMNS] = replace
    merged = pd.concat([merged.reset_index(drop=True), added[COLUMNS]], ignore_index=True)
    return Preview(bundle, source, _checksum(path), added.reset_index(drop=True), changed.reset_index(drop=True),
                   int(equal.sum()), refused, merged[COLUMNS])


@contextmanager
def _locked(bundle: str, root: Path):
    lock = root / "bundles" / bundle / ".lock"
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # a second import waits here until the first is done
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _history_dir(bundle: str, root: Path) -> Path:
    return root / "bundles" / bundle / "history"


def history(bundle: str, root: Path | None = None) -> list[dict]:
    """Every change to the bundle, oldest first."""
    log = _history_dir(bundle, root or data_dir()) / "history.jsonl"
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]


def _record(bundle: str, root: Path, who: str, action: str, detail: str) -> dict:
    """Keep the current bytes and log the change about to be made; returns the entry."""
    folder = _history_dir(bundle, root)
    folder.mkdir(exist_ok=True)
    entries = history(bundle, root)
    number = (entries[-1]["id"] + 1) if entries else 1
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    snapshot = folder / f"{number:04d}.csv"
    atomic_write_bytes(snapshot, bundle_csv(bundle, root).read_bytes())
    entry = {"id": number, "time": stamp, "who": who, "action": action, "detail": detail,
             "before": snapshot.name}
    lines = [json.dumps(e, ensure_ascii=False) for e in [*entries, entry]]
    atomic_write_text(folder / "history.jsonl", "\n".join(lines) + "\n")
    return entry


def apply(result: Preview, *, who: str, root: Path | None = None) -> dict:
    """Merge a preview into its bundle (validated as a whole, atomically), keeping the old state."""
    root = root or data_dir()
    if result.empty:
        raise StoreError("Er is niets om toe te voegen of te wijzigen; de gegevens blijven zoals ze zijn.")
    with _locked(result.bundle, root):
        if _checksum(bundle_csv(result.bundle, root)) != result.stamp:
            raise StoreError("De gegevens zijn intussen door iemand anders gewijzigd; bekijk de voorvertoning "
                             "opnieuw voordat u bevestigt.")
        check_table(result.merged, root, source=f"{result.bundle}/observations.csv")  # raises before any write
        entry = _record(result.bundle, root, who, "import",
                        f"{result.summary()} uit {result.source or 'bestand'}")
        atomic_write_text(bundle_csv(result.bundle, root), result.merged.to_csv(index=False, lineterminator="\n"))
    return entry


def restore(bundle: str, entry_id: int, *, who: str, root: Path | None = None) -> dict:
    """Put back the bundle as it was before change ``entry_id`` (recorded, so it can be restored again)."""
    root = root or data_dir()
    with _locked(bundle, root):
        entries = {e["id"]: e for e in history(bundle, root)}
        if entry_id not in entries:
            raise StoreError(f"Wijziging {entry_id} bestaat niet in de geschiedenis van '{bundle}'.")
        snapshot = _history_dir(bundle, root) / entries[entry_id]["before"]
        data = snapshot.read_bytes()
        entry = _record(bundle, root, who, "herstel", f"terug naar de stand vóór wijziging {entry_id}")
        atomic_write_bytes(bundle_csv(bundle, root), data)
    return entry


def undo(bundle: str, *, who: str, root: Path | None = None) -> dict:
    """Undo the last import (or the last restore)."""
    entries = history(bundle, root or data_dir())
    if not entries:
        raise StoreError(f"Er is nog niets te herstellen: de geschiedenis van '{bundle}' is leeg.")
    return restore(bundle, entries[-1]["id"], who=who, root=root)


def preview_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """A preview's rows as a reader writes them: Dutch numbers ("172,1") and units ("per 1000")."""
    out = rows.copy()
    for col in [c for c in ["value", "old_value"] if c in out]:
        out[col] = [fmt.as_written(v) for v in out[col]]
    if "unit" in out:
        out["unit"] = [UNIT_LABEL.get(str(u), str(u)) for u in out["unit"]]
    return out


def history_rows(entries: list[dict]) -> pd.DataFrame:
    """The history, newest first, with Dutch local times."""
    table = pd.DataFrame(entries)[["id", "time", "who", "action", "detail"]].iloc[::-1]
    table["time"] = [fmt.moment(t) for t in table["time"]]
    table.columns = ["Nr.", "Tijd", "Door", "Actie", "Wat"]
    return table


def default_user() -> str:
    """Who changes the data from the command line: ``$KS_USER``, else the login name."""
    try:
        return os.environ.get("KS_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "onbekend"
