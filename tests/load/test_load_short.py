"""The short version of `make load` (issue 16): provider sessions against gunicorn on PostgreSQL
while two RQ workers aggregate a month; no request fails, every session's report is stored once
and whole, and the month is invoiced exactly once per contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SESSIONS = 6
CONTRACTS = 12


def test_sessions_and_a_month_together_lose_nothing_and_fail_nothing():
    answer = subprocess.run(
        [sys.executable, "-m", "benchmarks.load", "--json", "--users", str(SESSIONS)]
        + ["--seconds", "15", "--contracts", str(CONTRACTS), "--participants", "150"]
        + ["--web-workers", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert answer.returncode == 0, answer.stderr[-3000:]
    figures = json.loads(answer.stdout.strip().splitlines()[-1])
    assert figures["requests"] > SESSIONS * 3, figures
    assert figures["failures"] == 0, figures["failed"]
    # Each session sent its report on arrival: one stored report each, whole, none twice.
    assert figures["uploads_answered"] >= SESSIONS
    stored = figures["stored"]
    assert (stored["reports"], stored["twice"], stored["not_whole"]) == (SESSIONS, 0, 0)
    # Each answered upload is stored, and nothing is stored that was not sent.
    assert figures["accounted"]["answered_not_stored"] == 0
    assert figures["accounted"]["stored_not_sent"] == 0
    assert len(figures["uploads"]["sent"]) == SESSIONS
    month = figures["month"]
    assert month["seconds"] is not None, "the month did not finish"
    assert (month["invoiced"], month["invoiced_twice"]) == (CONTRACTS, 0)
    # The month was asked for once every session had sent its report, and the pages while it
    # ran are measured on their own.
    during = figures["during_month"]
    assert abs(during["seconds"] - month["seconds"]) < 0.01
    assert during["from_seconds"] >= figures["arrived"]["after_seconds"] - 1
    for kind in ("page: home", "page: invoices", "page: report", "upload: report"):
        assert figures["kinds"][kind]["requests"] > 0, kind
    # Every session arrived, and the browsing after is measured on its own, failing nothing.
    steady = figures["arrived"]
    assert steady["sessions"] == SESSIONS and steady["after_seconds"] < 15
    assert steady["kinds"]["page: home"]["requests"] > 0
    assert sum(kind["failures"] for kind in steady["kinds"].values()) == 0
