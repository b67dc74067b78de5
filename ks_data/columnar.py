"""Column-at-a-time conversions for national-size tables (Arrow's C++ kernels, no per-row Python)."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def to_float(values: pd.Series) -> pd.Series:
    """Text to float64 as ``pd.to_numeric(errors="coerce")`` gives it: blanks and missing become NaN.

    Arrow casts the whole column at once when every cell is a number; only a column with a cell that
    is not (which validation then reports by line) takes pandas' slower cell-by-cell path.
    """
    arr = pa.array(values, from_pandas=True)
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        arr = arr.cast(pa.string())
    arr = pc.utf8_trim_whitespace(arr)
    arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)
    try:
        out = pc.cast(arr, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pd.to_numeric(values, errors="coerce").astype("float64")
    return pd.Series(out.to_numpy(zero_copy_only=False), index=values.index, dtype="float64")
