"""Measure the speed budgets: statistics on a national-size table, and each page's warm script run.

Usage:
    python scripts/benchmark.py all                       # national scale; last line is one JSON object
    python scripts/benchmark.py stats [--rows 1000000] [--repeat 5]
    python scripts/benchmark.py load [--rows 1500000]
    python scripts/benchmark.py pages [--repeat 7]          # each page's warm rerun, and its first visit
    python scripts/benchmark.py first [--repeat 3] [--national] [--browser]  # start to the first page

Reports medians (and the ratio to the budget) so runs on different machines compare.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ks_data.stats.compare import compare  # noqa: E402
from ks_data.stats.intervals import intervals  # noqa: E402
from ks_data.table.areas import load_areas  # noqa: E402
from ks_data.table.catalogue import load_catalogue  # noqa: E402


def national_table(rows: int, seed: int = 1) -> pd.DataFrame:
    """A synthetic table shaped like the national one: every area, indicators × years, with counts."""
    rng = np.random.default_rng(seed)
    areas = load_areas()
    cat = load_catalogue()
    codes = areas.index.to_numpy()
    per_area = max(rows // len(codes), 1)
    years = np.arange(2005, 2005 + int(np.ceil(per_area / len(cat))))
    grid = pd.MultiIndex.from_product([cat.index, codes, years], names=["indicator_id", "area_code", "year"])
    table = grid.to_frame(index=False).head(rows)
    n = rng.integers(20, 5000, len(table)).astype(float)
    table["denominator"] = n
    table["numerator"] = rng.binomial(n.astype(int), 0.15).astype(float)
    table["period_start"] = table["period_end"] = table.pop("year").astype("Int64")
    table["period_label"] = table["period_end"].astype(str).astype("category")
    table["value"] = table["numerator"] / n * table["indicator_id"].map(cat["multiplier"]).astype(float)
    table["indicator_id"] = table["indicator_id"].astype("category")
    table["area_code"] = table["area_code"].astype("category")
    return table


def bench_stats(rows: int, repeat: int) -> None:
    cat, areas = load_catalogue(), load_areas()
    table = national_table(rows)
    timings = {"intervals 95% + 99.8%": [], "verdicts against NL (incl. intervals)": []}
    for _ in range(repeat):
        t = time.perf_counter()
        intervals(table, cat, 0.95)
        intervals(table, cat, 0.998)
        timings["intervals 95% + 99.8%"].append(time.perf_counter() - t)
        t = time.perf_counter()
        compare(table, cat, areas, "NL01")
        timings["verdicts against NL (incl. intervals)"].append(time.perf_counter() - t)
    print(f"table: {len(table):,} rows")
    for name, values in timings.items():
        print(f"{name}: median {statistics.median(values):.3f} s over {repeat} runs")


def bench_load(rows: int) -> None:
    """First load (validate the text, fill intervals, write Parquet) and warm load (Parquet) of a national table."""
    import shutil
    import tempfile

    from ks_data.table.observations import load_observations, to_text
    from ks_data.table.schema import COLUMNS

    table = national_table(rows)
    for col in COLUMNS:
        if col not in table.columns:
            table[col] = ""
    table["unit"] = table["indicator_id"].map(load_catalogue()["unit"]).astype(str)
    table["value"] = table["value"].round(1)
    table["source"], table["retrieved"], table["is_example"] = "benchmark", "2026-11-22", True
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ["indicators.csv", "areas.csv", "settings.toml"]:
            shutil.copy(ROOT / "data" / name, root / name)
        folder = root / "bundles" / "bench"
        folder.mkdir(parents=True)
        (folder / "bundle.toml").write_text('title = "bench"\nis_example = true\n')
        text = to_text(table[COLUMNS])
        text.to_csv(folder / "observations.csv", index=False)
        size = (folder / "observations.csv").stat().st_size / 1e6
        t = time.perf_counter()
        load_observations("bench", root)
        first = time.perf_counter() - t
        warm = []
        for _ in range(5):
            t = time.perf_counter()
            load_observations("bench", root)
            warm.append(time.perf_counter() - t)
    print(f"table: {len(table):,} rows, CSV {size:.0f} MB")
    print(f"first load (validate + intervals + Parquet copy): {first:.2f} s")
    print(f"warm load from Parquet: median {statistics.median(warm):.3f} s over 5 runs")


def bench_pages(repeat: int) -> None:
    from streamlit.testing.v1 import AppTest

    from ks_ui.shell import PAGES

    budget = 0.300
    for bundle in ["echt", "voorbeeld"]:
        for path, title in PAGES:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.query_params["bundel"] = bundle
            at.run()
            switch = None
            if path != PAGES[0][0]:
                t = time.perf_counter()  # a person's first visit of the page, the data loaded by the start page
                at.switch_page(path).run()
                switch = time.perf_counter() - t
            runs = []
            for _ in range(repeat):
                t = time.perf_counter()
                at.run()
                runs.append(time.perf_counter() - t)
                assert not at.exception, at.exception
            median = statistics.median(runs)
            print(f"{title:22s} {bundle:9s} median {median * 1000:6.0f} ms  ({median / budget:.2f} × budget of 300 ms); "
                  + (f"first visit {switch * 1000:5.0f} ms (budget 1000 ms)" if switch is not None else "the start page"))


def bench_publish(repeat: int) -> None:
    """One municipality's published view from scratch: its province's joint audit (nothing stored), then the view."""
    from ks_data.publish.publication import Publication
    from ks_data.table.config import load_municipality, load_settings
    from ks_data.table.observations import load_observations

    settings = load_settings()
    for bundle in ["echt", "voorbeeld"]:
        obs = load_observations(bundle)
        mun = load_municipality(settings.default_municipality)
        runs = []
        for _ in range(repeat):
            t = time.perf_counter()
            publication = Publication(bundle, None, obs)
            publication.store = None  # measured every time, not read from the decisions kept on disk
            view = publication.view(mun)
            runs.append(time.perf_counter() - t)
        hidden = int(view.table["suppressed"].sum())
        print(f"published view {bundle:9s}: median {statistics.median(runs):.2f} s over {repeat} runs "
              f"({hidden} hidden cells, {len(view.audit)} audited)")


def bench_upload() -> None:
    """The largest uploads the editor page accepts (just under 20 MB: 500 columns, or ~300,000 tidy rows): time to
    a preview, and another session's page queries meanwhile (a thread of the same process, as Streamlit runs
    sessions), against the same queries when nothing else runs. Writes nothing to the store."""
    import threading

    from ks_data.sources import store
    from ks_data.table.reading import MAX_COLUMNS, read_bytes
    from ks_data.views.area_tables import funnel_data, postcode_table
    from ks_data.views.monitor import Monitor
    from ks_data.views.trend_lines import trend_lines

    line = "big2,GM0597,2020,150.1,per1000," + ",".join(["12345678"] * (MAX_COLUMNS - 5)) + "\n"
    head = "indicator_id,area_code,period_label,value,unit," + ",".join(f"x{i}" for i in range(MAX_COLUMNS - 5))
    wide = (head + "\n" + line * int(19.9e6 // len(line))).encode()
    columns = ("indicator_id,area_code,period_label,value,unit,numerator,denominator,source,retrieved,is_example\n")
    rows = [f"big2,{2981 + i % 9},{1000 + i // 9},150.0,per1000,15,100,test,2026-01-01,false\n" for i in range(330_000)]
    tidy = (columns + "".join(rows)).encode()[: int(19.9e6)].rsplit(b"\n", 1)[0] + b"\n"
    monitor = Monitor.load("voorbeeld")

    def query():
        monitor._memo.clear()
        postcode_table(monitor, "big2"), trend_lines(monitor, "big2", monitor.municipality.code), funnel_data(monitor, "big2")

    def latencies(action) -> list[float]:
        stop, out = threading.Event(), []

        def poll():
            while not stop.is_set():
                start = time.perf_counter()
                query()
                out.append(time.perf_counter() - start)
                stop.wait(0.05)
        thread = threading.Thread(target=poll)
        thread.start()
        action()
        stop.set()
        thread.join()
        return out

    quiet = latencies(lambda: time.sleep(3))
    print(f"other session, nothing else running: median {statistics.median(quiet) * 1000:.0f} ms, "
          f"max {max(quiet) * 1000:.0f} ms")
    for name, data in [(f"{MAX_COLUMNS} columns", wide), ("tidy rows", tidy)]:
        took: list[float] = []

        def upload(d=data, took=took):
            took.append(_median_time(lambda: store.preview("echt", read_bytes(d, "upload.csv", None),
                                                           source="upload.csv"), 1))
        busy = latencies(upload)
        print(f"upload {len(data) / 1e6:.1f} MB ({name}): preview in {took[0]:.2f} s; other session meanwhile: "
              f"median {statistics.median(busy) * 1000:.0f} ms, max {max(busy) * 1000:.0f} ms "
              f"(ratio of medians {statistics.median(busy) / statistics.median(quiet):.1f})")


def bench_refresh(rows: int) -> None:
    """A CBS-style v3 table of ``rows`` rows served on localhost in pages of 10,000 (``odata.nextLink``), the
    server ignoring the filter (the worst case: every row comes down), of which the configured regions are a
    small part; the refresh's fetch of one source from it: time, Python's peak allocation and the process's
    peak resident memory. Synthetic figures; nothing is written to the repository."""
    import json
    import resource
    import shutil
    import tempfile
    import threading
    import tracemalloc
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qs, urlsplit

    from ks_data.sources.refresh import fetch

    page_size = 10_000
    areas = pd.read_csv(ROOT / "data" / "areas.csv", dtype=str, keep_default_na=False)
    regions = [f"{c:<10}" for c in areas["area_code"]]  # padded as CBS pads them; postcode areas as noise
    years = list(range(2000, 2000 + max(1, rows // len(regions) + 1)))
    props = {"value": [
        {"ID": 0, "Type": "Dimension", "odata.type": "Cbs.OData.Dimension", "Key": "LeeftijdReferentiepersoon",
         "Title": "Leeftijd referentiepersoon"},
        {"ID": 1, "Type": "GeoDimension", "odata.type": "Cbs.OData.GeoDimension", "Key": "RegioS", "Title": "Regio's"},
        {"ID": 2, "Type": "TimeDimension", "odata.type": "Cbs.OData.TimeDimension", "Key": "Perioden",
         "Title": "Perioden"},
        {"ID": 3, "Type": "Topic", "odata.type": "Cbs.OData.Topic", "Key": "TotaalParticuliereHuishoudens_1",
         "Title": "Totaal particuliere huishoudens", "Unit": "aantal", "Decimals": 0},
        {"ID": 4, "Type": "Topic", "odata.type": "Cbs.OData.Topic", "Key": "TotaalEenouderhuishoudens_16",
         "Title": "Totaal eenouderhuishoudens", "Unit": "aantal", "Decimals": 0}]}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 — the http.server name
            parts = urlsplit(self.path)
            if parts.path.lower().endswith("/dataproperties"):
                body = json.dumps(props).encode()
            else:
                skip = int(parse_qs(parts.query).get("$skip", ["0"])[0])
                value = [{"ID": i, "LeeftijdReferentiepersoon": "10000", "RegioS": regions[i % len(regions)],
                          "Perioden": f"{years[i // len(regions)]}JJ00", "TotaalParticuliereHuishoudens_1": 1000 + i % 97,
                          "TotaalEenouderhuishoudens_16": 60 + i % 13} for i in range(skip, min(skip + page_size, rows))]
                page = {"value": value}
                if skip + page_size < rows:
                    page["odata.nextLink"] = f"{origin}/ODataFeed/odata/SYNBIG/TypedDataSet?$format=json&$skip={skip + page_size}"
                body = json.dumps(page).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", root, ignore=shutil.ignore_patterns(".cache", "nationaal", "bundles", "*.lock"))
        (root / "sources.toml").write_text(f"""[sources.groot]
service = "v3"
base_url = "{origin}/ODataFeed/odata"
table = "SYNBIG"
indicator = "eenoudergezinnen"
unit = "%"
measure = "TotaalEenouderhuishoudens_16"
measure_kind = "count"
denominator = "TotaalParticuliereHuishoudens_1"
regions = "gemeente"
source = "synthetisch (benchmark)"
[sources.groot.dimensions]
LeeftijdReferentiepersoon = "10000"
""", encoding="utf-8")
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        tracemalloc.start()
        start = time.perf_counter()
        table = fetch("groot", root=root)
        took = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    server.shutdown()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"refresh of one source from {rows:,} served rows ({-(-rows // page_size)} pages): {len(table)} rows kept in "
          f"{took:.1f} s ({rows / took:,.0f} rows/s); Python peak allocation {peak / 2**20:.0f} MB; "
          f"process peak {after:.0f} MB (was {before:.0f} MB before the fetch)")


# ---- national scale ---------------------------------------------------------------------------------
def _national_root(tmp: Path, fraction: float) -> Path:
    """A data folder like the repository's, with the national example bundle as 'nationaal'."""
    import shutil

    from ks_data.sources.national_example import write_bundle

    root = tmp / f"x{fraction}"
    shutil.copytree(ROOT / "data", root, ignore=shutil.ignore_patterns(".cache", "nationaal", "*.lock"))
    write_bundle(root / "bundles" / "nationaal", fraction, root)
    # the region Rotterdam-Rijnmond as a coalition of its 15 (2020) municipalities: the largest configured group
    from ks_data.table.config import load_regions

    members = load_regions(root)[0]["GG4607"].members
    (root / "coalities" / "rijnmond.toml").write_text(f'name = "Rijnmond"\nmembers = {list(members)!r}\n'
                                                      .replace("'", '"'), encoding="utf-8")
    return root


def _median_time(action, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def _peak_mb() -> float:
    """This process's peak resident memory so far (VmHWM), in MB."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


def bench_size(root: Path) -> dict:
    """One size, in its own fresh process: first what the app does once per data change, then the timings.

    The app's sequence comes first: the first load of the text (no Parquet copy yet), the national view,
    five municipalities' views and the pages' queries; the process's peak memory after it is the app's
    peak. The timing runs after it repeat the loads (each with the copy removed) interleaved with Arrow's
    bare reads of the same file, so both see the machine in the same state; the app never does that twice.
    """
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    from ks_data.memory import keep_freed_memory
    from ks_data.table.observations import load_observations

    keep_freed_memory()  # as the app and the command line do
    csv = root / "bundles" / "nationaal" / "observations.csv"
    cache = root / ".cache" / "nationaal.parquet"

    def first():
        cache.unlink(missing_ok=True)
        return load_observations("nationaal", root)

    out = _app_sequence(root, first)
    loads, bare = [], []
    for _ in range(5):
        loads.append(_median_time(first, 1))
        bare.append(_median_time(lambda: pcsv.read_csv(csv), 1))
    out["first_load_s"], out["bare_csv_s"] = statistics.median(loads), statistics.median(bare)
    load_observations("nationaal", root)
    warm, bare = [], []
    for _ in range(7):
        warm.append(_median_time(lambda: load_observations("nationaal", root), 1))
        bare.append(_median_time(lambda: pq.read_table(cache).to_pandas(), 1))
    out["warm_load_s"], out["bare_parquet_s"] = statistics.median(warm), statistics.median(bare)
    return out


def _app_sequence(root: Path, first) -> dict:
    """What the app does once per data change, timed; its peak memory is the app's (see bench_size)."""
    from ks_data.publish.publication import Publication
    from ks_data.table.areas import load_areas
    from ks_data.views.area_tables import funnel_data, postcode_table
    from ks_data.views.monitor import Monitor
    from ks_data.views.trend_lines import trend_lines

    out = {}
    start = time.perf_counter()
    table = first()
    out["first_load_in_fresh_process_s"] = time.perf_counter() - start
    out["rows"] = len(table)
    areas = load_areas(root)
    start = time.perf_counter()  # what the national page and every municipality's view share, once per data change
    publication = Publication("nationaal", root, table)
    national = publication.national()
    out["national_build_s"] = time.perf_counter() - start
    rng = np.random.default_rng(7)
    picks = rng.choice(sorted(set(areas.index[areas["level"] == "gemeente"]) & set(table["area_code"].unique())), 5,
                       replace=False)

    def switch(code):  # as the app does: the shared table and the province's decisions are there already
        return Monitor.load("nationaal", code, root, publication=publication)

    runs = []
    for code in picks:
        start = time.perf_counter()
        monitor = switch(code)
        runs.append(time.perf_counter() - start)
    out["view_s"] = statistics.median(runs)
    period = national.periods("big2")[-1]
    out["queries_ms"] = 1000 * _median_time(lambda: (postcode_table(monitor, "big2"), trend_lines(monitor, "big2", code),
                                                     funnel_data(monitor, "big2"),
                                                     national.municipalities("big2", period),
                                                     national.funnel_data("big2", period)), 5)
    start = time.perf_counter()  # a coalition of the region's municipalities: pooled figures, members, postcode areas
    Monitor.load("nationaal", "rijnmond", root, publication=publication)
    out["region_view_s"] = time.perf_counter() - start
    from ks_data.table.similar import similar_group

    everyone = sorted(areas.index[areas["level"] == "gemeente"])
    out["similar_all_s"] = _median_time(lambda: [similar_group((c,), root) for c in everyone], 3)
    out["peak_rss_mb"] = _peak_mb()
    return out


def bench_cold(root: Path, what: str) -> float:
    """One first load, or one bare CSV read, as the only work of a fresh process (seconds)."""
    import pyarrow.csv as pcsv

    from ks_data.memory import keep_freed_memory
    from ks_data.table.observations import load_observations

    keep_freed_memory()
    (root / ".cache" / "nationaal.parquet").unlink(missing_ok=True)
    csv = root / "bundles" / "nationaal" / "observations.csv"
    start = time.perf_counter()
    load_observations("nationaal", root) if what == "load" else pcsv.read_csv(csv)
    return time.perf_counter() - start


def bench_pages_national(root: Path, repeat: int = 5) -> float:
    """Every page's warm script run on the national bundle, for a municipality picked at random (and the
    national view); the slowest median in ms."""
    import os

    from streamlit.testing.v1 import AppTest

    from ks_ui.shell import PAGES

    os.environ["KS_DATA_DIR"] = str(root)
    from ks_data.table.areas import load_areas

    areas = load_areas(root)
    code = str(np.random.default_rng().choice(areas.index[areas["level"] == "gemeente"]))
    print(f"pages for {areas.at[code, 'name']} ({code})")
    slowest = 0.0
    for path, _ in PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.query_params["bundel"] = "nationaal"
        at.query_params["gemeente"] = code
        at.run()
        if path != PAGES[0][0]:
            at.switch_page(path).run()
        median = _median_time(at.run, repeat)
        assert not at.exception, at.exception
        print(f"  {path:28s} warm median {median * 1000:5.0f} ms")
        slowest = max(slowest, median)
    return slowest * 1000


def bench_all() -> None:
    import json
    import subprocess
    import tempfile

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for fraction in [0.25, 0.5, 1.0]:
            root = _national_root(Path(tmp), fraction)
            done = subprocess.run([sys.executable, __file__, "_size", str(root)], capture_output=True, text=True,
                                  check=True)
            results[fraction] = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{fraction:>4} × rows: {json.dumps(results[fraction])}")
        page_ms = bench_pages_national(root)
        cold = {"load": [], "bare": []}  # each in a fresh process, alternating
        for _ in range(3):
            for what in cold:
                done = subprocess.run([sys.executable, __file__, "_cold", str(root), what], capture_output=True,
                                      text=True, check=True)
                cold[what].append(float(done.stdout.strip().splitlines()[-1]))
        print(f"fresh processes: first loads {cold['load']}, bare reads {cold['bare']}")
    full = results[1.0]
    rows = np.log([results[f]["rows"] for f in results])
    growth_time = float(np.polyfit(rows, np.log([results[f]["first_load_s"] for f in results]), 1)[0])
    growth_memory = float(np.polyfit(rows, np.log([results[f]["peak_rss_mb"] for f in results]), 1)[0])
    summary = {
        "rows": full["rows"],
        "first_load_ratio": round(full["first_load_s"] / full["bare_csv_s"], 2),
        "first_load_ratio_fresh_process": round(statistics.median(cold["load"]) / statistics.median(cold["bare"]), 2),
        "warm_load_ratio": round(full["warm_load_s"] / full["bare_parquet_s"], 2),
        "page_max_ms": round(page_ms),
        "switch_ms": round(full["view_s"] * 1000),
        "national_build_s": round(full["national_build_s"], 1),
        "region_view_s": round(full["region_view_s"], 2),
        "similar_all_municipalities_s": round(full["similar_all_s"], 2),
        "queries_ms": round(full["queries_ms"], 1),
        "peak_rss_mb": round(full["peak_rss_mb"]),
        "growth_exponent": round(max(growth_time, growth_memory), 2),
        "growth_exponent_time": round(growth_time, 2),
        "growth_exponent_memory": round(growth_memory, 2),
    }
    print("budgets: first_load_ratio ≤ 5, warm_load_ratio ≤ 1.5, page_max_ms ≤ 500, switch_ms ≤ 1000, "
          "peak_rss_mb ≤ 1024, growth_exponent ≤ 1.1")
    print(json.dumps(summary))


# ---- a person's first page --------------------------------------------------------------------------
FIRST_BUDGET_S = 3.0  # embedded bundles: from the server's start to the first page drawn
NATIONAL_FIRST_BUDGET_S = 10.0


def _first_page(root: Path, query: dict, page: str | None) -> None:
    """Internal, as the only work of a fresh process: the app's first script run (the first page, or a deep link
    to ``page``), then print the wall-clock time at which it ended, for the parent to subtract its start from.

    The parent's clock starts before the interpreter does, so imports (Streamlit's too: a server imports it
    before its first session) are counted; a browser's own rendering is not.
    """
    import os

    os.environ["KS_DATA_DIR"] = str(root)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    for key, value in query.items():
        at.query_params[key] = value
    if page:  # a deep link: the page's url path is its file name, so the first run can open it
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    from ks_ui.shell import PAGES

    wanted = dict(PAGES)[page or PAGES[0][0]]
    shown = " ".join(str(t.value).replace("\u00ad", "") for t in at.title)
    assert wanted in shown or page is None, f"not the page asked for: {shown}"
    print(time.time())


def _time_first(root: Path, query: dict, page: str | None = None) -> float:
    import json
    import subprocess

    start = time.time()
    done = subprocess.run([sys.executable, __file__, "_first", str(root), json.dumps(query), page or ""],
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the first page failed: {done.stderr[-2000:]}")
    return float(done.stdout.strip().splitlines()[-1]) - start


def bench_first(repeat: int, national: bool, browser: bool = False) -> dict:
    """From a fresh process's start to its first page's script run done: each embedded bundle's start page and a
    deep link to Evaluatie, both on an empty cache (a fresh checkout's first start: the table is read and checked,
    the province's decisions taken) and on the cache a first start leaves; medians of ``repeat`` processes."""
    import json
    import shutil
    import tempfile

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", root, ignore=shutil.ignore_patterns(".cache", "nationaal", "*.lock"))
        for bundle in ["echt", "voorbeeld"]:
            for page, name in [(None, "start"), ("pages/evaluatie.py", "evaluatie")]:
                empty = []
                for _ in range(repeat):
                    shutil.rmtree(root / ".cache", ignore_errors=True)
                    empty.append(_time_first(root, {"bundel": bundle}, page))
                kept = [_time_first(root, {"bundel": bundle}, page) for _ in range(repeat)]
                out[f"{bundle}_{name}_empty_cache_s"] = round(statistics.median(empty), 2)
                out[f"{bundle}_{name}_s"] = round(statistics.median(kept), 2)
                print(f"{bundle:9s} {name:9s}: {statistics.median(empty):5.2f} s on an empty cache, "
                      f"{statistics.median(kept):5.2f} s on the kept one (budget {FIRST_BUDGET_S:.0f} s)")
        if national:
            root = _national_root(Path(tmp), 1.0)
            from ks_data.publish.publication import Publication

            start = time.perf_counter()  # as `ks-data publish` (or an import) leaves it: table copy and decisions
            Publication("nationaal", root).national()
            print(f"national decisions taken and stored in {time.perf_counter() - start:.0f} s")
            for page, name in [("pages/landelijk.py", "landelijk"), (None, "gemeente")]:
                query = {"bundel": "nationaal", **({"gemeente": "GM0363"} if page is None else {})}
                runs = [_time_first(root, query, page) for _ in range(repeat)]
                out[f"national_{name}_s"] = round(statistics.median(runs), 2)
                print(f"nationaal {name:9s}: {statistics.median(runs):5.2f} s (budget {NATIONAL_FIRST_BUDGET_S:.0f} s)")
    if browser:
        out.update(bench_first_browser(repeat))
    print(json.dumps(out))
    return out


def bench_first_browser(repeat: int) -> dict:
    """What a person sees: ``streamlit run app.py`` started, chromium opening the start page at once, until the
    page is drawn (its charts included, as the browser tests wait for it); each run a fresh server on the kept
    cache. Adds what the script run does not hold: the server's start, the browser loading Streamlit's scripts and
    drawing the page."""
    from playwright.sync_api import sync_playwright

    from tests.browser_support import CHROMIUM_ARGS, chromium_path, streamlit_server, wait_idle

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for bundle in ["echt", "voorbeeld"]:
            for path, name in [("", "start"), ("evaluatie", "evaluatie")]:
                runs = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    with streamlit_server() as url:
                        page = browser.new_page(viewport={"width": 1400, "height": 1000})
                        page.goto(f"{url}/{path}?bundel={bundle}")
                        wait_idle(page, "Evaluatie" if path else "Perinatale kerncijfers", timeout=120_000)
                        runs.append(time.perf_counter() - start)
                        page.close()
                out[f"browser_{bundle}_{name}_s"] = round(statistics.median(runs), 2)
                print(f"browser   {bundle:9s} {name:9s}: {statistics.median(runs):5.2f} s from the server's start")
        browser.close()
    return out


def main() -> None:
    if sys.argv[1:2] == ["_size"]:  # internal: one size in its own process (see bench_all)
        import json

        print(json.dumps(bench_size(Path(sys.argv[2]))))
        return
    if sys.argv[1:2] == ["_first"]:  # internal: one first page in its own process (see bench_first)
        import json

        _first_page(Path(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4] or None)
        return
    if sys.argv[1:2] == ["_cold"]:  # internal: one cold run in its own process (see bench_all)
        print(bench_cold(Path(sys.argv[2]), sys.argv[3]))
        return
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="what", required=True)
    s = sub.add_parser("stats")
    s.add_argument("--rows", type=int, default=1_000_000)
    s.add_argument("--repeat", type=int, default=5)
    p = sub.add_parser("pages")
    p.add_argument("--repeat", type=int, default=7)
    pub = sub.add_parser("publish")
    pub.add_argument("--repeat", type=int, default=5)
    load = sub.add_parser("load")
    load.add_argument("--rows", type=int, default=1_500_000)
    first = sub.add_parser("first")
    first.add_argument("--repeat", type=int, default=3)
    first.add_argument("--national", action="store_true", help="also the national bundle (writes 300 MB, ~3 min)")
    first.add_argument("--browser", action="store_true", help="also in chromium against streamlit run")
    sub.add_parser("all")
    sub.add_parser("upload")
    ref = sub.add_parser("refresh")
    ref.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    if args.what == "all":
        bench_all()
    elif args.what == "stats":
        bench_stats(args.rows, args.repeat)
    elif args.what == "load":
        bench_load(args.rows)
    elif args.what == "publish":
        bench_publish(args.repeat)
    elif args.what == "upload":
        bench_upload()
    elif args.what == "first":
        bench_first(args.repeat, args.national, args.browser)
    elif args.what == "refresh":
        bench_refresh(args.rows)
    else:
        bench_pages(args.repeat)


if __name__ == "__main__":
    main()
