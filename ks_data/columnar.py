"""Column-at-a-time conversions for national-size tables (Arrow's C++ kernels, no per-row Python).

A national table repeats few distinct texts over many rows: 16 indicators, ~4,400 areas, a few
thousand distinct values over 1.4 million rows. Text is therefore held as a categorical of
stripped strings, and every check or conversion of one column runs on its distinct values only
(:func:`per_value`), then is spread over the rows by their codes.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def to_float(values: pd.Series) -> pd.Series:
    """Text to float64 as ``pd.to_numeric(errors="coerce")`` gives it: blanks and missing become NaN.

    Arrow casts the whole column at once when every cell is a number; only a column with a cell that
    is not (which validation then reports by line) takes pandas' slower cell-by-cell path.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        return per_value(values, to_float).astype("float64")
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


def stripped_text(values: pd.Series) -> pd.Series:
    """Text as a categorical of stripped strings, "" for missing; each distinct text held once.

    Two texts that differ only in surrounding spaces become one category, and "" is always a
    category, so comparisons and ``where(..., "")`` never meet an unknown category.
    """
    if not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype("category")
    elif _is_stripped_text(values):
        return values
    categories = values.cat.categories
    texts = pd.Series(categories.astype(str), dtype=object).str.strip().to_numpy(dtype=object)
    inverse, distinct = pd.factorize(np.append(texts, ""), sort=True)  # sorted, as astype("category") gives
    codes = values.cat.codes.to_numpy()
    codes = np.where(codes < 0, len(categories), codes)  # missing → the appended ""
    merged = inverse.astype(np.int32).take(codes)
    categorical = pd.Categorical.from_codes(merged, categories=pd.Index(distinct))
    return pd.Series(categorical, index=values.index, name=values.name)


def _is_stripped_text(values: pd.Series) -> bool:
    """Already what :func:`stripped_text` gives (then it need not touch the rows again)."""
    categories = values.cat.categories
    if not (categories.is_monotonic_increasing and categories.is_unique and "" in categories):
        return False
    texts = pd.Series(categories, dtype=object)
    return bool(texts.map(type).eq(str).all() and texts.str.strip().eq(texts).all()
                and (values.cat.codes.to_numpy() >= 0).all())


def per_value(values: pd.Series, function: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``function`` applied to each distinct value of a categorical column, spread over its rows.

    ``function`` takes and returns a Series of the same length (the categories); the result keeps
    its dtype (nullable integers stay nullable). Rows without a category get the result's missing.
    """
    categories = pd.Series(values.cat.categories, dtype=object)
    result = function(categories).reset_index(drop=True)
    codes = values.cat.codes.to_numpy()
    if (codes < 0).any():
        return pd.Series(result.array.take(codes, allow_fill=True), index=values.index)
    return pd.Series(result.array.take(codes), index=values.index)


def put_text(values: pd.Series, rows: pd.Series, texts) -> pd.Series:
    """``values`` with ``texts`` written at ``rows``; a categorical column first gains the new texts."""
    out = values.copy()
    if isinstance(out.dtype, pd.CategoricalDtype):
        new = pd.Index(pd.unique(np.asarray(texts, dtype=object))).difference(out.cat.categories)
        out = out.cat.add_categories(new)
    out[rows] = texts
    return out
