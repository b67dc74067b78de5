"""The evaluation page, headless: the table, the summary, the plan and the three downloads."""

from __future__ import annotations

from tests.test_pages import all_text, open_page

PAGE = "pages/evaluatie.py"


def test_real_data_says_plainly_that_no_period_within_the_plan_exists_yet():
    at = open_page(PAGE, bundel="echt")
    assert not at.exception, at.exception
    text = all_text(at)
    assert "nog geen periode geheel binnen de looptijd van het plan" in text
    # when effects can show: never within this plan for 5-year mortality
    assert "vijfjaarsperiode zonder jaren van vóór het plan is 2024–2028, na het einde van het plan" in text
    assert "Werkwijze en samenwerking tussen medisch en sociaal domein" in text  # the plan beside the figures
    assert "niet geregistreerd" in text and "nog geen registraties" in text
    labels = [b.label for b in at.get("download_button")]
    assert {"Rapport (HTML, af te drukken als PDF)", "Tabellen (Excel)", "Evaluatietabel (CSV)"} <= set(labels)


def test_example_data_gives_verdicts_and_filters_by_group():
    at = open_page(PAGE, bundel="voorbeeld")
    text = all_text(at)
    assert "niet aantoonbaar veranderd ten opzichte van de uitgangssituatie" in text
    assert "95%-interval" in text and "Doel: onzeker" in text
    at.multiselect(key="eval_groups").select("werk en inkomen").run()
    assert not at.exception
    text = all_text(at)
    assert "Kinderen die opgroeien in een uitkeringsgezin" in text and "Vroeggeboorte" not in text.split("Evaluatietabel")[1]


def test_one_table_with_values_and_verdicts_and_postcode_areas_on_request():
    at = open_page(PAGE, bundel="voorbeeld")
    tables = [t.value for t in at.table if "Oordeel doel" in t.value.columns or "Oordeel doel" == t.value.index.name]
    assert len(tables) == 1  # values and verdicts side by side, one row per indicator and area
    table = tables[0].reset_index()
    assert {"Basis", "Laatste", "Oordeel doel", "T.o.v. Nederland"} <= set(table.columns)
    assert any(str(c).startswith("Verandering") for c in table.columns)
    assert not table["Gebied"].astype(str).str.match(r"^(Postcode )?\d{4}").any()  # postcode areas: on request
    at.checkbox(key="eval_pc").check().run()
    table = next(t.value for t in at.table if "Oordeel doel" in t.value.columns).reset_index()
    assert table["Gebied"].astype(str).str.contains(r"\d{4}").any()
    # a comparison made for another period than the "latest" column names it
    late = table[table["Laatste"] == "nog geen"]
    assert late.empty or late["T.o.v. Nederland"].str.contains(r"\(\d{4}").all()
