"""argon2id password hashes, worked out so that they cannot starve a threaded web process.

argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile) costs a fifth of a second of
CPU on two threads and 64 MiB. A synchronous web process hashes in the request, as it serves
one request at a time. A threaded one (deploy/gunicorn.conf.py, WEB_THREADS) calls
`hash_aside`: each hash then runs on a thread of its own at a lower CPU priority, so a burst of
logins (nine o'clock, or someone guessing passwords) slows the logins, not the pages its other
threads serve meanwhile, as argon2 lets go of the GIL; and two at a time per process, so a
flood of logins cannot take the machine's memory (the others wait their turn, using no CPU).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHING_NICE = 10
HASHING_AT_ONCE = 2
T = TypeVar("T")

_hasher = PasswordHasher()
_turns = threading.BoundedSemaphore(HASHING_AT_ONCE)
_aside = False


def hash_aside() -> None:
    """From now on this process hashes on threads of their own (a threaded web process)."""
    global _aside
    _aside = True


def _fresh_turns() -> None:
    # A process forked while another thread held a turn starts with all its turns.
    global _turns
    _turns = threading.BoundedSemaphore(HASHING_AT_ONCE)


os.register_at_fork(after_in_child=_fresh_turns)


def _lower_priority() -> None:
    """This thread (only: Linux's nice is per thread) at HASHING_NICE, never above where it was."""
    thread = threading.get_native_id()
    try:
        now = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, max(now, HASHING_NICE))
    except (AttributeError, OSError):  # no per-thread priority here: hash at the usual one
        pass


def _hashed(work: Callable[[], T]) -> T:
    """`work` (a hash or its check) here, or set aside: on a thread of its own at a lower
    priority, when a turn is free."""
    if not _aside:
        return work()
    # A fresh thread each time (tens of µs beside argon2's 100 ms): a thread's nice cannot be
    # raised back without privilege, and no pool's threads are carried across a fork.
    with (
        _turns,
        ThreadPoolExecutor(1, thread_name_prefix="argon2", initializer=_lower_priority) as pool,
    ):
        return pool.submit(work).result()


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hashed(lambda: _hasher.hash(password))


def matches(stored: str, password: str) -> bool:
    """Whether the password is the one `stored` is the hash of (False for a malformed hash)."""
    try:
        return _hashed(lambda: _hasher.verify(stored, password))
    except (VerificationError, InvalidHashError):
        return False
