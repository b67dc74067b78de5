"""The column-at-a-time number parser gives what pandas' cell-by-cell parser gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ks_data.columnar import to_float

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
