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
