"""The column-at-a-time number parser gives what pandas' cell-by-cell parser gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ks_data.columnar import per_value, put_text, stripped_text, to_float

CASES = [
    ["1", " 2.5 ", "", None, "1e3", "-0.25"],           # clean column: the Arrow path
    ["1", "twee", "3,5", "", "4"],                       # a bad cell: the pandas path, bad cells missing
    ["nan", "inf", "12"],                                # non-finite words (validation reports them)
]


@pytest.mark.parametrize("cells", CASES)
def test_to_float_matches_pandas(cells):
    text = pd.Series(cells, dtype="str")
    expected = pd.to_numeric(text.str.strip().replace("", np.nan), errors="coerce").astype("float64")
    got = to_float(text)
    assert got.dtype == "float64" and list(got.index) == list(text.index)
    np.testing.assert_array_equal(got.to_numpy(), expected.to_numpy())


def test_stripped_text_merges_spacing_variants_and_keeps_each_row():
    text = pd.Series([" big2", "big2 ", None, "", "tienermoeders", "big2"], dtype="str")
    got = stripped_text(text)
    assert isinstance(got.dtype, pd.CategoricalDtype)
    assert got.astype(str).tolist() == ["big2", "big2", "", "", "tienermoeders", "big2"]
    assert list(got.cat.categories) == ["", "big2", "tienermoeders"]  # sorted, each once, "" always there
    assert stripped_text(got) is got  # already stripped: the rows are not touched again
    assert stripped_text(text.astype("category")).equals(got)


def test_per_value_runs_once_per_distinct_text_and_spreads_over_the_rows():
    text = stripped_text(pd.Series(["1.5", "2", "1.5", "x", "1.5"] * 1000, dtype="str"))
    seen = []

    def parse(values: pd.Series) -> pd.Series:
        seen.append(len(values))
        return to_float(values)

    got = per_value(text, parse)
    assert seen == [4]  # "", "1.5", "2", "x"
    np.testing.assert_array_equal(got.to_numpy()[:5], [1.5, 2.0, 1.5, np.nan, 1.5])
    assert len(got) == 5000 and got.index.equals(text.index)


def test_put_text_adds_the_new_texts_as_categories():
    notes = stripped_text(pd.Series(["", "a", ""], dtype="str"))
    got = put_text(notes, pd.Series([True, False, True]), ["nieuw", "ook nieuw"])
    assert got.astype(str).tolist() == ["nieuw", "a", "ook nieuw"]
    assert notes.astype(str).tolist() == ["", "a", ""]  # the original is left as it was
