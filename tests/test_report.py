"""The evaluation report in its three forms: numbers as numbers, hidden figures hidden, offline, safe."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from ks_data.views import evaluation as ev
from ks_data.views import report
from ks_data.views.monitor import Monitor
from ks_data.vocab import EXAMPLE_MARK
from tests.conftest import FORMULA, hostile_copy, run_cli


@pytest.fixture(scope="module")
def example():
    monitor = Monitor.load("voorbeeld")
    return report.build(monitor, ev.Choice(until=ev.default_until(monitor)))


@pytest.fixture(scope="module")
def real():
    return report.build(Monitor.load("echt"))


def test_excel_has_a_sheet_per_part_with_numeric_cells_and_the_mark_on_every_sheet(example):
    book = openpyxl.load_workbook(io.BytesIO(report.to_xlsx(example)))
    assert book.sheetnames == ["Evaluatie", "Samenvatting", "In één oogopslag", "Doelstellingen", "Acties per half jaar",
                               "Activiteiten per half jaar", "Mijlpalen", "Begroting en besteding",
                               "Bronnen en methoden"]
    for sheet in book.worksheets:
        assert EXAMPLE_MARK.upper() in sheet["A1"].value, sheet.title
    table = book["Evaluatie"]
    header = [c.value for c in table[4]]
    rows = list(table.iter_rows(min_row=5, values_only=True))
    values = [r[header.index("Basiswaarde")] for r in rows]
    assert len(rows) == len(example.table)
    assert all(isinstance(v, float | int) for v in values if v is not None) and any(v is not None for v in values)
    big2 = next(r for r in rows if r[header.index("Indicator-id")] == "big2" and r[header.index("Gebiedscode")] == "GM0597")
    assert big2[header.index("Eenheid")] == "per 1000" and isinstance(big2[header.index("Verschil 95%-ondergrens")], float)
    budget = book["Begroting en besteding"]
    assert any(isinstance(c.value, int | float) for row in budget.iter_rows(min_row=5) for c in row)


def test_hidden_figures_stay_hidden_in_the_report(example):
    published = Monitor.load("voorbeeld").view.table
    hidden = published[published["suppressed"].astype(bool)]
    keys = set(zip(hidden["indicator_id"], hidden["area_code"], hidden["period_label"]))
    table = example.table
    for side in ("baseline", "latest"):
        shown = table[table[f"{side}_value"].notna()]
        leaked = [k for k in zip(shown["indicator_id"], shown["area_code"], shown[f"{side}_period"]) if k in keys]
        assert not leaked, leaked
    present = set(zip(table["indicator_id"], table["area_code"], table["baseline_period"]))
    assert len(keys & present) > 0  # hidden periods are in the table, as hidden


def test_html_report_has_every_indicator_and_verdict_the_mark_and_nothing_from_outside(example):
    html = report.to_html(example)
    for name in example.table["indicator"].unique():
        assert name.replace("&", "&amp;") in html
    for verdict in example.table["target_verdict"].unique():
        assert verdict in html
    for verdict in set(example.table["verdict_nl"]) | set(example.table["verdict_province"]):
        assert verdict in html
    assert html.count(EXAMPLE_MARK) >= 2 and '<html lang="nl">' in html
    assert "<script" not in html and "src=" not in html and "@import" not in html and "url(" not in html
    assert html.count("<svg") >= 2  # the core figures' charts are in the file itself


def test_real_report_says_no_period_yet_and_when_figures_are_expected(real):
    html = report.to_html(real)
    assert "nog geen periode geheel binnen de looptijd van het plan" in html and EXAMPLE_MARK not in html
    assert "de eerste vijfjaarsperiode zonder jaren van vóór het plan is 2024–2028, na het einde van het plan" in html
    assert "Nulmeting op de acties" in html and "niet geregistreerd" in html


def test_csv_has_numbers_in_their_own_columns(real):
    table = pd.read_csv(io.BytesIO(report.to_csv(real)), sep=";", decimal=",", encoding="utf-8-sig")
    assert table["Basiswaarde"].dtype == float and table.loc[table["Indicator-id"] == "big2", "Basiswaarde"].iloc[0] == 176.0
    assert not table["Basiswaarde"].astype(str).str.contains("per 1000").any()


def test_a_municipality_without_plan_files_still_gets_a_report(second_municipality):
    built = report.build(Monitor.load("echt", root=second_municipality), root=second_municipality)
    html = report.to_html(built)
    assert "niet ingesteld" in html and "(GM9990)" in html and "plan.toml" not in html  # no server path
    book = openpyxl.load_workbook(io.BytesIO(report.to_xlsx(built)))
    assert "Plan" in book.sheetnames


def test_hostile_data_text_is_text_in_every_form(tmp_path, monkeypatch):
    root = tmp_path / "data"
    hostile_copy(root)
    monkeypatch.setenv("KS_DATA_DIR", str(root))
    built = report.build(Monitor.load("echt", root=root), root=root)
    html = report.to_html(built)
    assert "<a " not in html and "<img" not in html and "evil.example" in html  # shown, escaped
    book = openpyxl.load_workbook(io.BytesIO(report.to_xlsx(built)))
    formulas = [c.value for s in book.worksheets for row in s.iter_rows() for c in row
                if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("=") and not c.quotePrefix)]
    assert not formulas
    assert FORMULA not in report.to_csv(built).decode("utf-8-sig").replace("'" + FORMULA, "")


def test_command_line_writes_each_format_and_refuses_an_unknown_municipality(tmp_path):
    for fmt in ["html", "xlsx", "csv"]:
        out = tmp_path / f"rapport.{fmt}"
        done = run_cli("report", "--format", fmt, "--out", out, "--bundle", "voorbeeld")
        assert done.returncode == 0, done.stderr
        assert out.stat().st_size > 1000
    bad = run_cli("report", "--municipality", "GM9999")
    assert bad.returncode == 2 and bad.stderr.startswith("Fout:") and "Traceback" not in bad.stderr


def test_periods_mostly_before_the_plan_get_no_target_verdict_and_counts_are_whole(example):
    table = example.table
    blocks = table[table["latest_period"].str.contains("–")]  # 5-year windows never lie within a 3-year plan
    assert blocks.empty
    postcodes = table[table["area_code"].str.fullmatch(r"\d{4}")]
    assert len(postcodes) and (postcodes["target_verdict"].isin(["nog niet te beoordelen", ""])).all()
    text = report.to_csv(example).decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    big2 = next(line.split(";") for line in text.splitlines() if ";big2;" in line and "GM0597" in line)
    assert big2[header.index("Basis teller")].isdigit()  # 85, not 85,0
    assert len(big2[header.index("Verschil (laatste − basis)")].split(",")[-1]) <= 2


def test_the_benchmarks_are_judged_in_the_newest_period_as_on_the_overview():
    # mortality's newest 5-year window (2020–2024) lies mostly before the plan: no 'latest' for the target,
    # but the comparison with the Netherlands and the province is the overview's, in that window
    example = Monitor.load("voorbeeld")
    rows = ev.table(example, ev.Choice(until=ev.default_until(example)))
    for indicator in ["perinatale_sterfte", "big2", "start_zorg_voor_10wk"]:
        row = rows[(rows["indicator_id"] == indicator) & (rows["area_code"] == "GM0597")].iloc[0]
        overview = example.latest(indicator, "GM0597", "NL01")
        assert row["verdict_period"] == overview["period_label"], indicator
        assert row["verdict_nl"] == str(overview["verdict"]), indicator


def test_excel_is_readable_as_it_opens_widths_frozen_header_and_decimals_per_column(example):
    book = openpyxl.load_workbook(io.BytesIO(report.to_xlsx(example)))
    table = book["Evaluatie"]
    assert table.freeze_panes == "A5"  # the header (row 4, under the mark and the title) stays in view
    header = [c.value for c in table[4]]
    width = table.column_dimensions[openpyxl.utils.get_column_letter(header.index("Indicator") + 1)].width
    assert width and width > 15
    rows = list(table.iter_rows(min_row=5))
    value = header.index("Basiswaarde")
    formats = {r[value].number_format for r in rows if r[value].value is not None}
    assert formats == {"#,##0.0##"}  # 176,0 keeps its decimal beside 175,8: by column, not by cell
    count = header.index("Basis teller")
    assert {r[count].number_format for r in rows if r[count].value is not None} == {"#,##0"}


def test_html_report_fits_a_phone_and_never_breaks_a_word_in_two(example):
    html = report.to_html(example)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "overflow-wrap:anywhere" not in html and "overflow-x:auto" in html


def test_the_evaluation_shows_each_figure_with_the_decimals_its_source_gives(real):
    # the plan gives 2986's BIG2 as 229,09: the evaluation says so too (it said 229,1; Postcodegebieden 229,09)
    built = report.build(real.monitor, ev.Choice(until=None, postcodes=True))
    shown = report.shown_table(built)
    row = shown[shown["Gebied"].astype(str).str.contains("2986") & shown["Indicator"].str.contains("BIG2")]
    assert row["Basis"].iloc[0].startswith("229,09 per 1000")
