"""Every page, headless (Streamlit's AppTest): no exception, and the figures a user must see."""

import html
import re

import pytest
from streamlit.testing.v1 import AppTest

from ks_ui.shell import PAGES
from tests.conftest import ROOT, obs, write_observations

PAGE_FILES = [path for path, _ in PAGES]


def open_page(page: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != PAGE_FILES[0]:
        at.switch_page(page).run()
    return at


def all_text(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error")
             for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for table in at.table:
        parts.append(table.value.to_string())
    return unescape("\n".join(str(p) for p in parts))


def unescape(text: str) -> str:
    """What a reader sees: the app escapes Markdown in data text with backslashes."""
    return html.unescape(re.sub(r"\\([^\w\s])", r"\1", text)).replace("\u2060", "").replace("\u00ad", "")


@pytest.mark.parametrize("bundle", ["echt", "voorbeeld"])
@pytest.mark.parametrize("page", PAGE_FILES)
def test_every_page_runs_on_both_bundles(page, bundle):
    at = open_page(page, bundel=bundle)
    assert not at.exception, at.exception
    banner = any("Voorbeelddata — fictief" in w.value and "verzonnen" in w.value for w in at.warning)
    assert banner == (bundle == "voorbeeld")
    if bundle == "voorbeeld":  # every table and chart carries the mark too
        marked = [m for m in at.markdown if unescape(m.value).endswith("— Voorbeelddata — fictief**")]
        assert len(marked) == len(at.table)
        for chart in at.get("plotly_chart"):
            assert "Voorbeelddata" in chart.proto.spec


def test_overview_shows_the_plan_figures():
    text = all_text(open_page(PAGE_FILES[0]))
    for figure in ["176,0 per 1000", "152,8 per 1000", "160,8 per 1000", "4,2 per 1000", "4,6 per 1000",
                   "4,7 per 1000"]:
        assert figure in text
    assert "Geen getal in de bron" in text  # start of care before 10 weeks
    assert "niet te beoordelen" in text and "waarde hoger dan Nederland" in text


def test_postcode_page_deep_link_shows_2986():
    at = open_page("pages/postcodegebieden.py", indicator="big2", gebied="2986")
    assert not at.exception
    text = all_text(at)
    assert "229,09 per 1000" in text and "194,81 per 1000" in text
    assert "2986 Drievliet/Crezeepolder ◀ gekozen" in text  # the chosen area is highlighted


def test_postcode_page_on_example_data_shows_funnel_and_hidden_areas():
    text = all_text(open_page("pages/postcodegebieden.py", bundel="voorbeeld"))
    assert "vaste blokken van 5 jaar" in text and "verborgen (minder dan 10" in text and "Trechterdiagram" in text
    # multiple testing, in one plain sentence: 1 - 0.95^n for the areas in the funnel
    assert re.search(r"bij \d gebieden ligt er door toeval alleen al met (2[0-9]|3[0-9])% kans minstens één", text)


def test_trends_page_with_one_real_period_says_so():
    text = all_text(open_page("pages/trends.py"))
    assert "één periode zonder meetjaar (gepubliceerd 2024)" in text and "voorbeelddata" in text
    assert "geen periode met een getoonde waarde" not in text


def test_trends_page_on_example_data_gives_trend_and_target():
    at = open_page("pages/trends.py", bundel="voorbeeld", indicator="big2")
    text = all_text(at)
    assert "Trend (vijf opeenvolgende jaren):" in text and "Doel van het plan:" in text and "95%-interval" in text
    assert len(at.get("plotly_chart")) == 1


def test_unknown_url_values_fall_back_with_a_notice():
    at = open_page(PAGE_FILES[0], indicator="onzin", gebied="0000", bundel="nee")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "'onzin' is geen geldige keuze" in warnings and "'0000'" in warnings and "'nee'" in warnings
    assert at.selectbox(key="indicator").value == "big2" and at.selectbox(key="gebied").value == "GM0597"
    assert len([w for w in at.sidebar.warning if "geen geldige keuze" in w.value]) == 1  # one notice, not three


def test_choices_a_page_does_not_use_are_disabled_with_the_reason():
    overview = open_page(PAGE_FILES[0])
    assert overview.selectbox(key="indicator").disabled and overview.selectbox(key="gebied").disabled
    assert "niet van toepassing" in overview.selectbox(key="indicator").help
    assert "Deze gegevens bevatten één gemeente" in overview.selectbox(key="gemeente").help
    # enabled on Trends: tests/test_browser.py chooses an indicator there (AppTest runs a page without app.py)


def test_related_page_lists_every_group():
    text = all_text(open_page("pages/gerelateerd.py"))
    # each value as precisely as the plan gives it: "12%" and "7%", not "12,0%"
    for figure in ["18,9%", "18,3%", "0,68%", "0,29%", "0,39%", "12%", "7%", "6%"]:
        assert figure in text
    for group in ["Fysieke en mentale gezondheid", "Gezinssituatie", "Werk en inkomen"]:
        assert group in text


def test_about_page_explains_methods_and_sources():
    text = all_text(open_page("pages/over_de_data.py"))
    assert "Wilson" in text and "Cochran" in text and "© ESRI Nederland" in text
    assert "Projectplan Kansrijke Start Ridderkerk" in text


def test_broken_data_gives_a_dutch_message_not_a_traceback(second_municipality):
    write_observations(second_municipality, "echt", [obs("big2", "GM9990", "5000")])
    at = open_page(PAGE_FILES[0])
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "fouten" in errors and "regel 2, kolom value" in errors


def test_followed_indicator_shows_a_change_never_a_target():
    text = all_text(open_page("pages/trends.py", bundel="voorbeeld", indicator="eenoudergezinnen"))
    assert "Verandering t.o.v. de basis (geen doel):" in text
    assert "Doel van het plan" not in text and "doel gehaald" not in text


def test_target_verdict_shows_its_margin():
    text = all_text(open_page("pages/trends.py", bundel="voorbeeld", indicator="big2"))
    assert "Marge: een stijging van hoogstens 10% van de basiswaarde telt als stabiel" in text
    assert "de coalitie stelt de marge vast" in text


def test_a_statement_of_the_plan_is_shown_as_a_statement_not_as_a_number():
    # the plan says only that Ridderkerk's single-parent share is "gelijk aan" the province's: no province figure
    at = open_page("pages/gerelateerd.py")
    family = next(t.value for t in at.table if "eenouder" in t.value.to_string().lower())
    row = family[family.index.str.lower().str.contains("eenouder")].iloc[0]
    assert row["Zuid-Holland"] == "gelijk aan provinciaal volgens het plan, geen getal"
    assert row["Ridderkerk"] == "8,4%"  # the plan's own figure for Ridderkerk stays a figure


def test_the_start_page_on_real_data_says_what_they_hold_and_offers_the_example():
    at = open_page(PAGE_FILES[0])
    text = all_text(at)
    assert "De echte cijfers van Ridderkerk zijn nog de waarden uit het plan" in text
    assert "perioden van Ridderkerk: 2019, gepubliceerd 2024 (jaren niet vermeld in de bron)" in text
    assert "2012–2021" not in text  # the Netherlands' years are not Ridderkerk's
    link = next(p for p in at.get("page_link") if "voorbeelddata" in p.proto.label)
    assert "bundel=voorbeeld" in str(link.proto)
    # a reason shared by both comparisons is said once, not twice per card
    assert text.count("bron geeft geen aantallen, dus geen betrouwbaarheidsinterval") <= 3


def test_postcode_table_puts_the_verdict_beside_the_value_and_says_hidden_briefly():
    at = open_page("pages/postcodegebieden.py", bundel="voorbeeld")
    table = next(t.value for t in at.table if "Waarde" in t.value.columns)
    columns = list(table.columns)
    assert columns.index([c for c in columns if c.startswith("Oordeel")][0]) == columns.index("Waarde") + 1
    hidden = table[table["Waarde"].astype(str).str.startswith("verborgen")]
    assert len(hidden) and (hidden["Waarde"].str.replace("\\", "") == "verborgen*").all()  # short in the cell …
    assert any(unescape(c.value).startswith("* verborgen (minder dan 10") for c in at.caption)  # … its reason once
