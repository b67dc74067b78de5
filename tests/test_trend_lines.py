"""The lines of a trend chart: the chosen area first, the areas above it, then the benchmarks."""

import pytest

from ks_data.views.monitor import Monitor
from ks_data.views.trend_lines import no_line_note, trend_lines


@pytest.fixture(scope="module")
def example():
    return Monitor.load("voorbeeld")


def test_a_postcode_area_is_drawn_with_its_municipality_province_and_the_netherlands(example):
    lines = trend_lines(example, "big2", "2986")
    assert [(name, role) for name, role, _ in lines] == [
        (example.area_name("2986"), "area"), ("Ridderkerk", "extra"), ("GGD-regio Rotterdam-Rijnmond", "regio"),
        ("Zuid-Holland", "provincie"), ("Nederland", "NL01")]
    for _, _, rows in lines:
        assert list(rows["period_end"].dropna()) == sorted(rows["period_end"].dropna())  # oldest first


def test_the_postcode_areas_are_added_only_on_request_and_only_with_values(example):
    plain = trend_lines(example, "big2", "GM0597")
    assert [role for _, role, _ in plain] == ["area", "regio", "provincie", "NL01"]
    more = trend_lines(example, "big2", "GM0597", with_postcodes=True)
    extra = [name for name, role, _ in more if role == "extra"]
    with_values = [example.area_name(pc) for pc in example.municipality.postcode_areas
                   if example.series("big2", pc)["value"].notna().any()]
    assert extra == with_values and 0 < len(with_values) < len(example.municipality.postcode_areas)  # one all hidden
    # only the municipality's own line gets them: a postcode area has no areas below it
    assert [role for _, role, _ in trend_lines(example, "big2", "2986", with_postcodes=True)].count("extra") == 1


def test_without_a_line_the_note_names_the_undated_periods():
    real = Monitor.load("echt")
    rows = real.series("big2", "GM0597")
    undated = rows.loc[rows["period_end"].isna() & rows["value"].notna(), "period_label"].astype(str).tolist()
    assert undated
    note = no_line_note(real, "big2", "GM0597", rows)
    assert all(label in note for label in undated) and "zonder meetjaar" in note and "Ridderkerk" in note
