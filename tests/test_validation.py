"""One bad file per validation rule: each problem is named with its line, and the CLI exits non-zero."""


import pandas as pd
import pytest

from ks_data.table.areas import load_areas
from ks_data.table.catalogue import load_catalogue
from ks_data.table.schema import REQUIRED
from ks_data.table.validation import Problem, stated_decimals, validate
from tests.conftest import obs, run_cli

GOOD = [obs("big2", "GM0597", "175.8", 2022, "80", "455"), obs("stress_19_45", "NL01", "21.4", 2022)]


def frame(rows):
    base = {c: "" for c in REQUIRED}
    return pd.DataFrame([{**base, **r} for r in rows], columns=REQUIRED).astype(str)


def problems(rows):
    return validate(frame(rows), load_catalogue(), load_areas())


def test_good_rows_pass():
    assert problems(GOOD) == []


@pytest.mark.parametrize("bad,column,words", [
    (obs("onbekend", "GM0597", "1.0"), "indicator_id", "onbekende indicator"),
    (obs("big2", "GM9999", "1.0"), "area_code", "onbekend gebied"),
    (obs("stress_19_45", "GM0597", "100.5"), "value", "maximum"),
    (obs("big2", "GM0597", "1000.1"), "value", "maximum"),
    (obs("big2", "GM0597", "-1"), "value", "negatieve"),
    (obs("big2", "GM0597", "200", 2022, "91", "90"), "numerator", "teller groter dan noemer"),
    (obs("big2", "GM0597", "0", 2022, "-3", "90"), "numerator", "negatief aantal"),
    (obs("big2", "GM0597", "176", 2022, "", "-5"), "denominator", "negatief aantal"),
    ({**obs("big2", "GM0597", "176", 2022), "period_start": "2023"}, "period_end", "vóór het begin"),
    (obs("big2", "GM0597", "12,5"), "value", "geen getal"),
    (obs("big2", "GM0597", "176", unit="%"), "unit", "past niet bij de indicator"),
    ({**obs("big2", "GM0597", "176"), "source": ""}, "source", "mag niet leeg zijn"),
])
def test_each_error_is_named_with_its_line(bad, column, words):
    found = problems([*GOOD, bad])
    assert found, "the bad row was not caught"
    assert all(p.line == 4 for p in found)  # header is line 1, the bad row is the third data row
    assert any(p.column == column and words in p.message for p in found), [str(p) for p in found]


def test_duplicate_key_names_the_second_line():
    found = problems([*GOOD, GOOD[0]])
    assert [(p.line, p.column) for p in found] == [(4, "indicator_id")]
    assert "dubbele rij" in found[0].message


def test_missing_required_column():
    table = frame(GOOD).drop(columns=["retrieved"])
    found = validate(table, load_catalogue(), load_areas())
    assert [(p.line, p.column) for p in found] == [(0, "retrieved")]


def test_missing_markers_are_missing_not_zero():
    rows = [obs("big2", "GM0597", marker, 2020 + i) for i, marker in enumerate([".", "x", "-", "", "<10"])]
    assert problems(rows) == []
    from ks_data.table.schema import coerce
    assert coerce(frame(rows))["value"].isna().all()


def test_cli_validate_reports_every_problem_and_fails(tmp_path):
    bad = tmp_path / "kapot.csv"
    frame([*GOOD, obs("big2", "GM9999", "1"), obs("stress_19_45", "GM0597", "150")]).to_csv(bad, index=False)
    result = run_cli("validate", bad)
    assert result.returncode == 1
    assert "regel 4, kolom area_code: onbekend gebied" in result.stdout
    assert "regel 5, kolom value" in result.stdout


def test_cli_validate_accepts_a_good_file_and_names_a_missing_one(tmp_path):
    good = tmp_path / "goed.csv"
    frame(GOOD).to_csv(good, index=False)
    ok = run_cli("validate", good)
    assert ok.returncode == 0 and "in orde (2 rijen)" in ok.stdout
    gone = run_cli("validate", tmp_path / "nee.csv")
    assert gone.returncode == 2 and "niet gevonden" in gone.stderr


def test_a_header_without_rows_is_one_problem_not_a_crash():
    found = validate(frame([]), load_catalogue(), load_areas())
    assert found == [Problem(0, "", "het bestand bevat geen gegevensrijen")]
    assert str(found[0]) == "bestand: het bestand bevat geen gegevensrijen"


@pytest.mark.parametrize("sep,word", [(";", "puntkomma"), ("\t", "tabs")])
def test_an_unsplit_header_is_one_delimiter_problem(sep, word):
    table = pd.DataFrame({sep.join(REQUIRED): [sep.join(["x"] * len(REQUIRED))]})
    found = validate(table, load_catalogue(), load_areas())
    assert len(found) == 1 and found[0].line == 0
    assert "scheidingsteken" in found[0].message and word in found[0].message


@pytest.mark.parametrize("column,text", [("numerator", "inf"), ("numerator", "1e400"), ("numerator", "3.5"),
                                         ("denominator", "inf"), ("denominator", "455.5")])
def test_counts_are_finite_whole_numbers(column, text):
    row = {**obs("big2", "GM0597", "175.8", 2023, "80", "455"), column: text}
    found = problems([*GOOD, row])
    assert [(p.line, p.column) for p in found] == [(4, column)]
    assert "eindig geheel getal" in found[0].message


@pytest.mark.parametrize("column,text", [("value", "inf"), ("value", "1e400"), ("ci_low", "-inf"), ("ci_high", "1e999")])
def test_values_and_bounds_are_finite(column, text):
    row = {**obs("big2", "GM0597", "175.8", 2023, ci_low="170.0", ci_high="180.0"), column: text}
    found = problems([*GOOD, row])
    assert [(p.line, p.column) for p in found] == [(4, column)]
    assert "eindig getal" in found[0].message


def test_stated_decimals_reads_the_precision_as_written():
    text = pd.Series(["176.0", "7", "229.09", " 5. ", ".5", "-4.80", "+3", "1.75e2", "1E-2", "12,5", "abc", "", None, "inf"])
    assert stated_decimals(text).tolist() == [1, 0, 2, 0, 1, 2, 0, 0, 2, pd.NA, pd.NA, pd.NA, pd.NA, pd.NA]
    assert str(stated_decimals(text).dtype) == "Int64"


@pytest.mark.parametrize("value,ok", [
    ("175.8", True), ("176", True), ("175.82", True), ("175.824", True),  # 80/455 × 1000 = 175.824…
    ("176.0", False), ("175.7", False), ("175.83", False), ("175", False),
])
def test_value_agrees_with_its_counts_to_its_own_precision(value, ok):
    found = problems([*GOOD, obs("big2", "GM0597", value, 2023, "80", "455")])
    assert (found == []) is ok, [str(p) for p in found]
    if not ok:
        assert [(p.line, p.column) for p in found] == [(4, "value")]
        assert "past niet bij teller en noemer: 80/455 × 1000" in found[0].message


def test_value_agrees_with_counts_for_percentages_and_exact_halves():
    rows = [obs("stress_19_45", "GM0597", "12.5", 2020, "1", "8"),  # exactly 12.5 %
            obs("stress_19_45", "GM0597", "12", 2021, "1", "8"),    # 12.5 rounded half to even
            obs("stress_19_45", "GM0597", "13", 2022, "1", "8"),    # 12.5 rounded half up
            obs("stress_19_45", "GM0597", "229.09", 2023, "", "")]  # no counts: nothing to compare
    assert [str(p) for p in problems(rows) if p.column == "value" and "teller" in p.message] == []
    assert problems([obs("stress_19_45", "GM0597", "14", 2020, "1", "8")])[0].column == "value"


@pytest.mark.parametrize("value,low,high,ok", [
    ("175.8", "170.1", "181.9", True), ("175.8", "175.8", "175.8", True),
    ("175.8", "175.85", "180", True),     # may round up past the finer bound by its own rounding
    ("176", "150", "175.6", True),        # "176" may be anything from 175.5
    ("175.8", "170", "175.7", False), ("175.8", "175.9", "180", False), ("176", "150", "175.4", False),
])
def test_value_lies_inside_its_own_interval(value, low, high, ok):
    found = problems([*GOOD, obs("big2", "GM0597", value, 2023, ci_low=low, ci_high=high)])
    assert (found == []) is ok, [str(p) for p in found]
    if not ok:
        assert [(p.line, p.column) for p in found] == [(4, "value")] and "buiten het eigen interval" in found[0].message


def test_same_years_with_another_label_are_a_duplicate():
    relabelled = {**GOOD[0], "period_label": "jaar 2022", "value": "175.82"}
    found = problems([*GOOD, relabelled])
    assert [(p.line, p.column) for p in found] == [(4, "indicator_id")]
    assert "dubbele rij" in found[0].message and "regel 2" in found[0].message


def test_undated_rows_are_told_apart_by_their_label():
    rows = [obs("big2", "GM0597", "176.0"), {**obs("big2", "GM0597", "170.0"), "period_label": "gepubliceerd 2023"}]
    assert problems(rows) == []
    assert [p.line for p in problems([*rows, rows[0]])] == [4]

