"""Atomic file writes: a write that fails halfway leaves the previous file intact.

Each write goes to ``.<name>.<random>.tmp`` beside the target and is renamed into place. A
process killed mid-write leaves that temporary file behind; the next write of the same target
removes such leftovers once they are older than :data:`STALE_AFTER` seconds. A younger one may
belong to a writer that is still busy (its file's time moves on with every block written), so it
is left alone. The temporary files are ignored by git (``.*.tmp``).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

STALE_AFTER = 60.0  # seconds; far longer than any write here takes between two blocks


def remove_stale_temporaries(path: Path, older_than: float = STALE_AFTER) -> list[Path]:
    """Delete leftover temporary files of ``path`` not touched for ``older_than`` seconds; return them."""
    path = Path(path)
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[A-Za-z0-9_]+\.tmp")
    cutoff = time.time() - older_than
    removed = []
    try:
        candidates = [p for p in path.parent.iterdir() if pattern.fullmatch(p.name)]
    except OSError:
        return removed
    for candidate in candidates:
        try:
            if candidate.is_file() and not candidate.is_symlink() and candidate.stat().st_mtime < cutoff:
                candidate.unlink()
                removed.append(candidate)
        except OSError:
            pass  # gone already, or not ours to remove: tidying up never fails a write
    return removed


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, fsync it, then rename."""
    def write(tmp: Path) -> None:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())

    atomic_write_with(path, write)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_with(path: Path, writer) -> None:
    """Let ``writer(tmp_path)`` produce the file (e.g. pyarrow), then rename it into place."""
    tmp = temporary_beside(path)
    try:
        writer(tmp)
        put_in_place(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def temporary_beside(path: Path) -> Path:
    """A new empty temporary file beside ``path``; the caller removes it unless it is put in place.

    With :func:`put_in_place` this lets a writer start before it is known whether its result is
    wanted (a cache written while the data are still being checked).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    return Path(tmp)


def put_in_place(tmp: Path, path: Path) -> None:
    os.chmod(tmp, 0o644)  # mkstemp creates 0600; data files must stay readable
    os.replace(tmp, path)
