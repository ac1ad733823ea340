"""Progressive delays on an account's wrong passwords: a delay, never a lock.

An account's first failures (LOGIN_LIMITS[0], "5 per day": five, remembered for a day) cost
nothing; after them each wrong password makes the next attempt wait 2^n seconds, n the number
of failures, at most LOGIN_DELAY_CAP seconds (15 minutes). During the wait every attempt, the
right password too, is answered 429 without being tried, so it does not count: failures from
elsewhere cannot stretch the wait beyond the cap, and once it is over the right password gets
in. The address's own limit (LOGIN_LIMITS[1]) is Flask-Limiter's, on the view.

The second factor's codes are counted the same way, under the same account and a `kind` of
their own ("code"), so a guessed code costs as a guessed password does.

The counters are the shared ones (provider_portal.counters): while Redis cannot be reached,
logging in keeps working and every failure still costs its delay in the process that saw it.
"""

from __future__ import annotations

import math
import time

from flask import current_app
from limits import parse
from limits.storage import Storage

from ..counters import forget, with_storage


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

    return with_storage(left)


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

    return with_storage(count)


def succeeded(email: str, kind: str = "login") -> None:
    """The right password (or code): the account's failures are forgotten."""

    forget(_failures_key(email, kind), _wait_key(email, kind))
