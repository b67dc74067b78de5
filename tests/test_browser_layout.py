"""Every page at desktop (1400 px) and phone (390 px) width on both bundles, in a real browser.

No exception and a title on any of them (the example bundle says it is fictitious), Dutch only (visible text and
what screen readers hear), ``lang="nl"``, no axe-core violation of any impact, nothing wider than the screen, one
sign convention; every table download parses with numeric columns; the three users' tasks within three clicks.
One server and one browser for the module.
"""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from tests.browser_support import ARTIFACTS, CHROMIUM_ARGS, LOCAL, chromium_path, streamlit_server, wait_idle

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser
if chromium_path() is None:
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

PAGES = {"overzicht": "", "trends": "trends", "postcodegebieden": "postcodegebieden", "vergelijkbaar": "vergelijkbaar",
         "gerelateerd": "gerelateerd",
         "evaluatie": "evaluatie", "over_de_data": "over_de_data", "bijwerken": "bijwerken"}
WIDTHS = {"desktop": 1400, "telefoon": 390}
# Strings Streamlit and Plotly write in English by themselves (matched as whole words, case-sensitive)
ENGLISH = ["Skip to main content", "Download plot", "Zoom", "Pan", "Autoscale", "Reset axes", "Show/hide columns",
           "Download as CSV", "Search", "Fullscreen", "No results", "Page not found", "Running", "Help for",
           "Expand sidebar", "Collapse sidebar", "App pages", "Sidebar", "Dismiss", "Close", "Open", "Choose an option",
           "Browse files", "Drag and drop", "Clear", "Select", "Stop", "Rerun", "Main menu"]
ENGLISH_RE = re.compile(r"(?<![\w/])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w/])")

# Elements sticking out of the viewport that no ancestor clips (a table scrolling inside its box is fine).
SPILL = """() => {
  const W = document.documentElement.clientWidth, out = [];
  const clipped = (e) => { for (let a = e.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= W + 1) return true; }
    return false; };
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('svg') && e.tagName.toLowerCase() !== 'svg') continue;   // an SVG's inside is clipped by the SVG
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= 0) continue;                            // hidden, or the closed sidebar
    if ((r.right > W + 1 || r.left < -1) && !clipped(e))
      out.push((e.getAttribute('data-testid') || e.tagName) + ' ' + Math.round(r.left) + '–' + Math.round(r.right));
  }
  return out;
}"""
GLUED = r"^\s*[-−]?\d[\d.,]*\s?(?:per 1000|%)\s*$|[▲▼]"
HEARD = """() => [...document.querySelectorAll('[aria-label],[title],[placeholder],[data-title]')]
  .flatMap(e => ['aria-label', 'title', 'placeholder', 'data-title'].map(a => e.getAttribute(a)).filter(Boolean))"""


@pytest.fixture(scope="module")
def app():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        outside: list[str] = []
        tabs = {}
        for name, width in WIDTHS.items():
            tabs[name] = browser.new_page(viewport={"width": width, "height": 2400}, accept_downloads=True)
            tabs[name].on("request", lambda r: None if r.url.startswith(LOCAL) else outside.append(r.url))
        yield url, tabs, outside
        browser.close()


SIDEBAR = {"": "Overzicht", "trends": "Trends", "postcodegebieden": "Postcodegebieden",
           "vergelijkbaar": "Vergelijkbare gemeenten", "gerelateerd": "Gerelateerde cijfers", "evaluatie": "Evaluatie",
           "over_de_data": "Over de data", "bijwerken": "Gegevens bijwerken"}


def open_page(app, device: str, path: str, query: str = ""):
    """The page at ``path`` with ``query``. On a desktop already showing another page of the same data, as a reader
    moves on: a click in the sidebar (the app is not loaded again; half the time of a fresh load, and the module's
    tests never change the sidebar's choices). A phone's sidebar covers the page once opened: there, and for any
    other data, the address is opened afresh."""
    url, tabs, _ = app
    page = tabs[device]
    here = urlsplit(page.url)
    bundle = parse_qs(query).get("bundel")
    current = here.path.strip("/")
    if (device == "desktop" and bundle and parse_qs(here.query).get("bundel") == bundle and current in SIDEBAR
            and path in SIDEBAR and path != current):
        title = page.inner_text("h1")
        page.get_by_role("link", name=SIDEBAR[path], exact=True).click()
        page.wait_for_url(re.compile(f"/{path}\\?"))
        # the page before stays on screen, idle, until the new run draws: wait for the new page's own title
        page.wait_for_function("t => document.querySelector('h1') && document.querySelector('h1').innerText !== t",
                               arg=title)
        wait_idle(page)
    else:
        page.goto(f"{url}/{path}{'?' + query if query else ''}")
        wait_idle(page)
    page.wait_for_function("() => document.documentElement.lang === 'nl'")
    return page


def visible_text(page) -> str:
    # icon ligatures ("keyboard_double_arrow_right") are aria-hidden pictures, not words
    text = page.inner_text("body")
    for icon in page.evaluate("() => [...document.querySelectorAll('[data-testid=stIconMaterial]')].map(e => e.innerText)"):
        text = text.replace(icon, "")
    return text


@pytest.mark.parametrize("name", list(PAGES))  # the page varies fastest: one bundle's pages follow each other
@pytest.mark.parametrize("device", list(WIDTHS))
@pytest.mark.parametrize("bundle", ["voorbeeld", "echt"])
def test_page_is_dutch_fits_the_screen_and_passes_axe(app, name, device, bundle):
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(app, device, PAGES[name], f"bundel={bundle}")
    page.screenshot(path=str(ARTIFACTS / f"{name}_{bundle}_{device}.png"), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0 and page.locator("h1").count() >= 1
    if bundle == "voorbeeld":
        assert page.get_by_text("Voorbeelddata — fictief.", exact=False).count() >= 1
    text = visible_text(page)
    assert ENGLISH_RE.findall(text) == []
    assert [h for h in page.evaluate(HEARD) if ENGLISH_RE.search(h)] == []
    assert page.evaluate(SPILL) == []
    # one convention: words and colour say better/worse, arrows only say higher/lower
    for line in text.splitlines():
        if re.search(r"[▲▼]", line):
            assert not re.search(r"\b(beter|slechter)\b", line), line
    # every violation in full; passed and inapplicable checks only counted (axe's resultTypes), a third of its time
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
                                       "resultTypes": ["violations"]})
    assert [(v["id"], v["impact"], v["help"]) for v in results.response["violations"]] == []


@pytest.mark.parametrize("device", list(WIDTHS))
def test_an_unknown_page_says_so_in_dutch(app, device):
    page = open_page(app, device, "bestaat_niet")
    page.get_by_text("Pagina niet gevonden").wait_for()
    assert ENGLISH_RE.findall(visible_text(page)) == []
    page.screenshot(path=str(ARTIFACTS / f"onbekende_pagina_{device}.png"))


@pytest.mark.parametrize("path", ["trends", "postcodegebieden", "gerelateerd", "evaluatie", "over_de_data"])
def test_every_table_download_parses_with_numeric_columns(app, path, tmp_path):
    page = open_page(app, "desktop", path, "bundel=voorbeeld")
    buttons = page.get_by_role("button", name=re.compile(r"Tabel downloaden \(CSV\)"))
    assert buttons.count() >= 1
    for i in range(buttons.count()):
        with page.expect_download() as info:
            buttons.nth(i).click()
        target = tmp_path / f"{i}_{info.value.suggested_filename}"
        info.value.save_as(target)
        assert "voorbeelddata" in target.name
        table = pd.read_csv(io.BytesIO(target.read_bytes()), sep=";", decimal=",", encoding="utf-8-sig")
        # figures carry their period and source; the plan's own tables carry their source (the plan)
        needed = {"Periode", "Bron"} if "Waarde" in table or "Waarde Nederland" in table else {"Bron"}
        assert needed <= set(table.columns), (target.name, list(table.columns))
        for column in ["Waarde", "95%-ondergrens", "95%-bovengrens", "Teller", "Noemer"]:
            if column in table and table[column].notna().any():
                assert table[column].dtype.kind in "if", (target.name, column)
        # no cell that is a number glued to its unit ("178,2 per 1000", "18,9%"), no arrows
        cells = table.astype(str)
        assert not cells.apply(lambda c: c.str.contains(GLUED)).any().any(), target.name


def _task_link(page, label: str, path: str, shows: str, clicks: list[str]):
    """Follow one of the start page's task links: one click, on a desktop and on a phone alike.

    Waits for the new page's address and for a text only that page shows: right after the click the
    start page is still there, idle, and would pass for the new one.
    """
    page.get_by_role("link", name=re.compile(label)).click()
    clicks.append(label)
    page.wait_for_url(re.compile(f"/{path}"))
    wait_idle(page, shows)


@pytest.mark.parametrize("device", list(WIDTHS))
def test_the_three_tasks_take_at_most_three_clicks(app, device, tmp_path):
    # 1. coalition: how is BIG2 moving against NL, the province and the target
    page = open_page(app, device, "")
    clicks: list[str] = []
    _task_link(page, "Trend van Vroeggeboorte", "trends", "Doel van het plan", clicks)
    body = page.inner_text("body")
    assert "Trend:" in body and "Nederland" in body and "Zuid-Holland" in body and "Doel van het plan" in body
    assert len(clicks) <= 3
    page.screenshot(path=str(ARTIFACTS / f"taak1_big2_trend_{device}.png"), full_page=True)

    # 2. council: which postcode areas are high, and is it more than chance
    page = open_page(app, device, "")
    clicks = []
    _task_link(page, "Welke postcodegebieden", "postcodegebieden", "Meer dan toeval?", clicks)
    body = page.inner_text("body")
    assert "Meer dan toeval?" in body and "per postcodegebied, hoogste eerst" in body and len(clicks) <= 3
    page.screenshot(path=str(ARTIFACTS / f"taak2_postcodegebieden_{device}.png"), full_page=True)

    # 3. evaluator: baseline against latest per indicator, downloaded
    page = open_page(app, device, "")
    clicks = []
    _task_link(page, "Basis tegenover laatste", "evaluatie", "Evaluatietabel (CSV)", clicks)
    with page.expect_download() as info:
        page.get_by_role("button", name="Evaluatietabel (CSV)").click()
    clicks.append("Evaluatietabel (CSV)")
    info.value.save_as(tmp_path / "evaluatie.csv")
    header = (tmp_path / "evaluatie.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "Basis" in header and "Laatste" in header and len(clicks) <= 3
    page.screenshot(path=str(ARTIFACTS / f"taak3_evaluatie_{device}.png"), full_page=True)


def test_no_request_left_localhost(app):
    assert app[2] == []


@pytest.mark.parametrize("bundle", ["echt", "voorbeeld"])
def test_a_phone_sees_a_figure_on_its_first_screen(app, bundle):
    """The start page on a 390 × 844 phone: the first core figure's value lies within the first screen."""
    page = open_page(app, "telefoon", "", f"bundel={bundle}")
    value = page.locator("[data-testid='stMetricValue']").first
    value.wait_for()
    box = value.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box
