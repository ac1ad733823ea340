"""A job for the time-budget test, run by a worker only when EXTRA_JOB_MODULES names this module."""

import sqlalchemy as sa

from provider_portal.extensions import db


def statement_budget() -> str:
    """The statement timeout a job's statements run with."""
    return db.session.scalar(sa.text("SHOW statement_timeout"))
