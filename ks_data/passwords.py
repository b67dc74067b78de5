"""The editor password: only its PBKDF2 hash is stored, it is checked in constant time, and guessing is limited."""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
import time
from collections import deque

ITERATIONS = 600_000
MIN_LENGTH = 12


def hash_password(password: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """``pbkdf2_sha256$iterations$salt$hash`` for ``.streamlit/secrets.toml``."""
    salt = os.urandom(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    """True if ``password`` matches the stored hash; constant-time, False for a malformed hash."""
    try:
        scheme, iterations, salt, _ = stored.split("$")
        if scheme != "pbkdf2_sha256":
            return False
        candidate = hash_password(password, bytes.fromhex(salt), int(iterations))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate.encode(), stored.encode())


class SignInGuard:
    """Limits password guessing: per session and per server, with a delay that doubles with every failure.

    A session gets ``free`` failed attempts, then must wait ``base`` × 2^(failures − free) seconds (at most
    ``cap``) after its last failure before the next attempt is even checked — the right password included.
    Across all sessions, more than ``server_free`` failures within ``window`` seconds make every session wait
    in the same way, so opening new sessions does not help. Thread-safe: one guard serves the whole server.
    """

    def __init__(self, free: int = 3, base: float = 2.0, cap: float = 300.0, server_free: int = 20,
                 window: float = 900.0, clock=time.monotonic):
        self.free, self.base, self.cap, self.server_free, self.window = free, base, cap, server_free, window
        self.clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, tuple[int, float]] = {}  # key → (failures, time of the last one)
        self._server: deque[float] = deque()  # times of recent failures of every session

    def _delay(self, failures: int, free: int) -> float:
        return 0.0 if failures < free else min(self.cap, self.base * 2 ** (failures - free))

    def wait(self, key: str) -> float:
        """Seconds before ``key`` may try again (0: now)."""
        with self._lock:
            now = self.clock()
            while self._server and self._server[0] < now - self.window:
                self._server.popleft()
            failures, last = self._sessions.get(key, (0, now))
            own = last + self._delay(failures, self.free) - now
            everyone = (self._server[-1] + self._delay(len(self._server), self.server_free) - now
                        if self._server else 0.0)
            return max(0.0, own, everyone)

    def failed(self, key: str) -> int:
        """Record a failed attempt; returns the session's number of failures."""
        with self._lock:
            now = self.clock()
            failures = self._sessions.get(key, (0, now))[0] + 1
            self._sessions[key] = (failures, now)
            self._server.append(now)
            return failures

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._sessions.pop(key, None)

    def reset(self) -> None:
        with self._lock:
            self._sessions.clear()
            self._server.clear()
