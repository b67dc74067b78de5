"""Shared fixtures: the repository's data, and a made-up second municipality in a temporary data folder."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def _scan_installed_components_once() -> None:
    """Every new AppTest scans all installed packages' metadata for Streamlit components (~0.1 s each; the suite
    makes hundreds). The installed packages do not change during a test run, so the first scan's answer is kept."""
    import functools

    from streamlit.components.v2 import manifest_scanner

    manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


_scan_installed_components_once()


@pytest.fixture(autouse=True)
def _default_data_dir(monkeypatch):
    monkeypatch.delenv("KS_DATA_DIR", raising=False)


def copy_data(tmp_path: Path, monkeypatch=None, *, history: bool = True) -> Path:
    """The repository's data folder copied to ``tmp_path/data`` (without caches, locks and the generated national
    bundle; without the bundles' import history unless ``history``), made the app's data folder when
    ``monkeypatch`` is given."""
    skip = [".cache", "nationaal", "*.lock", *([] if history else ["history"])]
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns(*skip))
    if monkeypatch is not None:
        monkeypatch.setenv("KS_DATA_DIR", str(root))
    return root


def write_observations(folder: Path, bundle: str, rows: list[dict], is_example: bool = False) -> Path:
    from ks_data.table.schema import REQUIRED

    target = folder / "bundles" / bundle
    target.mkdir(parents=True, exist_ok=True)
    (target / "bundle.toml").write_text(f'title = "{bundle}"\nis_example = {str(is_example).lower()}\n')
    base = {c: "" for c in REQUIRED}
    frame = pd.DataFrame([{**base, **r} for r in rows], columns=REQUIRED)
    frame.to_csv(target / "observations.csv", index=False)
    return target / "observations.csv"


def obs(indicator: str, area: str, value, year=None, num="", den="", **extra) -> dict:
    return {"indicator_id": indicator, "area_code": area, "period_start": year or "", "period_end": year or "",
            "period_label": str(year) if year else "gepubliceerd 2024", "value": value,
            "unit": "%" if indicator not in {"big2", "perinatale_sterfte"} else "per1000",
            "numerator": num, "denominator": den, "source": "test", "retrieved": "2026-11-22",
            "is_example": extra.pop("is_example", "false"), **extra}


@pytest.fixture
def second_municipality(tmp_path, monkeypatch) -> Path:
    """A data folder with only a made-up municipality 'Verzonnenstad' (GM9990) in a real province."""
    root = tmp_path / "data"
    root.mkdir()
    shutil.copy(DATA / "indicators.csv", root / "indicators.csv")
    areas = pd.DataFrame([
        {"area_code": "NL01", "name": "Nederland", "level": "land", "parent_code": "", "inhabitants": 1000},
        {"area_code": "PV22", "name": "Drenthe", "level": "provincie", "parent_code": "NL01", "inhabitants": 500},
        {"area_code": "GM9990", "name": "Verzonnenstad", "level": "gemeente", "parent_code": "PV22", "inhabitants": 300},
        {"area_code": "9991", "name": "Verzonnenstad", "level": "postcode", "parent_code": "GM9990", "inhabitants": 200},
        {"area_code": "9992", "name": "Verzonnenstad", "level": "postcode", "parent_code": "GM9990", "inhabitants": 100},
    ])
    areas.to_csv(root / "areas.csv", index=False)
    (root / "settings.toml").write_text('default_municipality = "GM9990"\ndefault_bundle = "echt"\n')
    (root / "gemeenten").mkdir()
    (root / "gemeenten" / "GM9990.toml").write_text(textwrap.dedent('''
        code = "GM9990"
        name = "Verzonnenstad"
        province = "PV22"
        plan_start = 2023
        postcode_areas = ["9991", "9992"]
        [postcode_names]
        "9991" = "Noordwijk-Oost"
        [baseline]
        period_label = "gepubliceerd 2024"
        [targets]
        default = "volgen"
        [targets.big2]
        rule = "stabilisatie"
        margin = 0.10
        [[review_moments]]
        year = 2025
        label = "evaluatie 2025"
    '''))
    write_observations(root, "echt", [
        obs("big2", "GM9990", "123.4"), obs("big2", "NL01", "150.0"), obs("big2", "PV22", "140.0"),
        obs("big2", "9991", "111.1"),
    ])
    write_observations(root, "voorbeeld", [
        obs("big2", a, round(x / n * 1000, 1), y, x, n, is_example="true")
        for a, x0, n in [("GM9990", 30, 200), ("NL01", 15000, 100000), ("PV22", 3000, 20000),
                         ("9991", 20, 130), ("9992", 10, 70)]
        for y in range(2019, 2025) for x in [x0 + (y - 2019) * (2 if a == "GM9990" else 1)]  # areas add up
    ], is_example=True)
    monkeypatch.setenv("KS_DATA_DIR", str(root))
    return root


# Hostile text: Markdown links and images, HTML and a spreadsheet formula.
LINK = "[Klik hier](https://evil.example/a)"
IMAGE = "![x](https://evil.example/t.png)"
HTML = '<img src="https://evil.example/i.png"><a href="https://evil.example/h">html</a>'
FORMULA = '=HYPERLINK("https://evil.example/f","klik")'


def hostile_copy(root) -> None:
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns(".cache", "nationaal"))
    cat = pd.read_csv(root / "indicators.csv", dtype=str, keep_default_na=False)
    cat.loc[cat["indicator_id"] == "big2", "name"] = f"BIG2 {LINK} {HTML}"
    cat.loc[cat["indicator_id"] == "tienermoeders", "name"] = f"Tieners {IMAGE}"
    cat.to_csv(root / "indicators.csv", index=False)
    config = (root / "gemeenten" / "GM0597.toml").read_text(encoding="utf-8")
    config = config.replace('name = "Ridderkerk"', 'name = "Ridderkerk [x](https://evil.example/m) <b>vet</b>"')
    config = config.replace('"2986" = "Drievliet/Crezeepolder"', '"2986" = "![p](https://evil.example/p.png)"')
    (root / "gemeenten" / "GM0597.toml").write_text(config, encoding="utf-8")
    for bundle in ["voorbeeld", "echt"]:
        path = root / "bundles" / bundle / "observations.csv"
        obs = pd.read_csv(path, dtype=str, keep_default_na=False)
        obs["source"] = f"{FORMULA} {IMAGE}"
        obs["note"] = f"{HTML} {LINK}"
        first = (obs["indicator_id"] == "big2") & (obs["area_code"] == "GM0597") & (obs["period_label"] == "2015")
        obs.loc[first, "period_label"] = f"2015 {LINK}"
        obs.to_csv(path, index=False)


class CliResult:
    """What a run of ``ks-data`` gave: as ``subprocess.run`` reports it, without paying a new interpreter."""

    def __init__(self, returncode: int, stdout: bytes, stderr: bytes, text: bool):
        self.returncode = returncode
        self.stdout = stdout.decode("utf-8", "replace") if text else stdout
        self.stderr = stderr.decode("utf-8", "replace") if text else stderr


def run_cli(*args, env: dict | None = None, cwd: Path | None = None, text: bool = True) -> CliResult:
    """``ks-data ARGS`` in this process (``cli.main``), with ``env`` set and stdout/stderr captured as bytes."""
    import contextlib
    import io
    import os
    import sys

    from ks_data.cli import main

    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    try:
        os.environ.update({k: str(v) for k, v in (env or {}).items()})
        os.chdir(cwd or ROOT)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = main([str(a) for a in args])
            except SystemExit as stop:  # argparse's usage errors
                code = stop.code if isinstance(stop.code, int) else 2
        stdout.flush()
        stderr.flush()
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        sys.stdout.flush()
    return CliResult(code, out.getvalue(), err.getvalue(), text)


def _is_browser_module(nodeid: str) -> bool:
    return nodeid.split("::", 1)[0].rsplit("/", 1)[-1].startswith("test_browser")


def pytest_collection_modifyitems(config, items):
    """The browser modules first: with two workers they are one unit of work (below), the longest, started first.

    Which modules those are, the scheduler sees only by their file names: a browser test elsewhere is refused."""
    misplaced = {item.nodeid.split("::", 1)[0] for item in items
                 if item.get_closest_marker("browser") and not _is_browser_module(item.nodeid)}
    if misplaced:
        raise pytest.UsageError(f"browser tests belong in tests/test_browser*.py: {sorted(misplaced)}")
    items[:] = sorted(items, key=lambda item: not _is_browser_module(item.nodeid))  # stable: order kept within


def pytest_xdist_make_scheduler(config, log):
    """Two workers (pytest-xdist): every browser module (``test_browser*.py``) on one worker, one after the other,
    each other module a unit of its own on whichever worker is free. Two browser modules at once (a server and a
    chromium each) would slow both down more than the second worker gains; a module split over two workers would
    build its fixtures twice."""
    from xdist.scheduler import LoadScopeScheduling

    class BrowserModulesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "browser" if _is_browser_module(nodeid) else nodeid.split("::", 1)[0]

    config.option.loadscopereorder = False  # collection order: the browser unit first
    return BrowserModulesTogether(config, log)
