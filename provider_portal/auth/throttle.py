"""Progressive delays on an account's wrong passwords: a delay, never a lock.

An account's first failures (LOGIN_LIMITS[0], "5 per day": five, remembered for a day) cost
nothing; after them each wrong password makes the next attempt wait 2^n seconds, n the number
of failures, at most LOGIN_DELAY_CAP seconds (15 minutes). During the wait every attempt, the
right password too, is answered 429 without being tried, so it does not count: failures from
elsewhere cannot stretch the wait beyond the cap, and once it is over the right password gets
in. The address's own limit (LOGIN_LIMITS[1]) is Flask-Limiter's, on the view.

The second factor's codes are counted the same way, under the same account and a `kind` of
their own ("code"), so a guessed code costs as a guessed password does.

The counters live in Flask-Limiter's storage (Redis in production), never in the database.
While that storage cannot be reached they live in the process's memory instead, as
Flask-Limiter's own limits do then (extensions.limiter): logging in keeps working and every
failure still costs its delay in the process that saw it. Counters kept so are forgotten when
the process ends, and ones in Redis come back with it.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from limits import parse, parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage
from limits.strategies import FixedWindowRateLimiter

from ..extensions import limiter

log = logging.getLogger(__name__)
T = TypeVar("T")
# Where the counters go while the shared storage is out of reach (this process only).
_fallback = MemoryStorage()


def _with_storage(use: Callable[[Storage], T]) -> T:
    """`use` on the shared storage, or on this process's memory while it cannot be reached."""
    storage = limiter.storage
    unreachable = storage.base_exceptions
    if isinstance(unreachable, type):
        unreachable = (unreachable,)
    try:
        return use(storage)
    except (StorageError, *unreachable) as error:
        log.warning(
            "login counters kept in this process: their storage is out of reach (%s)", error
        )
        return use(_fallback)


def hit(limit: str, *identifiers: str) -> bool:
    """Count one hit against each of `limit`'s items (Flask-Limiter's notation) for the
    identifiers; False when one of them is used up. Counted where the login counters are."""
    items = parse_many(limit)
    return _with_storage(
        lambda storage: all(
            [FixedWindowRateLimiter(storage).hit(item, *identifiers) for item in items]
        )
    )


def _account(email: str) -> str:
    return (email or "").strip().lower()


def _failures_key(email: str, kind: str) -> str:
    return f"{kind}-failures/" + _account(email)


def _wait_key(email: str, kind: str) -> str:
    return f"{kind}-wait/" + _account(email)


def seconds_to_wait(email: str, kind: str = "login") -> int:
    """How many seconds the account must wait before its password is tried again (0: none)."""
    key = _wait_key(email, kind)

    def left(storage: Storage) -> int:
        if not storage.get(key):
            return 0
        return max(1, math.ceil(storage.get_expiry(key) - time.time()))

    return _with_storage(left)


def failed(email: str, kind: str = "login") -> int:
    """Count a wrong password (or code) against the account; returns the wait it now has, in seconds."""
    free = parse(current_app.config["LOGIN_LIMITS"][0])
    cap = current_app.config["LOGIN_DELAY_CAP"]

    def count(storage: Storage) -> int:
        failures = storage.incr(_failures_key(email, kind), free.get_expiry())
        if failures < free.amount:
            return 0
        wait = min(2**failures, cap)
        storage.incr(_wait_key(email, kind), wait)
        return wait

    return _with_storage(count)


def succeeded(email: str, kind: str = "login") -> None:
    """The right password (or code): the account's failures are forgotten."""

    def forget(storage: Storage) -> None:
        storage.clear(_failures_key(email, kind))
        storage.clear(_wait_key(email, kind))

    _with_storage(forget)
    _fallback.clear(_failures_key(email, kind))
    _fallback.clear(_wait_key(email, kind))
