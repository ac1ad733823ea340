"""PostgreSQL restarted (`pg_ctl restart -m fast`) while people work and while a worker
aggregates a month (issue 16), on a cluster of the module's own.

Each request either succeeds or is answered 503 (a Danish page, a JSON message) with nothing
half written: a report is stored whole or not at all. The app is never restarted: its pool
tests each connection before lending it (`pool_pre_ping`), so the requests after the restart
succeed. A month whose worker lost the database retries (queues.RETRY) or, asked again,
finishes; either way each contract has exactly one invoice.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

from benchmarks.data import make_reports
from contracts.models import Invoice, InvoiceLine, MonthlyReport, ReportLine, Score
from provider_portal.extensions import db
from provider_portal.jobs import aggregation
from tests.backing_services import PostgresServer, running_postgres
from tests.conftest import JANUARY_ENDED, _make_app, _migrate
from tests.faults.services import data_directory, restart_postgres
from tests.jobs.benchmark_month import expected_totals, procurement_token
from tests.jobs.workers import start_worker, stop_worker, wait_until_started
from tests.report_files.reporting import API, PAGE, bearer, page_client, people

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
DB_DOWN_DA = "Databasen kunne ikke nås lige nu. Prøv igen om et øjeblik."
DB_DOWN_EN = "The database could not be reached just now. Try again in a moment."


@pytest.fixture(scope="module")
def own_postgres(own_redis, tmp_path_factory) -> Iterator[tuple[PostgresServer, str]]:
    """A cluster for this module alone, with a migrated template database; (server, its data
    directory)."""
    with running_postgres() as server:
        server.create_database("portal_template")
        _migrate(
            server.url("portal_template"), own_redis.url, tmp_path_factory.mktemp("pg-template")
        )
        yield server, data_directory(server)


@pytest.fixture
def pg_fault_app(own_postgres, running_redis, tmp_path):
    server, _ = own_postgres
    name = f"fault_{time.monotonic_ns()}"
    with psycopg.connect(server.admin_url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE portal_template").format(sql.Identifier(name))
        )
    yield from _make_app(server.url(name), running_redis.url, tmp_path)
    server.drop_database(name)


def restart(own_postgres) -> None:
    server, folder = own_postgres
    restart_postgres(server, folder)


class Traffic:
    """People reading pages and the API and sending reports in, each in a thread of their own,
    until stopped; every answer's status is counted, and each 503 kept."""

    def __init__(self, app, found):
        self.app, self.found = app, found
        self.statuses: Counter = Counter()
        self.refusals: list[tuple[str, str]] = []
        self.stored_uploads = 0
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self.reader, args=(page_client(app, email), url))
            for email, url in (
                ("koordinator@example.dk", PAGE.format(found.contract_id)),
                ("indkob@example.dk", "/procurement/"),
            )
        ] + [threading.Thread(target=self.sender)]

    def note(self, kind: str, answer) -> None:
        with self.lock:
            self.statuses[answer.status_code] += 1
            if answer.status_code == 503:
                self.refusals.append((kind, answer.get_data(as_text=True)))

    def reader(self, client, url) -> None:
        api = self.app.test_client()
        while not self.stop.is_set():
            self.note("page", client.get(url))
            self.note(
                "api", api.get("/api/v1/contracts", headers=bearer(self.found.procurement_token))
            )

    def sender(self) -> None:
        api = self.app.test_client()
        data = (SAMPLES / "report-2019-01.json").read_bytes()
        while not self.stop.is_set():
            answer = api.put(
                API.format(self.found.contract_id),
                data=data,
                headers={**bearer(self.found.provider_token), "Content-Type": "application/json"},
            )
            self.note("api", answer)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(60)


def test_requests_across_a_restart_succeed_or_are_refused_whole_and_the_pool_recovers(
    pg_fault_app, own_postgres
):
    app = pg_fault_app
    found = people(app)
    with Traffic(app, found) as traffic:
        time.sleep(1)
        restart(own_postgres)
        time.sleep(1)
    assert set(traffic.statuses) <= {200, 503}, traffic.statuses
    for kind, body in traffic.refusals:
        assert (DB_DOWN_EN if kind == "api" else DB_DOWN_DA) in body, body[:500]

    # No report half written: every stored version has the sample's seven lines.
    with app.app_context():
        lines = db.session.execute(
            sa.select(MonthlyReport.id, sa.func.count(ReportLine.id))
            .outerjoin(ReportLine, ReportLine.report_id == MonthlyReport.id)
            .group_by(MonthlyReport.id)
        ).all()
    assert lines and {n for _, n in lines} == {7}, lines

    # The same app, not restarted: its pool's dead connections are replaced as they are lent.
    after = Traffic(app, found)
    for thread in after.threads:
        thread.start()
    time.sleep(1)
    after.__exit__()
    assert set(after.statuses) == {200}, after.statuses


MONTH = "2019-01"
CONTRACTS, PARTICIPANTS = 12, 5000


def invoices_per_contract(app) -> dict[int, list[Decimal]]:
    with app.app_context():
        rows = db.session.execute(sa.select(Invoice.contract_id, Invoice.total)).all()
    found: dict[int, list[Decimal]] = {}
    for contract_id, total in rows:
        found.setdefault(contract_id, []).append(Decimal(str(total)))
    return found


def until_finished(app, api, headers, job_id: str, seconds: float = 120) -> dict:
    """Follow the month's job as procurement would, asking for the month again when it failed
    or stalled (its answer says to); returns the finished answer and how often it was asked."""
    deadline = time.monotonic() + seconds
    asked = 0
    while True:
        answer = api.get(f"/api/v1/jobs/{job_id}", headers=headers)
        if answer.status_code == 200:
            body = answer.get_json()
            if body["status"] == "finished":
                return {**body, "asked_again": asked}
            if body["status"] in ("failed", "stalled"):
                again = api.post("/api/v1/aggregations", json={"month": MONTH}, headers=headers)
                assert again.status_code in (202, 409), again.get_json()
                asked += 1
        else:
            assert answer.status_code == 503, answer.get_data(as_text=True)
        assert time.monotonic() < deadline, answer.get_data(as_text=True)
        time.sleep(0.5)


def test_a_restart_in_the_middle_of_a_month_leaves_exactly_one_invoice_per_contract(
    pg_fault_app, own_postgres
):
    app = pg_fault_app
    app.config["PORTAL_TODAY"] = JANUARY_ENDED
    with app.app_context():
        make_reports(db.session, CONTRACTS, PARTICIPANTS, MONTH, MONTH)
        db.session.commit()
    expected = expected_totals(app)
    headers = bearer(procurement_token(app))
    api = app.test_client()
    worker = start_worker(
        app.config["DATABASE_URL"], app.config["REDIS_URL"], "aggregation", today="2019-02-05"
    )
    try:
        started = api.post("/api/v1/aggregations", json={"month": MONTH}, headers=headers)
        assert started.status_code == 202, started.get_json()
        job_id = started.get_json()["job_id"]
        # The month's own job (its scores) is the one that runs for a while.
        wait_until_started(app, aggregation.month_job_id(MONTH))
        restart(own_postgres)
        first = until_finished(app, api, headers, job_id)
        assert invoices_per_contract(app) == {cid: [total] for cid, total in expected.items()}

        # Asked once more: the month is done already, and stays so, once.
        again = api.post("/api/v1/aggregations", json={"month": MONTH}, headers=headers)
        assert again.status_code == 202, again.get_json()
        until_finished(app, api, headers, job_id)
    finally:
        log = stop_worker(worker)
    assert invoices_per_contract(app) == {cid: [total] for cid, total in expected.items()}, log
    with app.app_context():
        lines = db.session.scalar(sa.select(sa.func.count()).select_from(InvoiceLine))
        reported = db.session.scalar(sa.select(sa.func.count()).select_from(ReportLine))
        scored = db.session.scalar(
            sa.select(sa.func.count()).select_from(Score).where(Score.month == MONTH)
        )
    assert lines == reported == CONTRACTS * PARTICIPANTS and scored > 0
    # The restart cut the month job's connection: RQ retried it, or it was asked again.
    assert "OperationalError" in log, log[-3000:]
    assert first["status"] == "finished"
