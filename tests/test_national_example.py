"""The national-size example: deterministic, example-marked, and its counts add up the area hierarchy."""

from __future__ import annotations

import pandas as pd
import pytest

from ks_data.sources.national_example import national_example, write_csv
from ks_data.table.areas import load_areas
from ks_data.table.observations import check_table, read_raw

FRACTION = 0.02  # a handful of municipalities: the same code as the full size, in a second


@pytest.fixture(scope="module")
def table():
    return national_example(FRACTION)


def test_same_seed_same_table(table):
    pd.testing.assert_frame_equal(table, national_example(FRACTION))


def test_counts_add_up_from_postcode_areas_to_the_netherlands(table):
    areas = load_areas()
    parent = areas["parent_code"]
    key = ["indicator_id", "period_label"]
    for child_level, parent_level in [("postcode", "gemeente"), ("gemeente", "provincie"), ("provincie", "land")]:
        child = table[table["area_code"].map(areas["level"]) == child_level]
        sums = (child.assign(parent=child["area_code"].map(parent))
                .groupby(key + ["parent"])[["numerator", "denominator"]].sum())
        upper = table[table["area_code"].map(areas["level"]) == parent_level].set_index(key + ["area_code"])
        upper.index = upper.index.set_names(key + ["parent"])
        joined = sums.join(upper[["numerator", "denominator"]].add_suffix("_upper"), how="inner")
        assert len(joined) == len(upper)  # every parent row is the sum of its children
        assert (joined["numerator"] == joined["numerator_upper"]).all()
        assert (joined["denominator"] == joined["denominator_upper"]).all()


def test_every_indicator_and_year_and_marked_as_example(table):
    assert table["is_example"].all() and table["source"].str.startswith("Voorbeelddata — fictief").all()
    assert table.groupby("indicator_id")["period_end"].nunique().min() >= 16  # 20 years, or 16 five-year windows
    five = table[table["indicator_id"] == "perinatale_sterfte"]
    assert (five["period_end"] - five["period_start"] == 4).all()


def test_the_written_file_passes_validation(table, tmp_path):
    write_csv(table, tmp_path / "observations.csv")
    checked = check_table(read_raw(tmp_path / "observations.csv"))
    assert len(checked) == len(table) and checked["ci_low"].notna().all()
