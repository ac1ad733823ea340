"""Counters shared by every web process: the login delays (auth.throttle) and the API's
per-user limits (api.quotas) count here.

They live in Flask-Limiter's storage (Redis in production), never in the database. While that
storage cannot be reached they live in the process's memory instead, as Flask-Limiter's own
limits do then (extensions.limiter): what counts keeps working, in the process that saw it.
Counters kept so are forgotten when the process ends, and ones in Redis come back with it.
A storage that refuses (stopped) is tried again on every count, at no cost; one that did not
answer in time (REDIS_TIMEOUT) is left alone for a while, as each try would cost that long.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from limits import parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage
from limits.strategies import FixedWindowRateLimiter
from redis.exceptions import TimeoutError as RedisTimeoutError

from .extensions import limiter

log = logging.getLogger(__name__)
T = TypeVar("T")
# Where the counters go while the shared storage is out of reach (this process only).
_fallback = MemoryStorage()
# Seconds this process counts in memory, without trying, after the storage did not answer in
# time; which storage that was (another app's is tried at once) and until when.
QUIET_AFTER_TIMEOUT = 30.0
_quiet: tuple[Storage | None, float] = (None, 0.0)


def _timed_out(error: BaseException) -> bool:
    """Whether the storage failed by not answering (itself, or as the cause limits wrapped)."""
    for cause in (error, getattr(error, "storage_error", None), error.__cause__):
        if isinstance(cause, (RedisTimeoutError, TimeoutError)):
            return True
    return False


def with_storage(use: Callable[[Storage], T]) -> T:
    """`use` on the shared storage, or on this process's memory while it cannot be reached."""
    global _quiet
    storage = limiter.storage
    if _quiet[0] is storage and time.monotonic() < _quiet[1]:
        return use(_fallback)
    unreachable = storage.base_exceptions
    if isinstance(unreachable, type):
        unreachable = (unreachable,)
    try:
        return use(storage)
    except (StorageError, *unreachable) as error:
        if _timed_out(error):
            _quiet = (storage, time.monotonic() + QUIET_AFTER_TIMEOUT)
        log.warning("counters kept in this process: their storage is out of reach (%s)", error)
        return use(_fallback)


def hit(limit: str, *identifiers: str) -> bool:
    """Count one hit against each of `limit`'s items (Flask-Limiter's notation) for the
    identifiers; False when one of them is used up."""
    items = parse_many(limit)
    return with_storage(
        lambda storage: all(
            [FixedWindowRateLimiter(storage).hit(item, *identifiers) for item in items]
        )
    )


def forget(*keys: str) -> None:
    """Clear the counters wherever they were kept: the shared storage and this process's."""

    def clear(storage: Storage) -> None:
        for key in keys:
            storage.clear(key)

    with_storage(clear)
    clear(_fallback)
