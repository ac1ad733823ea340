"""One commit per request, job and command, at the edge; work for after the commit waits for it.

Every view function is wrapped once, when the app is made (`init_app`), in the manner of
Indico's request handlers: a view loads, checks, acts and returns, and never commits itself.
- A refusal raised out of the view (a DomainError, an abort) rolls everything back, as does any
  other exception or a 5xx answer.
- A view that catches a refusal to show it on a page rolls it back itself (`rollback`); what
  the view records afterwards, such as the audit event of the participants the page shows,
  is then committed with its answer, whatever the answer's 4xx status.
- Jobs commit through `AppContextJob`, commands through `committed`.

What must only happen once the data is stored, such as enqueueing a job that reads it, is
registered with `after_commit` and runs right after the commit; a rollback drops it (pretix's
TransactionAwareTask does the same for Celery). A view's answer is sent only after that, so an
enqueue that fails is answered as the error it is. `after_writes` does it at once when the
transaction has written nothing yet, since what the job reads is then stored already; every
enqueue of the jobs package goes through it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, wraps
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.orm import ORMExecuteState, Session

from .extensions import db

_AFTER_COMMIT = "after_commit"
_WROTE = "wrote"


@sa.event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context) -> None:
    session.info[_WROTE] = True


@sa.event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    # INSERT ... SELECT and other statements written by hand, which no flush sees.
    if not state.is_select:
        state.session.info[_WROTE] = True


@sa.event.listens_for(Session, "after_commit")
@sa.event.listens_for(Session, "after_soft_rollback")
def _ended(session: Session, *_args) -> None:
    session.info.pop(_WROTE, None)


def after_commit(function: Callable, *args: Any, **kwargs: Any) -> None:
    """Call `function(*args, **kwargs)` once the current transaction is committed."""
    db.session.info.setdefault(_AFTER_COMMIT, []).append(partial(function, *args, **kwargs))


def after_writes(function: Callable, *args: Any, **kwargs: Any) -> None:
    """Call `function` now if this transaction has written nothing, else once it is committed."""
    if db.session.info.get(_WROTE):
        after_commit(function, *args, **kwargs)
    else:
        function(*args, **kwargs)


def commit() -> None:
    """Commit the session, then run what waited for it."""
    db.session.commit()
    for callback in db.session.info.pop(_AFTER_COMMIT, []):
        callback()


def rollback() -> None:
    """Roll the session back and forget what waited for a commit."""
    db.session.info.pop(_AFTER_COMMIT, None)
    db.session.rollback()


def committing(view: Callable) -> Callable:
    """The view, committing what it did when it answers and rolling back when it raises."""

    @wraps(view)
    def edge(*args, **kwargs):
        try:
            response = current_app.make_response(view(*args, **kwargs))
            if response.status_code < 500:
                commit()
            else:
                rollback()
        except BaseException:
            rollback()
            raise
        return response

    edge.commits_at_edge = True
    return edge


def committed(command: Callable) -> Callable:
    """A command (or a job) that commits once when it returns, and rolls back when it raises."""

    @wraps(command)
    def edge(*args, **kwargs):
        try:
            result = command(*args, **kwargs)
        except BaseException:
            rollback()
            raise
        commit()
        return result

    return edge


def init_app(app: Flask) -> None:
    """Wrap every view of the app (call it once every blueprint is registered)."""
    for endpoint, view in list(app.view_functions.items()):
        if endpoint != "static":
            app.view_functions[endpoint] = committing(view)


__all__ = [
    "after_commit",
    "after_writes",
    "commit",
    "committed",
    "committing",
    "init_app",
    "rollback",
]
