"""Start ``streamlit run app.py`` on a free localhost port and drive Debian's chromium with Playwright."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic", "--no-first-run", "--disable-dev-shm-usage"]


def chromium_path() -> str | None:
    for candidate in [os.environ.get("KS_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")]:
        if candidate and Path(candidate).exists():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


LOCAL = ("http://127.0.0.1", "http://localhost", "data:", "blob:", "about:", "ws://127.0.0.1")


def wait_healthy(url: str, timeout: float = 60) -> bool:
    """Poll Streamlit's health endpoint until it answers 200 (True) or ``timeout`` seconds pass."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False


@contextlib.contextmanager
def watched_page(url: str, viewport: dict | None = None):
    """A chromium page that records every request leaving localhost; yields (url, page, outside)."""
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=viewport or {"width": 1400, "height": 2400})
        outside: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(LOCAL) else outside.append(r.url))
        try:
            yield url, page, outside
        finally:
            browser.close()


def rss_mb(pid: int) -> float:
    """A process's resident memory in MB (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


@contextlib.contextmanager
def streamlit_server(env: dict | None = None, info: dict | None = None):
    """``streamlit run app.py`` on a free port; yields its URL (``info`` gets the server's ``pid``)."""
    port = free_port()
    log = open(ARTIFACTS / f"streamlit_{port}.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    if info is not None:
        info["pid"] = proc.pid
    try:
        if not wait_healthy(url):
            raise RuntimeError("streamlit did not start; see " + log.name)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_idle(page, text: str | None = None, timeout: float = 60_000) -> None:
    """Wait until the page shows what a test needs: a title (and ``text``), with no script run in progress.

    No fixed sleeps: a fresh server's first session reruns once (see ks_ui/shell.py), so "not
    running" alone can be seen between the two runs; the title, and the text asked for, cannot.
    """
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning'] h1", timeout=timeout)
    if text is not None:
        page.get_by_text(text, exact=False).first.wait_for(timeout=timeout)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
    # every element drawn: Streamlit shows a skeleton while an element's code (Plotly, tables, buttons) loads
    page.wait_for_function("() => !document.querySelector(\"[data-testid='stSkeleton']\")", timeout=timeout)
    # every chart drawn (Plotly renders after the script run ends)
    page.wait_for_function("() => [...document.querySelectorAll(\"[data-testid='stPlotlyChart']\")]"
                           ".every(c => c.querySelector('.main-svg'))", timeout=timeout)


def follow(page, link: str, path: str, shows: str, timeout: float = 60_000) -> None:
    """Click a navigation link and wait until the page at ``path`` shows ``shows``.

    The address is waited for first: right after the click the previous page is still there, idle,
    and may show the same text.
    """
    page.get_by_role("link", name=link).click()
    page.wait_for_url(re.compile(f"/{path}(\\?|$)"), timeout=timeout)
    wait_idle(page, shows, timeout)
