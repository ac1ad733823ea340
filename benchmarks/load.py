"""`make load`: provider sessions against gunicorn on PostgreSQL while two RQ workers aggregate a
month (issue 16, DESIGN.md §16), all on 127.0.0.1 and bounded in time.

A throwaway PostgreSQL and Redis are started; the month 2019-01 of `--contracts` contracts of
`--participants` each is made by bulk insert (benchmarks.data), `--users` of those contracts'
providers get a coordinator; gunicorn serves the portal with `--web-workers` processes, two RQ
workers take the month's aggregation, and locust (benchmarks/locustfile.py, in a process of its
own) runs the sessions for `--seconds`: browsing, downloading the report template and uploading
February's report through the page. Printed: p50/p95/p99 per kind of request, the error rate,
the uploads sent and answered against the reports stored (each stored once, whole; an upload
still on its way when the sessions stop is stored without an answer), and whether the
month was aggregated exactly once. `--json` prints the figures as JSON for the test in
`make test` (tests/load), which runs a short version.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import secrets
import signal
import subprocess  # nosec B404 # starts our own gunicorn, workers and locust
import sys
import tempfile
import time
import warnings
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.request import urlopen

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-password"  # nosec B105 # throwaway accounts of a throwaway database
MONTH = "2019-01"  # aggregated while people work
UPLOAD_MONTH = "2019-02"  # the month the coordinators report
TODAY = "2019-03-05"
PAGE_P95_TARGET_MS = 200


def _environment(database_url: str, redis_url: str, instance: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        SECRET_KEY=secrets.token_hex(32),
        PSEUDONYM_KEY=secrets.token_hex(32),
        PORTAL_TODAY=TODAY,
        # The sessions measure pages, not the second factor (tests/two_factor measures that).
        TWO_FACTOR_ROLES="",
        OUTBOX_DIR=str(instance / "outbox"),
        PYTHONPATH=str(ROOT),
    )
    return env


def _seed(app, contracts: int, participants: int, users: int) -> dict:
    """The bulk month, a coordinator for the first `users` providers, and each one's CSV for
    February."""
    from benchmarks.data import make_reports
    from benchmarks.ingestion import make_csv
    from contracts.models import Contract, Enrolment, Participant
    from contracts.services.accounts import create_user
    from contracts.services.audit import Actor
    from provider_portal.extensions import db

    with app.app_context():
        ids = make_reports(db.session, contracts, participants, MONTH, MONTH)
        people = []
        for number, contract_id in enumerate(ids[:users]):
            contract = db.session.get(Contract, contract_id)
            email = f"koordinator{number:03d}@load.example"
            create_user(
                db.session, Actor("load"), email, "provider", PASSWORD, contract.provider_id
            )
            # Everyone enrolled in February (the bulk data ends no enrolment).
            refs = db.session.scalars(
                sa.select(Participant.ref)
                .join(Enrolment, Enrolment.participant_id == Participant.id)
                .where(Enrolment.contract_id == contract_id)
                .order_by(Participant.ref)
            ).all()
            people.append(
                {
                    "email": email,
                    "contract_id": contract_id,
                    "csv": make_csv(refs).decode("cp1252").replace("16-01-2019", "15-02-2019"),
                    "lines": len(refs),
                }
            )
        db.session.commit()
    return {"password": PASSWORD, "month": UPLOAD_MONTH, "people": people, "contracts": ids}


def _wait_for(url: str, deadline: float) -> None:
    while True:
        try:
            with urlopen(url, timeout=2) as answer:  # noqa: S310  # nosec B310 # our own http://127.0.0.1
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer")
        time.sleep(0.2)


@contextmanager
def _process(command: list[str], env: dict, log: Path):
    with open(log, "wb") as out:
        # Our own commands (sys.executable and fixed arguments), never a shell.
        proc = subprocess.Popen(  # nosec B603
            command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _stats(prefix: Path) -> dict:
    """Locust's own percentiles and counts per kind of request, from its CSV."""
    kinds = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if row["Name"] == "Aggregated":
                continue
            kinds[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "p99": float(row["99%"]),
            }
    return kinds


def _failures(prefix: Path) -> list[str]:
    """What failed, as locust saw it: kind, error and how often."""
    with open(f"{prefix}_failures.csv", encoding="utf-8") as file:
        return [f"{r['Name']}: {r['Error']} ({r['Occurrences']}x)" for r in csv.DictReader(file)]


def _stored(app, accounts: dict) -> dict:
    """The reports of the uploaded month: for which contracts, how many twice, how many not
    whole."""
    from contracts.models import MonthlyReport, ReportLine
    from provider_portal.extensions import db

    expected = {p["contract_id"]: p["lines"] for p in accounts["people"]}
    with app.app_context():
        rows = db.session.execute(
            sa.select(
                MonthlyReport.contract_id,
                sa.func.count(sa.distinct(MonthlyReport.id)),
                sa.func.count(ReportLine.id),
            )
            .outerjoin(ReportLine, ReportLine.report_id == MonthlyReport.id)
            .where(MonthlyReport.month == UPLOAD_MONTH)
            .group_by(MonthlyReport.contract_id)
        ).all()
    return {
        "reports": len(rows),
        "contracts": sorted(c for c, _r, _l in rows),
        "twice": sum(1 for _c, reports, _l in rows if reports > 1),
        "not_whole": sum(1 for c, reports, lines in rows if lines != expected[c] * reports),
    }


def _uploads(ledger: Path) -> dict:
    """The uploads' ledger the sessions wrote: the contracts whose report was sent, and those
    whose upload was answered as stored."""
    sent, answered = set(), set()
    if ledger.exists():
        for line in ledger.read_text(encoding="utf-8").splitlines():
            what, _, contract = line.partition(" ")
            (sent if what == "sent" else answered).add(int(contract))
    return {"sent": sorted(sent), "answered": sorted(answered)}


def _accounted(uploads: dict, stored: dict) -> dict:
    """Every report answered as stored is stored, and every one stored was sent; those stored
    without an answer were on their way when the sessions stopped."""
    sent, answered, kept = set(uploads["sent"]), set(uploads["answered"]), set(stored["contracts"])
    return {
        "answered_not_stored": len(answered - kept),
        "stored_not_sent": len(kept - sent),
        "in_flight_at_stop": len(kept - answered),
    }


def _aggregated(app, contracts: list[int]) -> dict:
    from contracts.models import Invoice
    from provider_portal.extensions import db

    with app.app_context():
        per_contract = db.session.execute(
            sa.select(Invoice.contract_id, sa.func.count())
            .where(Invoice.month == MONTH)
            .group_by(Invoice.contract_id)
        ).all()
    return {
        "contracts": len(contracts),
        "invoiced": len(per_contract),
        "invoiced_twice": sum(1 for _c, n in per_contract if n > 1),
    }


def run(
    users: int,
    seconds: int,
    contracts: int,
    participants: int,
    web_workers: int,
    spawn_rate: int = 10,
) -> dict:
    """Set everything up, run the sessions and the month together, and return the figures."""
    from benchmarks.common import _migrated_app
    from provider_portal.jobs import aggregation
    from tests.backing_services import free_port, running_postgres, running_redis

    with ExitStack() as stack, tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        server = stack.enter_context(running_postgres())
        redis_url = stack.enter_context(running_redis())
        database_url = server.create_database("load")
        app = _migrated_app(database_url)
        app.config.update(REDIS_URL=redis_url, RATELIMIT_STORAGE_URI=redis_url)
        accounts = _seed(app, contracts, participants, users)
        accounts_file = folder / "accounts.json"
        accounts_file.write_text(json.dumps(accounts), encoding="utf-8")
        env = _environment(database_url, redis_url, folder)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        gunicorn = [sys.executable, "-m", "gunicorn", "--workers", str(web_workers)]
        gunicorn += [
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "provider_portal:create_app()",
        ]
        stack.enter_context(_process(gunicorn, env, folder / "gunicorn.log"))
        _wait_for(f"{url}/login", time.monotonic() + 60)
        for n in range(2):
            worker = [sys.executable, "worker.py", "aggregation", "default"]
            stack.enter_context(_process(worker, env, folder / f"worker{n}.log"))

        with app.app_context():
            started = time.perf_counter()
            month_job = aggregation.start(MONTH, started_by=None)
        prefix = folder / "locust"
        ledger = folder / "uploads.txt"
        locust = [sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks/locustfile.py")]
        locust += ["--headless", "--host", url, "-u", str(users), "-r", str(spawn_rate)]
        locust += [
            "-t",
            f"{seconds}s",
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "10",
        ]
        subprocess.run(  # nosec B603 # locust with fixed arguments, no shell
            locust,
            env={**env, "LOAD_ACCOUNTS": str(accounts_file), "LOAD_UPLOADS": str(ledger)},
            cwd=ROOT,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=open(folder / "locust.log", "wb"),  # noqa: SIM115
        )
        month_seconds = _await_month(app, month_job, started)
        kinds = _stats(prefix)
        uploads, stored = _uploads(ledger), _stored(app, accounts)
        requests = sum(k["requests"] for k in kinds.values())
        failures = sum(k["failures"] for k in kinds.values())
        return {
            "users": users,
            "seconds": seconds,
            "web_workers": web_workers,
            "kinds": kinds,
            "requests": requests,
            "failures": failures,
            "failed": _failures(prefix),
            "error_rate": failures / requests if requests else 1.0,
            "uploads_answered": kinds.get("upload: report", {}).get("requests", 0)
            - kinds.get("upload: report", {}).get("failures", 0),
            "uploads": uploads,
            "stored": stored,
            "accounted": _accounted(uploads, stored),
            "month": {**_aggregated(app, accounts["contracts"]), "seconds": month_seconds},
        }


def _await_month(app, month_job_id: str, started: float) -> float | None:
    """Seconds from asking for the month until it was done (None: not within 10 minutes)."""
    from provider_portal.jobs.queues import AppContextJob, redis_connection

    with app.app_context():
        job = AppContextJob.fetch(month_job_id, connection=redis_connection())
        deadline = time.monotonic() + 600
        while job.get_status(refresh=True) != "finished":
            if time.monotonic() > deadline or job.get_status() == "failed":
                return None
            time.sleep(0.2)
    return time.perf_counter() - started


def report(figures: dict) -> list[str]:
    """The lines `make load` prints."""
    lines = [
        f"load: {figures['users']} provider sessions for {figures['seconds']} s against gunicorn "
        f"({figures['web_workers']} workers) on PostgreSQL, a month of "
        f"{figures['month']['contracts']} contracts aggregated by 2 RQ workers meanwhile"
    ]
    for name, kind in sorted(figures["kinds"].items()):
        lines.append(
            f"  {name:28} {kind['requests']:6d} requests  p50 {kind['p50']:6.0f} ms  "
            f"p95 {kind['p95']:6.0f} ms  p99 {kind['p99']:6.0f} ms  failures {kind['failures']}"
        )
    pages = [k for n, k in figures["kinds"].items() if n.startswith("page: ")]
    worst = max((k["p95"] for k in pages), default=0.0)
    lines.append(
        f"  error rate {figures['error_rate']:.2%} ({figures['failures']} of "
        f"{figures['requests']}); worst page p95 {worst:.0f} ms (target {PAGE_P95_TARGET_MS} ms)"
    )
    lines += [f"  failed: {failure}" for failure in figures["failed"]]
    stored, uploads, accounted = figures["stored"], figures["uploads"], figures["accounted"]
    lines.append(
        f"  uploads answered {figures['uploads_answered']} (sessions that sent one "
        f"{len(uploads['sent'])}, answered {len(uploads['answered'])}); February reports stored "
        f"{stored['reports']}, stored twice {stored['twice']}, not whole {stored['not_whole']}; "
        f"answered but not stored {accounted['answered_not_stored']}, stored but never sent "
        f"{accounted['stored_not_sent']}, stored while their answer was on its way at the stop "
        f"{accounted['in_flight_at_stop']}"
    )
    month = figures["month"]
    lines.append(
        f"  month: {month['invoiced']} of {month['contracts']} contracts invoiced, "
        f"{month['invoiced_twice']} twice, in {month['seconds'] or float('nan'):.1f} s"
    )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--contracts", type=int, default=100)
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options = parser.parse_args()
    if options.users > options.contracts:
        parser.error("--users cannot exceed --contracts (one provider per session)")
    warnings.simplefilter("ignore")
    logging.disable(logging.INFO)
    figures = run(
        options.users, options.seconds, options.contracts, options.participants, options.web_workers
    )
    if options.json:
        print(json.dumps(figures))
    else:
        print("\n".join(report(figures)), flush=True)


if __name__ == "__main__":
    main()
