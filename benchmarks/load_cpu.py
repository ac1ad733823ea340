"""Where the machine's CPU went while `make load`'s sessions ran (issue 16): gunicorn, the
aggregation workers, PostgreSQL's backends by whom they serve (`application_name`: web, worker)
and its own processes, locust, which shares the machine, and everything else that ran on it.

With these, a slow page is told apart as our own code (gunicorn's share), the month's work
(the workers' and their backends' share), or the load tool itself.
"""

from __future__ import annotations

import os
import resource
import time

import psutil
import psycopg

_BACKENDS = """
SELECT pid, coalesce(nullif(application_name, ''), backend_type) FROM pg_stat_activity
WHERE pid <> pg_backend_pid()
"""


def _seconds(pid: int) -> float:
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system


def _machine_busy() -> float:
    """CPU seconds the whole machine spent on anything but idling (and waiting for disks)."""
    times = psutil.cpu_times()._asdict()
    busy = ("user", "nice", "system", "irq", "softirq", "steal")  # guest is counted in user
    return sum(times.get(name, 0.0) for name in busy)


def _children_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class CpuAccount:
    """CPU seconds per group of processes between `start()` and `stop()`. `groups` names the
    processes we started (each with its descendants); the database's are found by asking it;
    what is reaped in between (locust, run to its end) counts as `reaped`."""

    def __init__(self, database_url: str, groups: dict[str, list[int]]) -> None:
        self.url = database_url
        self.groups = groups

    def _owners(self) -> dict[int, str]:
        owners = {}
        for group, roots in self.groups.items():
            for root in roots:
                try:
                    process = psutil.Process(root)
                    family = [process, *process.children(recursive=True)]
                except psutil.Error:
                    continue
                owners.update({member.pid: group for member in family})
        with psycopg.connect(self.url, autocommit=True) as conn:
            for pid, name in conn.execute(_BACKENDS).fetchall():
                owners[pid] = f"database for {name}"
        return owners

    def _snapshot(self) -> dict[int, tuple[str, float]]:
        return {pid: (group, _seconds(pid)) for pid, group in self._owners().items()}

    def start(self) -> None:
        self._before = self._snapshot()
        self._reaped = _children_seconds()
        self._busy = _machine_busy()
        self._started = time.monotonic()

    def stop(self, reaped: str) -> dict:
        """Seconds of CPU per group, the seconds that passed and the cores there were."""
        used: dict[str, float] = {}
        for pid, (group, seconds) in self._snapshot().items():
            earlier = self._before.get(pid, (group, 0.0))[1]
            used[group] = used.get(group, 0.0) + max(seconds - earlier, 0.0)
        used[reaped] = _children_seconds() - self._reaped
        # Other people's processes on a shared machine (and the kernel) disturb the figures.
        used["everything else on the machine"] = max(
            _machine_busy() - self._busy - sum(used.values()), 0.0
        )
        return {
            "seconds": time.monotonic() - self._started,
            "cores": os.cpu_count() or 1,
            "used": dict(sorted(used.items(), key=lambda item: -item[1])),
        }


def summary(cpu: dict) -> list[str]:
    """One line: each group's CPU seconds and its share of what the machine had."""
    available = cpu["seconds"] * cpu["cores"]
    parts = ", ".join(
        f"{group} {seconds:.0f} s ({seconds / available:.0%})"
        for group, seconds in cpu["used"].items()
        if seconds >= 0.5
    )
    return [
        f"  CPU while the sessions ran ({cpu['seconds']:.0f} s x {cpu['cores']} cores = "
        f"{available:.0f} s): {parts}"
    ]
