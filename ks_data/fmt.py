"""Dutch number formatting: decimal comma, thousands dot, units as the vocabulary names them.

A value is shown with the decimals its source gives (``decimals`` per row), so a published
"7%" never becomes "7,0%"; computed values use the catalogue's precision.
"""

from __future__ import annotations

import math
from datetime import UTC

import pandas as pd

from ks_data.vocab import DIFFERENCE_LABEL, MISSING, UNIT_LABEL


def _missing(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def _decimals(x: float, decimals) -> int:
    if not _missing(decimals):
        return int(decimals)
    return 2 if round(x, 2) != round(x, 1) else 1  # unknown precision: as the value needs, at most two


def number(x, decimals: int | None = None) -> str:
    """1234.5 → '1.234,5'. Without ``decimals``: at least one, at most two, as the value needs."""
    if _missing(x):
        return MISSING
    x = float(x)
    text = f"{x:,.{_decimals(x, decimals)}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def integer(x) -> str:
    if _missing(x):
        return MISSING
    return number(round(float(x)), 0)


def value(x, unit: str, decimals: int | None = None) -> str:
    """'176,0 per 1000', '18,9%', '7%'."""
    if _missing(x):
        return MISSING
    text = number(x, decimals)
    return f"{text}%" if unit == "%" else f"{text} {UNIT_LABEL.get(unit, unit)}"


def interval(low, high, unit: str = "", decimals: int = 1) -> str:
    if _missing(low) or _missing(high):
        return MISSING
    suffix = "%" if unit == "%" else ""
    return f"{number(low, decimals)}–{number(high, decimals)}{suffix}"


def difference(x, unit: str, decimals: int = 1) -> str:
    """A signed change: '+4,8 per 1000', '−1,2 procentpunt'."""
    if _missing(x):
        return MISSING
    sign = "+" if x > 0 else "−" if x < 0 else ""
    return f"{sign}{number(abs(x), decimals)} {DIFFERENCE_LABEL.get(unit, unit)}"


def ratio(x, decimals: int = 2) -> str:
    return MISSING if _missing(x) else ("oneindig" if math.isinf(x) else number(x, decimals))


def as_written(text) -> str:
    """A number as a file wrote it ("172.1", "172,1", "80") in Dutch ("172,1", "80"); anything else as it is."""
    raw = "" if _missing(text) else str(text).strip()
    try:
        x = float(raw.replace(",", ".")) if raw.count(",") + raw.count(".") <= 1 else None
    except ValueError:
        x = None
    if x is None or not math.isfinite(x):
        return raw
    decimals = len(raw.replace(",", ".").split(".")[1]) if "." in raw.replace(",", ".") else 0
    return number(x, decimals)


MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]


def moment(iso: str, zone: str = "Europe/Amsterdam") -> str:
    """An ISO time (UTC, as the history stores it) as Dutch local time: '3 december 2026, 09:41'."""
    from datetime import datetime
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        when = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return str(iso)
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    try:
        local, suffix = when.astimezone(ZoneInfo(zone)), ""
    except ZoneInfoNotFoundError:  # a machine without a time-zone database: say which time it is
        local, suffix = when.astimezone(UTC), " (UTC)"
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local:%H:%M}{suffix}"
