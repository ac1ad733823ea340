"""`make load`: provider sessions against gunicorn on PostgreSQL while two RQ workers aggregate a
month (issue 16, DESIGN.md §16), all on 127.0.0.1 and bounded in time.

A throwaway PostgreSQL and Redis are started; the month 2019-01 of `--contracts` contracts of
`--participants` each is made by bulk insert (benchmarks.data), `--users` of those contracts'
providers get a coordinator; gunicorn serves the portal with `--web-workers` processes,
`--aggregation-workers` RQ workers (2; 0 for the pages alone) take the month's aggregation at
`--nice` 10 as deploy/ runs them, and locust (benchmarks/locustfile.py, in a process of its
own) runs the sessions for `--seconds`, `--spawn-rate` arriving a second: browsing, downloading
the report template and uploading February's report through the page; the month is asked for
once every session has sent its first report. Printed: p50/p95/p99 per kind of request (the
whole run, once every session had arrived, while the month was aggregated), the error rate, the
uploads sent and answered against the reports stored (each stored once, whole; an upload
still on its way when the sessions stop is stored without an answer), the CPU each part used
(benchmarks.load_cpu), and whether the month was aggregated exactly once; with `--watch`,
what the database's statements waited on (benchmarks.load_waits). `--json` prints the figures
as JSON for the test in `make test` (tests/load), which runs a short version.
"""

from __future__ import annotations

import argparse
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
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.request import urlopen

import sqlalchemy as sa

from benchmarks.load_figures import (
    MONTH,
    UPLOAD_MONTH,
    collect,
    invoiced,
    report,
    uploads_sent,
)
from tests.backing_services import free_port

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-password"  # nosec B105 # throwaway accounts of a throwaway database
TODAY = "2019-03-05"


def _named(database_url: str, name: str) -> str:
    """The database URL with an `application_name`, so pg_stat_activity tells the processes apart."""
    return f"{database_url}{'&' if '?' in database_url else '?'}application_name={name}"


def _environment(
    database_url: str, redis_url: str, instance: Path, name: str = "web"
) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=_named(database_url, name),
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


@dataclass(frozen=True)
class Setting:
    """What one run puts together: the sessions, the data, and the month's workers."""

    users: int = 50
    seconds: int = 120
    contracts: int = 100
    participants: int = 1000
    web_workers: int = 4
    web_threads: int = 1  # deploy/gunicorn.conf.py's default: synchronous processes
    # The month's aggregation workers and their CPU priority (`nice`, as deploy/ runs them);
    # 0 workers: no month aggregated, to tell our pages' own cost from the month's.
    aggregation_workers: int = 2
    nice: int = 10
    # Sessions arriving a second: one a second, locust's own default (fifty people in fifty
    # seconds, a busy morning); 10 is the hardest one, fifty argon2 logins (a fifth of a second
    # of CPU each) and fifty whole reports within five seconds, more than two cores can do
    # in five.
    spawn_rate: float = 1
    watch: bool = False  # sample what the database's statements wait on (benchmarks.load_waits)


def _servers(stack: ExitStack, setting: Setting, database_url: str, redis_url: str, folder: Path):
    """gunicorn, answering, and the aggregation workers; returns the portal's address, the
    environment and the processes by group (for benchmarks.load_cpu)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    # The deployment's own settings (deploy/gunicorn.conf.py), so the load measures what runs.
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py")]
    env = _environment(database_url, redis_url, folder)
    env.update(
        WEB_BIND=f"127.0.0.1:{port}",
        WEB_WORKERS=str(setting.web_workers),
        WEB_THREADS=str(setting.web_threads),
        WEB_TIMEOUT="60",
        WEB_ACCESS_LOG=str(folder / "access.log"),
    )
    groups = {
        "web (gunicorn)": [
            stack.enter_context(_process(gunicorn, env, folder / "gunicorn.log")).pid
        ]
    }
    groups["aggregation workers"] = []
    _wait_for(f"{url}/login", time.monotonic() + 60)
    worker_env = _environment(database_url, redis_url, folder, name="worker")
    for n in range(setting.aggregation_workers):
        worker = [sys.executable, "worker.py", "aggregation", "default"]
        if setting.nice:
            worker = ["nice", "-n", str(setting.nice), *worker]
        process = stack.enter_context(_process(worker, worker_env, folder / f"worker{n}.log"))
        groups["aggregation workers"].append(process.pid)
    return url, env, groups


def _sessions(
    setting: Setting,
    url: str,
    env: dict,
    accounts_file: Path,
    folder: Path,
    meanwhile: Callable[[], None],
) -> None:
    """locust, in a process of its own, for the setting's seconds; `meanwhile()` is called once
    every session has sent its first report (or half the run has passed)."""
    locust = [sys.executable, "-m", "locust", "-f", str(ROOT / "benchmarks/locustfile.py")]
    locust += ["--headless", "--host", url, "-u", str(setting.users)]
    locust += ["-r", str(setting.spawn_rate), "-t", f"{setting.seconds}s"]
    locust += ["--csv", str(folder / "locust"), "--only-summary", "--stop-timeout", "10"]
    ledger = folder / "uploads.txt"
    with open(folder / "locust.log", "wb") as log:
        sessions = subprocess.Popen(  # nosec B603 # locust with fixed arguments, no shell
            locust,
            env={
                **env,
                "LOAD_ACCOUNTS": str(accounts_file),
                "LOAD_UPLOADS": str(ledger),
                "LOAD_TIMINGS": str(folder / "timings.json"),
            },
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            halfway = time.monotonic() + setting.seconds / 2
            while len(uploads_sent(ledger)["sent"]) < setting.users:
                if time.monotonic() > halfway or sessions.poll() is not None:
                    break
                time.sleep(0.2)
            meanwhile()
            sessions.wait()
        finally:
            if sessions.poll() is None:
                sessions.kill()
                sessions.wait()


def run(setting: Setting) -> dict:
    """Set everything up, run the sessions and the month together, and return the figures."""
    from benchmarks.common import _migrated_app
    from benchmarks.load_cpu import CpuAccount
    from benchmarks.load_waits import Sampler
    from provider_portal.jobs import aggregation
    from tests.backing_services import running_postgres, running_redis

    with ExitStack() as stack, tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        server = stack.enter_context(running_postgres())
        redis_url = stack.enter_context(running_redis())
        database_url = server.create_database("load")
        app = _migrated_app(database_url)
        app.config.update(REDIS_URL=redis_url, RATELIMIT_STORAGE_URI=redis_url)
        accounts = _seed(app, setting.contracts, setting.participants, setting.users)
        accounts_file = folder / "accounts.json"
        accounts_file.write_text(json.dumps(accounts), encoding="utf-8")
        url, env, groups = _servers(stack, setting, database_url, redis_url, folder)
        asked: dict = {}  # the month's job and when it was asked for

        def ask_for_the_month() -> None:
            # Once every session is in (or half the run has passed), so that the month's
            # aggregation meets the whole browsing, not the arrivals alone.
            if setting.aggregation_workers:
                with app.app_context():
                    asked["started"] = datetime.now(UTC)
                    asked["job"] = aggregation.start(MONTH, started_by=None)

        sampler = Sampler(database_url) if setting.watch else None
        if sampler:
            sampler.start()
        cpu = CpuAccount(database_url, groups)
        cpu.start()
        _sessions(setting, url, env, accounts_file, folder, ask_for_the_month)
        used = cpu.stop(reaped="locust")
        waits = sampler.stop() if sampler else None
        month = window = None
        if asked:
            seconds = _await_month(app, asked["job"], asked["started"])
            began = asked["started"].timestamp()
            window = (began, began + seconds) if seconds is not None else None
            month = {**invoiced(app, accounts["contracts"]), "seconds": seconds}
        return {
            **{k: v for k, v in asdict(setting).items() if k != "watch"},
            **collect(
                app,
                accounts,
                folder / "locust",
                folder / "uploads.txt",
                folder / "timings.json",
                window,
            ),
            "month": month,
            "cpu": used,
            "waits": waits.as_dict() if waits else None,
            "waits_summary": waits.summary() if waits else [],
        }


def _await_month(app, month_job_id: str, started: datetime) -> float | None:
    """Seconds from asking for the month until its last job ended, as RQ recorded it (the
    month usually ends before the sessions do); None: not done within 10 minutes."""
    from provider_portal.jobs.queues import AppContextJob, redis_connection

    with app.app_context():
        job = AppContextJob.fetch(month_job_id, connection=redis_connection())
        deadline = time.monotonic() + 600
        while job.get_status(refresh=True) != "finished":
            if time.monotonic() > deadline or job.get_status() == "failed":
                return None
            time.sleep(0.2)
        job.refresh()
    return ((job.ended_at or datetime.now(UTC)) - started).total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Setting()
    parser.add_argument("--users", type=int, default=default.users)
    parser.add_argument("--seconds", type=int, default=default.seconds)
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=default.spawn_rate,
        help="sessions arriving a second (1: fifty within fifty seconds; 10: within five)",
    )
    parser.add_argument("--contracts", type=int, default=default.contracts)
    parser.add_argument("--participants", type=int, default=default.participants)
    parser.add_argument("--web-workers", type=int, default=default.web_workers)
    parser.add_argument(
        "--web-threads",
        type=int,
        default=default.web_threads,
        help="threads per web process (WEB_THREADS; 1: synchronous, as deployed by default)",
    )
    parser.add_argument(
        "--aggregation-workers",
        type=int,
        default=default.aggregation_workers,
        help="RQ workers aggregating the month meanwhile (0: no month, the pages alone)",
    )
    parser.add_argument(
        "--nice", type=int, default=default.nice, help="the aggregation workers' nice value"
    )
    parser.add_argument(
        "--watch", action="store_true", help="sample what the database's statements wait on"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options = parser.parse_args()
    if options.users > options.contracts:
        parser.error("--users cannot exceed --contracts (one provider per session)")
    warnings.simplefilter("ignore")
    logging.disable(logging.INFO)
    setting = Setting(
        users=options.users,
        seconds=options.seconds,
        spawn_rate=options.spawn_rate,
        contracts=options.contracts,
        participants=options.participants,
        web_workers=options.web_workers,
        web_threads=options.web_threads,
        aggregation_workers=options.aggregation_workers,
        nice=options.nice,
        watch=options.watch,
    )
    figures = run(setting)
    if options.json:
        print(json.dumps(figures))
    else:
        print("\n".join(report(figures) + figures["waits_summary"]), flush=True)


if __name__ == "__main__":
    main()
