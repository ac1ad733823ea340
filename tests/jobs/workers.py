"""Killing a real worker process the hard way, for the fault tests.

Start and stop workers with `tests.jobs.test_worker.start_worker` / `stop_worker`.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path


def children(pid: int) -> list[int]:
    """The direct child processes of a process (the worker's work horse)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def kill_worker(process: subprocess.Popen) -> None:
    """SIGKILL the worker and its work horse, which RQ moves to a process group of its own."""
    horses = children(process.pid)
    os.killpg(process.pid, signal.SIGKILL)
    for horse in horses:
        try:
            os.killpg(horse, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()
    process.log.close()
