"""``ks-data refresh --check``: does every configured source's table have the keys and codes it asks for?

Fetches only each table's description (v3: TableInfos, DataProperties and the list of each fixed dimension; v4:
MeasureCodes and Dimensions) and says per source, in Dutch, what it found under each name — with the table's own
title and each code's own title, so a person sees at once that ``Leeftijd 80200`` is "65 jaar of ouder". A key or
code that does not exist is reported as such; nothing is fetched beyond the descriptions, nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import requests

from ks_data.sources.odata import V3, Client, ODataError
from ks_data.sources.refresh import _check_base, load_source
from ks_data.table.config import data_dir


@dataclass
class Finding:
    """What the check found for one source: lines to print, and whether anything it asks for is missing."""
    source: str
    title: str = ""
    lines: list[str] = field(default_factory=list)
    problems: int = 0

    def ok(self, text: str) -> None:
        self.lines.append(f"  in orde: {text}")

    def wrong(self, text: str) -> None:
        self.lines.append(f"  FOUT: {text}")
        self.problems += 1


def _table_title(client: Client) -> str:
    if client.service != V3:
        return ""
    infos = client.rows("TableInfos")
    return str(infos[0].get("Title") or "") if infos else ""


def _codes(client: Client, dimension: str) -> dict[str, str]:
    """A dimension's codes and their titles (v3: the dimension's own list; v4: {dimension}Codes)."""
    rows = client.rows(dimension if client.service == V3 else f"{dimension}Codes")
    key = "Key" if client.service == V3 else "Identifier"
    return {str(r.get(key, "")).strip(): str(r.get("Title") or "") for r in rows}


def check_source(name: str, *, session: requests.Session | None = None, base_url_override: str | None = None,
                 root: Path | None = None) -> Finding:
    """Every key and code the source asks for, looked up in the table's own description."""
    root = root or data_dir()
    src = load_source(name, root)
    base = _check_base(name, base_url_override) if base_url_override else src.base_url
    client = Client(src.table, base, service=src.service, session=session)
    found = Finding(name)
    try:
        found.title = _table_title(client)
        measures, kinds = client.metadata()
        for role, wanted in [("onderwerp", src.measure), ("noemer", src.denominator)]:
            if not wanted:
                continue
            try:
                measure = client.find_measure(wanted)
                found.ok(f"{role} '{wanted}' = {measure.key} ('{measure.title}', eenheid {measure.unit or 'geen'})")
            except ODataError as err:
                found.wrong(f"{role} '{wanted}': {err.problem}")
        wanted_codes = [(d, str(c)) for d, c in src.dimensions.items()]
        if src.interval:
            wanted_codes += [(src.interval.dimension, c) for c in (src.interval.value, src.interval.low,
                                                                    src.interval.high)]
        lists: dict[str, dict[str, str]] = {}
        for dimension, code in wanted_codes:
            if dimension not in kinds:
                found.wrong(f"dimensie '{dimension}' bestaat niet in deze tabel (wel: {', '.join(sorted(kinds))})")
                continue
            if dimension not in lists:
                lists[dimension] = _codes(client, dimension)
            title = lists[dimension].get(code)
            if title is None:
                found.wrong(f"{dimension} '{code}' bestaat niet (de tabel kent er {len(lists[dimension])})")
            else:
                found.ok(f"{dimension} '{code}' = '{title}'")
    except ODataError as err:
        found.wrong(str(err))
    return found
