"""Spreadsheet-safe exports: CSV and XLSX in which no cell can run as a formula (OWASP CSV injection).

Text in the tables comes from data files (sources, notes, names), and a spreadsheet runs a cell
that starts with ``=``, ``+``, ``-`` or ``@`` (also after spaces, or after a tab or carriage
return) as a formula: ``=HYPERLINK(...)`` becomes a link, worse ones call out. In CSV such text
gets a leading apostrophe, which spreadsheets read as "this is text", and a line break inside a
cell is written as LF (always quoted); a text cell that is simply a number ("-4.8", "-4,8",
"1.234,5") stays as it is, and numeric columns stay numbers. In XLSX
every text cell is written as a string (never as a formula) and marked as quoted, so its text
stays exactly as it was.
"""

from __future__ import annotations

import io
import math
import re

import pandas as pd

# Starts like a formula: =, +, - or @ after any whitespace/control characters, or begins with a tab or CR.
FORMULA_START = r"^(?:[\x00-\x20]*[=+\-@]|[\t\r])"
# A plain number as people write it: sign, digits with optional thousands separators, decimals, exponent.
PLAIN_NUMBER = r" *[+-]?(?:\d{1,3}(?:[.,]\d{3})+|\d+)?(?:[.,]\d+)?(?:[eE][+-]?\d+)? *"
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_FORMULA_RE, _NUMBER_RE = re.compile(FORMULA_START), re.compile(PLAIN_NUMBER)


def _risky(text: pd.Series) -> pd.Series:
    """True where a text cell would start a formula and is not just a number (column-wise)."""
    starts = text.str.contains(FORMULA_START, regex=True, na=False)
    number = text.str.fullmatch(PLAIN_NUMBER, na=False) & text.str.contains(r"\d", regex=True, na=False)
    return (starts & ~number).astype(bool)


def _risky_one(text: str) -> bool:
    """:func:`_risky` for one cell."""
    return bool(_FORMULA_RE.match(text)) and not (_NUMBER_RE.fullmatch(text) and any(c.isdigit() for c in text))


def _is_text(series: pd.Series) -> bool:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return not pd.api.types.is_numeric_dtype(dtype.categories.dtype)
    return pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which every text cell (and column name) that would run as a formula starts with ``'``."""
    out = frame.copy()
    for i in range(out.shape[1]):  # by position: column names may repeat
        series = out.iloc[:, i]
        if not _is_text(series):
            continue  # numbers, booleans and dates are written as such, never as formulas
        risky = _risky(series.astype("string"))
        if risky.any():
            values = series.astype(object)
            # In a mixed object column only real text is changed (a stray number or date stays as it is).
            values[risky] = [f"'{v}" if isinstance(v, str) else v for v in values[risky]]
            out.isetitem(i, values)
    names = pd.Series([str(c) for c in out.columns], dtype="string")
    named = _risky(names).to_numpy()
    if named.any():
        out.columns = ["'" + str(c) if flag else c for c, flag in zip(out.columns, named)]
    return out


def _line_breaks_as_lf(frame: pd.DataFrame) -> pd.DataFrame:
    """Line breaks inside text cells as LF. Python's csv writer quotes a cell with LF but not one with a bare
    CR, which a spreadsheet reads as the end of the row: what follows would start a new row, and a formula."""
    out = frame
    for i in range(frame.shape[1]):
        series = frame.iloc[:, i]
        if not _is_text(series):
            continue
        text = series.astype("string")
        has_cr = text.str.contains("\r", regex=False, na=False).astype(bool)
        if has_cr.any():
            out = out.copy() if out is frame else out
            values = series.astype(object)
            values[has_cr] = text[has_cr].str.replace("\r\n", "\n", regex=False).str.replace("\r", "\n", regex=False)
            out.isetitem(i, values)
    return out


def csv_bytes(frame: pd.DataFrame, *, excel: bool) -> bytes:
    """CSV with formulas neutralised: for Excel (``;``, decimal comma, UTF-8 with BOM) or plain (``,``, UTF-8)."""
    safe = _line_breaks_as_lf(neutralise(frame))
    if excel:
        return safe.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")
    return safe.to_csv(index=False, lineterminator="\n").encode("utf-8")


def sheet_title(name: str) -> str:
    """``name`` as Excel allows a sheet name: at most 31 characters, none of ``[]:*?/\\``, not quoted."""
    title = SHEET_FORBIDDEN.sub("-", str(name)).strip().strip("'")[:31].strip()
    if not title or title.lower() == "history":  # Excel reserves "History"
        return "Blad1" if not title else f"{title}-1"
    return title


def xlsx_bytes(frame: pd.DataFrame, sheet_name: str) -> bytes:
    """An Excel workbook of ``frame``: text as string cells (never formulas), numbers as numbers, NaN empty."""
    return xlsx_workbook([(sheet_name, frame, [])])


def _whole_column(values: pd.Series) -> bool:
    """Integers by type (counts, years), or floats holding counts: shown without decimals."""
    if pd.api.types.is_integer_dtype(values) or pd.api.types.is_bool_dtype(values):
        return True
    if values.dtype == object:  # mixed text and numbers: whole if its numbers are integers by type
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        if numbers and all(isinstance(v, int) or (hasattr(v, "is_integer") and type(v).__name__.startswith("int"))
                           for v in numbers):
            return True
    name = str(values.name).lower()
    counting = any(w in name for w in ("teller", "noemer", "aantal", "numerator", "denominator", "(euro)", "jaar"))
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    return counting and bool(len(numbers)) and bool((numbers % 1 == 0).all())


def xlsx_workbook(sheets: list[tuple[str, pd.DataFrame, list[str]]]) -> bytes:
    """A workbook with a sheet per (name, table, lines above the table); the same cell rules as :func:`xlsx_bytes`.

    Floats get the format ``#,##0.0##`` and whole numbers ``#,##0``: Excel shows them in the
    reader's own locale, so a Dutch Excel shows 1.234,5.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    for sheet_name, frame, lines in sheets:
        sheet = book.create_sheet(sheet_title(sheet_name))
        # set before the rows (a write-only sheet): readable widths, and the header stays in view when scrolling
        for number, col in enumerate(frame.columns, 1):
            longest = max([len(str(col)), *(len(str(v)) for v in frame[col].head(500) if pd.notna(v))], default=8)
            sheet.column_dimensions[get_column_letter(number)].width = min(60, longest + 2)
        sheet.freeze_panes = f"A{len(lines) + (2 if lines else 1) + 1}"
        whole = {col for col in frame.columns if _whole_column(frame[col])}

        def text_cell(value: str, sheet=sheet) -> WriteOnlyCell:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
            if _risky_one(value):
                cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell
            return cell

        def cell(value, whole_column=False, sheet=sheet, text_cell=text_cell):
            if value is None or value is pd.NA or value is pd.NaT:
                return None
            if isinstance(value, str):
                return text_cell(value)
            if hasattr(value, "item") and not isinstance(value, pd.Timestamp):
                value = value.item()  # numpy scalar → Python number
            if isinstance(value, float) and math.isnan(value):
                return None
            if isinstance(value, float) and math.isinf(value):
                return text_cell(str(value))
            if isinstance(value, bool):
                return value
            if isinstance(value, int | float):
                number = WriteOnlyCell(sheet, value=value)
                # by column, not by cell: 176,0 beside 175,8 keeps its decimal, counts stay whole
                number.number_format = "#,##0" if whole_column else "#,##0.0##"
                return number
            if hasattr(value, "year") and getattr(value, "tzinfo", None) is None:
                return value  # Excel has no time zones: a zoned time is written as its text
            return text_cell(str(value))

        for line in lines:
            sheet.append([text_cell(line)])
        if lines:
            sheet.append([])
        sheet.append([text_cell(str(c)) for c in frame.columns])
        flags = [col in whole for col in frame.columns]
        for row in frame.itertuples(index=False, name=None):
            sheet.append([cell(v, w) for v, w in zip(row, flags)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
