"""Wide portal exports to long tidy rows: layouts, header and footnote rows, Excel sheets, merges and formulas.

Every file read here is in ``tests/imports/`` (made by ``make_corpus.py``; all figures made up)
or built in the test. Each good file goes on through ``normalise`` and ``validate`` as an
import would, and must give no problem but the intended one, named by the file's own row.
"""

from __future__ import annotations

import io
import shutil

import pandas as pd
import pytest
from openpyxl import Workbook

from ks_data.sources.incoming import normalise
from ks_data.sources.wide import Mapping, MappingError, load_mapping, parse_mapping, to_long, trace
from ks_data.table.areas import load_areas
from ks_data.table.catalogue import load_catalogue
from ks_data.table.reading import ReadError
from ks_data.table.validation import Problem, validate
from tests.conftest import DATA, ROOT
from tests.imports.make_corpus import files

CORPUS = ROOT / "tests" / "imports"
EXAMPLES = DATA / "mappings"
UNKNOWN_AREA = [Problem(15, "'Gemeente' (area_code)", "onbekend gebied")]  # "Testgebied zonder code"


def imported(name: str, mapping: Mapping | str) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """The long table, the normalised table and the problems traced to the file's rows."""
    if isinstance(mapping, str):
        mapping = load_mapping(CORPUS / mapping)
    long = to_long(CORPUS / name, None, mapping)
    tidy = normalise(long, load_areas())
    return long, tidy, trace(validate(tidy, load_catalogue(), load_areas()), long)


def periods_mapping(**changes) -> Mapping:
    base = dict(area_column="Gemeente", layout="periods", indicator="big2", unit="per 1000", source="test",
                columns={"2019": "2019", "2020": "2020"})
    return Mapping(**{**base, **changes})


def test_corpus_is_what_make_corpus_writes():
    made = files()
    on_disk = {p.name: p.read_bytes() for p in CORPUS.iterdir() if p.suffix in {".csv", ".xlsx"}}
    assert on_disk == made, "run: python tests/imports/make_corpus.py"


@pytest.mark.parametrize("name", ["big2_perioden.xlsx", "big2_perioden.csv"])
def test_portal_export_with_title_date_and_footnotes(name):
    long, tidy, problems = imported(name, "big2_perioden.toml")
    assert problems == UNKNOWN_AREA  # reported once for its row, not once per cell
    assert long.attrs["header_line"] == 4 and long.attrs["data_lines"] == (5, 16)
    assert set(long.columns) >= {"indicator_id", "area_code", "period_label", "value", "unit", "source_line"}
    assert all(long[c].map(type).eq(str).all() for c in long.columns)
    assert len(long) == 12 * 3  # 12 areas × 3 periods; the footnotes below are not read
    assert set(tidy["area_code"]) == {"GM0597", "NL01", "Testgebied zonder code", *map(str, range(2981, 2990))}
    row = tidy[(tidy["area_code"] == "GM0597") & (tidy["period_label"] == "2017–2021")].iloc[0]
    assert (row["value"], row["unit"], row["period_start"], row["period_end"]) == ("345.6", "per1000", "2017", "2021")
    hidden = tidy[(tidy["area_code"] == "2989")]
    assert hidden["value"].eq("").all() and hidden["note"].str.contains("<10").all()  # missing, never 0
    assert tidy.loc[(tidy["area_code"] == "2988") & (tidy["period_label"] == "2020"), "note"].str.contains("'.'").all()
    assert long.loc[long["area_code"] == "2984", "value"].iloc[0] == "<10"  # kept as written for normalise


def test_excel_and_csv_exports_give_the_same_figures():
    (_, xlsx, _), (_, text, _) = (imported(n, "big2_perioden.toml") for n in ["big2_perioden.xlsx", "big2_perioden.csv"])
    keys = ["indicator_id", "area_code", "period_label", "unit", "note"]
    assert xlsx[keys].equals(text[keys])
    assert pd.to_numeric(xlsx["value"]).equals(pd.to_numeric(text["value"]))


def test_indicators_layout_one_period():
    long, tidy, problems = imported("indicatoren_2023.csv", "indicatoren.toml")
    assert problems == []
    assert set(tidy["period_label"]) == {"2023"}
    assert dict(zip(tidy["indicator_id"], tidy["unit"])) == {"big2": "per1000", "tienermoeders": "%",
                                                             "eenoudergezinnen": "%"}
    assert long.attrs["unused_columns"] == ["Opmerking"]
    assert long.attrs["empty_cells"] == 1  # an empty cell is no figure: no row that could erase a stored one
    assert not ((tidy["area_code"] == "2982") & (tidy["indicator_id"] == "tienermoeders")).any()
    assert tidy.loc[(tidy["area_code"] == "GM0597") & (tidy["indicator_id"] == "tienermoeders"), "value"].item() == "0.1"


def test_merged_headers_formula_result_and_the_sheet_named_by_the_mapping():
    long, tidy, problems = imported("samengevoegd.xlsx", "samengevoegd.toml")
    assert problems == []
    assert long.attrs["sheet"] == "Data" and long.attrs["header_line"] == 4  # "Gemeente" merged over rows 3–4
    assert long.attrs["area_column"] == "Gemeente"
    formula = long[(long["area_code"] == "Ridderkerk") & (long["period_label"] == "2017-2021")].iloc[0]
    assert (formula["value"], formula["source_line"], formula["source_column"]) == ("235.5", "5", "2017–2021")
    assert len(tidy) == 9 and set(tidy["area_code"]) == {"GM0597", "2986", "NL01"}


def test_a_formula_without_stored_result_is_refused_with_its_cell():
    with pytest.raises(ReadError, match=r"formule zonder opgeslagen uitkomst: cel C3 \(=B3\*2\)"):
        to_long(CORPUS / "formule_zonder_uitkomst.xlsx", None, periods_mapping())


@pytest.mark.parametrize("name,mapping,words", [
    ("big2_perioden.xlsx", periods_mapping(area_column="Wijk"),
     "Kolom 'Wijk' niet gevonden in werkblad 'Data' in 'big2_perioden.xlsx'; gevonden kopjes: 'Gemeente', '2019', "
     "'2020', '2017-2021'."),
    ("big2_perioden.csv", periods_mapping(columns={"2019": "2019", "2022": "2022"}),
     "Kolom '2022' uit de koppeling niet gevonden in de kopregel (regel 4) van 'big2_perioden.csv'"),
    ("samengevoegd.xlsx", periods_mapping(sheet="Leeg"), "Werkblad 'Leeg' in 'samengevoegd.xlsx' is leeg"),
    ("samengevoegd.xlsx", periods_mapping(sheet="Blad9"),
     "Werkblad 'Blad9' niet gevonden in 'samengevoegd.xlsx'; gevonden werkbladen: 'Toelichting', 'Data', 'Leeg'."),
    ("geen_gegevens.csv", periods_mapping(), "Geen gegevensrijen onder de kopregel (regel 2)"),
    ("gegevens_onder_tabel.csv", periods_mapping(), "staan nog waarden, bijvoorbeeld op regel 5 ('2981')"),
])
def test_a_mapping_that_does_not_fit_the_file(name, mapping, words):
    with pytest.raises(MappingError) as caught:
        to_long(CORPUS / name, None, mapping)
    assert words in str(caught.value)


def test_bytes_as_uploaded_and_files_that_are_no_table():
    data = (CORPUS / "big2_perioden.xlsx").read_bytes()
    assert len(to_long(data, "upload.xlsx", load_mapping(CORPUS / "big2_perioden.toml"))) == 36
    with pytest.raises(ReadError, match="leeg"):
        to_long(b"", "leeg.xlsx", periods_mapping())
    with pytest.raises(ReadError, match="tekst"):
        to_long(b"Gemeente;2019\n", "verkeerd.xlsx", periods_mapping())
    with pytest.raises(ReadError, match="niet gevonden"):
        to_long(CORPUS / "bestaat_niet.xlsx", None, periods_mapping())


def test_problems_are_traced_to_the_file_row_and_column():
    text = "TESTBESTAND\nGemeente;2019;2020\nRidderkerk;1,5;abc\nGM0597;2,5;\nBronckhorst;3,5;4,5\nNoot: test\n"
    long = to_long(text.encode(), "test.csv", periods_mapping())
    assert long["area_code"].tolist()[-1] == "Bronckhorst"  # a name starting with "Bron" is no footnote
    problems = trace(validate(normalise(long, load_areas()), load_catalogue(), load_areas()), long)
    assert [str(p) for p in problems] == [
        "regel 3, kolom '2020' (value): 'abc' is geen getal; schrijf bijvoorbeeld 172,1 of 172.1",
        "regel 4, kolom '2019' (indicator_id): dubbele rij: zelfde indicator, gebied en periode als regel 3 "
        "(kolom '2019') (ook als period_label verschilt)",
    ]


def test_area_names_from_the_mapping_and_a_unit_per_indicator():
    text = "Regio,BIG2,Roken\nTotaal Nederland (test),\"1,5\",\"2,5\"\n"
    mapping = Mapping(area_column="Regio", layout="indicators", period="2017-2021", columns={"BIG2": "big2",
                      "Roken": "roken_vrouwen_19_45"}, unit="%", units={"big2": "per 1000"},
                      areas={"totaal nederland (test)": "NL01"}, source="test")
    tidy = normalise(to_long(text.encode(), "test.csv", mapping), load_areas())
    assert tidy["area_code"].tolist() == ["NL01", "NL01"] and tidy["unit"].tolist() == ["per1000", "%"]
    assert validate(tidy, load_catalogue(), load_areas()) == []


def test_a_shifted_row_is_refused_not_read_askew():
    text = "Gemeente,2019,2020\nRidderkerk,1,5,2,5\n"  # unquoted decimal commas in a comma-separated file
    with pytest.raises(ReadError, match="regel 2 heeft 5 velden, de kopregel 3"):
        to_long(text.encode(), "test.csv", periods_mapping())


def test_a_merged_note_below_the_table_is_a_note():
    book = Workbook()
    sheet = book.active
    for row in [["TESTBESTAND"], ["Gemeente", "2019", "2020"], ["Ridderkerk", "1,5", "2,5"], [],
                [". = geen gegevens (test)"]]:
        sheet.append(row)
    sheet.merge_cells("A5:C5")
    buffer = io.BytesIO()
    book.save(buffer)
    assert len(to_long(buffer.getvalue(), "test.xlsx", periods_mapping())) == 2


@pytest.mark.parametrize("text,words", [
    ("area_column = Gemeente", "geen geldige TOML (regel 1"),
    ('area_colum = "Gemeente"\nlayout = "periods"', "onbekende sleutel 'area_colum'"),
    ('layout = "periods"', "'area_column' ontbreekt"),
    ('area_column = "Gemeente"\nlayout = "rijen"\ncolumns = ["2019"]', 'layout moet "periods" of "indicators"'),
    ('area_column = "Gemeente"\nlayout = "periods"\nunit = "%"\ncolumns = ["2019"]', "indicator ontbreekt"),
    ('area_column = "Gemeente"\nlayout = "periods"\nindicator = "big2"\ncolumns = ["2019"]', "unit ontbreekt"),
    ('area_column = "Gemeente"\nlayout = "periods"\nindicator = "big2"\nunit = "%"', "[columns] ontbreekt"),
    ('area_column = "Gemeente"\nlayout = "periods"\nindicator = "big2"\nunit = "%"\nperiod = "2023"\n'
     'columns = ["2019"]', "period hoort niet bij layout"),
    ('area_column = "Gemeente"\nlayout = "periods"\nindicator = "big2"\nunit = "%"\n[columns]\n"2019" = "2019"\n'
     '"2019 " = "2020"', "het kopje '2019' staat er meer dan eens in"),
    ('area_column = "Gemeente"\nlayout = "indicators"\nperiod = "2023"\n[columns]\nA = "big2"\nB = "big2"',
     "het doel 'big2' staat er meer dan eens in"),
    ('area_column = "Gemeente"\nlayout = "indicators"\nperiod = "2023"\n[columns]\nA = "big2"\nB = "tienermoeders"\n'
     '[units]\nbig2 = "per 1000"', "geen eenheid voor 'tienermoeders'"),
    ('area_column = "Gemeente"\nlayout = "indicators"\nperiod = "2023"\nunit = "%"\ncolumns = ["big2"]\n'
     '[units]\nbig3 = "per 1000"', "[units] noemt 'big3'"),
    ('area_column = "Gemeente"\nlayout = "periods"\nindicator = "big2"\nunit = "%"\ncolumns = ["gemeente"]',
     "noemt de gebiedskolom"),
    ('area_column = ["Gemeente"]\nlayout = "periods"', "'area_column' moet tekst zijn"),
])
def test_a_malformed_or_incomplete_mapping_is_refused_in_dutch(text, words, tmp_path):
    path = tmp_path / "koppeling.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    assert str(caught.value).startswith("Koppeling 'koppeling.toml'")
    assert words in str(caught.value)


def test_a_mapping_file_that_cannot_be_read(tmp_path):
    with pytest.raises(MappingError, match="niet gevonden"):
        load_mapping(tmp_path / "geen.toml")
    (tmp_path / "plaatje.toml").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(MappingError, match="geen tekstbestand"):
        load_mapping(tmp_path / "plaatje.toml")
    with pytest.raises(MappingError, match=r"^Koppeling: indicator ontbreekt"):
        Mapping(area_column="Gemeente", layout="periods", columns={"2019": "2019"}, unit="%")


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")) + sorted(CORPUS.glob("*.toml")), ids=lambda p: p.name)
def test_every_mapping_file_is_valid_and_saves_as_it_reads(path):
    mapping = load_mapping(path)
    assert parse_mapping(mapping.to_toml()) == mapping


def test_the_example_mappings_read_exports_of_their_shape(tmp_path):
    """One example per layout; the test exports use the same headers, so each example reads one."""
    assert {load_mapping(p).layout for p in EXAMPLES.glob("*.toml")} == {"periods", "indicators"}
    _, _, problems = imported("big2_perioden.xlsx", load_mapping(EXAMPLES / "big2_per_periode.toml"))
    assert problems == UNKNOWN_AREA
    _, _, problems = imported("indicatoren_2023.csv", load_mapping(EXAMPLES / "indicatoren_een_jaar.toml"))
    assert problems == []


def test_the_long_table_goes_through_the_import_preview(tmp_path, monkeypatch):
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns(".cache", "history", ".lock"))
    monkeypatch.setenv("KS_DATA_DIR", str(root))
    from ks_data.sources import store

    long = to_long(CORPUS / "big2_perioden.csv", None, load_mapping(CORPUS / "big2_perioden.toml"))
    result = store.preview("echt", long, source="big2_perioden.csv", root=root)
    assert len(result.refused) == 3  # the three cells of "Testgebied zonder code"; nothing is written
    assert len(result.added) + len(result.changed) + result.unchanged == len(long) - 3


def test_a_number_shown_as_a_percentage_is_read_as_the_percentage_shown():
    book = Workbook()
    sheet = book.active
    for row in [["TESTBESTAND"], ["Gemeente", "2019", "2020"], ["Ridderkerk", 0.148, 0.5]]:
        sheet.append(row)
    sheet["B3"].number_format = "0.0%"  # Excel shows 14,8%; C3 has no percentage format and stays 0.5
    buffer = io.BytesIO()
    book.save(buffer)
    assert to_long(buffer.getvalue(), "test.xlsx", periods_mapping(unit="%"))["value"].tolist() == ["14.8", "0.5"]


def test_an_export_of_the_opposite_share_is_turned_round_and_says_so():
    """RIVM's "ná de 10e week" read for the indicator "vóór 10 weken" (the example mapping of that shape)."""
    mapping = load_mapping(EXAMPLES / "start_zorg_na_10_weken.toml")
    text = "Gemeente;2021;2022\nRidderkerk;28,3;27,9\nNederland;25,0;.\n"
    tidy = normalise(to_long(text.encode(), "rivm.csv", mapping), load_areas())
    assert validate(tidy, load_catalogue(), load_areas()) == []
    got = dict(zip(zip(tidy["area_code"], tidy["period_label"]), tidy["value"]))
    assert got == {("GM0597", "2021"): "71.7", ("GM0597", "2022"): "72.1", ("NL01", "2021"): "75.0",
                   ("NL01", "2022"): ""}  # a mark in the source stays missing, never 100 − nothing
    note = tidy.loc[(tidy["area_code"] == "GM0597") & (tidy["period_label"] == "2021"), "note"].iloc[0]
    assert "ná de 10e week" in note and "(28,3%)" in note and "100% min dat" in note
    with pytest.raises(MappingError, match="complement hoort bij layout"):
        Mapping(area_column="Gemeente", layout="indicators", period="2022", unit="%",
                columns={"Start": "start_zorg_voor_10wk"}, complement="ná 10 weken")
