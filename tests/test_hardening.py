"""Hardening that spans modules: hostile exports, the stored file, any working directory, a quiet server."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import subprocess
import sys
import time

import openpyxl
import pandas as pd
import pytest

from ks_data.table.observations import bundle_csv, load_observations, save_observations
from tests.browser_support import free_port, wait_healthy
from tests.conftest import DATA, ROOT, hostile_copy, obs, run_cli, write_observations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def run(*args, cwd=ROOT, env=None):
    return run_cli(*args, cwd=cwd, env=env, text=False)


def test_exports_of_hostile_data_hold_no_formula(tmp_path):
    root = tmp_path / "data"
    hostile_copy(root)
    env = {"KS_DATA_DIR": str(root)}
    xlsx = tmp_path / "uit.xlsx"
    assert run("export", "--bundle", "voorbeeld", "--format", "xlsx", "--out", str(xlsx), env=env).returncode == 0
    sheet = openpyxl.load_workbook(xlsx).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(isinstance(c.value, str) and c.value.startswith("=HYPERLINK") for c in cells)  # kept, as text
    assert any(isinstance(c.value, float) for c in cells)  # numbers stay numbers
    result = run("export", "--bundle", "voorbeeld", env=env)
    assert result.returncode == 0
    for row in csv.reader(io.StringIO(result.stdout.decode("utf-8"))):
        for cell in row:
            assert not cell.startswith(FORMULA_START) or re.fullmatch(r"-?[\d.,]+", cell), cell


def test_stored_file_keeps_only_what_the_source_gave(second_municipality):
    write_observations(second_municipality, "voorbeeld", [
        obs("big2", "GM9990", "150.0", 2024, "30", "200", is_example="true"),
        obs("big2", "NL01", "152.8", 2024, "", "", ci_low="150.1", ci_high="155.5", is_example="true")],
        is_example=True)
    table = load_observations("voorbeeld")
    assert table["ci_low"].notna().all()  # computed for the counted row, given for the other
    save_observations(table, "voorbeeld")
    stored = pd.read_csv(bundle_csv("voorbeeld"), dtype=str, keep_default_na=False).set_index("area_code")
    assert stored.at["GM9990", "ci_low"] == "" and stored.at["NL01", "ci_low"] == "150.1"
    assert stored.at["GM9990", "value"] == "150.0"
    # a later correction of the counts gets fresh intervals, not stale ones
    stored.loc["GM9990", ["numerator", "value"]] = ["40", "200.0"]
    stored.reset_index().to_csv(bundle_csv("voorbeeld"), index=False)
    again = load_observations("voorbeeld").set_index("area_code")
    assert again.at["GM9990", "ci_low"] > 150


def test_refused_files_leave_the_store_unchanged(tmp_path):
    def checksum() -> str:
        files = sorted(p for p in DATA.glob("bundles/**/*") if p.is_file())
        return hashlib.sha256(b"".join(p.read_bytes() for p in files)).hexdigest()

    before = checksum()
    for name, data in [("leeg.csv", b""), ("plaatje.csv", b"\x89PNG\r\n\x1a\n\x00"), ("nep.xlsx", b"a,b\n1,2\n")]:
        (tmp_path / name).write_bytes(data)
        result = run("validate", str(tmp_path / name))
        assert result.returncode == 2 and b"Traceback" not in result.stderr
    result = run("export", "--out", str(tmp_path))  # a directory, not a file
    assert result.returncode == 2 and "is een map" in result.stderr.decode()
    assert checksum() == before


def test_package_runs_from_any_working_directory(tmp_path):
    result = run("export", "--indicator", "big2", "--area", "GM0597", cwd=tmp_path)
    assert result.returncode == 0 and b"176.0" in result.stdout
    script = ROOT / ".venv" / "bin" / "ks-data"
    if script.exists():  # the entry point installed by `pip install -e .` (requirements.txt)
        entry = subprocess.run([str(script), "audit", "--bundle", "voorbeeld"], cwd=tmp_path, capture_output=True,
                               text=True, timeout=300)
        assert entry.returncode == 0 and "In orde" in entry.stdout


def test_server_makes_no_outside_lookup_at_startup(tmp_path):
    # only the repository's .streamlit/config.toml: no address flag, as the README starts it
    port = free_port()
    log = tmp_path / "server.log"
    with open(log, "w") as handle:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
                                cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        wait_healthy(f"http://localhost:{port}")
        text = log.read_text()
        while "URL:" not in text and time.time() < deadline:
            time.sleep(0.1)
            text = log.read_text()
    finally:
        proc.terminate()
        proc.wait(10)
    assert "URL:" in text and "External URL" not in text and "Network URL" not in text, text


@pytest.mark.parametrize("name,content,says", [
    ("alleen_kop.csv", b"indicator_id,area_code,period_label,value,unit\n", "geen gegevensrijen"),
    ("lang_veld.csv", b"indicator_id,area_code," + b"x" * 200_000 + b"\nbig2,GM0597,1\n", "131.072 tekens"),
    ("breed.csv", (",".join(f"k{i}" for i in range(5000)) + "\n" + ",".join("1" * 5000) + "\n").encode(),
     "5.000 kolommen"),
])
def test_hostile_uploads_end_in_one_dutch_sentence_with_the_store_unchanged(tmp_path, monkeypatch, name, content, says):
    # what the editor page does with an upload (read_bytes, then store.preview), each error shown as st.error
    from ks_data.sources import store
    from ks_data.table.observations import bundle_csv
    from ks_data.table.reading import ReadError, read_bytes

    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns(".cache", "nationaal", "history", "*.lock"))
    monkeypatch.setenv("KS_DATA_DIR", str(root))
    before = bundle_csv("echt", root).read_bytes()
    with pytest.raises((ReadError, store.StoreError)) as refused:
        store.preview("echt", read_bytes(content, name), source=name)
    assert says in str(refused.value) and "Traceback" not in str(refused.value)
    assert bundle_csv("echt", root).read_bytes() == before


def _sparse_workbook() -> bytes:
    """A tiny .xlsx with two cells far apart: read naively it becomes a grid of millions of cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"], sheet["ZZ900000"] = "indicator_id", "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _shared_strings_bomb() -> bytes:
    """A small zip whose shared strings unpack to more than the limit (written in pieces: never all in memory)."""
    import zipfile

    from ks_data.table.reading import MAX_UNPACKED

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            piece = b"<si><t>" + b"a" * (1 << 20) + b"</t></si>"
            for _ in range(MAX_UNPACKED // len(piece) + 2):
                part.write(piece)
    return buffer.getvalue()


@pytest.mark.parametrize("make,says", [(_sparse_workbook, "rijen bij"), (_shared_strings_bomb, "pakt uit tot")])
def test_a_workbook_that_would_exhaust_memory_is_refused_cheaply(make, says):
    import tracemalloc

    from ks_data.table.reading import ReadError, read_bytes

    data = make()
    assert len(data) < 2 * 1024 * 1024  # small on the wire
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ReadError, match=says):
        read_bytes(data, "export.xlsx")
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 64 * 1024 * 1024 and seconds < 20  # refused before any spreadsheet library reads it
