"""Write the corpus of wide import files that ``tests/test_wide.py`` reads: ``python tests/imports/make_corpus.py``.

The Excel files are binary, so they are made here (and committed beside this script); the
byte-for-byte same output every run (fixed zip dates and document dates) lets a test check
that the committed files are exactly what this script writes. Every figure is made up and
patterned (111,1 / 222,2 …); each file says TESTBESTAND in its title row, so none of it can be
taken for real data outside the tests.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
TITLE = "Vroeggeboorte en/of laag geboortegewicht (BIG2), per 1000 geboorten - TESTBESTAND, verzonnen cijfers"
EXPORTED = "Geëxporteerd op 20-11-2026 (testbestand, niet van een portaal)"
HEADER = ["Gemeente", "2019", "2020", "2017-2021"]
# Postcode areas of Ridderkerk with patterned values; '<10' and '.' where a portal would hide or lack a figure.
BIG2_ROWS = [["Ridderkerk", "123,4", "234,5", "345,6"]] + [
    [str(pc), f"{str(d) * 3},{d}", f"{str(d) * 3},0", f"{str(d) * 3}"] for d, pc in enumerate(range(2981, 2990), 1)
]
BIG2_ROWS[4][1] = "<10"  # 2984, 2019
BIG2_ROWS[8][2] = "."  # 2988, 2020
BIG2_ROWS[9][1:] = ["<10", "<10", "<10"]  # 2989
BIG2_ROWS += [["Testgebied zonder code", "100,0", "100,0", "100,0"],  # the one intended problem: unknown area
              ["Nederland", 100.5, 200.5, 300.0]]  # numbers, not text, as some exports have them
FOOTNOTES = [["* <10: minder dan 10 geboorten (testbestand)"], [". : geen gegevens"],
             ["Bron: testbestand voor de monitor, geen echte bron"]]
FIXED = datetime(2026, 1, 1)


def _text_row(row: list) -> list[str]:
    return [str(v).replace(".", ",") if isinstance(v, float) else str(v) for v in row]


def _csv(rows: list[list], delimiter: str) -> str:
    def field(value: str) -> str:
        return f'"{value}"' if delimiter in value or '"' in value else value

    return "".join(delimiter.join(field(v) for v in _text_row(row)) + "\r\n" for row in rows)


def _deterministic(data: bytes, cached: dict[str, str] | None = None) -> bytes:
    """The workbook re-zipped with fixed dates; ``cached`` puts a stored result behind a formula."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-01-01T00:00:00Z", body)
            for formula, value in (cached or {}).items():
                body = body.replace(f"<f>{formula}</f><v />".encode(), f"<f>{formula}</f><v>{value}</v>".encode())
            target.writestr(zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0)), body,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _save(book: Workbook, cached: dict[str, str] | None = None) -> bytes:
    book.properties.created = book.properties.modified = FIXED
    buffer = io.BytesIO()
    book.save(buffer)
    return _deterministic(buffer.getvalue(), cached)


def _big2_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    for row in [[TITLE], [EXPORTED], [], HEADER]:
        sheet.append(row)
    for row in BIG2_ROWS:
        area = int(row[0]) if row[0].isdigit() and row[0] < "2985" else row[0]  # some postcodes as numbers
        sheet.append([area, *row[1:]])
    sheet.append([])
    for row in FOOTNOTES:
        sheet.append(row)
    return _save(book)


def _merged_xlsx() -> bytes:
    """Three sheets (notes, data, empty); merged title and headers; a formula with its stored result."""
    book = Workbook()
    notes = book.active
    notes.title = "Toelichting"
    notes.append(["TESTBESTAND: samengevoegde kopjes en een formule; alle cijfers zijn verzonnen."])
    data = book.create_sheet("Data")
    data.append(["BIG2 per 1000 - TESTBESTAND, verzonnen cijfers"])
    data.merge_cells("A1:D1")
    data.append([])
    data.append(["Gemeente", "Per jaar", None, "Vijf jaar samen"])
    data.append([None, "2019", 2020, "2017–2021"])  # a number and an en dash as headers
    data.merge_cells("A3:A4")
    data.merge_cells("B3:C3")
    data.append(["Ridderkerk", "123,4", 234.5, "=C5+1"])  # the formula's stored result: 235.5
    data.append(["2986", "666,6", ".", "<10"])
    data.append(["Nederland", "100,0", "200,0", "300,0"])
    data.append([])
    data.append(["Bron: testbestand"])
    book.create_sheet("Leeg")
    return _save(book, cached={"C5+1": "235.5"})


def _formula_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(["TESTBESTAND: formule zonder opgeslagen uitkomst"])
    sheet.append(HEADER)
    sheet.append(["Ridderkerk", "111,1", "=B3*2", "333,3"])
    return _save(book)


def files() -> dict[str, bytes]:
    """Every corpus file by name, as this script writes it."""
    big2 = [[TITLE], [EXPORTED], [], HEADER, *BIG2_ROWS, [], *FOOTNOTES]
    indicators = [
        ["Kerncijfers per gemeente, 2023 - TESTBESTAND, verzonnen cijfers"],
        ["Gemeente", "BIG2 (per 1000)", "Tienermoeders (%)", "Eenoudergezinnen (%)", "Opmerking"],
        ["Ridderkerk", "111,1", "0,1", "1,1", "testrij"],
        ["2981", "222,2", "<10", "2,2", ""],
        ["2982", "333,3", "", "3,3", ""],  # an empty cell: no figure, no row
        ["Nederland", "444,4", "0,4", "4,4", ""],
        ["* testbestand: geen echte cijfers"],
    ]
    return {
        "big2_perioden.xlsx": _big2_xlsx(),
        "big2_perioden.csv": _csv(big2, ";").encode("cp1252"),  # as old exports: Windows-1252, semicolons
        "indicatoren_2023.csv": _csv(indicators, ",").encode("utf-8"),
        "samengevoegd.xlsx": _merged_xlsx(),
        "formule_zonder_uitkomst.xlsx": _formula_xlsx(),
        "geen_gegevens.csv": _csv([[TITLE], HEADER, [], ["Bron: testbestand"]], ";").encode("utf-8"),
        "gegevens_onder_tabel.csv": _csv([[TITLE], HEADER, BIG2_ROWS[0], [], BIG2_ROWS[1]], ";").encode("utf-8"),
    }


def write(folder: Path = HERE) -> list[Path]:
    written = []
    for name, data in files().items():
        (folder / name).write_bytes(data)
        written.append(folder / name)
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
