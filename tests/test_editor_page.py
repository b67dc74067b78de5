"""The page 'Gegevens bijwerken': nobody writes without signing in; the password is checked by its hash."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from ks_data.passwords import check_password, hash_password
from tests.conftest import ROOT

PAGE = "pages/bijwerken.py"
SECRET = "een lang geheim wachtwoord"


def open_page(secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.run()
    at.switch_page(PAGE).run()
    return at


def test_password_hash_round_trip_and_constant_time_check():
    stored = hash_password(SECRET, iterations=1000)
    assert stored.startswith("pbkdf2_sha256$1000$") and SECRET not in stored
    assert check_password(SECRET, stored) and not check_password(SECRET + "x", stored)
    assert not check_password(SECRET, "plain-text") and not check_password(SECRET, "md5$1$00$00")


def test_without_a_sign_in_method_the_page_accepts_nothing():
    at = open_page()
    assert not at.exception
    info = " ".join(i.value for i in at.info)
    assert "uitgeschakeld" in info and "ks-data import" in info
    assert not at.get("file_uploader") and not [b for b in at.button if "terugdraaien" in b.label]
    assert not [b for b in at.button if "Verversen" in b.label]


def test_wrong_password_is_refused_and_the_right_one_signs_in():
    at = open_page({"editors": {"password_hash": hash_password(SECRET, iterations=1000)}})
    assert not at.get("file_uploader")
    at.text_input(key="auth_name").input("Anna de Vries")
    at.text_input(key="auth_password").input("fout wachtwoord")
    at.button[0].click().run()
    assert any("klopt niet" in e.value for e in at.error) and not at.get("file_uploader")
    at.text_input(key="auth_password").input(SECRET)
    at.button[0].click().run()
    assert not at.exception
    assert len(at.get("file_uploader")) == 2  # the file, and optionally its mapping
    assert any("Ingelogd als Anna de Vries" in c.value for c in at.caption)
    labels = [b.label for b in at.button]
    assert "Verversen (voorvertoning)" in labels  # open-data refresh, for editors only
