"""An editor in a real browser: sign in, upload a file, preview, confirm, see the new point, undo."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from ks_data.passwords import hash_password
from tests.browser_support import ARTIFACTS, CHROMIUM_ARGS, chromium_path, streamlit_server, wait_idle
from tests.conftest import DATA

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser
if chromium_path() is None:
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

SECRET = "een lang geheim wachtwoord"
NEW = """indicator_id;area_code;period_label;value;unit;numerator;denominator;source
big2;GM0597;2022;175,8;per 1000;80;455;testbestand (geen echte cijfers)
big2;GM0597;2024;171,1;per 1000;77;450;testbestand (geen echte cijfers)
big2;Nederland;2024;148,0;‰;;;testbestand (geen echte cijfers)
"""


@pytest.fixture(scope="module")
def editor_app(tmp_path_factory):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base = tmp_path_factory.mktemp("editor")
    root = base / "data"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns(".cache", "history", ".lock"))
    secrets = base / "secrets.toml"
    secrets.write_text(f'[editors]\npassword_hash = "{hash_password(SECRET, iterations=1000)}"\n')
    upload = base / "nieuw.csv"
    upload.write_text(NEW, encoding="utf-8")
    with streamlit_server({"KS_DATA_DIR": str(root), "STREAMLIT_SECRETS_FILES": str(secrets)}) as url, \
            playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 2000})
        yield url, page, root, upload
        browser.close()


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_editor_imports_sees_the_new_point_and_undoes(editor_app):
    url, page, root, upload = editor_app
    store = root / "bundles" / "echt" / "observations.csv"
    before = sha(store)
    page.goto(f"{url}/bijwerken?bundel=echt")
    wait_idle(page, "Wachtwoord voor redacteuren")
    page.get_by_label("Uw naam").fill("Anna de Vries")
    page.get_by_label("Wachtwoord voor redacteuren").fill(SECRET)
    page.get_by_role("button", name="Inloggen").click()
    wait_idle(page, "Ingelogd als Anna de Vries")
    page.get_by_role("region", name="Bestand in het tabelformaat").locator("input[type='file']") \
        .set_input_files(str(upload))
    page.get_by_role("button", name="Voorvertoning maken").click()
    wait_idle(page, "Voorvertoning:")
    assert "3 nieuw" in page.inner_text("body") and sha(store) == before  # the preview writes nothing
    page.screenshot(path=str(ARTIFACTS / "bijwerken_voorvertoning.png"), full_page=True)
    page.get_by_role("button", name="Bevestigen en opslaan").click()
    wait_idle(page, "Opgeslagen als wijziging 1")
    assert "Anna de Vries" in page.inner_text("body")  # the history says who
    assert sha(store) != before

    # within the same session (a reload would start a new one, signed out): the sidebar's page links
    page.get_by_role("link", name="Trends").click()
    wait_idle(page, "testbestand (geen echte cijfers)")
    body = page.inner_text("body")
    assert "171,1 per 1000" in body and "indicatief (geen aantallen)" in body  # the target verdict updated
    page.screenshot(path=str(ARTIFACTS / "trends_na_import.png"), full_page=True)

    page.get_by_role("link", name="Gegevens bijwerken").click()
    wait_idle(page, "Laatste wijziging terugdraaien")
    page.get_by_role("button", name="Laatste wijziging terugdraaien").click()
    wait_idle(page, "terug naar de stand vóór wijziging 1")
    assert sha(store) == before  # undo: the exact previous bytes
