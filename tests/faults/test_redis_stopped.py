"""Redis stopped while people work (issue 16), with the module's own redis-server stopped and
started again for real (tests/faults/services.py).

What each kind of request does while Redis is away, decided here:
- pages and the API read and write the database only: they keep working, reports are sent in
  and submitted as always;
- what would start a job (a month's aggregation, a PDF made on the queue, a job's status) is
  answered 503 with Retry-After: a Danish page or a JSON message saying to try again in a
  minute; nothing is enqueued and nothing written, so the person asks again once Redis is back;
- a mail stored while Redis is away stays pending in the database and goes out with the day's
  catch-up (mail/schedule.py), once; jobs queued before the stop are kept by Redis's
  append-only file (deploy/README.md) and run after it;
- logging in counts its failures in the process while the counters' storage is away
  (auth/throttle.py): it keeps working, and the delays still apply.
"""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from contracts.models import Contract, Invoice, MonthlyReport, Notification, User
from contracts.services import reports
from contracts.services.accounts import create_token, create_user
from contracts.services.audit import Actor
from provider_portal import transaction
from provider_portal.extensions import db
from provider_portal.jobs import aggregation
from provider_portal.jobs.queues import queue
from tests.conftest import JANUARY_ENDED, TEST_ACTOR, TEST_PASSWORD, csrf_token
from tests.factories import sample_report
from tests.faults.queue_down import QUEUE_DOWN_DA, QUEUE_DOWN_EN
from tests.jobs.workers import start_worker, stop_worker, until
from tests.notifications.conftest import Inbox, free_port
from tests.report_files.reporting import PAGE, bearer, page_client, people, submit, upload


@pytest.fixture
def office(fault_app):
    """The sample contract's coordinator, procurement and finance, logged in before Redis stops,
    and finance's API token; the month of January has ended."""
    fault_app.config.update(PORTAL_TODAY=JANUARY_ENDED, MAIL_SEND_INLINE=False)
    found = people(fault_app)
    with fault_app.app_context():
        user = create_user(db.session, TEST_ACTOR, "okonomi@example.dk", "finance", TEST_PASSWORD)
        found.finance_token = create_token(db.session, TEST_ACTOR, user, "test")[1]
        found.provider_id = db.session.get(Contract, found.contract_id).provider_id
        db.session.commit()
    found.provider = page_client(fault_app)
    found.procurement = page_client(fault_app, "indkob@example.dk")
    found.finance = page_client(fault_app, "okonomi@example.dk")
    return found


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def assert_told_to_ask_again(answer, api: bool) -> None:
    assert answer.status_code == 503, answer.get_data(as_text=True)[:500]
    assert answer.headers["Retry-After"] == "60"
    if api:
        assert answer.get_json()["errors"][0]["message"] == QUEUE_DOWN_EN
    else:
        assert QUEUE_DOWN_DA in answer.get_data(as_text=True)


def test_with_redis_stopped_people_work_and_a_job_asked_for_is_refused_until_it_is_back(
    fault_app, office, running_redis
):
    app = fault_app
    api = app.test_client()
    running_redis.stop()

    # Reading and sending in reports: the database only.
    for client, url in (
        (office.provider, PAGE.format(office.contract_id)),
        (office.procurement, "/jobs/"),
        (office.procurement, "/procurement/"),
        (office.finance, "/finance/"),
    ):
        assert client.get(url).status_code == 200, url
    assert api.get("/api/v1/contracts", headers=bearer(office.procurement_token)).status_code == 200
    assert upload(office.provider, office.contract_id, sample_report()).status_code == 302
    assert submit(office.provider, office.contract_id).status_code == 302
    assert count(app, MonthlyReport, MonthlyReport.status == "submitted") == 1
    # Its mail to procurement waits in the database (sent by the test below's catch-up).
    assert count(app, Notification, Notification.sent_at.is_(None)) == 1

    # Starting a job: told to ask again, in Danish on the page and in English on the API.
    form = office.procurement.get("/jobs/").get_data(as_text=True)
    page = office.procurement.post(
        "/jobs/", data={"month": "2019-01", "csrf_token": csrf_token(form)}
    )
    assert page.status_code == 503 and QUEUE_DOWN_DA in page.get_data(as_text=True)
    started = api.post(
        "/api/v1/aggregations", json={"month": "2019-01"}, headers=bearer(office.finance_token)
    )
    assert_told_to_ask_again(started, api=True)
    followed = api.get("/api/v1/jobs/aggregate-2019-01", headers=bearer(office.finance_token))
    assert_told_to_ask_again(followed, api=True)
    statement = office.finance.get(f"/finance/statements/{office.provider_id}/2019-01.pdf")
    assert_told_to_ask_again(statement, api=False)
    assert_told_to_ask_again(office.finance.get("/finance/budget/2019.pdf"), api=False)
    assert count(app, Invoice) == 0

    # Back again: nothing of what was refused was queued; asked again, it is.
    running_redis.start()
    with app.app_context():
        assert queue("aggregation").count == 0 and queue("documents").count == 0
    again = api.post(
        "/api/v1/aggregations", json={"month": "2019-01"}, headers=bearer(office.finance_token)
    )
    assert again.status_code == 202, again.get_json()
    with app.app_context():
        assert aggregation.status("aggregate-2019-01")["status"] == "queued"


def log_in(client, email: str, password: str):
    form = client.get("/login").get_data(as_text=True)
    return client.post(
        "/login", data={"email": email, "password": password, "csrf_token": csrf_token(form)}
    )


def test_with_redis_stopped_logging_in_works_and_wrong_passwords_still_cost_their_delay(
    fault_app, office, running_redis
):
    running_redis.stop()
    browser = fault_app.test_client()
    assert log_in(browser, "indkob@example.dk", TEST_PASSWORD).status_code == 302
    assert browser.get("/procurement/").status_code == 200

    guesser = fault_app.test_client()
    answers = [log_in(guesser, "okonomi@example.dk", "wrong").status_code for _ in range(6)]
    # Four are free (LOGIN_LIMITS), the fifth makes the next wait: counted in the process.
    assert answers == [200] * 5 + [429], answers
    waiting = log_in(guesser, "okonomi@example.dk", TEST_PASSWORD)
    assert waiting.status_code == 429, waiting.get_data(as_text=True)[:300]
    assert "Prøv igen om" in waiting.get_data(as_text=True)

    running_redis.start()
    # Back on Redis, whose counters never saw the failures: the right password gets in.
    assert log_in(fault_app.test_client(), "okonomi@example.dk", TEST_PASSWORD).status_code == 302


def test_mails_queued_before_and_stored_during_the_stop_are_sent_once_after_it(
    fault_app, office, running_redis, tmp_path
):
    """A mail queued before Redis stops is kept by it; one stored while it is away is sent by the
    day's catch-up; a worker that lived through the stop sends both, once."""
    from provider_portal.mail.schedule import run
    from provider_portal.transaction import committed

    app = fault_app
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
        "OUTBOX_DIR": str(tmp_path),
    }
    try:
        # Queued while Redis runs and no worker does: procurement is told of the first report.
        upload(office.provider, office.contract_id, sample_report())
        assert submit(office.provider, office.contract_id).status_code == 302
        with app.app_context():
            assert queue("mail").count == 1
        running_redis.stop()
        running_redis.start()
        with app.app_context():
            assert queue("mail").count == 1, "Redis lost the queued mail"
        worker = start_worker(
            app.config["DATABASE_URL"], running_redis.url, "mail", today="2019-02-05", **settings
        )
        try:
            until(lambda: len(inbox.messages) == 1)
            running_redis.stop()
            # Stored while Redis is away: procurement rejects the report; the coordinator's mail.
            with app.app_context():
                report = db.session.scalars(sa.select(MonthlyReport)).one()
                reports.reject(
                    db.session, Actor("indkob@example.dk"), report, "Timerne er for høje"
                )
                transaction.commit()
            assert count(app, Notification, Notification.sent_at.is_(None)) == 1
            running_redis.start()
            with app.app_context():
                committed(run)(JANUARY_ENDED)
            until(lambda: count(app, Notification, Notification.sent_at.is_(None)) == 0)
            time.sleep(2)  # a second sending would have had its time
        finally:
            log = stop_worker(worker)
    finally:
        smtp.stop()
    # One mail per notification (the catch-up stored the day's reminders too), none twice.
    with app.app_context():
        owed = db.session.scalars(
            sa.select(User.email).join(Notification, Notification.user_id == User.id)
        ).all()
    assert sorted(m["To"] for m in inbox.messages) == sorted(owed), log
    assert {"indkob@example.dk", "koordinator@example.dk"} <= set(owed)


@pytest.mark.parametrize("fault_app", ["sqlite"], indirect=True)
def test_a_worker_whose_job_ends_while_redis_is_stopped_works_on_once_it_is_back(
    fault_app, running_redis
):
    """The stop falls in the middle of a job: the worker cannot record the job's end, and RQ's
    loop quits on that. The worker process goes on: the job is handed back and done again, and
    a job asked for after the stop is done too."""
    from rq import Retry

    from tests.jobs.workers import wait_for, wait_until_started

    with fault_app.app_context():
        # Long enough that Redis is stopped before it ends, on a slow machine too.
        first = queue("default").enqueue("tests.jobs.flaky.slow", 4, retry=Retry(max=1))
    worker = start_worker(fault_app.config["DATABASE_URL"], running_redis.url, "default")
    try:
        wait_until_started(fault_app, first.id)
        running_redis.stop()
        time.sleep(6)  # the job ends while Redis is away
        running_redis.start()
        with fault_app.app_context():
            second = queue("default").enqueue("tests.jobs.flaky.reads_the_database")
            assert wait_for(second, 60) == "finished"
            assert wait_for(first, 60) == "finished"
        assert worker.poll() is None, "the worker process ended"
    finally:
        log = stop_worker(worker)
    assert "a fresh worker takes over" in log


@pytest.mark.parametrize("fault_app", ["sqlite"], indirect=True)
def test_a_worker_waiting_for_redis_to_come_back_stops_when_asked(fault_app, running_redis):
    """systemctl stop (SIGTERM) while the worker waits for Redis: it ends at once, cleanly."""
    import signal

    from tests.jobs.workers import logged_so_far, wait_until_started

    with fault_app.app_context():
        job = queue("default").enqueue("tests.jobs.flaky.slow", 4)
    worker = start_worker(fault_app.config["DATABASE_URL"], running_redis.url, "default")
    try:
        wait_until_started(fault_app, job.id)
        running_redis.stop()
        until(lambda: "quitting" in logged_so_far(worker), 30)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=10) == 0, logged_so_far(worker)
    finally:
        log = stop_worker(worker)
        running_redis.start()
    assert "a fresh worker takes over" not in log
