"""Where each published figure comes from: hidden figures carry their reason, never their number."""

import pytest

from ks_data.views.monitor import Monitor
from ks_data.views.provenance import births_per_year, provenance, provenance_numeric


@pytest.fixture(scope="module")
def example():
    return Monitor.load("voorbeeld")


def test_every_published_figure_is_listed_once_with_its_source_and_hidden_ones_with_their_reason(example):
    table = provenance(example)
    view = example.view.table
    assert len(table) == len(view)
    hidden = view["suppressed"].astype(bool).to_numpy()
    assert (table.loc[hidden, "Waarde"].to_numpy() == view.loc[hidden, "hidden"].to_numpy()).all()
    assert (table.loc[hidden, "Interval"] == "–").all() and (table.loc[hidden, "95%-interval"] == "–").all()
    assert (table["Bron"] != "").all() and (table["Voorbeeld"] == "ja (fictief)").all()


def test_the_download_keeps_numbers_as_numbers_and_blanks_hidden_ones(example):
    out = provenance_numeric(example)
    hidden = example.view.table["suppressed"].astype(bool).to_numpy()
    assert out.loc[hidden, "Waarde"].isna().all() and out.loc[~hidden, "Waarde"].notna().any()
    assert list(out.columns[:2]) == ["Indicator", "Indicator-id"]


def test_births_per_year_come_from_the_annual_denominators_where_there_are_counts(example):
    births = births_per_year(example)
    rows = example.view.table
    big2 = rows[(rows["indicator_id"] == "big2") & (rows["area_code"] == "GM0597")
                & (rows["period_start"] == rows["period_end"])]
    assert min(big2["denominator"]) <= births <= max(big2["denominator"])
    assert births_per_year(Monitor.load("echt")) is None  # the real bundle gives no counts per year
