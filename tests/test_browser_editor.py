"""An editor in a real browser: sign in, upload a file, preview, confirm, see the new point, undo."""

from __future__ import annotations

import hashlib
import re
import shutil

import pytest
from openpyxl import Workbook

from ks_data.passwords import hash_password
from tests.browser_support import ARTIFACTS, chromium_path, follow, streamlit_server, wait_idle, watched_page
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
    _portal_export(base)
    with streamlit_server({"KS_DATA_DIR": str(root), "STREAMLIT_SECRETS_FILES": str(secrets)}) as url, \
            watched_page(url, {"width": 1400, "height": 2000}) as (_, page, _outside):
        yield url, page, root, upload


def _portal_export(folder) -> None:
    """A wide Excel export as a portal gives it (title rows, a column per period, footnotes), with its mapping.

    A new year for the municipality and the Netherlands, and the postcode areas' newest 5-year block.
    The figures are made up and say so.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = "Export"
    sheet.append(["BIG2 per 1000 geboorten - TESTBESTAND, verzonnen cijfers"])
    sheet.append([])
    sheet.append(["Gebied", "2025", "2020-2024"])
    sheet.append(["Ridderkerk", "168,2", None])
    for number, pc in enumerate(range(2981, 2990), 1):
        sheet.append([pc, None, f"{150 + number},{number}"])
    sheet.append(["Nederland", 150.1, None])
    sheet.append([])
    sheet.append(["Bron: testbestand, geen echte cijfers"])
    book.save(folder / "portaal.xlsx")
    (folder / "portaal.toml").write_text('sheet = "Export"\narea_column = "Gebied"\nlayout = "periods"\n'
                                         'indicator = "big2"\nunit = "per 1000"\n'
                                         'source = "testexport portaal (verzonnen cijfers)"\n'
                                         'columns = ["2025", "2020-2024"]\n', encoding="utf-8")


def sign_in(page, url: str) -> None:
    page.goto(f"{url}/bijwerken?bundel=echt")
    wait_idle(page, "Wachtwoord voor redacteuren")
    page.get_by_label("Uw naam").fill("Anna de Vries")
    page.get_by_label("Wachtwoord voor redacteuren").fill(SECRET)
    page.get_by_role("button", name="Inloggen").click()
    wait_idle(page, "Ingelogd als Anna de Vries")


def preview(page, url: str, path) -> str:
    """Sign in, upload ``path`` as a tidy file, make the preview; returns the page's text."""
    sign_in(page, url)
    page.get_by_role("region", name="Bestand in het tabelformaat").locator("input[type='file']") \
        .set_input_files(str(path))
    page.get_by_role("button", name="Voorvertoning maken").click()
    wait_idle(page, "Voorvertoning:", timeout=180_000)  # a preview builds the published view: slow on a busy machine
    return page.inner_text("body")


def undo_last(page, number: str) -> None:
    """Undo from the editor page, confirmed, and wait for this undo's own history line (earlier undos have the
    same words with another number)."""
    follow(page, "Gegevens bijwerken", "bijwerken", "Laatste wijziging terugdraaien")
    page.get_by_role("button", name="Laatste wijziging terugdraaien").click()
    page.get_by_role("button", name="Ja, terugdraaien").click()
    wait_idle(page, f"terug naar de stand vóór wijziging {number}")


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_editor_imports_sees_the_new_point_and_undoes(editor_app):
    url, page, root, upload = editor_app
    store = root / "bundles" / "echt" / "observations.csv"
    before = sha(store)
    body = preview(page, url, upload)
    assert "3 nieuw" in body and sha(store) == before  # the preview writes nothing
    assert "171,1" in body and "171.1" not in body and "per1000" not in body  # Dutch, as a reader writes it
    page.screenshot(path=str(ARTIFACTS / "bijwerken_voorvertoning.png"), full_page=True)
    page.get_by_role("button", name="Bevestigen en opslaan").click()
    wait_idle(page, "Opgeslagen als wijziging 1")
    assert "Anna de Vries" in page.inner_text("body")  # the history says who
    assert sha(store) != before

    # within the same session (a reload would start a new one, signed out): the sidebar's page links
    follow(page, "Trends", "trends", "testbestand (geen echte cijfers)")
    body = page.inner_text("body")
    assert "171,1 per 1000" in body and "indicatief (geen aantallen)" in body  # the target verdict updated
    page.screenshot(path=str(ARTIFACTS / "trends_na_import.png"), full_page=True)

    follow(page, "Gegevens bijwerken", "bijwerken", "Laatste wijziging terugdraaien")
    assert "(UTC)" not in page.inner_text("body") and re.search(r"\d{1,2} (januari|februari|maart|april|mei|juni|"
                                                             r"juli|augustus|september|oktober|november|december) "
                                                             r"\d{4}, \d\d:\u2060?\d\d", page.inner_text("body"))  # (word joiner)
    page.get_by_role("button", name="Laatste wijziging terugdraaien").click()
    wait_idle(page, "terugdraaien? De gegevens gaan terug")  # asked first: nothing undone yet
    assert sha(store) != before
    page.get_by_role("button", name="Ja, terugdraaien").click()
    wait_idle(page, "terug naar de stand vóór wijziging 1")
    assert "Teruggedraaid: terug naar de stand vóór wijziging 1" in page.inner_text("body")  # said, once it is done
    assert sha(store) == before  # undo: the exact previous bytes


def test_editor_imports_a_portal_excel_with_postcode_areas(editor_app):
    url, page, root, upload = editor_app
    store = root / "bundles" / "echt" / "observations.csv"
    before = sha(store)
    sign_in(page, url)  # a fresh session: signing in again is what a returning user does
    page.get_by_role("region", name="Bestand in het tabelformaat").locator("input[type='file']") \
        .set_input_files(str(upload.parent / "portaal.xlsx"))
    # the server has the file before the next upload: two uploads in one rerun could lose the second
    wait_idle(page, "Bestand ontvangen: portaal.xlsx")
    page.get_by_role("region", name="Koppelbestand voor een brede export").locator("input[type='file']") \
        .set_input_files(str(upload.parent / "portaal.toml"))
    wait_idle(page, "Koppelbestand ontvangen: portaal.toml")  # the server has the mapping before the click
    page.get_by_role("button", name="Voorvertoning maken").click()
    wait_idle(page, "Voorvertoning:", timeout=180_000)  # a preview builds the published view: slow on a busy machine
    body = page.inner_text("body")
    assert "11 nieuw" in body and "2989" in body and sha(store) == before
    page.screenshot(path=str(ARTIFACTS / "bijwerken_portaal_voorvertoning.png"), full_page=True)
    page.get_by_role("button", name="Bevestigen en opslaan").click()
    wait_idle(page, "Opgeslagen als wijziging")
    number = re.search(r"Opgeslagen als wijziging (\d+)", page.inner_text("body")).group(1)

    follow(page, "Trends", "trends", "testexport portaal (verzonnen cijfers)")
    body = page.inner_text("body")
    assert "168,2 per 1000" in body and "indicatief (geen aantallen): waarde gedaald" in body
    follow(page, "Postcodegebieden", "postcodegebieden", "Meer dan toeval?")
    body = page.inner_text("body")
    assert "159,9 per 1000" in body  # 2989's block, read from the export
    page.screenshot(path=str(ARTIFACTS / "postcodes_na_portaal.png"), full_page=True)

    undo_last(page, number)
    assert sha(store) == before


def test_one_new_year_is_described_as_it_is_on_trends(editor_app):
    # the second walk's first finding: one imported year was drawn, while the box said "geen periode"
    url, page, root, upload = editor_app
    store = root / "bundles" / "echt" / "observations.csv"
    before = sha(store)
    one = upload.parent / "een_jaar.csv"
    one.write_text(NEW.splitlines()[0] + "\n" + NEW.splitlines()[2] + "\n", encoding="utf-8")
    preview(page, url, one)
    page.get_by_role("button", name="Bevestigen en opslaan").click()
    wait_idle(page, "Opgeslagen als wijziging")
    number = re.search(r"Opgeslagen als wijziging (\d+)", page.inner_text("body")).group(1)
    follow(page, "Trends", "trends", "testbestand (geen echte cijfers)")
    body = page.inner_text("body")
    assert "geen periode met een getoonde waarde" not in body
    assert "één periode met een meetjaar (2024)" in body and "gepubliceerd 2024" in body
    page.screenshot(path=str(ARTIFACTS / "trends_een_jaar.png"), full_page=True)
    undo_last(page, number)
    assert sha(store) == before


def test_a_file_with_refused_rows_says_how_many_are_skipped(editor_app):
    url, page, root, upload = editor_app
    store = root / "bundles" / "echt" / "observations.csv"
    before = sha(store)
    mixed = upload.parent / "deels_fout.csv"
    mixed.write_text(NEW.splitlines()[0] + "\n" + NEW.splitlines()[2] + "\nbig2;Nergenshuizen;2024;1;per 1000;;;x\n",
                     encoding="utf-8")
    body = preview(page, url, mixed)
    assert "Geweigerd: 1 regel(s)." in body and "alleen de 1 nieuwe en gewijzigde rijen" in body
    assert sha(store) == before
