"""Walk every page for every indicator and area of the example bundle: no hidden figure shows anywhere.

For each hidden cell of the published view, every table row of that area and period says
"verborgen" (no value, count or interval), every chart trace of that area has a gap at that
period, and no line that mentions a hidden figure gives it a direction or a verdict.
"""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from ks_data.views.area_tables import postcode_table
from ks_data.views.monitor import Monitor
from ks_ui.safe import plot
from ks_ui.state import Choice
from tests.conftest import ROOT
from tests.test_pages import unescape

DIRECTION = re.compile(r"hoger dan|lager dan|\bbeter\b|slechter|gestegen|gedaald|hoog \(|laag \(")


@pytest.fixture(scope="module")
def monitor():
    return Monitor.load("voorbeeld")


def test_the_example_has_hidden_figures_to_look_for(monitor):
    # the walks below look for hidden figures on every page: they mean something only if there are some
    hidden = monitor.published[monitor.published["suppressed"]]
    assert len(hidden) >= 20 and hidden["indicator_id"].nunique() >= 3
    assert hidden["area_code"].isin(monitor.municipality.postcode_areas).any()


def choose(at: AppTest, monitor: Monitor, indicator: str, area: str) -> None:
    """Set the sidebar's choice as app.py would (AppTest reruns a switched-to page without app.py)."""
    at.session_state["_choice"] = Choice(monitor.municipality.code, "voorbeeld", indicator, area)
    at.run()


def page(path: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["bundel"] = "voorbeeld"
    at.run()
    if path != "pages/overzicht.py":
        at.switch_page(path).run()
    return at


def check(at: AppTest, monitor: Monitor, indicator: str) -> None:
    assert not at.exception, at.exception
    hidden = monitor.published[monitor.published["suppressed"] & (monitor.published["indicator_id"] == indicator)]
    names = {monitor.area_name(a) for a in hidden["area_code"]}
    cells = {(monitor.area_name(a), p) for a, p in zip(hidden["area_code"], hidden["period_label"])}
    for element in at.table:
        table = element.value.reset_index()
        table.columns = [unescape(str(c)) for c in table.columns]
        table = table.map(lambda v: unescape(str(v)))
        area_col = next((c for c in ["Gebied", "Postcodegebied"] if c in table), None)
        if "Indicator" in table and monitor.municipality.name in table:  # one row per indicator
            own = monitor.latest(indicator, monitor.municipality.code)
            row = table[table["Indicator"] == monitor.indicator(indicator)["name"]]
            if own is not None and own["suppressed"] and len(row):
                assert row[monitor.municipality.name].iloc[0].startswith("verborgen ("), row.to_dict()
                assert row.filter(like="Oordeel").iloc[0].str.startswith("Nederland").all() is False
            continue
        if area_col is None or "Waarde" not in table:
            continue
        for _, row in table.iterrows():
            area = row[area_col].replace(" ◀ gekozen", "")
            period = row.get("Periode", postcode_table(monitor, indicator).attrs["period_label"])
            if (area, period) in cells:
                assert row["Waarde"].startswith("verborgen"), (area, period, row.to_dict())  # its reason: the caption
                for col in ["95%-interval", "Teller"]:
                    if col in row:
                        assert row[col] == "–", (area, period, col, row.to_dict())
                verdicts = [c for c in table.columns if c.startswith("Oordeel")]
                assert all(row[c] == "○ niet te beoordelen" for c in verdicts), row.to_dict()
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        for trace in spec.get("data", []):
            if trace.get("type") != "scatter" or trace.get("name") not in {plot(n) for n in names}:
                continue
            for x, y in zip(trace.get("x", []), trace.get("y", [])):
                area = next(n for n in names if plot(n) == trace["name"])
                periods = {p for (a, p) in cells if a == area}
                ends = set(hidden.loc[hidden["period_label"].isin(periods), "period_end"].dropna().astype(int))
                if x in ends and y is not None:
                    # a shown period of another length may end in the same year; only the hidden one must be a gap
                    shown = monitor.published[(monitor.published["indicator_id"] == indicator)
                                              & ~monitor.published["suppressed"] & (monitor.published["period_end"] == x)
                                              & (monitor.published["area_code"].map(monitor.area_name) == area)]
                    assert len(shown), (trace["name"], x, y)
    for element in [*at.markdown, *at.caption, *at.info, *at.warning]:
        for line in unescape(element.value).split("\n"):
            if "verborgen" in line and "verborgen (" in line:
                assert not DIRECTION.search(line.split("verborgen", 1)[1]), line


def test_trends_for_every_indicator_and_area(monitor):
    at = page("pages/trends.py")
    areas = [monitor.municipality.code, *monitor.municipality.postcode_areas]
    for indicator in monitor.catalogue.index:
        for area in areas:
            choose(at, monitor, indicator, area)
            check(at, monitor, indicator)


def test_postcode_page_for_every_indicator_and_both_benchmarks(monitor):
    at = page("pages/postcodegebieden.py")
    for indicator in monitor.catalogue.index:
        choose(at, monitor, indicator, "2986")
        for against in ["gemeente", "NL01"]:
            radio = at.radio(key="pc_vergelijk")
            if radio.disabled:  # no counts for this indicator: nothing to compare, one view to check
                check(at, monitor, indicator)
                break
            radio.set_value(against).run()
            check(at, monitor, indicator)


@pytest.mark.parametrize("path", ["pages/overzicht.py", "pages/gerelateerd.py", "pages/over_de_data.py"])
def test_pages_without_an_indicator_choice(monitor, path):
    at = page(path)
    for indicator in monitor.catalogue.index:
        check(at, monitor, indicator)
