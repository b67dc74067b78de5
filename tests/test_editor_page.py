"""The page 'Gegevens bijwerken': nobody writes without signing in; the password is checked by its hash."""

from __future__ import annotations

import time

import pytest
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


@pytest.fixture
def guard():
    from ks_ui import auth

    auth.GUARD.reset()
    clock = {"now": 1000.0}
    auth.GUARD.clock = lambda: clock["now"]
    yield clock
    auth.GUARD.reset()
    auth.GUARD.clock = time.monotonic


def test_password_guessing_is_slowed_per_session_and_the_right_password_waits_too(guard):
    at = open_page({"editors": {"password_hash": hash_password(SECRET, iterations=1000)}})
    at.text_input(key="auth_name").input("Anna de Vries")
    for _ in range(4):  # after three failures the next attempt waits 2 s (then 4, 8, …); the fourth is not checked
        at.text_input(key="auth_password").input("fout wachtwoord")
        at.button[0].click().run()
    at.text_input(key="auth_password").input(SECRET)
    at.button[0].click().run()
    assert any("Te veel mislukte pogingen. Probeer het over 2 seconden opnieuw." in e.value for e in at.error)
    assert not at.get("file_uploader")  # the right password, refused while the session waits
    guard["now"] += 2.5  # after the wait it is checked again
    at.button[0].click().run()
    assert len(at.get("file_uploader")) == 2


def test_the_wait_doubles_and_counts_every_session_of_the_server():
    from ks_data.passwords import SignInGuard

    now = {"t": 0.0}
    g = SignInGuard(free=3, base=2.0, cap=300.0, server_free=20, window=900.0, clock=lambda: now["t"])
    for n in range(1, 8):
        g.failed("a")
        assert g.wait("a") == (0.0 if n < 3 else min(300.0, 2.0 * 2 ** (n - 3)))
    assert g.wait("b") == 0.0  # another session is not slowed by one guesser …
    for n in range(20):  # … until the server has seen many failures, from any number of sessions
        g.failed(f"s{n}")
    assert g.wait("new") > 0 and g.wait("new") == min(300.0, 2.0 * 2 ** (len(g._server) - 20))
    now["t"] += 901  # failures older than the window no longer count for the server
    assert g.wait("new") == 0.0
    g.succeeded("a")
    assert g.wait("a") == 0.0
