"""Who may change the data: reading needs no account, writing needs a signed-in editor.

Two ways, chosen by ``.streamlit/secrets.toml`` (never in git):

- an identity provider (Streamlit's built-in OpenID Connect: an ``[auth]`` section) → ``st.login``,
  and the editor is ``st.user``'s e-mail or name; optionally limited by ``[editors] emails = [...]``;
- otherwise an editor password whose *hash* is stored (``[editors] password_hash``, made with
  ``ks-data hash-password``), compared in constant time; the editor gives a name, which every
  change records.

With neither, :func:`editor` returns None and the page only explains the command line.
"""

from __future__ import annotations

import logging
import math
import os

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ks_data import SignInGuard, check_password
from ks_ui.safe import md

log = logging.getLogger("ks_monitor")
GUARD = SignInGuard()  # one per server process: every session's failed attempts count


def _session_key() -> str:
    """This browser session's id (a new tab is a new session; the server-wide limit covers that)."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else st.session_state.setdefault("_auth_key", os.urandom(8).hex())


def _secrets() -> dict:
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except Exception:  # noqa: BLE001 — no secrets file at all: nobody may write
        return {}


def mode() -> str:
    """'oidc', 'password' or 'none'."""
    secrets = _secrets()
    if "auth" in secrets:
        return "oidc"
    if str(secrets.get("editors", {}).get("password_hash", "")).startswith("pbkdf2_sha256$"):
        return "password"
    return "none"


def editor() -> str | None:
    """The signed-in editor's name, rendering the sign-in form where needed; None if not signed in."""
    how = mode()
    if how == "oidc":
        if not st.user.is_logged_in:
            st.button("Inloggen als redacteur", on_click=st.login, key="auth_login")
            return None
        who = str(st.user.get("email") or st.user.get("name") or "redacteur")
        allowed = _secrets().get("editors", {}).get("emails")
        if allowed and who not in allowed:
            st.error(f"{md(who)} mag de gegevens niet wijzigen. Vraag de beheerder om toegang.")
            return None
        st.caption(f"Ingelogd als {md(who)}.")
        st.button("Uitloggen", on_click=st.logout, key="auth_logout")
        return who
    if how == "password":
        if st.session_state.get("auth_editor"):
            st.caption(f"Ingelogd als {md(st.session_state['auth_editor'])}.")
            if st.button("Uitloggen", key="auth_logout"):
                del st.session_state["auth_editor"]
                st.rerun()
            return st.session_state["auth_editor"]
        with st.form("auth_form"):
            name = st.text_input("Uw naam (wordt bij elke wijziging vastgelegd)", key="auth_name")
            password = st.text_input("Wachtwoord voor redacteuren", type="password", key="auth_password")
            sent = st.form_submit_button("Inloggen")
        if sent:
            key = _session_key()
            wait = GUARD.wait(key)
            if wait > 0:  # not even checked: the right password waits too
                log.warning("editor sign-in refused while waiting (session %s, %.0f s left)", key[:8], wait)
                st.error(f"Te veel mislukte pogingen. Probeer het over {math.ceil(wait)} seconden opnieuw.")
                return None
            stored = str(_secrets()["editors"]["password_hash"])
            if name.strip() and check_password(password, stored):
                GUARD.succeeded(key)
                st.session_state["auth_editor"] = name.strip()[:80]
                log.info("editor signed in: %s", name.strip()[:80])
                st.rerun()
            failures = GUARD.failed(key)  # logged without the password
            log.warning("editor sign-in failed (session %s, name %r): %d failed in this session", key[:8],
                        name.strip()[:80], failures)
            st.error("Naam ontbreekt of het wachtwoord klopt niet.")
        return None
    st.info("Het wijzigen van gegevens is hier uitgeschakeld: er is geen inlogmethode ingesteld. Een beheerder kan "
            "gegevens bijwerken met de opdrachtregel (`ks-data import BESTAND`, `ks-data history`, "
            "`ks-data undo`), of een wachtwoord voor redacteuren instellen: zet de uitvoer van "
            "`ks-data hash-password` in `.streamlit/secrets.toml` onder `[editors] password_hash`.")
    return None
