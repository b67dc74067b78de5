"""Hostile files: each is refused with a Dutch reason (ReadError or Problems), never another exception.

The text files live in ``tests/hostile/``; the binary ones (a picture, random bytes, a damaged
Parquet file, a workbook) and a directory are made here in a temporary folder. Formula strings
in text fields are legitimate data: they are read as they are and neutralised on export.
"""

import csv
import io
import random
import re
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from ks_data.table import reading
from ks_data.table.areas import load_areas
from ks_data.table.catalogue import load_catalogue
from ks_data.table.reading import ReadError, read_bytes, read_table
from ks_data.table.schema import REQUIRED
from ks_data.table.validation import validate
from ks_data.views.safe_export import csv_bytes, neutralise, sheet_title, xlsx_bytes
from tests.conftest import run_cli

CORPUS = Path(__file__).parent / "hostile"
GOOD_CSV = (CORPUS / "utf8_bom.csv").read_bytes()

# file → words the reason must contain (ReadError text, or the problems joined)
REFUSED = {
    "empty.csv": ["is leeg"],
    "header_only.csv": ["geen gegevensrijen"],
    "binary.png": ["afbeelding (PNG)", "geen tekstbestand"],
    "random.csv": ["binaire gegevens", "nul-byte"],
    "cp1252_undefined.csv": ["regel 2", "0x81", "UTF-8"],
    "xlsx_is_csv.xlsx": ["geen Excel-werkmap", "extensie .csv"],
    "damaged.parquet": ["geen geldig Parquet-bestand"],
    "a_directory.csv": ["is een map"],
    "ragged.csv": ["regel 4 heeft 17 velden, de kopregel 16", "regel 5: 15 velden"],
    "value_vs_counts.csv": ["regel 2, kolom value", "past niet bij teller en noemer: 80/455 × 1000 = 175.8"],
    "value_outside_interval.csv": ["regel 3, kolom value", "buiten het eigen interval"],
    "infinite_count.csv": ["regel 2, kolom numerator", "regel 3, kolom denominator", "eindig geheel getal"],
    "label_duplicate.csv": ["regel 4, kolom indicator_id", "dubbele rij", "als regel 2"],
}
ACCEPTED = ["latin1.csv", "utf8_bom.csv", "semicolon.csv", "tab.tsv", "formulas.csv"]
HOSTILE_TEXT = ['=HYPERLINK("http://x","klik")', "+1+1", "-2+3", "@SUM(A1)", "  =1+1", "\t=1", "\r=1"]
PLAIN_NUMBERS = ["-4.8", "-4,8", "1.234,5", "+3", "7"]


def _generated(folder: Path) -> None:
    """The corpus members that cannot be text files in git."""
    rng = random.Random(20260101)
    (folder / "binary.png").write_bytes(b"\x89PNG\r\n\x1a\n" + rng.randbytes(200))
    (folder / "random.csv").write_bytes(rng.randbytes(300) + b"\x00")
    (folder / "cp1252_undefined.csv").write_bytes(GOOD_CSV[3:].replace(b"test", b"te\x81st", 1))
    good = pd.read_csv(io.BytesIO(GOOD_CSV), dtype=str, keep_default_na=False)
    parquet = io.BytesIO()
    good.to_parquet(parquet, index=False)
    data = parquet.getvalue()
    (folder / "damaged.parquet").write_bytes(data[:4] + bytes(len(data) // 2) + data[-8:])  # header and footer kept
    (folder / "a_directory.csv").mkdir()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for path in CORPUS.iterdir():
        shutil.copy(path, folder / path.name)
    _generated(folder)
    return folder


def outcome(path: Path, sheet=None) -> tuple[str, str, pd.DataFrame | None]:
    """("read", reason) or ("problems", reasons) or ("ok", ""); any other exception fails the test."""
    try:
        raw = read_table(path, sheet)
    except ReadError as err:
        return "read", str(err), None
    found = validate(raw, load_catalogue(), load_areas())
    return ("problems" if found else "ok"), "\n".join(map(str, found)), raw


def _one_dutch_sentence(text: str) -> bool:
    return "\n" not in text and "Traceback" not in text and not re.search(r"[A-Z][a-z]+(Error|Exception)\b", text)


def test_the_corpus_is_complete(corpus):
    assert {p.name for p in corpus.iterdir()} == set(REFUSED) | set(ACCEPTED)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_each_hostile_file_is_refused_with_its_reason(corpus, name):
    kind, reason, _ = outcome(corpus / name)
    assert kind in {"read", "problems"}
    for words in REFUSED[name]:
        assert words in reason, reason
    if kind == "read":
        assert _one_dutch_sentence(reason), reason


@pytest.mark.parametrize("name", ACCEPTED)
def test_encodings_and_delimiters_are_read_as_written(corpus, name):
    kind, reason, raw = outcome(corpus / name)
    assert kind == "ok", reason
    assert list(raw.columns) == REQUIRED  # no BOM glued to the first name, no columns merged or shifted
    assert raw["value"].tolist() == ["175.8", "21.4"] and raw["retrieved"].tolist() == ["2026-11-22"] * 2
    if name == "latin1.csv":
        assert raw.loc[0, "source"] == "Gemeente Ridderkerk, café-enquête"


@pytest.mark.parametrize("large", [False, True], ids=["small", "large"])
@pytest.mark.parametrize("name", sorted(REFUSED) + ACCEPTED)
def test_the_loaders_categorical_read_sees_what_the_plain_read_sees(corpus, name, large, monkeypatch):
    # The bundle loader reads text files as categoricals (each distinct text once), and a large file straight
    # from disk (here every file above 64 bytes counts as large): same refusals, same problems on the same
    # lines, the same cells.
    plain = outcome(corpus / name)
    if large:
        monkeypatch.setattr(reading, "LARGE", 64)
        if name in ACCEPTED and name != "latin1.csv":  # Windows-1252 goes the careful way
            assert reading._read_large_text(corpus / name, True) is not None  # the fast path is what is compared
    try:
        raw = read_table(corpus / name, categorical=True)
    except ReadError as err:
        assert plain[:2] == ("read", str(err))
        return
    found = validate(raw, load_catalogue(), load_areas())
    assert (("problems" if found else "ok"), "\n".join(map(str, found))) == plain[:2]
    pd.testing.assert_frame_equal(raw.astype(object), plain[2].astype(object))


def test_a_nul_byte_far_into_a_large_file_is_refused_as_binary(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "LARGE", 64)
    monkeypatch.setattr(reading, "HEAD", len(GOOD_CSV))  # the header and first rows look fine
    path = tmp_path / "groot.csv"
    path.write_bytes(GOOD_CSV + GOOD_CSV.split(b"\n", 1)[1].replace(b",test,", b",te\x00st,"))
    with pytest.raises(ReadError, match="binaire gegevens"):
        read_table(path, categorical=True)


@pytest.mark.parametrize("large", [False, True], ids=["small", "large"])
def test_a_header_name_with_a_line_break_is_refused_not_typed_by_guess(tmp_path, monkeypatch, large):
    # Arrow reads a quoted line break into the name, so that column would not be read as written text:
    # "175.80" would become 175.8, an empty column a column of nulls (and a crash further on).
    if large:
        monkeypatch.setattr(reading, "LARGE", 64)
    text = GOOD_CSV.decode("utf-8-sig")
    header, rows = text.split("\n", 1)
    path = tmp_path / "kop.csv"
    path.write_text(header.replace(",note", ',"note\n(vrij)"') + "\n" + rows, encoding="utf-8")
    with pytest.raises(ReadError, match="kopregel is niet eenduidig te lezen") as err:
        read_table(path, categorical=True)
    assert _one_dutch_sentence(str(err.value))
    # a NUL byte in such a name is not overlooked either
    path.write_bytes(header.replace(",note", ',"note\n\x00"').encode() + b"\n" + rows.encode())
    with pytest.raises(ReadError, match="binaire gegevens"):
        read_table(path, categorical=True)


def test_text_fields_keep_their_formulas_as_text(corpus):
    raw = read_table(corpus / "formulas.csv")
    assert raw.loc[0, "source"] == '=HYPERLINK("http://x","klik")' and raw.loc[1, "note"] == "\t=1"


def test_an_upload_reads_like_the_file(corpus):
    for name in ["semicolon.csv", "latin1.csv"]:
        assert read_bytes((corpus / name).read_bytes(), name).equals(read_table(corpus / name))
    with pytest.raises(ReadError, match="niet gevonden"):
        read_table(corpus / "bestaat_niet.csv")


def test_many_ragged_lines_are_listed_up_to_ten():
    lines = [",".join(REQUIRED)] + ["a,b"] * 14
    with pytest.raises(ReadError) as err:
        read_bytes("\n".join(lines).encode(), "veel.csv")
    text = str(err.value)
    assert "regel 2 heeft 2 velden, de kopregel 16" in text and "regel 11: 2 velden" in text
    assert "regel 12" not in text and "en nog 4 regels" in text and _one_dutch_sentence(text)


def test_a_quoted_line_break_is_not_a_ragged_row():
    text = GOOD_CSV.decode("utf-8-sig").replace(",test,", ',"test\nmet een nieuwe regel",', 1)
    raw = read_bytes(text.encode(), "meerregelig.csv")
    assert raw.loc[0, "source"] == "test\nmet een nieuwe regel" and len(raw) == 2


def test_workbook_sheets_are_chosen_by_name_and_unknown_ones_named(tmp_path):
    good = read_bytes(GOOD_CSV, "goed.csv")
    path = tmp_path / "werkmap.xlsx"
    path.write_bytes(xlsx_bytes(good, "Waarnemingen"))
    kind, reason, raw = outcome(path, "Waarnemingen")
    assert kind == "ok", reason
    assert raw["value"].tolist() == ["175.8", "21.4"]
    for sheet, words in [("Blad9", "geen werkblad 'Blad9'; kies een van: 'Waarnemingen'"), (3, "geen werkblad nummer 4")]:
        with pytest.raises(ReadError, match=re.escape(words)):
            read_table(path, sheet)
    path.write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(ReadError, match="geen geldige Excel-werkmap"):
        read_table(path)


def _hostile_frame() -> pd.DataFrame:
    texts = HOSTILE_TEXT + PLAIN_NUMBERS
    return pd.DataFrame({
        "tekst": texts,
        "categorie": pd.Categorical(texts),
        "waarde": np.linspace(-4.8, 12.5, len(texts)),
        "aantal": pd.array(range(-3, len(texts) - 3), dtype="Int64"),
        "leeg": [np.nan] * len(texts),
    })


def _dangerous(cell: str) -> bool:
    plain = re.fullmatch(r" *[+-]?(\d{1,3}([.,]\d{3})+|\d+)?([.,]\d+)? *", cell) and re.search(r"\d", cell)
    return bool(re.match(r"[=+\-@\t\r]", cell)) and not plain


def test_neutralise_prefixes_formulas_and_leaves_numbers():
    out = neutralise(_hostile_frame())
    assert out["tekst"].tolist() == ["'" + t for t in HOSTILE_TEXT] + PLAIN_NUMBERS
    assert out["categorie"].tolist() == out["tekst"].tolist()
    assert out["waarde"].dtype == np.float64 and str(out["aantal"].dtype) == "Int64"


@pytest.mark.parametrize("excel", [True, False])
def test_csv_export_has_no_cell_that_starts_a_formula(excel):
    data = csv_bytes(_hostile_frame(), excel=excel)
    assert data.startswith(b"\xef\xbb\xbf") is excel
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";" if excel else ","))
    assert rows[0] == ["tekst", "categorie", "waarde", "aantal", "leeg"]
    cells = [cell for row in rows[1:] for cell in row]
    assert [c for c in cells if _dangerous(c)] == []
    assert rows[1][2] == ("-4,8" if excel else "-4.8")  # a negative number stays a number


@pytest.mark.parametrize("excel", [True, False])
def test_a_carriage_return_inside_a_cell_cannot_start_a_row(excel):
    frame = pd.DataFrame({"a": ["x\r=1+1", "y\r\n@z", "gewoon"], "b": [1.5, -2.0, 3.0]})
    data = csv_bytes(frame, excel=excel).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data, newline=""), delimiter=";" if excel else ","))
    assert [row[0] for row in rows] == ["a", "x\n=1+1", "y\n@z", "gewoon"]


def test_xlsx_export_has_no_formula_and_numbers_stay_numbers():
    frame = _hostile_frame()
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, "Waarnemingen: [2024]/*?")))
    sheet = book.worksheets[0]
    assert sheet.title == sheet_title("Waarnemingen: [2024]/*?") and len(sheet.title) <= 31
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    kept = [t.replace("\r", "\n") for t in HOSTILE_TEXT]  # XML turns a bare CR into LF; otherwise kept exactly
    assert [row[0] for row in values] == kept + PLAIN_NUMBERS
    assert all(isinstance(row[2], float) for row in values) and values[0][2] == -4.8
    assert all(isinstance(row[3], int) for row in values) and values[0][3] == -3
    assert all(row[4] is None for row in values)


def test_sheet_titles_follow_excels_rules():
    assert sheet_title("a" * 40) == "a" * 31
    assert sheet_title("x[y]:z*?/\\") == "x-y--z----"
    assert sheet_title("") == "Blad1" and sheet_title("'History'") == "History-1"


@pytest.mark.parametrize("name", sorted(REFUSED) + ACCEPTED)
def test_cli_validate_exits_cleanly_on_every_corpus_file(corpus, name):
    result = run_cli("validate", corpus / name)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == (0 if name in ACCEPTED else 1 if name in {
        "header_only.csv", "value_vs_counts.csv", "value_outside_interval.csv", "infinite_count.csv",
        "label_duplicate.csv"} else 2), result.stdout + result.stderr
