"""The users' paths in a real browser: Playwright driving Debian's chromium against ``streamlit run app.py``.

One server and one browser for the whole module. Screenshots land in tests/artifacts/ to look at. Every page
of both bundles at both widths (no exception, a title, Dutch only, axe-core, nothing outside localhost) is
opened once, in tests/test_browser_layout.py; this module follows deep links, choices and downloads.
"""

from __future__ import annotations

import openpyxl
import pytest

from tests.browser_support import ARTIFACTS, LOCAL, chromium_path, streamlit_server, wait_idle, watched_page

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser
if chromium_path() is None:
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser_page():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, watched_page(url) as watched:
        yield watched


def visit(browser_page, path: str, query: str = "", text: str | None = None):
    url, page, _ = browser_page
    page.goto(f"{url}/{path}{'?' + query if query else ''}")
    wait_idle(page, text)
    return page


def test_overview_shows_the_real_figures(browser_page):
    page = visit(browser_page, "", text="176,0 per 1000")
    body = page.inner_text("body")
    assert "176,0 per 1000" in body and "152,8 per 1000" in body and "160,8 per 1000" in body


def test_deep_link_opens_the_postcode_view(browser_page):
    page = visit(browser_page, "postcodegebieden", "indicator=big2&gebied=2986", text="2986 Drievliet/Crezeepolder ◀")
    body = page.inner_text("body")
    assert "229,09 per 1000" in body and "2986 Drievliet/Crezeepolder ◀ gekozen" in body
    assert "gebied=2986" in page.url
    page.screenshot(path=str(ARTIFACTS / "deeplink_postcode_2986.png"), full_page=True)


def test_deep_link_as_the_first_request_of_a_fresh_server(browser_page):
    # Streamlit serves a new server's first session in its legacy multipage mode; the link must still work.
    _, shared_page, outside = browser_page
    with streamlit_server() as url:
        page = shared_page.context.browser.new_page(viewport={"width": 1400, "height": 1600})
        page.on("request", lambda r: None if r.url.startswith(LOCAL) else outside.append(r.url))
        page.goto(f"{url}/postcodegebieden?indicator=big2&gebied=2987")
        wait_idle(page, "2987 Bolnes ◀ gekozen")
        body = page.inner_text("body")
        page.close()
    assert "2987 Bolnes ◀ gekozen" in body and "194,81 per 1000" in body
    assert "Page not found" not in body and "Traceback" not in body


def test_choosing_in_the_sidebar_updates_the_url(browser_page):
    page = visit(browser_page, "trends", "bundel=voorbeeld")
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").nth(2).click()
    page.get_by_role("option", name="Start zwangerschapsbegeleiding vóór 10 weken").click()
    page.wait_for_url("**indicator=start_zorg_voor_10wk**")
    wait_idle(page, "Trend: Start zwangerschapsbegeleiding")
    assert "indicator=start_zorg_voor_10wk" in page.url
    assert "Trend: Start zwangerschapsbegeleiding" in page.inner_text("h1").replace("\u00ad", "")


def test_unknown_url_value_gives_a_notice_not_a_traceback(browser_page):
    page = visit(browser_page, "trends", "indicator=bestaat_niet", text="is geen geldige keuze")
    assert page.locator("[data-testid='stException']").count() == 0
    assert "'bestaat_niet' is geen geldige keuze" in page.inner_text("body")


def test_evaluation_downloads_each_export_and_the_report_opens_offline(browser_page, tmp_path):
    page = visit(browser_page, "evaluatie", "bundel=voorbeeld", text="Rapport (HTML")
    files = {}
    for label in ["Rapport (HTML, af te drukken als PDF)", "Tabellen (Excel)", "Evaluatietabel (CSV)"]:
        with page.expect_download() as info:
            page.get_by_role("button", name=label).click()
        download = info.value
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        files[target.suffix] = target
    assert set(files) == {".html", ".xlsx", ".csv"}
    assert all("voorbeelddata" in p.name for p in files.values())
    assert openpyxl.load_workbook(files[".xlsx"]).sheetnames[0] == "Evaluatie"
    assert "Indicator-id" in files[".csv"].read_text(encoding="utf-8-sig").splitlines()[0]

    # the report, opened from disk with every request that is not the file itself refused
    report = page.context.browser.new_page()
    asked: list[str] = []
    report.route("**/*", lambda route: (asked.append(route.request.url), route.abort())
                 if not route.request.url.startswith("file://") else route.continue_())
    report.goto(files[".html"].as_uri())
    report.get_by_text("In één oogopslag").first.wait_for()
    assert report.locator("svg").count() >= 2 and "Voorbeelddata — fictief" in report.inner_text("body")
    report.screenshot(path=str(ARTIFACTS / "rapport_voorbeeld.png"), full_page=True)
    report.close()
    assert asked == []


def test_no_request_left_localhost(browser_page):
    # the map with a hover on it (tests/test_browser_layout.py watches every page of both bundles at both widths);
    # plus all that this module loaded before
    page = visit(browser_page, "postcodegebieden", "bundel=voorbeeld&indicator=big2", text="Meer dan toeval?")
    page.locator("[data-testid='stPlotlyChart']").first.hover()
    page.mouse.move(700, 700)
    _, _, outside = browser_page
    assert outside == []


def test_hidden_periods_are_no_zero_and_a_hidden_baseline_is_said(browser_page):
    # perinatal mortality on the example: hidden periods were drawn as ✕ on the zero line, and the chart had no
    # baseline or target zone without saying why
    page = visit(browser_page, "trends", "bundel=voorbeeld&indicator=perinatale_sterfte", text="Trend:")
    legend = page.locator(".legendtext").all_text_contents()  # SVG text: no innerText
    assert any(t.startswith("basiswaarde (") and "geen doelzone" in t for t in legend), legend
    # open places are shaded columns named in the legend, not marks at 0
    assert any(t.startswith("open plek: ") and "verborgen" in t for t in legend), legend
    assert "open plek in de lijn" not in legend
    page.screenshot(path=str(ARTIFACTS / "trends_sterfte_voorbeeld.png"), full_page=True)


def test_the_evaluation_baseline_choice_names_what_these_data_hold(browser_page):
    # the example bundle has no "gepubliceerd 2024" (a label of the real data): the default must not say it
    page = visit(browser_page, "evaluatie", "bundel=voorbeeld", text="Basis")
    chosen = page.locator("[data-testid='stSelectbox']").filter(has_text="Basis").locator("input").input_value()
    assert chosen == "per indicator de laatste periode vóór 2024"
    page = visit(browser_page, "evaluatie", "bundel=echt", text="Basis")
    chosen = page.locator("[data-testid='stSelectbox']").filter(has_text="Basis").locator("input").input_value()
    assert chosen == "gepubliceerd 2024 (basis uit het plan)"


def test_a_coalition_opens_from_its_link_with_members_and_region(browser_page):
    page = visit(browser_page, "postcodegebieden", "coalitie=bommelerwaard&bundel=voorbeeld",
                 text="Oordeel t.o.v. Bommelerwaard")
    body = page.inner_text("body")
    assert "Coalitie Bommelerwaard" in body and "Maasdriel" in body and "Zaltbommel" in body
    assert "gemeente=bommelerwaard" in page.url  # the address now names the coalition as the choice
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "coalitie_bommelerwaard_gemeenten.png"), full_page=True)
    page = visit(browser_page, "trends", "bundel=voorbeeld&gemeente=GM0597", text="GGD-regio Rotterdam-Rijnmond")
    assert "de regio (GGD-regio Rotterdam-Rijnmond)" in page.inner_text("body")
    page.screenshot(path=str(ARTIFACTS / "trends_ridderkerk_regio.png"), full_page=True)
