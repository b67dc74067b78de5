"""Figure builders: data text never becomes markup, gaps stay gaps, the target zone follows the margin."""

import numpy as np
import pytest

from ks_data import fmt
from ks_data.table.geo import postcode_geojson
from ks_data.views.area_tables import funnel_data, postcode_table
from ks_data.views.monitor import Monitor
from ks_data.views.trend_lines import trend_lines
from ks_ui import figures
from ks_ui.safe import md, plot

EVIL = '<a href="http://evil.example/x">klik</a> <img src=http://evil.example/t.png>'


@pytest.fixture(scope="module")
def example():
    return Monitor.load("voorbeeld")


def spec(fig) -> str:
    return fig.to_json()


def test_trend_figure_escapes_data_text_and_keeps_gaps(example):
    meta = example.indicator("tienermoeders")
    lines = trend_lines(example, "tienermoeders", "GM0597")
    lines[0] = (EVIL, "area", lines[0][2])
    fig = figures.trend_figure(lines, meta, target=example.target("tienermoeders"), plan_start=2024,
                               review_moments=example.municipality.review_moments, source=EVIL, example=True)
    text = spec(fig)
    assert "<a href" not in text and "<img" not in text and "&lt;a href" in text
    area = next(t for t in fig.data if t.name == plot(EVIL))
    hidden = lines[0][2][lines[0][2]["suppressed"]]
    for year in hidden["period_end"].astype(int):  # a hidden year is a gap, not a bridged line
        assert area.y[list(area.x).index(year)] is None or np.isnan(area.y[list(area.x).index(year)])
    assert area.connectgaps is False
    # every open place is a shaded column over the whole height, named with its reason in the legend; nothing is
    # drawn at 0, which would read as a value of 0
    columns = [shape for shape in fig.layout.shapes if shape.type == "rect" and shape.yref == "y domain"]
    assert sorted(round(c.x0 + 0.4) for c in columns) == sorted(hidden["period_end"].astype(int)) and len(hidden)
    legend = next(t for t in fig.data if t.name and t.name.startswith("open plek:"))
    assert "verborgen" in legend.name and all(y is None for y in legend.y)
    assert not any(t.y is not None and 0 in list(t.y) and t.name != plot(EVIL) for t in fig.data if t.y is not None)
    # the own line leads the legend, the benchmarks are lighter
    ranks = {t.name: t.legendrank for t in fig.data if t.showlegend is not False and t.name}
    assert ranks[plot(EVIL)] == min(ranks.values())


def test_target_zone_starts_at_the_plan_and_follows_the_margin(example):
    meta = example.indicator("big2")
    result = example.target("big2")
    fig = figures.trend_figure(trend_lines(example, "big2", "GM0597"), meta, target=result, plan_start=2024,
                               review_moments=(), source="bron", example=True)
    zone = [s for s in fig.layout.shapes if s.type == "rect"][0]
    assert zone.x0 == 2023.5 and zone.y0 == 0
    assert zone.y1 == pytest.approx(result.baseline["value"] * 1.10)
    assert any(t.name == "doelzone (basis + 10%)" for t in fig.data)  # named in the legend, not over the plot


def test_only_configured_review_moments_are_drawn(example):
    fig = figures.trend_figure(trend_lines(example, "big2", "GM0597"), example.indicator("big2"),
                               target=example.target("big2"), plan_start=2024,
                               review_moments=example.municipality.review_moments, source="bron", example=False)
    labels = [a.text for a in fig.layout.annotations]
    assert "evaluatie eind 2024" in labels and not any("2025" in (t or "") for t in labels)


def test_funnel_centre_is_named_in_the_legend_not_over_the_dots(example):
    points, curve, p0 = funnel_data(example, "eenoudergezinnen")
    fig = figures.funnel_figure(points, curve, p0, example.indicator("eenoudergezinnen"), None, "bron", True,
                                "Ridderkerk")
    assert any((t.name or "").startswith("Ridderkerk: ") and t.showlegend is not False for t in fig.data)
    assert not any((a.text or "").startswith("Ridderkerk") for a in fig.layout.annotations)


def test_funnel_hover_names_the_indicator_denominator(example):
    points, curve, p0 = funnel_data(example, "eenoudergezinnen")
    fig = figures.funnel_figure(points, curve, p0, example.indicator("eenoudergezinnen"), None, "bron", True,
                                "Ridderkerk")
    dots = [t for t in fig.data if t.legendgroup == "postcodegebied"]
    hover = " ".join(h for t in dots for h in t.hovertext)
    assert sum(len(t.x) for t in dots) == len(points)  # every area once, in the trace of its verdict
    assert "huishoudens" in hover and "geboorten" not in hover


def test_map_escapes_area_names(example):
    geo = postcode_geojson(list(example.municipality.postcode_areas))
    table = postcode_table(example, "big2")
    table["name"] = EVIL
    fig = figures.postcode_map(geo, table, example.indicator("big2"), "Ridderkerk", None, EVIL, True)
    assert "<img" not in spec(fig) and "<a href" not in spec(fig)


def test_markdown_escape_defuses_links_images_and_html():
    for evil, bad in [("[Klik hier](https://evil.example)", "]("), ("![x](http://evil.example/t.png)", "!["),
                      ("<img src=x>", " <img"), (":red[rood]", ":red["), ("www.evil.example", "www.e")]:
        assert bad not in " " + md(evil)  # every active character is preceded by a backslash
    assert md("176,0 per 1000") == "176,0 per 1000" and md("18,9%") == "18,9%"


def test_real_map_shows_the_plans_statements_as_their_own_category_and_labels_areas():
    real = Monitor.load("echt")
    table = postcode_table(real, "big2", "NL01")
    assert (table["statement"] == "boven landelijk volgens het plan, geen getal").sum() == 6
    geo = postcode_geojson(list(real.municipality.postcode_areas))
    fig = figures.postcode_map(geo, table, real.indicator("big2"), "Nederland", None, "test", False)
    names = [t.name for t in fig.data]
    assert "○ boven landelijk volgens het plan, geen getal" in names and "○ geen waarde" not in names
    colours = {t.name: t.fillcolor for t in fig.data if t.fill == "toself"}
    assert len(set(colours.values())) == len(colours) >= 2  # each category its own colour
    labels = next(t for t in fig.data if t.mode == "text")
    assert sorted(labels.text) == sorted(real.municipality.postcode_areas)


def test_titles_and_source_lines_wrap_to_fit_a_phone_and_the_figure_grows_for_them(example):
    meta = example.indicator("start_zorg_voor_10wk")
    long_source = "Perined (perinatale registratie), bewerking RIVM; CBS Statline tabel 85232NED, geraadpleegd 2026"
    fig = figures.trend_figure(trend_lines(example, "start_zorg_voor_10wk", "GM0597"), meta, target=None,
                               plan_start=2024, review_moments=(), source=long_source, example=True)
    title_lines = fig.layout.title.text.split("<br>")
    assert len(title_lines) >= 2 and all(len(line) <= figures.TITLE_CHARS for line in title_lines[:-1])
    assert title_lines[-1] == "<b>Voorbeelddata — fictief</b>"
    source = next(a for a in fig.layout.annotations if a.text.startswith("Bron:"))
    assert len(source.text.split("<br>")) >= 2 and fig.layout.margin.b > 95 and fig.layout.height > 440


def test_a_hidden_baseline_is_said_in_the_legend_not_left_out(example):
    # perinatal mortality on the example: its baseline period is hidden, so no line and no target zone can be drawn
    meta = example.indicator("perinatale_sterfte")
    target = example.target("perinatale_sterfte")
    assert target.baseline is not None and np.isnan(target.baseline["value"])
    fig = figures.trend_figure(trend_lines(example, "perinatale_sterfte", "GM0597"), meta, target=target,
                               plan_start=2024, review_moments=(), source="x", example=True)
    names = [t.name for t in fig.data if t.name]
    assert any(n.startswith(f"basiswaarde ({target.baseline['period_label']}): verborgen") and "geen doelzone" in n
               for n in names)


def test_a_sparkline_has_a_scale_from_zero(example):
    rows = example.series("big2", "GM0597")
    fig = figures.sparkline(rows[rows["period_end"].notna()], "per1000", example=True)
    axis = fig.layout.yaxis
    assert axis.visible and axis.range[0] == 0 and len(axis.tickvals) == 2  # 0 and the highest value, written
    assert axis.ticktext[1] == fmt.number(float(rows["value"].max()), 1)


def test_the_planning_puts_every_milestone_on_a_line_of_its_own_with_its_number_from_the_table():
    import pandas as pd

    from ks_data import ReviewMoment
    from ks_data.views.plan import milestones_in_time
    from ks_ui.review_figures import timeline_figure

    milestones = pd.DataFrame({"date": ["2026-12", "2024-03", "2024-03", "2024-04", "2025-06", "2026-11"],
                               "title": [f"mijlpaal {i}" for i in range(6)]})
    fig = timeline_figure(milestones, (ReviewMoment(2024, "evaluatie eind 2024"),), 2024, 2026, example=False)
    points = fig.data[0]
    assert len(set(points.y)) == 6  # no two points on one line, even in the same month
    # a number, never a title that a phone cuts off; the same number as the milestones table, in time order
    table = milestones_in_time(milestones)
    assert list(points.text) == [str(n) for n in table["nr"]] == ["1", "2", "3", "4", "5", "6"]
    assert table["title"].tolist() == ["mijlpaal 1", "mijlpaal 2", "mijlpaal 3", "mijlpaal 4", "mijlpaal 5",
                                       "mijlpaal 0"]
    assert "6. 2026-12: mijlpaal 0" in points.hovertext[-1]
    assert fig.layout.height >= 170 + 30 * 6
