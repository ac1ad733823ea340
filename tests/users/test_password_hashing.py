"""Password hashing does not starve a threaded web process's pages (issue 16): set aside, argon2id
runs on a thread of its own at a lower CPU priority, two at a time per process, and its answers
are the same; a synchronous process hashes in the request, at the request's priority."""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

from contracts.services import passwords
from contracts.services.accounts import check_password
from contracts.services.passwords import HASHING_AT_ONCE, HASHING_NICE, hash_password

PASSWORD = "a-long-enough-password"  # nosec B105 # a test's own


def _priority() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


class _Watched:
    """argon2's hasher, noting each verification's CPU priority and how many ran at once."""

    def __init__(self, pause: float = 0.0):
        self.real, self.pause = passwords._hasher, pause
        self.priorities: list[int] = []
        self.running = self.most = 0
        self.lock = threading.Lock()

    def verify(self, stored: str, password: str) -> bool:
        with self.lock:
            self.priorities.append(_priority())
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            time.sleep(self.pause)
            return self.real.verify(stored, password)
        finally:
            with self.lock:
                self.running -= 1


def test_a_password_is_checked_at_a_lower_priority_and_the_request_keeps_its_own(monkeypatch):
    user = SimpleNamespace(password_hash=hash_password(PASSWORD), is_active=True)
    watched = _Watched()
    monkeypatch.setattr(passwords, "_hasher", watched)
    monkeypatch.setattr(passwords, "_aside", False)
    assert check_password(user, PASSWORD) is True
    assert watched.priorities == [_priority()]  # synchronous: in the request, as it is
    watched.priorities.clear()
    monkeypatch.setattr(passwords, "_aside", True)
    own = _priority()
    assert check_password(user, PASSWORD) is True
    assert check_password(user, "not-the-password") is False
    assert check_password(None, PASSWORD) is False
    assert watched.priorities == [max(own, HASHING_NICE)] * 3
    assert _priority() == own


def test_at_most_two_passwords_are_hashed_at_once_in_a_process(monkeypatch):
    user = SimpleNamespace(password_hash=hash_password(PASSWORD), is_active=True)
    watched = _Watched(pause=0.1)
    monkeypatch.setattr(passwords, "_hasher", watched)
    monkeypatch.setattr(passwords, "_aside", True)
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: check_password(user, PASSWORD), range(6)))
    assert answers == [True] * 6
    assert watched.most == HASHING_AT_ONCE == 2
