"""Measure the speed budgets: statistics on a national-size table, and each page's warm script run.

Usage:
    python scripts/benchmark.py stats [--rows 1000000] [--repeat 5]
    python scripts/benchmark.py load [--rows 1500000]
    python scripts/benchmark.py pages [--repeat 7]

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

from ks_data.areas import load_areas  # noqa: E402
from ks_data.catalogue import load_catalogue  # noqa: E402
from ks_data.stats.compare import compare  # noqa: E402
from ks_data.stats.intervals import intervals  # noqa: E402


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

    from ks_data.observations import load_observations, to_text
    from ks_data.schema import COLUMNS

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
            if path != PAGES[0][0]:
                at.switch_page(path).run()  # warm: data cached, page loaded once
            runs = []
            for _ in range(repeat):
                t = time.perf_counter()
                at.run()
                runs.append(time.perf_counter() - t)
                assert not at.exception, at.exception
            median = statistics.median(runs)
            print(f"{title:22s} {bundle:9s} median {median * 1000:6.0f} ms  ({median / budget:.2f} × budget of 300 ms)")


def bench_publish(repeat: int) -> None:
    """Building one municipality's published view: pooling, suppression and the LP audit loop."""
    from ks_data.config import load_municipality, load_settings
    from ks_data.observations import load_observations
    from ks_data.published import build

    settings, catalogue, areas = load_settings(), load_catalogue(), load_areas()
    for bundle in ["echt", "voorbeeld"]:
        obs = load_observations(bundle)
        mun = load_municipality(settings.default_municipality)
        runs = []
        for _ in range(repeat):
            t = time.perf_counter()
            view = build(obs, catalogue, areas, mun, settings)
            runs.append(time.perf_counter() - t)
        hidden = int(view.table["suppressed"].sum())
        print(f"published view {bundle:9s}: median {statistics.median(runs):.2f} s over {repeat} runs "
              f"({hidden} hidden cells, {len(view.audit)} audited)")


def main() -> None:
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
    args = parser.parse_args()
    if args.what == "stats":
        bench_stats(args.rows, args.repeat)
    elif args.what == "load":
        bench_load(args.rows)
    elif args.what == "publish":
        bench_publish(args.repeat)
    else:
        bench_pages(args.repeat)


if __name__ == "__main__":
    main()
