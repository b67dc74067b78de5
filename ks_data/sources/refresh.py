"""Refresh figures from CBS: the sources of ``data/sources.toml``, imported through the store.

Why: some indicators are published as open CBS/RIVM tables; fetching them by hand is error-prone.
A source names a table on a service, the measure that feeds one catalogue indicator (found by key
prefix or title, since keys change per table year), an optional denominator, which areas and
periods to keep and how the definition differs from the catalogue's. :func:`fetch` turns it into
rows of the tidy text form; :func:`refresh` passes them through ``store.preview``/``store.apply``
like any import (history, undo, stale-preview check), one source at a time, so one failing source
never stops the others and a failure leaves the bundle as it was: the last good data stays.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import requests

from ks_data.sources import store
from ks_data.sources.odata import V3, V4, Client, Measure, ODataError, make_session, number
from ks_data.table.areas import load_areas
from ks_data.table.catalogue import load_catalogue
from ks_data.table.config import data_dir, load_groups, load_municipality, load_settings, municipality_codes
from ks_data.table.schema import COLUMNS

SOURCES_FILE = "sources.toml"
NATIONAL = {"NL00": "NL01"}  # Kerncijfers wijken en buurten call the Netherlands NL00
_YEAR_CODE = re.compile(r"^(\d{4})JJ00$")
_LABEL_YEARS = re.compile(r"^\s*(\d{4})(?:\s*(?:-|–|t/m)\s*(\d{4}))?\s*$")

Progress = Callable[[str, float], None]


class SourceError(ValueError):
    """A source in sources.toml is missing or cannot be used; ``str()`` is the Dutch message."""


@dataclass(frozen=True)
class Interval:
    dimension: str  # e.g. Marges (RIVM): the value and its 95% bounds are rows of one dimension
    value: str
    low: str
    high: str


@dataclass(frozen=True)
class Source:
    name: str
    indicator: str
    unit: str
    service: str
    base_url: str
    table: str
    measure: str
    measure_kind: str = "value"  # "value": the measure is the figure; "count": measure / denominator
    denominator: str = ""
    regions: str | tuple[str, ...] = "gemeente"
    dimensions: dict[str, str] = field(default_factory=dict)
    interval: Interval | None = None
    periods: dict[str, str] = field(default_factory=dict)  # code → label; empty: every year (2022JJ00 → 2022)
    first_year: int | None = None
    server_filter: bool = True
    region_dimension: str = ""
    period_dimension: str = ""
    source: str = ""
    source_detail: str = ""
    note: str = ""
    definition: str = ""  # how the source's definition differs from the catalogue's (drawn as a break)
    complement: str = ""  # what the table gives where it is the opposite share: turned round on import
    enabled: bool = True


def _read(root: Path) -> dict[str, dict]:
    path = root / SOURCES_FILE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(f"{SOURCES_FILE} ontbreekt in de datamap; er zijn geen bronnen om te verversen.") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise SourceError(f"{SOURCES_FILE} is onleesbaar: {err}") from None
    sources = raw.get("sources", {})
    if not isinstance(sources, dict) or not all(isinstance(v, dict) for v in sources.values()):
        raise SourceError(f"{SOURCES_FILE}: elke bron hoort een tabel [sources.<naam>] te zijn.")
    return sources


def source_names(root: Path | None = None, *, enabled_only: bool = True) -> list[str]:
    """The configured sources in file order (only those switched on, unless asked otherwise)."""
    return [n for n, s in _read(root or data_dir()).items() if s.get("enabled", True) is True or not enabled_only]


def _check_base(name: str, url: str) -> str:
    parts = urlsplit(url)
    local = parts.hostname in {"127.0.0.1", "localhost", "::1"}
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise SourceError(f"Bron '{name}': het adres '{url}' moet met https:// beginnen.")
    return url


def load_source(name: str, root: Path | None = None) -> Source:
    """One source, checked against the catalogue: indicator known, unit the indicator's own."""
    root = root or data_dir()
    raw = _read(root)
    if name not in raw:
        raise SourceError(f"Bron '{name}' staat niet in {SOURCES_FILE} (wel: {', '.join(raw) or 'geen'}).")
    entry = dict(raw[name])
    catalogue = load_catalogue(root)
    try:
        interval = entry.pop("interval", None)
        source = Source(name=name, **entry, interval=Interval(**interval) if interval else None)
    except TypeError as err:
        raise SourceError(f"Bron '{name}' in {SOURCES_FILE} klopt niet: {err}.") from None
    problems = []
    for key in ["indicator", "unit", "service", "base_url", "table", "measure"]:
        if not isinstance(getattr(source, key), str) or not getattr(source, key).strip():
            problems.append(f"'{key}' ontbreekt")
    if not problems:
        if source.indicator not in catalogue.index:
            problems.append(f"indicator '{source.indicator}' staat niet in de catalogus")
        elif catalogue.loc[source.indicator, "unit"] != source.unit:
            problems.append(f"eenheid '{source.unit}' past niet bij {source.indicator} "
                            f"({catalogue.loc[source.indicator, 'unit']})")
        if source.service not in (V3, V4):
            problems.append("service moet v3 of v4 zijn")
        if source.measure_kind not in ("value", "count"):
            problems.append("measure_kind moet 'value' of 'count' zijn")
        if source.measure_kind == "count" and not source.denominator:
            problems.append("measure_kind = 'count' vraagt om een denominator")
        if not (source.regions in ("gemeente", "alle") or isinstance(source.regions, list | tuple)):
            problems.append("regions moet 'gemeente', 'alle' of een lijst met gebiedscodes zijn")
    if problems:
        raise SourceError(f"Bron '{name}' in {SOURCES_FILE} klopt niet: {'; '.join(problems)}.")
    _check_base(name, source.base_url)
    return source


def _regions(source: Source, root: Path) -> set[str] | None:
    """The region codes to keep (with NL00 beside NL01), or None for every area of the registry."""
    if source.regions == "alle":
        return None
    if source.regions == "gemeente":  # configured municipalities, coalitions' and regions' members, their provinces
        codes = {"NL01"}
        for code in municipality_codes(root):
            codes |= {code, load_municipality(code, root).province}
        for group in load_groups(root).values():  # a region is a code of the tables too (GG…), a coalition not
            codes |= {*group.members, group.province, *([group.code] if group.kind == "regio" else [])}
    else:
        codes = {str(c).strip().upper() for c in source.regions}
    return codes | {alias for alias, code in NATIONAL.items() if code in codes}


def _period(source: Source, code: str) -> tuple[str, str, str] | None:
    """(start, end, label) of a period code, or None for a period the source does not keep."""
    if source.periods:
        label = source.periods.get(code)
        years = _LABEL_YEARS.match(label or "")
        if not years:
            return None
        start, end = years.group(1), years.group(2) or years.group(1)
    elif match := _YEAR_CODE.match(code):
        start = end = label = match.group(1)
    else:
        return None  # quarters, months: not a yearly figure
    if source.first_year and int(end) < source.first_year:
        return None
    return start, end, label


def _unit_fits(measure: Measure, source: Source) -> bool:
    unit = measure.unit.casefold().replace(" ", "")
    if not unit:
        return True  # the service does not say: nothing to hold against it
    if source.measure_kind == "count":
        return "%" not in unit and "per" not in unit
    return ("%" in unit or "procent" in unit) if source.unit == "%" else ("1000" in unit or "‰" in unit)


def _text(x: float | None, decimals: int | None) -> str:
    if x is None:
        return ""
    if decimals is not None:
        return f"{x:.{decimals}f}"
    return f"{x:.10f}".rstrip("0").rstrip(".")


def _count(x: float | None) -> str:
    return f"{x:.0f}" if x is not None and float(x).is_integer() and x >= 0 else ""


def _dimensions(client: Client, source: Source) -> tuple[str, str, dict[str, str]]:
    kinds = client.metadata()[1]
    region = source.region_dimension or next((d for d, k in kinds.items() if k == "geo"), "")
    period = source.period_dimension or next((d for d, k in kinds.items() if k == "time"), "")
    if not region or not period:
        raise client.fail("de tabel noemt geen gebieds- of periodedimensie; zet region_dimension en "
                          f"period_dimension in {SOURCES_FILE}.")
    return region, period, kinds


def fetch(source_name: str, *, session: requests.Session | None = None, base_url_override: str | None = None,
          progress: Callable[[float], None] | None = None, root: Path | None = None) -> pd.DataFrame:
    """The source's figures as tidy text rows (every column of ``schema.COLUMNS``), ready for ``store.preview``."""
    root = root or data_dir()
    src = load_source(source_name, root)
    base = _check_base(source_name, base_url_override) if base_url_override else src.base_url
    client = Client(src.table, base, service=src.service, session=session)
    measure = client.find_measure(src.measure)
    if not _unit_fits(measure, src):
        raise client.fail(f"het onderwerp '{measure.title}' ({measure.key}) heeft eenheid '{measure.unit}', wat niet "
                          f"past bij {src.indicator} ({'een aantal' if src.measure_kind == 'count' else src.unit}).")
    den = client.find_measure(src.denominator) if src.denominator else None
    region_dim, period_dim, kinds = _dimensions(client, src)
    regions = _regions(src, root)
    if regions is None:
        areas = load_areas(root)
        regions = set(areas.index[areas["level"].isin(["land", "provincie", "gemeente"])]) | set(NATIONAL)
    filters = {region_dim: regions, **{d: {str(c)} for d, c in src.dimensions.items()}}
    if src.interval:
        filters[src.interval.dimension] = {src.interval.value, src.interval.low, src.interval.high}
    hints = dict(filters) if src.regions != "alle" else {d: c for d, c in filters.items() if d != region_dim}
    if src.periods:
        filters[period_dim] = hints[period_dim] = set(src.periods)
    elif src.service == V3:
        hints[period_dim] = {"JJ"}  # only years: substringof('JJ', Perioden)
    measures = [measure] + ([den] if den else [])
    rows = client.observations(measures, filters, server_filters=hints if src.server_filter else {}, progress=progress)
    loose = {d: sorted({str(r.get(d, "")) for r in rows}) for d, kind in kinds.items()
             if kind == "other" and d not in filters}
    if loose := {d: v for d, v in loose.items() if len(v) > 1}:
        dim, values = next(iter(loose.items()))
        raise client.fail(f"de dimensie {dim} heeft meerdere waarden ({', '.join(values[:5])}) en staat niet vast in "
                          f"{SOURCES_FILE} (dimensions); kies er één.")
    return _tidy(src, client, rows, measure, den, region_dim, period_dim, root)


def _tidy(src: Source, client: Client, rows: list[dict], measure: Measure, den: Measure | None,
          region_dim: str, period_dim: str, root: Path) -> pd.DataFrame:
    catalogue = load_catalogue(root)
    multiplier, decimals = float(catalogue.loc[src.indicator, "multiplier"]), int(catalogue.loc[src.indicator, "decimals"])
    cells: dict[tuple[str, str], dict[str, dict]] = {}
    for row in rows:
        period = _period(src, str(row.get(period_dim, "")))
        if period is None:
            continue
        area = NATIONAL.get(str(row[region_dim]), str(row[region_dim]))
        part = str(row[src.interval.dimension]) if src.interval else "value"
        cell = cells.setdefault((area, *period), {})
        if part in cell:
            raise client.fail(f"meer dan één rij voor {area} in periode {period[2]}; leg de overige dimensies vast "
                              f"in {SOURCES_FILE}.")
        cell[part] = row
    if not cells:
        raise client.fail("geen gegevens voor de gekozen gebieden, perioden en dimensies; controleer de codes in "
                          f"{SOURCES_FILE}.")
    detail = "; ".join(x for x in [src.source_detail, f"onderwerp '{measure.title}' ({measure.key})",
                                   f"noemer '{den.title}' ({den.key})" if den else ""] if x)
    out = []
    for (area, start, end, label), cell in sorted(cells.items()):
        main = cell.get(src.interval.value if src.interval else "value")
        if main is None:
            continue
        value = number(main.get(measure.key), src.table)
        denominator = number(main.get(den.key), src.table) if den else None
        numerator = None
        if src.measure_kind == "count":
            numerator, value = value, None
            if numerator is not None and denominator:
                value = round(numerator / denominator * multiplier, decimals)
            shown = _text(value, decimals)
        else:
            shown = _text(value, measure.decimals)
        low = high = ""
        if src.interval:
            low = _text(number(cell.get(src.interval.low, {}).get(measure.key), src.table), measure.decimals)
            high = _text(number(cell.get(src.interval.high, {}).get(measure.key), src.table), measure.decimals)
        note = src.note if shown else " ".join(x for x in [src.note, "in de bron onderdrukt of ontbrekend"] if x)
        out.append({"indicator_id": src.indicator, "area_code": area, "period_start": start, "period_end": end,
                    "period_label": label, "value": shown, "unit": src.unit, "numerator": _count(numerator),
                    "denominator": _count(denominator), "ci_low": low, "ci_high": high,
                    "source": src.source or f"CBS StatLine, tabel {src.table}", "source_detail": detail,
                    "retrieved": date.today().isoformat(), "is_example": "false", "note": note,
                    "definition": src.definition, "complement": src.complement})
    return pd.DataFrame(out, columns=[*COLUMNS, "complement"] if src.complement else COLUMNS, dtype=str)


def refresh(bundle: str | None = None, names: list[str] | None = None, dry_run: bool = False, who: str | None = None,
            base_url_override: str | None = None, progress: Progress | None = None, *, root: Path | None = None,
            session: requests.Session | None = None) -> list[tuple[str, store.Preview | ValueError]]:
    """Fetch each source and import it into ``bundle``; one (name, Preview or error) per source.

    Without ``names`` every enabled source runs; an unknown or disabled name raises
    :class:`SourceError` before anything is fetched. A source that fails (an :class:`ODataError`,
    a :class:`SourceError`, a store error) is reported in its place and changes nothing; the
    others go on. With ``dry_run`` nothing is written: the previews can be applied later with
    ``store.apply``. ``progress(name, fraction)`` is called as pages arrive and with 1.0 at the end.
    """
    root = root or data_dir()
    bundle = bundle or load_settings(root).default_bundle
    configured = _read(root)
    if names is None:
        names = source_names(root)
    for name in names:
        if name not in configured:
            raise SourceError(f"Bron '{name}' staat niet in {SOURCES_FILE} (wel: {', '.join(configured) or 'geen'}).")
        if configured[name].get("enabled", True) is not True:
            raise SourceError(f"Bron '{name}' staat uit (enabled = false in {SOURCES_FILE}).")
    session = session or make_session()
    results: list[tuple[str, store.Preview | ValueError]] = []
    for name in names:
        step = (lambda f, n=name: progress(n, f)) if progress else None
        try:
            table = fetch(name, session=session, base_url_override=base_url_override, progress=step, root=root)
            src = load_source(name, root)
            result = store.preview(bundle, table, source=f"CBS-tabel {src.table} (bron '{name}')", root=root)
            if not dry_run and not result.empty:
                store.apply(result, who=who or store.default_user(), root=root)
        except ValueError as err:  # ODataError, SourceError, StoreError, ValidationError, ConfigError: Dutch text
            result = err
        except Exception as err:  # noqa: BLE001 — one source's surprise must not stop the others
            logging.getLogger("ks_data").debug("refresh of %s failed", name, exc_info=True)
            result = SourceError(f"Bron '{name}': onverwachte fout ({type(err).__name__}); de gegevens zijn "
                                 "niet gewijzigd.")
        if progress:
            progress(name, 1.0)
        results.append((name, result))
    return results


__all__ = ["ODataError", "Source", "SourceError", "fetch", "load_source", "refresh", "source_names"]
