"""The Flask extensions, created unbound and initialised in create_app."""

import sqlalchemy as sa
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from contracts.models import Base


class PortalSQLAlchemy(SQLAlchemy):
    """Flask-SQLAlchemy with a time budget on every PostgreSQL statement (STATEMENT_TIMEOUT,
    seconds), set when each connection opens, so no web request holds the database long;
    jobs raise it for their own transaction (queues.AppContextJob)."""

    def _make_engine(self, bind_key, options: dict, app):
        if sa.engine.make_url(options["url"]).get_backend_name() == "postgresql":
            budget = int(float(app.config.get("STATEMENT_TIMEOUT") or 0) * 1000)
            if budget > 0:
                connect_args = dict(options.get("connect_args") or {})
                connect_args["options"] = (
                    connect_args.get("options", "") + f" -c statement_timeout={budget}"
                ).strip()
                options = {**options, "connect_args": connect_args}
        return super()._make_engine(bind_key, options, app)


db = PortalSQLAlchemy(model_class=Base)
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
