"""One commit per request, at the edge: what a view did is stored when it answers, nothing when it
refuses by raising, and jobs are enqueued only once what they read is stored."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import abort

from contracts.models import AuditEvent
from contracts.services import DomainError
from contracts.services.audit import Actor, record
from provider_portal import transaction
from provider_portal.extensions import db
from provider_portal.jobs import aggregation
from provider_portal.jobs.queues import queue, redis_connection
from tests.api.conftest import bearer

ROOT = Path(__file__).resolve().parents[2]


def _events(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def _view(outcome: str):
    """A view that records an event, then answers or refuses as `outcome` says."""

    def view():
        record(db.session, Actor("test"), f"test.{outcome}")
        db.session.flush()
        if outcome == "refused":
            raise DomainError("refused", status=409)
        if outcome == "aborted":
            abort(404)
        if outcome == "broken":
            return "the queue is away", 503
        return outcome, 422 if outcome == "shown-with-a-problem" else 200

    return view


@pytest.mark.parametrize(
    "outcome, stored",
    [
        ("answered", True),
        ("shown-with-a-problem", True),
        ("refused", False),
        ("aborted", False),
        ("broken", False),
    ],
)
def test_a_view_s_work_is_stored_when_it_answers_and_not_when_it_refuses(app, outcome, stored):
    edge = transaction.committing(_view(outcome))
    with app.test_request_context("/"):
        try:
            edge()
        except Exception:
            assert outcome in ("refused", "aborted")
        db.session.remove()
    assert (f"test.{outcome}" in _events(app)) is stored


def test_work_for_after_the_commit_runs_after_it_and_never_after_a_rollback(app):
    ran = []
    with app.app_context():
        record(db.session, Actor("test"), "test.first")
        transaction.after_commit(ran.append, "kept")
        assert ran == []
        transaction.commit()
        assert ran == ["kept"]
        record(db.session, Actor("test"), "test.second")
        transaction.after_commit(ran.append, "dropped")
        transaction.rollback()
        transaction.commit()
    assert ran == ["kept"]
    assert _events(app) == ["test.first"]


@pytest.mark.usefixtures("january_ended")
def test_a_month_is_enqueued_only_once_what_it_reads_is_committed(app):
    from tests.scenarios import accepted_sample_month

    accepted_sample_month(app)
    with app.app_context():
        waiting = queue("aggregation", redis_connection())
        record(db.session, Actor("test"), "test.wrote")
        db.session.flush()
        job_id = aggregation.start("2019-01", started_by=None)
        assert job_id == "aggregate-2019-01" and waiting.count == 0, "enqueued before the commit"
        transaction.commit()
        assert waiting.count == 1 and len(waiting.deferred_job_registry) == 1
        # With nothing written in the transaction, what the jobs read is stored: enqueued at once.
        waiting.empty()
        aggregation.start("2018-12", started_by=None)
        assert aggregation.status("aggregate-2018-12") is not None


def test_every_view_commits_through_the_edge_and_no_module_commits_itself(app):
    views = {
        endpoint: view for endpoint, view in app.view_functions.items() if endpoint != "static"
    }
    assert views and all(getattr(view, "commits_at_edge", False) for view in views.values())
    commits = []
    for path in (ROOT / "provider_portal").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\.commit\(\)", line):
                commits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    # The mechanism itself, the job class, which is a job's edge and calls it, and the
    # migrations' edge, which ends the transactions around SQLite's foreign-key pragma (the
    # pragma works only between transactions), and the session check before every request,
    # which stores a session it ends before any view runs (the request then has no login).
    assert sorted({c.split(":")[0] for c in commits}) == [
        "provider_portal/jobs/queues.py",
        "provider_portal/migrations/env.py",
        "provider_portal/sessions.py",
        "provider_portal/transaction.py",
    ], commits
    assert len(commits) == 5, commits


def test_an_api_call_is_one_transaction_with_its_token_bookkeeping(app, client, make_user):
    from contracts.services.accounts import create_token
    from tests.conftest import TEST_ACTOR

    with app.app_context():
        user = make_user(db.session, "okonomi@example.dk", "finance")
        _, token = create_token(db.session, TEST_ACTOR, user, "test")
        db.session.commit()
    commits = []

    def counted(_connection) -> None:
        commits.append(1)

    with app.app_context():
        sa.event.listen(db.engine, "commit", counted)
    try:
        assert client.get("/api/v1/providers", headers=bearer(token)).status_code == 200
    finally:
        with app.app_context():
            sa.event.remove(db.engine, "commit", counted)
    assert len(commits) == 1, "the token's bookkeeping took a transaction of its own"
