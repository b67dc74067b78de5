"""Hostile links and hostile data text in a real browser: shown as text, never as a link, image or markup.

One server on a copy of the data whose names, sources, notes and period labels carry Markdown
links, images, HTML and spreadsheet formulas; links with such values, and a 10,000-character
one, on top. No element may point outside, and no request may leave the server.
"""

from __future__ import annotations

import re
import shutil
from urllib.parse import quote

import pytest

from tests.browser_support import ARTIFACTS, chromium_path, streamlit_server, wait_idle, watched_page
from tests.conftest import DATA, HTML, IMAGE, LINK, hostile_copy

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser
if chromium_path() is None:
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

PAGES = ["", "trends", "postcodegebieden", "gerelateerd", "over_de_data"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    root = tmp_path_factory.mktemp("hostile") / "data"
    hostile_copy(root)
    with streamlit_server({"KS_DATA_DIR": str(root)}) as url, watched_page(url) as watched:
        yield watched


def injected(page) -> list[str]:
    """Elements that the hostile text would have created had it been rendered."""
    found = []
    for selector in ["a[href*='evil']", "img[src*='evil']", "b:text('vet')", "[src*='evil']", "[href*='evil']",
                     "a[href^='http']:not([href^='http://127.0.0.1'])"]:
        found += [selector] * page.locator(selector).count()
    return found


@pytest.mark.parametrize("bundle", ["voorbeeld", "echt"])
@pytest.mark.parametrize("path", PAGES)
def test_hostile_data_text_is_shown_as_text(hostile, path, bundle):
    url, page, outside = hostile
    page.goto(f"{url}/{path}?bundel={bundle}&gebied=2986&indicator=big2")
    wait_idle(page, "evil.example/m")  # the municipality's name, in every page's header
    name = path or "overzicht"
    page.screenshot(path=str(ARTIFACTS / f"hostile_{name}_{bundle}.png"), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0
    assert injected(page) == []
    body = page.inner_text("body").replace("\u2060", "")  # the invisible joiner that defuses autolinks
    assert "Ridderkerk [x](https://evil.example/m) <b>vet</b>" in body  # the text itself is there, literally
    assert "Traceback" not in body
    for plot in page.locator(".js-plotly-plot").all():  # Plotly's own text: escaped too
        assert plot.locator("a[href*='evil'], image[href*='evil']").count() == 0
    assert outside == []


@pytest.mark.parametrize("param,value", [("gebied", LINK), ("indicator", IMAGE), ("bundel", HTML),
                                         ("gemeente", "x" * 10_000)])
def test_hostile_links_give_one_short_escaped_notice(hostile, param, value):
    url, page, outside = hostile
    page.goto(f"{url}/trends?{param}={quote(value)}")
    wait_idle(page, "is geen geldige keuze")
    assert injected(page) == []
    notices = [n.replace("\u2060", "") for n in
               page.locator("[data-testid='stSidebar'] [data-testid='stAlert']").all_inner_texts()]
    mine = [n for n in notices if "is geen geldige keuze" in n]
    assert len(mine) == 1  # once, not also as a toast
    quoted = re.search(r"'(.*)' is geen geldige keuze", mine[0]).group(1)
    assert len(quoted) <= 41 and value.startswith(quoted.rstrip("…"))
    assert outside == []


def test_broken_data_file_gives_a_dutch_message_without_server_paths(hostile, tmp_path):
    root = tmp_path / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns(".cache", "nationaal"))
    (root / "bundles" / "echt" / "observations.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    (root / "indicators.csv").write_text("indicator_id,name\nbig2\n", encoding="utf-8")
    _, shared, _ = hostile
    with streamlit_server({"KS_DATA_DIR": str(root)}) as url:
        page = shared.context.browser.new_page()
        page.goto(url)
        page.get_by_text("kunnen niet worden geladen", exact=False).first.wait_for(timeout=60_000)
        body = page.inner_text("body")
        page.screenshot(path=str(ARTIFACTS / "broken_data.png"), full_page=True)
        page.close()
    assert "Traceback" not in body and str(root) not in body and "/work" not in body and ".py" not in body
