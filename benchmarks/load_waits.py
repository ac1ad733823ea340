"""What the database's backends wait on during `make load --watch` (issue 16): a sampler of
pg_stat_activity and pg_locks, several times a second, in a thread of the load tool.

Each process of the run names itself (`application_name`: web, worker), so the samples tell a
web request's statement from an aggregation job's. The summary says, per kind of process, how
often an active statement was on the CPU (no wait event) or waiting, and on what; every lock
wait with the lock, the waiter's and the blocker's statement; and the web statements that ran
longest, so a slow upload can be told apart as CPU starvation, a lock wait or a slow plan.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

import psycopg

INTERVAL = 0.2  # seconds between samples
SLOW = 1.0  # a web statement running longer than this is kept for the summary

_ACTIVE = """
SELECT a.pid, a.application_name, a.state, coalesce(a.wait_event_type, 'CPU'),
       coalesce(a.wait_event, ''), extract(epoch FROM now() - a.query_start),
       left(regexp_replace(a.query, '\\s+', ' ', 'g'), 160), pg_blocking_pids(a.pid)
FROM pg_stat_activity a
WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()
"""
_LOCKS = """
SELECT l.locktype, coalesce(l.relation::regclass::text, ''), l.mode
FROM pg_locks l WHERE l.pid = %s AND NOT l.granted
"""


@dataclass
class Waits:
    """What the sampler saw: counts by (process kind, wait), lock waits, slow web statements."""

    samples: int = 0
    by_wait: Counter = field(default_factory=Counter)
    locks: Counter = field(default_factory=Counter)
    slow: dict = field(default_factory=dict)  # statement -> longest seconds seen

    def summary(self) -> list[str]:
        lines = [f"  database waits ({self.samples} samples, one each {INTERVAL} s):"]
        for kind in sorted({k for k, _w in self.by_wait}):
            total = sum(n for (k, _w), n in self.by_wait.items() if k == kind)
            seen = [(w, n) for (k, w), n in self.by_wait.most_common() if k == kind][:6]
            parts = ", ".join(f"{w} {n / total:.0%}" for w, n in seen)
            lines.append(f"    {kind}: {total} active statement samples: {parts}")
        if not self.locks:
            lines.append("    no web statement waited for a lock")
        for (lock, waiter, blocker), n in self.locks.most_common(8):
            lines.append(f"    lock wait x{n}: {lock}; waiting: {waiter}; blocked by: {blocker}")
        for statement, seconds in sorted(self.slow.items(), key=lambda s: -s[1])[:8]:
            lines.append(f"    web statement seen running {seconds:.1f} s: {statement}")
        return lines

    def as_dict(self) -> dict:
        return {
            "samples": self.samples,
            "by_wait": {f"{k} {w}": n for (k, w), n in self.by_wait.items()},
            "locks": [[*key, n] for key, n in self.locks.most_common()],
            "slow": self.slow,
        }


class Sampler(threading.Thread):
    """Samples until `stop()`; the figures are in `waits`."""

    def __init__(self, database_url: str) -> None:
        super().__init__(daemon=True)
        self.url = database_url
        self.waits = Waits()
        self._stopped = threading.Event()

    def stop(self) -> Waits:
        self._stopped.set()
        self.join(timeout=10)
        return self.waits

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True, application_name="sampler") as conn:
            while not self._stopped.wait(INTERVAL):
                self._sample(conn)

    def _sample(self, conn) -> None:
        waits = self.waits
        waits.samples += 1
        rows = conn.execute(_ACTIVE).fetchall()
        queries = {pid: (app, f"({state}) {query}") for pid, app, state, *_r, query, _b in rows}
        for pid, app, state, wait_type, wait, seconds, query, blockers in rows:
            if state != "active":
                continue
            kind = app or "other"
            waits.by_wait[(kind, f"{wait_type}:{wait}" if wait else wait_type)] += 1
            if kind == "web" and seconds is not None and seconds > SLOW:
                waits.slow[query] = max(waits.slow.get(query, 0.0), float(seconds))
            if kind == "web" and blockers:
                lock = "; ".join(
                    f"{t} {r} {m}".strip() for t, r, m in conn.execute(_LOCKS, (pid,)).fetchall()
                )
                for blocker in blockers:
                    who, what = queries.get(blocker, ("?", "?"))
                    waits.locks[(lock, f"{kind}: {query}", f"{who}: {what}")] += 1
