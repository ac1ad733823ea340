"""The options of every Redis connection the portal makes (issue 16): the queues' and the
counters' (Flask-Limiter's storage).

A Redis that does not answer (a dropped packet rather than a refused connection) would otherwise
hold a request until the operating system gives up, minutes later. Each connect and each reply
waits at most REDIS_TIMEOUT seconds, and a failed command is tried once more at once (a pooled
connection gone stale when Redis restarted), not three times with growing pauses as redis-py
does by default: a page that needs Redis is refused within a few seconds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from redis.backoff import NoBackoff
from redis.retry import Retry

DEFAULT_TIMEOUT = 2.0


def redis_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments for redis.Redis.from_url under this configuration."""
    timeout = float(config.get("REDIS_TIMEOUT") or DEFAULT_TIMEOUT)
    return {
        "socket_connect_timeout": timeout,
        "socket_timeout": timeout,
        "retry": Retry(NoBackoff(), 1),
    }
