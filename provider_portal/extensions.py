"""The Flask extensions, created unbound and initialised in create_app."""

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import Session

from contracts.models import Base


def _web_budget(session, transaction, connection) -> None:
    """Every transaction begun while serving a web request runs each PostgreSQL statement at most
    STATEMENT_TIMEOUT seconds (SET LOCAL: this transaction only), so no request holds the
    database long. Commands, jobs (which set their own, queues.AppContextJob) and benchmarks
    serve no request and keep PostgreSQL's default."""
    if transaction.nested or not has_request_context() or connection.dialect.name != "postgresql":
        return
    budget = int(float(current_app.config.get("STATEMENT_TIMEOUT") or 0) * 1000)
    if budget > 0:
        connection.exec_driver_sql(f"SET LOCAL statement_timeout = {budget}")


sa.event.listen(Session, "after_begin", _web_budget)
db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Limits are declared on the views that need them (login); nothing by default. While Redis (the
# storage) is out of reach they are counted in the process's memory instead of failing the
# request; Flask-Limiter goes back to Redis once it answers again.
limiter = Limiter(
    key_func=get_remote_address,
    default_limits=[],
    headers_enabled=True,
    in_memory_fallback_enabled=True,
)
