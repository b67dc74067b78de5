"""Table downloads people can reuse: numbers as numbers, period and source always there, hidden stays empty."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from ks_data.publish.published import numeric_rows
from ks_data.views.area_tables import postcode_table
from ks_data.views.monitor import Monitor
from ks_data.views.provenance import provenance_numeric
from ks_data.views.related import related_groups, related_numeric
from ks_data.views.safe_export import csv_bytes


@pytest.fixture(scope="module")
def example():
    return Monitor.load("voorbeeld")


def test_numeric_twin_of_every_postcode_table_and_series(example):
    for indicator in example.catalogue.index:
        for rows in [postcode_table(example, indicator, "gemeente"), example.series(indicator, "GM0597")]:
            if rows.empty:
                continue
            out = numeric_rows(rows, example.area_name)
            assert out["Waarde"].dtype == float and str(out["Teller"].dtype) == "Int64"
            assert (out["Periode"] != "").all() and (out["Bron"] != "").all()
            hidden = rows["suppressed"].astype(bool).to_numpy()
            assert out.loc[hidden, "Waarde"].isna().all() and out.loc[hidden, "Teller"].isna().all()
            assert out.loc[hidden, "Toelichting"].str.startswith("verborgen").all()


def test_the_csv_reads_back_as_numbers(example):
    out = numeric_rows(example.series("big2", "GM0597"), example.area_name)
    back = pd.read_csv(io.BytesIO(csv_bytes(out, excel=True)), sep=";", decimal=",", encoding="utf-8-sig")
    assert back["Waarde"].dtype == float and back["Noemer"].dtype.kind in "if"
    assert (back["Eenheid"] == "per 1000").all()  # the unit in its own column, never glued to a number
    assert not back.astype(str).apply(lambda c: c.str.contains(r"\d per 1000|\d%")).any().any()


@pytest.mark.parametrize("bundle", ["voorbeeld", "echt"])
def test_related_and_provenance_downloads_carry_numbers(bundle):
    monitor = Monitor.load(bundle)
    for group in related_groups(monitor):
        out = related_numeric(monitor, group)
        if out.empty:
            continue
        for column in ["Waarde", "95%-ondergrens", "Waarde Nederland"]:
            assert out[column].dtype == float, column
        assert (out["Periode"] != "").all() and (out["Bron"] != "").all()
        assert not out["Oordeel t.o.v. Nederland"].str.contains("[▲▼+−]", regex=True).any()
    prov = provenance_numeric(monitor)
    assert prov["Waarde"].dtype == float and len(prov) == len(monitor.view.table)
    assert prov.loc[monitor.view.table["suppressed"].astype(bool).to_numpy(), "Waarde"].isna().all()
