"""Read a tidy observations file (CSV/TSV/TXT, XLSX/XLSM, Parquet) entirely as text, or refuse it in Dutch.

Files come from people (uploads, the command line), so anything can arrive: an empty file, a
picture, a CSV renamed to .xlsx, Windows-1252 text, semicolons, a row with one field too many.
Every such case ends in a :class:`ReadError` whose text is one Dutch sentence saying what is
wrong and what to do: never a traceback, and never columns that silently shift. What is read is
kept as written (``dtype=str``, empty stays empty) so validation sees exactly what the file says.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

EXCEL = {".xlsx", ".xlsm"}
DELIMITERS = {",": "komma", ";": "puntkomma", "\t": "tab"}
MAX_LINES_LISTED = 10
NOT_BLANK = re.compile(r"\S")
LINE = re.compile(r"[^\r\n]*")
# What a file is when its first bytes say so; used to say what was uploaded instead of "unreadable".
SIGNATURES = [
    (b"\x89PNG", "een afbeelding (PNG)"), (b"\xff\xd8\xff", "een afbeelding (JPEG)"), (b"GIF8", "een afbeelding (GIF)"),
    (b"%PDF", "een PDF-document"), (b"PK\x03\x04", "een Excel- of zip-bestand"),
    (b"\xd0\xcf\x11\xe0", "een oud Excel-bestand (.xls) of een beveiligd Excel-bestand"),
    (b"PAR1", "een Parquet-bestand"), (b"\x1f\x8b", "een gecomprimeerd bestand (gzip)"),
]
SAVE_AS = "sla de tabel op als CSV (UTF-8) of als Excel-werkmap (.xlsx)"


class ReadError(ValueError):
    """A file that cannot be read as a table; ``str()`` is one Dutch sentence for the user."""


def read_table(path: str | Path, sheet: str | int | None = None, categorical: bool = False) -> pd.DataFrame:
    """Read the file at ``path`` as text (see :func:`read_bytes`); ``sheet`` picks an Excel worksheet."""
    path = Path(path)
    if path.suffix.lower() not in EXCEL | {".parquet", ".xls"} and path.is_file():
        try:
            frame = _read_large_text(path, categorical)
        except OSError:
            frame = None  # the careful way says what is wrong
        if frame is not None:
            return frame
    return read_bytes(file_bytes(path), path.name, sheet, categorical)


def file_bytes(path: Path) -> bytes:
    """The bytes of the file at ``path``, or a Dutch :class:`ReadError` saying why they cannot be read."""
    if path.is_dir():
        raise ReadError(f"'{path}' is een map, geen bestand; kies het bestand zelf (bijvoorbeeld observations.csv).")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ReadError(f"Bestand niet gevonden: '{path}'; controleer de naam en de map.") from None
    except OSError:
        raise ReadError(f"Bestand '{path}' kan niet worden geopend (geen leesrechten of een leesfout); "
                        "controleer de rechten en probeer het opnieuw.") from None


def read_bytes(data: bytes, filename: str, sheet: str | int | None = None, categorical: bool = False) -> pd.DataFrame:
    """Read an uploaded file's bytes as text; the extension of ``filename`` decides the format.

    ``categorical`` reads the columns of a text file as categoricals (each distinct text once,
    as written): far less memory and time for a national file, whose texts repeat.
    """
    name = Path(filename).name or "bestand"
    suffix = Path(name).suffix.lower()
    if not data or data.isspace():
        raise ReadError(f"Bestand '{name}' is leeg; kies een bestand met een kopregel en gegevensrijen.")
    if suffix in EXCEL:
        return _read_excel(data, name, sheet)
    if suffix == ".parquet":
        return _read_parquet(data, name)
    if suffix == ".xls":
        raise ReadError(f"Bestand '{name}' is een oud Excel-bestand (.xls); open het in Excel en sla het op als "
                        ".xlsx of als CSV (UTF-8).")
    return _read_text(data, name, categorical)


def _kind(data: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)


def _decode(data: bytes, name: str) -> tuple[str, bytes]:
    """The text and its UTF-8 bytes: UTF-8 (a BOM is dropped), else Windows-1252; anything else is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError(f"Bestand '{name}' is opgeslagen als UTF-16 ('Unicode-tekst'); sla het op als "
                        "'CSV UTF-8 (door komma's gescheiden)'.")
    kind = _kind(data)
    if kind:
        hint = {"een Excel- of zip-bestand": "geef het de extensie .xlsx als het een Excel-werkmap is, of " + SAVE_AS,
                "een Parquet-bestand": "geef het de extensie .parquet"}.get(kind, SAVE_AS)
        raise ReadError(f"Bestand '{name}' is {kind} en geen tekstbestand; {hint}.")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ReadError(f"Bestand '{name}' bevat binaire gegevens (een nul-byte op regel {line}) en is dus geen "
                        f"tekstbestand; {SAVE_AS}.")
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8"), body
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        return text, text.encode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise ReadError(f"Bestand '{name}' bevat op regel {line} een teken (byte 0x{data[err.start]:02X}) dat "
                        f"geen UTF-8 of Windows-1252 is; sla het bestand op als CSV (UTF-8).") from None


MAX_COLUMNS = 500  # far above any tidy file or portal export; bounds the work per upload


def _header(text: str) -> tuple[str, list[str], bool]:
    """The delimiter (the most frequent of , ; tab on the first line), the header's fields, and whether rows follow."""
    line = LINE.match(text)
    while not line.group().strip() and line.end() < len(text):  # skip blank lines, as the parser does
        line = LINE.match(text, line.end() + (2 if text.startswith("\r\n", line.end()) else 1))
    first = line.group()
    delimiter = max(DELIMITERS, key=first.count)  # ties (also none at all) go to the comma
    has_rows = NOT_BLANK.search(text, line.end()) is not None
    try:
        header = next(csv.reader([first], delimiter=delimiter), [])
    except csv.Error:  # a field longer than the csv module's limit: no header of a table
        raise ReadError("De kopregel is geen kopregel van een tabel (een veld van meer dan 131.072 tekens); "
                        "kies het bestand in het tabelformaat.") from None
    if len(header) > MAX_COLUMNS:  # the tidy format has 17 columns, a wide export a column per period
        raise ReadError(f"De kopregel heeft {len(header):,} kolommen; een bestand in het tabelformaat of een brede "
                        f"export heeft er hoogstens {MAX_COLUMNS}.".replace(",", "."))
    return delimiter, header, has_rows


BLOCK = 1 << 22  # Arrow's unit of parallel parsing: fewer, larger blocks are less to join afterwards
HEAD = 1 << 20  # what is read to find the delimiter and the header of a large file
LARGE = 1 << 20  # above this size a UTF-8 file is checked by Arrow, not turned into one large Python string


def _not_plain(data: bytes) -> bool:
    """A known binary kind, UTF-16 or a NUL byte: what :func:`_decode` refuses, each with its own message."""
    return bool(_kind(data)) or data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data


def _column_names(header: list[str]) -> list[str]:
    """pandas' names for the header's fields: an empty one is "Unnamed: i"."""
    return [n if n else f"Unnamed: {i}" for i, n in enumerate(header)]


def _large_utf8(data: bytes, name: str) -> tuple[str, bytes] | None:
    """(the first megabyte as text, the bytes) for a large valid UTF-8 file; None for anything else.

    A national file of 300 MB with one accented character would cost 600 MB as a Python string only
    to learn that it is valid UTF-8; Arrow checks that on the bytes themselves.
    """
    if len(data) <= LARGE or _not_plain(data):
        return None  # small, or refused with its own message by _decode
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    offsets = pa.py_buffer(np.array([0, len(body)], dtype=np.int64))
    try:
        pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(body)]).cast(pa.large_string())
    except pa.ArrowInvalid:
        return None  # not UTF-8: Windows-1252 or refused, by _decode
    head = body[:LARGE].decode("utf-8", errors="ignore")  # at most a cut character at the end
    return head, body


def _read_text(data: bytes, name: str, categorical: bool = False) -> pd.DataFrame:
    large = _large_utf8(data, name)
    text, utf8 = large if large else _decode(data, name)
    if not text or text.isspace():
        raise ReadError(f"Bestand '{name}' is leeg; kies een bestand met een kopregel en gegevensrijen.")
    delimiter, header, has_rows = _header(text)
    if large and not has_rows:  # the first megabyte holds no row: look at the whole file the slow way
        text, utf8 = _decode(data, name)
        delimiter, header, has_rows = _header(text)
    names = _column_names(header)
    doubles = sorted({n for n in names if names.count(n) > 1})
    if doubles:
        raise ReadError(f"Bestand '{name}': de kolom '{doubles[0]}' staat meer dan eens in de kopregel; "
                        "geef elke kolom een eigen naam.")
    if not has_rows:  # validation reports that there are no rows
        return pd.DataFrame(columns=names, dtype=str)
    try:
        table, ragged = _arrow_csv(io.BytesIO(utf8), delimiter, header, categorical)
    except (pa.ArrowException, ValueError):
        raise ReadError(f"Bestand '{name}' is geen geldige tabel in tekstvorm (bijvoorbeeld een aanhalingsteken dat "
                        "niet wordt gesloten); controleer het bestand in een teksteditor.") from None
    if ragged:
        raise ReadError(_ragged_message(utf8.decode("utf-8"), delimiter, len(names), name))
    if table.column_names != header:  # pyarrow read the header otherwise (a quoted line break in a name):
        # a column it names otherwise would not be read as text but typed by guess
        raise ReadError(f"Bestand '{name}': de kopregel is niet eenduidig te lezen (een kolomnaam met een regeleinde, "
                        f"een {DELIMITERS[delimiter]} of een aanhalingsteken erin); geef elke kolom een eenvoudige "
                        "naam op de eerste regel, zoals indicator_id, area_code en value.")
    return _to_frame(table, names)


def _arrow_csv(source, delimiter: str, header: list[str], categorical: bool) -> tuple[pa.Table, list[int]]:
    """Every field as written (text; categorical: each distinct text once), and the rows with another
    number of fields than the header (left out: the caller refuses the file when there are any)."""
    ragged: list[int] = []

    def note(row) -> str:
        ragged.append(row.actual_columns)
        return "skip"

    kind = pa.dictionary(pa.int32(), pa.string()) if categorical else pa.string()
    table = pacsv.read_csv(
        source, read_options=pacsv.ReadOptions(block_size=BLOCK),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, invalid_row_handler=note),
        convert_options=pacsv.ConvertOptions(column_types={n: kind for n in header},
                                             strings_can_be_null=False, quoted_strings_can_be_null=False),
    )
    return table, ragged


def _to_frame(table: pa.Table, names: list[str]) -> pd.DataFrame:
    frame = table.to_pandas(self_destruct=True)  # each column freed once converted: a national file is large
    del table
    frame.columns = names  # pyarrow names an empty header field ""; pandas' convention is "Unnamed: i"
    return frame


def _read_large_text(path: Path, categorical: bool) -> pd.DataFrame | None:
    """A large, well-formed UTF-8 text file parsed by Arrow straight from disk (no copy of the whole file in
    memory); None for anything else, which the careful way reads or refuses with its Dutch reason."""
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size <= LARGE:
            return None
        head = handle.read(HEAD)
    if _not_plain(head):
        return None
    head = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    try:
        text = head[:head.rfind(b"\n") + 1].decode("utf-8")  # whole lines: no character cut in two
    except UnicodeDecodeError:
        return None
    if not text or text[0].isspace():
        return None  # no whole line, or blank lines before the header
    delimiter, header, has_rows = _header(text)
    names = _column_names(header)
    if not has_rows or len(set(names)) != len(names):
        return None
    try:
        table, ragged = _arrow_csv(str(path), delimiter, header, categorical)
        if ragged or table.column_names != header or _holds_nul(table):
            return None
    except (pa.ArrowException, ValueError):  # UnicodeDecodeError is a ValueError
        return None  # not UTF-8 after all, a quote left open, a header read otherwise
    return _to_frame(table, names)


def _holds_nul(table: pa.Table) -> bool:
    """Whether a NUL byte is in any field (the careful way refuses such a file as binary); for a
    categorical read only the distinct texts are looked at."""
    for column in table.columns:
        for chunk in column.chunks:
            values = chunk.dictionary if pa.types.is_dictionary(chunk.type) else chunk
            if pc.any(pc.match_substring(values, "\x00")).as_py():
                return True
    return False


def _ragged_message(text: str, delimiter: str, expected: int, name: str) -> str:
    """Which file lines (header = 1) have another number of fields than the header: the slow, exact pass."""
    wrong: list[tuple[int, int]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for row in reader:
        if row and len(row) != expected:
            wrong.append((start, len(row)))
        start = reader.line_num + 1
    if not wrong:  # the two parsers disagree on quoting; still refuse rather than guess
        return (f"Bestand '{name}' heeft rijen met een ander aantal velden dan de kopregel ({expected}); "
                "controleer de aanhalingstekens in het bestand.")
    (line, count), rest = wrong[0], wrong[1:MAX_LINES_LISTED]
    also = ", ".join(f"regel {n}: {_fields(c)}" for n, c in rest)
    more = f" en nog {len(wrong) - MAX_LINES_LISTED} regels" if len(wrong) > MAX_LINES_LISTED else ""
    also = f" (ook {also}{more})" if also else ""
    return (f"Bestand '{name}': regel {line} heeft {_fields(count)}, de kopregel {expected}{also}; zet tekst met een "
            f"{DELIMITERS[delimiter]} erin tussen aanhalingstekens of haal de overtollige scheidingstekens weg.")


def _fields(count: int) -> str:
    return "1 veld" if count == 1 else f"{count} velden"


MAX_UNPACKED = 300 * 1024 * 1024  # a workbook's parts unpacked: far above any export that fits the upload limit
MAX_CELLS = 10_000_000  # rows × columns of the grid a sheet's cells span
CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def check_workbook(data: bytes, name: str) -> None:
    """Refuse, cheaply and before any spreadsheet library reads it, a workbook that would exhaust memory: parts
    that unpack to more than MAX_UNPACKED bytes (a zip bomb of shared strings), or a sheet whose cells span more
    than MAX_COLUMNS columns or MAX_CELLS cells (a few cells far apart become a huge dense grid). The sheets are
    scanned as a stream of 1 MB pieces; nothing is kept but the furthest cell seen."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        parts = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: the reader says so in its own words
    unpacked = sum(max(info.file_size, 0) for info in parts)
    if unpacked > MAX_UNPACKED:
        raise ReadError(f"Bestand '{name}' pakt uit tot {unpacked / 1024 / 1024:,.0f} MB, meer dan de grens van "
                        f"{MAX_UNPACKED // 1024 // 1024} MB; sla alleen de nodige gegevens op als .xlsx of CSV."
                        .replace(",", "."))
    for info in parts:
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        rows = cols = 0
        tail = b""
        try:
            with book.open(info) as stream:
                while piece := stream.read(1 << 20):
                    chunk = tail + piece
                    for letters, row in CELL_REF.findall(chunk):
                        cols, rows = max(cols, _column_number(letters)), max(rows, int(row))
                    tail = chunk[-32:]  # a reference cut between two pieces is read again with the next one
                    if cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
                        raise ReadError(f"Een werkblad in '{name}' beslaat {rows:,} rijen bij {cols:,} kolommen (cellen "
                                        f"ver uit elkaar); een tabel heeft hoogstens {MAX_COLUMNS} kolommen en "
                                        f"{MAX_CELLS:,} cellen. Kopieer alleen de tabel naar een nieuw werkblad."
                                        .replace(",", "."))
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
            return  # damaged: the reader says so in its own words


def _read_excel(data: bytes, name: str, sheet: str | int | None) -> pd.DataFrame:
    if not data.startswith(b"PK\x03\x04"):
        kind = _kind(data)
        if kind is None and b"\x00" not in data[:4096]:
            raise ReadError(f"Bestand '{name}' is geen Excel-werkmap maar tekst (waarschijnlijk CSV); "
                            "geef het de extensie .csv.")
        raise ReadError(f"Bestand '{name}' is geen Excel-werkmap (.xlsx) maar {kind or 'iets anders'}; open het in "
                        "Excel en sla het op als .xlsx of als CSV (UTF-8).")
    check_workbook(data, name)
    try:
        # A hostile or damaged workbook can raise anything from zipfile, XML or openpyxl: all mean the same here.
        book = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
        sheets = book.sheet_names
    except Exception:
        raise ReadError(f"Bestand '{name}' is geen geldige Excel-werkmap (beschadigd of een ander soort "
                        "zip-bestand); open het in Excel en sla het opnieuw op als .xlsx.") from None
    listed = ", ".join(f"'{s}'" for s in sheets)
    if isinstance(sheet, int) and not 0 <= sheet < len(sheets):
        raise ReadError(f"Bestand '{name}' heeft geen werkblad nummer {sheet + 1}; kies een van: {listed}.")
    if isinstance(sheet, str) and sheet not in sheets:
        raise ReadError(f"Bestand '{name}' heeft geen werkblad '{sheet}'; kies een van: {listed}.")
    chosen = sheets[0] if sheet is None else sheet
    label = chosen if isinstance(chosen, str) else sheets[chosen]
    try:
        grid = pd.read_excel(book, sheet_name=chosen, header=None, dtype=str, keep_default_na=False)
    except Exception:
        raise ReadError(f"Werkblad '{label}' in '{name}' is niet te lezen (beschadigd); open het bestand in Excel "
                        "en sla het opnieuw op als .xlsx.") from None
    if grid.empty:
        raise ReadError(f"Werkblad '{label}' in '{name}' is leeg; zet de kopregel in de eerste rij en de gegevens "
                        "daaronder.")
    names = [str(n) if str(n) else f"Unnamed: {i}" for i, n in enumerate(grid.iloc[0])]
    doubles = sorted({n for n in names if names.count(n) > 1})
    if doubles:
        raise ReadError(f"Werkblad '{label}' in '{name}': de kolom '{doubles[0]}' staat meer dan eens in de kopregel; "
                        "geef elke kolom een eigen naam.")
    frame = grid.iloc[1:].reset_index(drop=True)
    frame.columns = names
    return frame


def _read_parquet(data: bytes, name: str) -> pd.DataFrame:
    broken = (f"Bestand '{name}' is geen geldig Parquet-bestand (beschadigd of een ander formaat); "
              "exporteer het opnieuw of lever een CSV (UTF-8).")
    if not (data.startswith(b"PAR1") and data.endswith(b"PAR1")):
        raise ReadError(broken)
    try:
        # Damaged metadata can raise OSError, ArrowInvalid, or worse from the decoder: all mean "damaged".
        table = pq.read_table(io.BytesIO(data))
        table.validate(full=True)  # also checks that text columns hold valid UTF-8
        return table.to_pandas().astype("string").fillna("").reset_index(drop=True)
    except Exception:
        raise ReadError(broken) from None


def sheet_names(data: bytes, filename: str) -> list[str]:
    """The worksheets of an uploaded Excel file, to choose from; [] for other formats or a damaged file."""
    if Path(filename).suffix.lower() not in EXCEL:
        return []
    try:
        check_workbook(data, filename)
        return list(pd.ExcelFile(io.BytesIO(data), engine="openpyxl").sheet_names)
    except Exception:  # noqa: BLE001 — reading it properly gives the Dutch reason (read_bytes)
        return []
