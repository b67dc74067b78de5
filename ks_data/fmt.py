"""Dutch number formatting: decimal comma, thousands dot, units as the catalogue names them."""

from __future__ import annotations

import math

from ks_data.catalogue import UNIT_LABEL

MISSING = "–"


def number(x, decimals: int | None = None) -> str:
    """1234.5 → '1.234,5'. Without ``decimals``: at least one, at most two, as the value needs."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return MISSING
    x = float(x)
    if decimals is None:
        decimals = 2 if round(x, 2) != round(x, 1) else 1
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def integer(x) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return MISSING
    return number(round(float(x)), 0)


def value(x, unit: str, decimals: int | None = None) -> str:
    """'176,0 per 1000', '18,9%'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return MISSING
    text = number(x, decimals)
    return f"{text}%" if unit == "%" else f"{text} {UNIT_LABEL.get(unit, unit)}"


def interval(low, high, unit: str = "") -> str:
    if low is None or high is None or any(isinstance(v, float) and math.isnan(v) for v in (low, high)):
        return MISSING
    suffix = "%" if unit == "%" else ""
    return f"{number(low, 1)}–{number(high, 1)}{suffix}"
