"""Turn a "wide" table as portals export it into the long text table that ``incoming.normalise`` reads.

Portals (waarstaatjegemeente.nl, regiobeeld.nl) export a row per area and a column per period or
per indicator, under title and date lines and above a block of footnotes. People cannot be asked
to reshape that by hand without mistakes, so a small mapping file says once where the table is
and what its columns mean; it can be saved and reused for next year's export. Cell text is kept
exactly as written (``"175,8"``, ``"<10"``, ``"."``): normalising and validating stay with
``incoming`` and ``validation``, which report each problem by line.

Mapping (TOML; ``data/mappings/README.md`` has one example per layout)::

    sheet = "Data"              # optional: the Excel worksheet (default: the first); ignored for CSV
    area_column = "Gemeente"    # the header text of the column naming the areas
    layout = "periods"          # "periods": a column per period; "indicators": a column per indicator
    indicator = "big2"          # periods layout: the one indicator of the table
    period = "2023"             # indicators layout: the one period of the table
    unit = "per 1000"           # the unit (indicators layout: the default, see [units])
    source = "waarstaatjegemeente.nl, export 2026-11-20"   # optional; also source_detail, note,
                                # definition (how it differs from the catalogue's: drawn as a break)
    [columns]                   # header text = period label (periods) or indicator id (indicators)
    "2019" = "2019"
    "2017-2021" = "2017-2021"
    [units]                     # optional, indicators layout: a unit per indicator id
    [areas]                     # optional: area text in the file = area code, for names not in the registry

``columns`` may also be a list (``columns = ["2019", "2020"]``) when header and target are the same.
Headers match ignoring case, repeated spaces and the kind of dash. ``layout`` also takes the
Dutch ``"perioden"`` / ``"indicatoren"``.

Finding the table: the header is the first row holding a cell equal to ``area_column`` (in Excel
a vertically merged area header makes the header span its rows; each column is then labelled
by its lowest non-empty header cell, merged cells reading as their top-left cell). Blank rows
and rows without an area right under the header are skipped; the data end at the first blank
row, the first row without an area, or an area cell starting a footnote (``*``, ``Bron``,
``Noot``, ``Toelichting``, ``1)``…). Values further down in mapped columns are refused rather
than silently dropped. Empty cells give no row (an empty cell is no figure; it must never erase
a stored one); a suppression marker such as ``.`` or ``<10`` does give a row. Excel cells are
read as shown where Excel itself would differ from the stored number: a formula by its stored
result (one without a stored result is refused with its cell, never guessed), a number formatted
as a percentage (0.148 shown as 14,8%) as 14.8.

Line numbers: every long row carries ``source_line`` (the row in the file or worksheet, 1-based,
as a text editor or Excel numbers it) and ``source_column`` (the header text of its column);
``normalise`` drops both but keeps the order, so :func:`trace` turns validation problems
(numbered by row of the long table) back into file rows and columns.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import tomllib
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ks_data.table.reading import EXCEL, ReadError, _decode, check_workbook, file_bytes, read_bytes
from ks_data.table.validation import Problem

LAYOUTS = {"periods": "periods", "perioden": "periods", "indicators": "indicators", "indicatoren": "indicators"}
TEXT_KEYS = ["sheet", "area_column", "layout", "indicator", "period", "unit", "source", "source_detail", "note",
             "definition", "complement"]
TABLE_KEYS = ["columns", "units", "areas"]
COLUMNS = ["indicator_id", "area_code", "period_label", "value", "unit", "source", "source_detail", "note",
           "definition", "complement", "source_line", "source_column"]
FOOTNOTE = re.compile(r"^\s*(?:[*†‡¹²³⁴⁵⁶⁷⁸⁹]|\(?\d{1,2}\)|(?:bron|bronnen|noot|noten|voetnoot|voetnoten|"
                      r"toelichting|opmerking|opmerkingen|legenda|let op)\b)", re.IGNORECASE)
DELIMITERS = [";", ",", "\t"]
HEADERS_LISTED = 15
CELLS_LISTED = 5
PREFIX = "Koppeling: "  # a Mapping made in code; a file's name replaces it when read from one


class MappingError(ValueError):
    """A mapping that is malformed, or that does not fit the file; ``str()`` is the Dutch message."""


def _key(text: object) -> str:
    """How headers are compared: case, repeated or odd spaces and the kind of dash do not count."""
    return " ".join(str(text).replace("–", "-").replace("—", "-").split()).casefold()


def _quoted(items) -> str:
    return ", ".join(f"'{i}'" for i in items)


@dataclass(frozen=True)
class Mapping:
    """Where the table is in a wide file and what its columns mean (see the module docstring)."""

    area_column: str
    layout: str
    columns: dict[str, str]
    indicator: str = ""
    period: str = ""
    unit: str = ""
    units: dict[str, str] = field(default_factory=dict)
    areas: dict[str, str] = field(default_factory=dict)
    sheet: str = ""
    source: str = ""
    source_detail: str = ""
    note: str = ""
    definition: str = ""  # how the export's definition differs from the catalogue's
    complement: str = ""  # what the export gives where it is the opposite share ("start ná 10 weken"): turned round

    def __post_init__(self) -> None:
        try:
            self._check()
        except MappingError as err:
            raise MappingError(f"{PREFIX}{err}") from None

    def _check(self) -> None:
        layout = LAYOUTS.get(str(self.layout).strip().lower())
        if layout is None:
            raise MappingError(f"layout moet \"periods\" of \"indicators\" zijn, niet \"{self.layout}\".")
        object.__setattr__(self, "layout", layout)
        if not self.area_column.strip():
            raise MappingError("area_column ontbreekt: geef het kopje van de kolom met de gebieden, "
                               "bijvoorbeeld area_column = \"Gemeente\".")
        if not self.columns:
            raise MappingError("[columns] ontbreekt of is leeg: noem de kolommen die ingelezen moeten worden.")
        empty = [h for h, t in self.columns.items() if not h.strip() or not t.strip()]
        if empty:
            raise MappingError(f"[columns]: kopje en doel mogen niet leeg zijn (bij '{empty[0]}').")
        if any(_key(h) == _key(self.area_column) for h in self.columns):
            raise MappingError(f"[columns] noemt de gebiedskolom '{self.area_column}'; noem alleen de kolommen "
                               "met cijfers.")
        for what, values in [("kopje", list(self.columns)), ("doel", list(self.columns.values()))]:
            keys = [_key(v) for v in values]
            double = next((v for v, k in zip(values, keys) if keys.count(k) > 1), None)
            if double is not None:
                raise MappingError(f"[columns]: het {what} '{double}' staat er meer dan eens in; elke kolom "
                                   "hoort bij één periode of indicator.")
        wanted, unwanted = (("indicator", "unit"), ("period", "units")) if layout == "periods" else \
            (("period",), ("indicator",))
        for key in wanted:
            if not getattr(self, key).strip():
                example = {"indicator": 'indicator = "big2"', "unit": 'unit = "per 1000"',
                           "period": 'period = "2023"'}[key]
                raise MappingError(f"{key} ontbreekt; bij layout = \"{layout}\" hoort bijvoorbeeld {example}.")
        for key in unwanted:
            if getattr(self, key):
                raise MappingError(f"{key} hoort niet bij layout = \"{layout}\"; haal het weg of kies de andere "
                                   "layout.")
        if self.complement and layout != "periods":
            raise MappingError("complement hoort bij layout = \"periods\": één indicator waarvan de bron het "
                               "omgekeerde aandeel geeft.")
        if layout == "indicators":
            targets = {_key(t) for t in self.columns.values()}
            stray = [i for i in self.units if _key(i) not in targets]
            if stray:
                raise MappingError(f"[units] noemt {_quoted(stray)}, maar [columns] niet; controleer de spelling.")
            without = [t for t in self.columns.values() if not self.unit_of(t).strip()]
            if without:
                raise MappingError(f"geen eenheid voor {_quoted(without)}; geef unit = \"...\" of een regel in "
                                   "[units].")

    def unit_of(self, indicator: str) -> str:
        """The unit of an indicator: its line in [units], else ``unit``."""
        return next((u for i, u in self.units.items() if _key(i) == _key(indicator)), "") or self.unit

    def to_toml(self) -> str:
        """The mapping as a TOML file that :func:`parse_mapping` reads back unchanged."""
        lines = [f"{key} = {json.dumps(getattr(self, key), ensure_ascii=False)}" for key in TEXT_KEYS
                 if getattr(self, key)]
        for key in TABLE_KEYS:
            table = getattr(self, key)
            if table:
                lines += ["", f"[{key}]"]
                lines += [f"{json.dumps(k, ensure_ascii=False)} = {json.dumps(v, ensure_ascii=False)}"
                          for k, v in table.items()]
        return "\n".join(lines) + "\n"


def load_mapping(path: str | Path) -> Mapping:
    """Read a mapping file (TOML); a malformed or incomplete one is a :class:`MappingError`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MappingError(f"Koppelingsbestand niet gevonden: '{path}'; controleer de naam en de map.") from None
    except UnicodeDecodeError:
        raise MappingError(f"Koppelingsbestand '{path.name}' is geen tekstbestand (UTF-8); kies het .toml-bestand "
                           "met de koppeling.") from None
    except OSError:
        raise MappingError(f"Koppelingsbestand '{path}' kan niet worden geopend; controleer of het een bestand is "
                           "dat u mag lezen.") from None
    return parse_mapping(text, path.name)


def parse_mapping(text: str, name: str = "koppeling") -> Mapping:
    """A mapping from the text of a TOML file (e.g. an upload); ``name`` is used in the messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        where = re.search(r"line (\d+), column (\d+)", str(err))
        at = f" (regel {where.group(1)}, teken {where.group(2)})" if where else ""
        raise MappingError(f"Koppeling '{name}' is geen geldige TOML{at}; zet tekst tussen aanhalingstekens, "
                           "bijvoorbeeld area_column = \"Gemeente\" en onder [columns] \"2019\" = \"2019\".") from None
    try:
        return _from_dict(data)
    except MappingError as err:
        raise MappingError(f"Koppeling '{name}': {str(err).removeprefix(PREFIX)}") from None


def _text(value: object, key: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MappingError(f"'{key}' moet tekst zijn (tussen aanhalingstekens).")
    return str(value).strip()


def _table(value: object, key: str) -> dict[str, str]:
    if key == "columns" and isinstance(value, list):
        return {_text(v, key): _text(v, key) for v in value}
    if not isinstance(value, dict):
        raise MappingError(f"'{key}' moet een tabel zijn: een regel [{key}] met daaronder \"kopje\" = \"waarde\".")
    return {str(k): _text(v, f"{key}.{k}") for k, v in value.items()}  # keys as written: the checks compare them


def _from_dict(data: dict) -> Mapping:
    unknown = [k for k in data if k not in TEXT_KEYS + TABLE_KEYS]
    if unknown:
        raise MappingError(f"onbekende sleutel {_quoted(unknown)}; toegestaan zijn {_quoted(TEXT_KEYS + TABLE_KEYS)}.")
    for key in ["area_column", "layout"]:
        if key not in data:
            raise MappingError(f"'{key}' ontbreekt; zie data/mappings/README.md voor een voorbeeld.")
    texts = {k: _text(data[k], k) for k in TEXT_KEYS if k in data}
    tables = {k: _table(data[k], k) for k in TABLE_KEYS if k in data}
    tables.setdefault("columns", {})
    return Mapping(**texts, **tables)


# --- reading the file as a grid of text cells ------------------------------------------------------------------


@dataclass
class _Grid:
    rows: list[tuple[int, list[str]]]  # (line in the file, cells as text)
    where: str  # "werkblad 'Data' in 'x.xlsx'" or "'x.csv'", for messages
    sheet: str = ""
    merged: dict[tuple[int, int], tuple[int, int, int]] = field(default_factory=dict)  # (line, col) → top-left, last line
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # formulas without a cached value
    excel: bool = False

    def cell_name(self, line: int, col: int) -> str:
        return f"cel {get_column_letter(col + 1)}{line}" if self.excel else f"regel {line}, veld {col + 1}"


def _as_text(value: object, number_format: str = "General") -> str:
    """A cell as its text; a number shown as a percentage (0.148 as 14,8%) as the percentage shown."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) and "%" in re.sub(r'"[^"]*"|\\.', "", number_format) and math.isfinite(value):
        return format((Decimal(repr(value)) * 100).normalize(), "f")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _grid(data: bytes, name: str, mapping: Mapping) -> _Grid:
    suffix = Path(name).suffix.lower()
    if not data or data.isspace() or suffix == ".xls" or (suffix in EXCEL and not data.startswith(b"PK\x03\x04")):
        read_bytes(data, name)  # raises the reader's Dutch message (empty file, old .xls, not a workbook)
    if suffix in EXCEL:
        return _excel_grid(data, name, mapping.sheet)
    if suffix == ".parquet":
        frame = read_bytes(data, name)
        rows = [(1, [str(c) for c in frame.columns])]
        rows += [(i + 2, list(r)) for i, r in enumerate(frame.astype(str).itertuples(index=False))]
        return _Grid(rows, f"'{name}'")
    return _text_grid(data, name, mapping.area_column)


def _excel_grid(data: bytes, name: str, sheet: str) -> _Grid:
    check_workbook(data, name)  # a workbook that would exhaust memory is refused before openpyxl reads it
    try:
        # A damaged or hostile workbook can raise anything from zipfile, XML or openpyxl: all mean the same here.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values = load_workbook(io.BytesIO(data), data_only=True)  # formulas give their cached value
            formulas = load_workbook(io.BytesIO(data), data_only=False)  # … and here their text
    except Exception:
        raise ReadError(f"Bestand '{name}' is geen geldige Excel-werkmap (beschadigd of een ander soort "
                        "zip-bestand); open het in Excel en sla het opnieuw op als .xlsx.") from None
    names = [ws.title for ws in values.worksheets]
    if not names:
        raise MappingError(f"Bestand '{name}' heeft geen werkbladen met een tabel.")
    if sheet:
        chosen = next((n for n in names if n == sheet), None) or next((n for n in names if _key(n) == _key(sheet)), None)
        if chosen is None:
            raise MappingError(f"Werkblad '{sheet}' niet gevonden in '{name}'; gevonden werkbladen: {_quoted(names)}.")
    else:
        chosen = names[0]
    ws = values[chosen]
    where = f"werkblad '{chosen}' in '{name}'"
    cells = [[_as_text(c.value, c.number_format) for c in row] for row in ws.iter_rows(min_row=1, min_col=1)]
    merged: dict[tuple[int, int], tuple[int, int, int]] = {}
    for rng in ws.merged_cells.ranges:
        top = cells[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(cells) else ""
        for r in range(rng.min_row, min(rng.max_row, len(cells)) + 1):
            row = cells[r - 1]
            row.extend([""] * (rng.max_col - len(row)))
            for c in range(rng.min_col, rng.max_col + 1):
                row[c - 1] = top
                merged[(r, c - 1)] = (rng.min_row, rng.min_col - 1, rng.max_row)
    uncached = {}
    for row in formulas[chosen].iter_rows():
        for cell in row:
            if cell.data_type == "f" and ws.cell(cell.row, cell.column).value is None:
                text = cell.value if isinstance(cell.value, str) else getattr(cell.value, "text", "")
                uncached[(cell.row, cell.column - 1)] = str(text or "")
    rows = [(i + 1, row) for i, row in enumerate(cells)]
    if not any(c.strip() for _, row in rows for c in row):
        raise MappingError(f"Werkblad '{chosen}' in '{name}' is leeg; kies in de koppeling (sheet = \"...\") het "
                           f"werkblad met de tabel (werkbladen: {_quoted(names)}).")
    return _Grid(rows, where, chosen, merged, uncached, excel=True)


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """The records with the line each starts on (a quoted value may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, start = [], 1
    for fields in reader:
        records.append((start, fields))
        start = reader.line_num + 1
    return records


def _text_grid(data: bytes, name: str, area_column: str) -> _Grid:
    text, _ = _decode(data, name)
    best: tuple[tuple[int, int], list] | None = None
    for delimiter in DELIMITERS:  # the one whose header row holds the area column, split into most fields
        try:
            records = _records(text, delimiter)
        except csv.Error:
            continue
        found = next((f for _, f in records if any(_key(c) == _key(area_column) for c in f)), None)
        score = (1, len(found)) if found else (0, max((len(f) for _, f in records), default=0))
        if best is None or score > best[0]:
            best = (score, records)
    if best is None:
        raise ReadError(f"Bestand '{name}' is geen geldige tabel in tekstvorm (bijvoorbeeld een aanhalingsteken dat "
                        "niet wordt gesloten); controleer het bestand in een teksteditor.")
    return _Grid(best[1], f"'{name}'")


# --- the table inside the grid ---------------------------------------------------------------------------------


def _cell(cells: list[str], col: int) -> str:
    return cells[col] if col < len(cells) else ""


def _header_hint(grid: _Grid) -> str:
    """The texts of the fullest of the first rows: what the file seems to use as headers."""
    first = grid.rows[:30]
    _, cells = max(first, key=lambda r: sum(1 for c in r[1] if c.strip()), default=(0, []))
    texts = list(dict.fromkeys(c.strip() for c in cells if c.strip()))
    more = f" en nog {len(texts) - HEADERS_LISTED}" if len(texts) > HEADERS_LISTED else ""
    return (_quoted(texts[:HEADERS_LISTED]) + more) if texts else "geen"


def _find_header(grid: _Grid, mapping: Mapping) -> tuple[int, int, int]:
    """(index in grid.rows of the header's first row, of its last row, the area column)."""
    wanted = _key(mapping.area_column)
    for i, (line, cells) in enumerate(grid.rows):
        found = [c for c, text in enumerate(cells) if _key(text) == wanted]
        if not found:
            continue
        if len(found) > 1:
            raise MappingError(f"Kolom '{mapping.area_column}' staat meer dan eens op regel {line} van {grid.where} "
                               f"({', '.join(grid.cell_name(line, c) for c in found)}); maak de kopjes verschillend.")
        col = found[0]
        last_line = grid.merged.get((line, col), (line, col, line))[2]
        last = max(j for j in range(i, len(grid.rows)) if grid.rows[j][0] <= last_line)
        return i, last, col
    raise MappingError(f"Kolom '{mapping.area_column}' niet gevonden in {grid.where}; gevonden kopjes: "
                       f"{_header_hint(grid)}.")


def _labels(grid: _Grid, first: int, last: int) -> dict[int, str]:
    """Each column's header: its lowest non-empty cell in the header rows."""
    labels: dict[int, str] = {}
    for _, cells in grid.rows[first:last + 1]:
        for c, text in enumerate(cells):
            if text.strip():
                labels[c] = " ".join(text.split())
    return labels


def _mapped_columns(grid: _Grid, mapping: Mapping, labels: dict[int, str], header_line: int) -> list[tuple[int, str]]:
    by_key: dict[str, list[int]] = {}
    for c, label in labels.items():
        by_key.setdefault(_key(label), []).append(c)
    absent = [h for h in mapping.columns if _key(h) not in by_key]
    if absent:
        shown = _quoted(list(dict.fromkeys(labels.values()))[:HEADERS_LISTED])
        noun = "Kolom" if len(absent) == 1 else "Kolommen"
        raise MappingError(f"{noun} {_quoted(absent)} uit de koppeling niet gevonden in de kopregel (regel "
                           f"{header_line}) van {grid.where}; gevonden kopjes: {shown}.")
    chosen = []
    for header, target in mapping.columns.items():
        cols = by_key[_key(header)]
        if len(cols) > 1:
            raise MappingError(f"Kolom '{header}' staat meer dan eens in de kopregel van {grid.where} "
                               f"({', '.join(grid.cell_name(header_line, c) for c in cols)}); maak de kopjes "
                               "verschillend.")
        chosen.append((cols[0], target))
    return chosen


def _is_blank(cells: list[str]) -> bool:
    return not any(c.strip() for c in cells)


def _data_rows(grid: _Grid, start: int, area: int, used: list[int]) -> list[tuple[int, list[str]]]:
    rows: list[tuple[int, list[str]]] = []
    end = len(grid.rows)
    for i in range(start, len(grid.rows)):
        line, cells = grid.rows[i]
        name = _cell(cells, area).strip()
        if not rows and (_is_blank(cells) or not name):
            continue  # blank rows or a units row between the header and the data
        if _is_blank(cells) or not name or FOOTNOTE.match(name):
            end = i
            break
        rows.append((line, cells))
    for line, cells in grid.rows[end:]:  # below the table: notes, never figures
        name = _cell(cells, area).strip()
        own = [c for c in used if grid.merged.get((line, c), (line, c))[:2] == (line, c)]  # not a merged note
        if name and not FOOTNOTE.match(name) and any(_cell(cells, c).strip() for c in own):
            last = rows[-1][0] if rows else grid.rows[start - 1][0]
            raise MappingError(f"Onder de tabel in {grid.where} (die eindigt na regel {last}) staan nog waarden, "
                               f"bijvoorbeeld op regel {line} ('{name}'); haal de lege regel of de regel zonder gebied "
                               "weg als die gegevens erbij horen, of zet ze in een eigen werkblad of bestand.")
    return rows


def _check_fields(grid: _Grid, header_width: int, rows: list[tuple[int, list[str]]]) -> None:
    """A text row with more filled fields than the header has shifted (e.g. an unquoted decimal comma)."""
    if grid.excel:
        return
    for line, cells in rows:
        if len(cells) > header_width and any(c.strip() for c in cells[header_width:]):
            raise ReadError(f"Bestand {grid.where}: regel {line} heeft {len(cells)} velden, de kopregel "
                            f"{header_width}; zet getallen met een decimale komma tussen aanhalingstekens of gebruik "
                            "een puntkomma als scheidingsteken.")


def _check_formulas(grid: _Grid, cells: list[tuple[int, int]]) -> None:
    missing = [(line, col) for line, col in cells if (line, col) in grid.formulas]
    if not missing:
        return
    shown = ", ".join(f"{grid.cell_name(line, col)} (={grid.formulas[(line, col)].lstrip('=')})"
                      for line, col in missing[:CELLS_LISTED])
    more = f" en nog {len(missing) - CELLS_LISTED}" if len(missing) > CELLS_LISTED else ""
    raise ReadError(f"In {grid.where} staat een formule zonder opgeslagen uitkomst: {shown}{more}; open het bestand "
                    "in Excel, laat het herberekenen en sla het op, of vervang de formule door het getal.")


def to_long(path_or_bytes: str | Path | bytes, filename: str | None, mapping: Mapping) -> pd.DataFrame:
    """The wide file as long tidy text rows (all strings), with ``source_line`` and ``source_column``.

    Raises :class:`~ks_data.table.reading.ReadError` for a file that cannot be read (damaged, wrong type,
    a formula without a cached value, shifted fields) and :class:`MappingError` when the mapping
    does not fit the file (sheet, area column or a mapped column not found, no data rows).
    ``attrs`` holds what a preview may show: ``sheet``, ``header_line``, ``data_lines`` (first,
    last), ``area_column``, ``unused_columns`` (headers not in the mapping) and ``empty_cells``.
    """
    if isinstance(path_or_bytes, bytes | bytearray):
        data, name = bytes(path_or_bytes), Path(filename or "bestand").name
    else:
        data, name = file_bytes(Path(path_or_bytes)), filename or Path(path_or_bytes).name
    grid = _grid(data, name, mapping)
    first, last, area = _find_header(grid, mapping)
    header_line = grid.rows[last][0]
    labels = _labels(grid, first, last)
    mapped = _mapped_columns(grid, mapping, labels, header_line)
    rows = _data_rows(grid, last + 1, area, [c for c, _ in mapped])
    if not rows:
        raise MappingError(f"Geen gegevensrijen onder de kopregel (regel {header_line}) van {grid.where}: elke rij "
                           f"heeft een gebied in kolom '{labels[area]}' nodig.")
    header_width = max(len(cells) for _, cells in grid.rows[first:last + 1])
    _check_fields(grid, header_width, rows)
    _check_formulas(grid, [(header_line, c) for c in [area] + [c for c, _ in mapped]]
                    + [(line, c) for line, _ in rows for c in [area] + [c for c, _ in mapped]])

    areas = {_key(k): v for k, v in mapping.areas.items()}
    periods = mapping.layout == "periods"
    out, empty = [], 0
    for line, cells in rows:
        written = _cell(cells, area).strip()
        code = areas.get(_key(written), written)
        for col, target in mapped:
            value = _cell(cells, col)
            if not value.strip():
                empty += 1
                continue
            indicator = mapping.indicator if periods else target
            out.append([indicator, code, target if periods else mapping.period, value, mapping.unit_of(indicator),
                        mapping.source, mapping.source_detail, mapping.note, mapping.definition, mapping.complement,
                        str(line), labels[col]])
    if not out:
        raise MappingError(f"De gekoppelde kolommen ({_quoted(labels[c] for c, _ in mapped)}) in {grid.where} zijn "
                           "leeg; er is niets in te lezen.")
    long = pd.DataFrame(out, columns=COLUMNS, dtype=str)
    used = {area, *(c for c, _ in mapped)}
    long.attrs.update(sheet=grid.sheet, header_line=header_line, data_lines=(rows[0][0], rows[-1][0]),
                      area_column=labels[area], empty_cells=empty,
                      unused_columns=[label for c, label in sorted(labels.items()) if c not in used])
    return long


def trace(problems: list[Problem], long: pd.DataFrame) -> list[Problem]:
    """Validation problems of ``normalise(to_long(...))`` renumbered to the file's rows and named by its columns.

    ``validate`` numbers rows of the long table (2 = its first row); this gives each problem the
    file's row (``source_line``) and a column such as ``'2019' (value)`` or ``'Gemeente' (area_code)``,
    also for the row a duplicate refers to. Problems about the file as a whole (line 0) stay as they are.
    """
    lines, headers = long["source_line"].tolist(), long["source_column"].tolist()
    area_header = long.attrs.get("area_column", "")

    def at(number: int) -> tuple[int, str] | None:
        index = number - 2
        return (int(lines[index]), headers[index]) if 0 <= index < len(lines) else None

    def refer(match: re.Match) -> str:
        found = at(int(match.group(1)))
        return f"regel {found[0]} (kolom '{found[1]}')" if found else match.group(0)

    traced = []
    for problem in problems:
        found = at(problem.line) if problem.line else None
        if found is None:
            traced.append(problem)
            continue
        header = area_header if problem.column == "area_code" and area_header else found[1]
        column = f"'{header}' ({problem.column})" if problem.column else f"'{header}'"
        traced.append(Problem(found[0], column, re.sub(r"\bregel (\d+)", refer, problem.message)))
    # a wrong area or indicator is wrong in every cell of its row or column: say so once per file row
    return sorted(dict.fromkeys(traced), key=lambda p: p.line)
