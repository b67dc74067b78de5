"""The national view in a real browser on a small national bundle, and twenty sessions at once.

Twenty tabs each open another municipality at the same time: none may show an error, and the
server may not grow by 100 MB or more for them (the bundle's table and the province decisions are
shared and loaded before; each municipality adds only its own small view).
"""

from __future__ import annotations

import re
import shutil

import pytest

from ks_data.sources.national_example import write_bundle
from ks_data.table.areas import load_areas
from tests.browser_support import ARTIFACTS, CHROMIUM_ARGS, chromium_path, rss_mb, streamlit_server, wait_idle
from tests.conftest import DATA

pytestmark = [pytest.mark.browser, pytest.mark.skipif(chromium_path() is None, reason="chromium is not installed")]
FRACTION = 0.07  # 24 municipalities: enough for twenty different ones
SESSIONS = 20


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    root = tmp_path_factory.mktemp("national_browser") / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns(".cache", "nationaal", "*.lock", "history"))
    write_bundle(root / "bundles" / "nationaal", FRACTION, root)
    areas = load_areas(root)
    import pandas as pd

    present = set(pd.read_csv(root / "bundles" / "nationaal" / "observations.csv", usecols=["area_code"],
                              dtype=str)["area_code"])
    codes = sorted(c for c in areas.index[areas["level"] == "gemeente"] if c in present)
    info: dict = {}
    with streamlit_server({"KS_DATA_DIR": str(root), "MALLOC_ARENA_MAX": "2"}, info) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield url, browser, codes, info["pid"], areas
        browser.close()


def test_the_national_page_opens_a_municipality_from_the_map_and_from_the_list(app):
    url, browser, codes, _, areas = app

    def national_page(device: str, width: int):
        page = browser.new_page(viewport={"width": width, "height": 2400})
        page.goto(f"{url}/landelijk?bundel=nationaal")
        wait_idle(page, "Alle gemeenten")
        assert page.get_by_text("Traceback").count() == 0
        page.screenshot(path=str(ARTIFACTS / f"landelijk_{device}.png"), full_page=True)
        return page

    national_page("telefoon", 390).close()
    page = national_page("desktop", 1400)
    # a click on a municipality's dot on the map opens its pages
    dot = page.locator("[data-testid='stPlotlyChart']").first.locator(".scatterlayer .trace").last.locator("path.point")
    dot.first.click(force=True)
    page.wait_for_url(re.compile(r"/(overzicht)?\?.*gemeente=GM"), timeout=60_000)  # the first page is "/"
    wait_idle(page, "Perinatale kerncijfers")
    chosen = re.search(r"gemeente=(GM\d{4})", page.url).group(1)
    assert chosen in codes and chosen != "GM0597"
    assert areas.at[chosen, "name"] in page.inner_text("h1").replace("\u00ad", "")
    # and the list below the table does the same, for keyboards and screen readers
    page.goto(f"{url}/landelijk?bundel=nationaal")
    wait_idle(page, "Alle gemeenten")
    target = codes[-1]
    page.get_by_label("Open de pagina's van gemeente").click()
    page.keyboard.type(areas.at[target, "name"])  # the list is long: typing narrows it, as a user would
    page.get_by_role("option", name=areas.at[target, "name"], exact=True).click()
    page.get_by_role("button", name="Pagina's openen").click()  # waits until enabled
    page.wait_for_url(re.compile(rf"/(overzicht)?\?.*gemeente={target}"), timeout=60_000)
    wait_idle(page, areas.at[target, "name"])
    page.close()


def test_twenty_sessions_on_different_municipalities_at_once(app):
    url, browser, codes, pid, _ = app
    warm = browser.new_page()
    # what every session shares is loaded once: the bundle's table and every province's decisions (the national
    # view), and one municipality's pages
    warm.goto(f"{url}/landelijk?bundel=nationaal")
    wait_idle(warm, "Alle gemeenten")
    warm.goto(f"{url}/?bundel=nationaal&gemeente={codes[0]}")
    wait_idle(warm, "Perinatale kerncijfers")
    warm.close()
    before = rss_mb(pid)
    # twenty tabs of one browser window: each tab is a session of its own on the server (its own websocket), and
    # the tabs share the browser's cache of the app's scripts, as a second tab of a reader's own browser would
    # (twenty fresh browser profiles cost chromium a third more time and the server nothing more)
    context = browser.new_context(viewport={"width": 1200, "height": 1600})
    pages = [context.new_page() for _ in range(SESSIONS)]
    chosen = codes[1:SESSIONS + 1]
    for page, code in zip(pages, chosen):
        page.goto(f"{url}/?bundel=nationaal&gemeente={code}", wait_until="commit")  # all twenty load together
    for page, code in zip(pages, chosen):
        wait_idle(page, "Perinatale kerncijfers", timeout=180_000)
        assert f"gemeente={code}" in page.url
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.locator("[data-testid='stAlertContentError']").count() == 0
    after = rss_mb(pid)
    context.close()
    print(f"server memory: {before:.0f} MB before, {after:.0f} MB with {SESSIONS} sessions (+{after - before:.0f} MB)")
    assert after - before < 100, (before, after)
