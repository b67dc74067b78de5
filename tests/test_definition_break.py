"""A figure of another definition is recorded on the series, drawn as a break and never compared across it."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from ks_data.sources import store
from ks_data.table.observations import bundle_csv
from ks_data.views.monitor import Monitor
from ks_data.views.trend_lines import trend_lines
from ks_data.vocab import NOT_ASSESSED
from ks_ui.figures import trend_figure
from tests.conftest import DATA

OTHER = "vanaf 22 weken"
NEW = [{"indicator_id": "big2", "area_code": "GM0597", "period_label": "2025", "value": "150,0", "unit": "per 1000",
        "numerator": "60", "denominator": "400", "definition": OTHER},
       {"indicator_id": "big2", "area_code": "NL01", "period_label": "2025", "value": "140,0", "unit": "per 1000",
        "numerator": "23940", "denominator": "171000"}]


@pytest.fixture(scope="module")
def monitor(tmp_path_factory):
    root = tmp_path_factory.mktemp("definition") / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns(".cache", "history", ".lock"))
    result = store.preview("voorbeeld", pd.DataFrame(NEW).astype(str), source="test", root=root)
    assert not result.refused and len(result.added) == 2
    store.apply(result, who="test", root=root)
    stored = pd.read_csv(bundle_csv("voorbeeld", root), dtype=str, keep_default_na=False)
    assert stored.loc[(stored["area_code"] == "GM0597") & (stored["period_label"] == "2025"), "definition"].tolist() \
        == [OTHER]
    return Monitor.load("voorbeeld", root=root)


def test_the_definition_travels_with_the_series(monitor):
    rows = monitor.series("big2", "GM0597")
    assert rows.loc[rows["period_label"] == "2025", "definition"].tolist() == [OTHER]
    assert set(rows.loc[rows["period_label"] != "2025", "definition"]) == {""}


def test_no_verdict_against_a_benchmark_of_another_definition(monitor):
    row = monitor.series("big2", "GM0597").set_index("period_label").loc["2025"]
    assert row["verdict"] == NOT_ASSESSED and bool(row["benchmark_definition_differs"])
    earlier = monitor.series("big2", "GM0597").set_index("period_label").loc["2024"]
    assert earlier["verdict"] != NOT_ASSESSED


def test_target_and_trend_do_not_reach_across_the_break(monitor):
    result = monitor.target("big2")
    assert result.status == "not_yet" and "andere definitie" in result.reason
    trend = monitor.trend("big2")
    assert not trend.tested and "definitie" in trend.reason


def test_the_chart_breaks_the_line_and_names_the_definition(monitor):
    lines = trend_lines(monitor, "big2", "GM0597")
    fig = trend_figure(lines, monitor.indicator("big2"), target=None, plan_start=2024, review_moments=(),
                       source="test", example=True)
    own = [t for t in fig.data if t.name and t.name.startswith("Ridderkerk")]
    assert [t.name for t in own] == ["Ridderkerk", f"Ridderkerk ({OTHER})"]
    assert list(own[1].x) == [2025] and 2025 not in list(own[0].x)
    assert any("andere definitie" in (a.text or "") for a in fig.layout.annotations)
