"""One bad file per validation rule: each problem is named with its line, and the CLI exits non-zero."""

import subprocess
import sys

import pandas as pd
import pytest

from ks_data.areas import load_areas
from ks_data.catalogue import load_catalogue
from ks_data.schema import REQUIRED
from ks_data.validation import validate
from tests.conftest import ROOT, obs

GOOD = [obs("big2", "GM0597", "176.0", 2022, "80", "455"), obs("stress_19_45", "NL01", "21.4", 2022)]


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
    from ks_data.schema import coerce
    assert coerce(frame(rows))["value"].isna().all()


def test_cli_validate_reports_every_problem_and_fails(tmp_path):
    bad = tmp_path / "kapot.csv"
    frame([*GOOD, obs("big2", "GM9999", "1"), obs("stress_19_45", "GM0597", "150")]).to_csv(bad, index=False)
    result = subprocess.run([sys.executable, "-m", "ks_data", "validate", str(bad)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "regel 4, kolom area_code: onbekend gebied" in result.stdout
    assert "regel 5, kolom value" in result.stdout


def test_cli_validate_accepts_a_good_file_and_names_a_missing_one(tmp_path):
    good = tmp_path / "goed.csv"
    frame(GOOD).to_csv(good, index=False)
    ok = subprocess.run([sys.executable, "-m", "ks_data", "validate", str(good)], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0 and "in orde (2 rijen)" in ok.stdout
    gone = subprocess.run([sys.executable, "-m", "ks_data", "validate", str(tmp_path / "nee.csv")], cwd=ROOT,
                          capture_output=True, text=True)
    assert gone.returncode == 2 and "niet gevonden" in gone.stderr
