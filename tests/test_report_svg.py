"""The report's inline SVG line charts: what is drawn, what breaks a line, and that data text stays text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd

from ks_data.views.report_svg import _nice_step, _runs, line_chart

NS = "{http://www.w3.org/2000/svg}"


def series(values, start=2018, definition=""):
    years = list(range(start, start + len(values)))
    return pd.DataFrame({"period_start": years, "period_end": years, "value": values,
                         "ci_low": [v - 5 if v == v else np.nan for v in values],
                         "ci_high": [v + 5 if v == v else np.nan for v in values], "definition": definition})


def test_a_hidden_year_or_a_new_definition_breaks_the_line():
    rows = series([150.0, 155.0, np.nan, 160.0, 158.0])
    assert [list(r["period_end"]) for r in _runs(rows)] == [[2018, 2019], [2021, 2022]]
    rows.loc[4, "definition"] = "22 weken"
    assert len(_runs(rows)) == 3


def test_ticks_are_one_two_or_five_times_a_power_of_ten():
    assert _nice_step(190.0) == 50.0 and _nice_step(9.0) == 2.0 and _nice_step(0.9) == 0.2


def test_the_chart_draws_the_lines_baseline_and_target_zone_and_escapes_names():
    chart = line_chart("BIG2 <Ridderkerk>", "per1000",
                       [("Ridderkerk <b>", "#0072B2", series([176.0, 170.0, 172.0])),
                        ("Nederland", "#333333", series([152.8, 151.0, 150.0]))],
                       baseline=176.0, margin=0.10, lower_better=True, plan_start=2020)
    svg = ET.fromstring(chart)  # well-formed: names from data cannot break out of the markup
    assert svg.find(f"{NS}title").text == "BIG2 <Ridderkerk>"
    assert len(svg.findall(f"{NS}polyline")) == 2 and len(svg.findall(f"{NS}polygon")) == 1  # band: area only
    texts = [t.text for t in svg.iter(f"{NS}text")]
    assert "Ridderkerk <b>" in texts and "start plan 2020" in texts and "basiswaarde (streep)" in texts
    assert any(r.get("fill") == "#009E73" for r in svg.iter(f"{NS}rect"))  # the target zone from the plan's start


def test_fewer_than_two_years_draw_nothing():
    assert line_chart("x", "%", [("a", "#000", series([1.0]))], baseline=None, margin=None, lower_better=True,
                      plan_start=None) == ""
