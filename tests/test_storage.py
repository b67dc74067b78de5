"""Writes are atomic, and the Parquet copy follows the text file."""

import json
import os
import time

import pandas as pd
import pytest

from ks_data import storage
from ks_data.table.observations import load_observations, save_observations
from ks_data.table.validation import ValidationError
from tests.conftest import obs, write_observations


def test_interrupted_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    target = tmp_path / "f.csv"
    storage.atomic_write_text(target, "oud\n")

    def crash(src, dst):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        storage.atomic_write_text(target, "nieuw maar half")
    assert target.read_text() == "oud\n"
    assert [p.name for p in tmp_path.iterdir()] == ["f.csv"]  # no temporary file left behind


def test_writer_failing_halfway_leaves_the_old_file(tmp_path):
    target = tmp_path / "f.parquet"
    storage.atomic_write_bytes(target, b"old")

    def half(path):
        path.write_bytes(b"half")
        raise RuntimeError("interrupted")
    with pytest.raises(RuntimeError):
        storage.atomic_write_with(target, half)
    assert target.read_bytes() == b"old"


def test_invalid_table_is_never_saved(second_municipality):
    before = (second_municipality / "bundles" / "echt" / "observations.csv").read_bytes()
    table = load_observations("echt")
    table.loc[0, "value"] = 5000.0  # impossible per 1000
    with pytest.raises(ValidationError):
        save_observations(table, "echt")
    assert (second_municipality / "bundles" / "echt" / "observations.csv").read_bytes() == before


def test_parquet_copy_is_used_and_rebuilt_when_the_text_changes(second_municipality):
    first = load_observations("echt")
    cache = second_municipality / ".cache" / "echt.parquet"
    assert cache.exists()
    stamp = cache.stat().st_mtime_ns
    assert load_observations("echt").equals(first)
    assert cache.stat().st_mtime_ns == stamp  # fast path: not rewritten
    text = write_observations(second_municipality, "echt", [obs("big2", "GM9990", "99.9")])
    os.utime(text, ns=(stamp + 10**7, stamp + 10**7))  # a later time, without waiting for the clock
    again = load_observations("echt")
    assert again["value"].tolist() == [99.9]
    assert cache.stat().st_mtime_ns != stamp


def test_parquet_copy_is_keyed_on_the_text_not_on_its_time(second_municipality, monkeypatch):
    """A file touched or checked out again (new time, same bytes) is not validated again; new bytes are."""
    import os

    from ks_data.table import observations

    load_observations("echt")
    csv = second_municipality / "bundles" / "echt" / "observations.csv"
    os.utime(csv, ns=(csv.stat().st_atime_ns, csv.stat().st_mtime_ns + 10**9))
    checked = []
    monkeypatch.setattr(observations, "check_table", lambda *a, **k: checked.append(1) or pytest.fail("validated"))
    assert len(load_observations("echt")) == 4 and not checked
    csv.write_text(csv.read_text(encoding="utf-8").replace("123.4", "123.5"), encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match="validated"):
        load_observations("echt")


def test_a_text_changed_during_its_load_is_not_cached_under_its_old_checks(second_municipality, monkeypatch):
    """The checksum is taken beside the checks; if the file changed after it was read, no copy is kept."""
    from ks_data.table import observations

    csv = second_municipality / "bundles" / "echt" / "observations.csv"
    cache = second_municipality / ".cache" / "echt.parquet"
    read = observations.read_raw

    def read_then_change(path, *args):
        raw = read(path, *args)
        before = csv.stat().st_mtime_ns
        csv.write_text(csv.read_text(encoding="utf-8").replace("123.4", "123.5"), encoding="utf-8")
        os.utime(csv, ns=(before + 10**7, before + 10**7))  # changed later, whatever the clock's resolution
        return raw

    monkeypatch.setattr(observations, "read_raw", read_then_change)
    assert 123.4 in load_observations("echt")["value"].tolist()  # what was read, checked
    assert not cache.exists()
    monkeypatch.setattr(observations, "read_raw", read)
    assert 123.5 in load_observations("echt")["value"].tolist() and cache.exists()
    assert [p.name for p in cache.parent.iterdir() if p.suffix == ".tmp"] == []


def test_a_text_replaced_before_its_load_and_restored_with_its_time_is_never_served_from_the_others_copy(
        second_municipality, monkeypatch):
    """The stamp of the copy and the check that the file did not change come from one look at the file."""
    from ks_data.table import observations

    csv = second_municipality / "bundles" / "echt" / "observations.csv"
    original = csv.read_bytes()
    load_observations("echt")
    os.utime(csv, ns=(csv.stat().st_atime_ns, csv.stat().st_mtime_ns + 10**9))  # touched: the copy is checked
    times = (csv.stat().st_atime_ns, csv.stat().st_mtime_ns)
    content = observations._content

    def replaced_while_the_copy_is_checked(path):
        csv.write_bytes(original.replace(b"123.4", b"123.5"))
        monkeypatch.setattr(observations, "_content", content)
        return content(path)

    monkeypatch.setattr(observations, "_content", replaced_while_the_copy_is_checked)
    assert 123.5 in load_observations("echt")["value"].tolist()  # what was read, checked
    csv.write_bytes(original)  # restored from a backup, with its time (cp -p, rsync -a)
    os.utime(csv, ns=times)
    assert 123.4 in load_observations("echt")["value"].tolist()


def test_a_text_gone_after_it_was_read_is_still_served_but_not_cached(second_municipality, monkeypatch):
    from ks_data.table import observations

    csv = second_municipality / "bundles" / "echt" / "observations.csv"
    read = observations.read_raw

    def read_then_gone(path, *args):
        raw = read(path, *args)
        csv.rename(csv.with_suffix(".weg"))  # a checkout in progress
        return raw

    monkeypatch.setattr(observations, "read_raw", read_then_gone)
    assert len(load_observations("echt")) == 4
    assert not (second_municipality / ".cache" / "echt.parquet").exists()


def test_a_copy_from_another_build_than_its_sidecar_is_not_trusted(second_municipality):
    """A crash between writing the copy and its sidecar leaves them from different builds: checked again."""
    from ks_data.table import observations

    load_observations("echt")
    cache = second_municipality / ".cache" / "echt.parquet"
    sidecar = cache.with_suffix(".json")
    seen = json.loads(sidecar.read_text())
    sidecar.write_text(json.dumps({**seen, "build": "0" * 16}))
    built = cache.stat().st_mtime_ns - 10**7
    os.utime(cache, ns=(built, built))  # so a rebuild shows, however fast it is
    load_observations("echt")
    assert cache.stat().st_mtime_ns != built and json.loads(sidecar.read_text())["build"] != "0" * 16
    assert observations.CACHE_VERSION in json.loads(sidecar.read_text())["content"]


def test_a_refused_text_leaves_no_copy_and_no_temporary_file(second_municipality):
    write_observations(second_municipality, "echt", [obs("big2", "GM9990", "twee")])
    with pytest.raises(ValidationError):
        load_observations("echt")
    cache_dir = second_municipality / ".cache"
    assert not cache_dir.exists() or [p.name for p in cache_dir.iterdir() if not p.name.endswith(".lock")] == []


def test_damaged_cache_is_rebuilt(second_municipality):
    load_observations("echt")
    cache = second_municipality / ".cache" / "echt.parquet"
    cache.write_bytes(b"not parquet")
    assert len(load_observations("echt")) == 4
    assert pd.read_parquet(cache).shape[0] == 4


def test_bundles_are_never_mixed(second_municipality):
    write_observations(second_municipality, "echt", [obs("big2", "GM9990", "99.9", is_example="true")])
    with pytest.raises(ValidationError, match="bundels mengen niet"):
        load_observations("echt")


@pytest.mark.parametrize("write", [
    lambda target: storage.atomic_write_text(target, "nieuw\n"),
    lambda target: storage.atomic_write_with(target, lambda tmp: tmp.write_text("nieuw\n")),
])
def test_stale_temporary_files_of_a_killed_write_are_removed(tmp_path, write):
    target = tmp_path / "f.csv"
    target.write_text("oud\n")
    stale = tmp_path / ".f.csv.k1ll3d_x.tmp"  # what mkstemp leaves when the process is killed mid-write
    fresh = tmp_path / ".f.csv.busy1234.tmp"  # another writer, still busy
    other = tmp_path / ".g.csv.k1ll3d_x.tmp"  # another target's leftover is not ours to judge
    for leftover in [stale, fresh, other]:
        leftover.write_text("half")
        leftover.chmod(0o600)
    hour_ago = time.time() - 3600
    for old in [stale, other]:
        os.utime(old, (hour_ago, hour_ago))
    write(target)
    assert target.read_text() == "nieuw\n"
    assert not stale.exists()
    assert fresh.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".f.csv.busy1234.tmp", ".g.csv.k1ll3d_x.tmp", "f.csv"]


def test_the_process_keeps_freed_memory_for_reuse_where_glibc_allows_it():
    import platform

    from ks_data.memory import keep_freed_memory

    expected = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"
    assert keep_freed_memory() is expected
