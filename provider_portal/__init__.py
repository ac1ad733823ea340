"""Provider Portal: the Flask app that is the edge of the domain in `contracts`."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from . import config as portal_config
from . import instance_folder
from .redis_options import redis_options

ROOT = Path(__file__).resolve().parent.parent
# Where a checkout finds the Peppol BIS 3.0 rules (kept outside the repository): the shared
# folder beside it. The setting PEPPOL_RULES_DIR (environment or config) names another.
PEPPOL_RULES_DIR = ROOT.parent / "shared" / "peppol-bis-3"


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings from the environment and instance folder, overridden by `config`."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
    )
    instance_folder.prepare(Path(app.instance_path))
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        MAX_CONTENT_LENGTH=10 * 1024 * 1024 + 64 * 1024,
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        BABEL_DEFAULT_LOCALE="da",
        BABEL_DEFAULT_TIMEZONE="Europe/Copenhagen",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"),
        RATELIMIT_HEADERS_ENABLED=True,
        # An account's wrong passwords free of delay and how long they are remembered, then
        # the limit per address (provider_portal.auth.throttle); the longest delay, in seconds.
        LOGIN_LIMITS=("5 per day", "30 per 15 minutes"),
        LOGIN_DELAY_CAP=15 * 60,
        # Sessions (DESIGN.md §13): 30 minutes without a request, 12 hours at most.
        SESSION_IDLE_MINUTES=30,
        SESSION_MAX_HOURS=12,
        PEPPOL_RULES_DIR=Path(os.environ.get("PEPPOL_RULES_DIR") or PEPPOL_RULES_DIR),
    )
    app.config.update(portal_config.from_environment(Path(app.instance_path)))
    if config:
        app.config.update(config)
        if "DATABASE_URL" in config:
            app.config["SQLALCHEMY_DATABASE_URI"] = portal_config.database_url(
                config["DATABASE_URL"], Path(app.instance_path)
            )
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"])
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", redis_options(app.config))
    if app.config.get("HTTPS_ONLY"):
        # A __Host- cookie is sent only over HTTPS, to this host alone, for every path: no
        # sibling domain or plain-HTTP page can set or read it.
        app.config.update(
            SESSION_COOKIE_NAME="__Host-session",
            SESSION_COOKIE_SECURE=True,
            SESSION_COOKIE_PATH="/",
            SESSION_COOKIE_DOMAIN=False,
            REMEMBER_COOKIE_SECURE=True,
        )
    portal_config.check(app.config)
    instance_folder.prepare_sqlite(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["PROXY_FIX_HOPS"]:
        # Behind that many proxies the client's address (and scheme) is theirs to tell; without
        # them a client's X-Forwarded-For is never believed.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    _init_extensions(app)
    from .converters import CONVERTERS

    app.url_map.converters.update(CONVERTERS)  # before the routes that use them
    _register_blueprints(app)

    from . import cli, errors, file_uploads, request_text, transaction

    # Every view commits once, at the edge: wrapped after all are registered.
    transaction.init_app(app)
    errors.init_app(app)
    file_uploads.init_app(app)
    request_text.init_app(app)
    cli.init_app(app)
    # What start-up made (modules, mappers, the app) lives as long as the process: keep it out
    # of the garbage collector's full passes, which otherwise rescan it while a large report
    # is read (measured: a third of the time of reading 10,000 lines). Not in tests, which
    # make an app per test and would keep each one for good.
    if not app.config.get("TESTING"):
        gc.freeze()
    return app


def _init_extensions(app: Flask) -> None:
    from . import clock, formatting, i18n, security
    from .extensions import csrf, db, limiter, login_manager, migrate

    clock.init_app(app)
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sa.event.listen(db.engine, "connect", _sqlite_pragmas)
            if app.config.get("SQLITE_BEGIN_IMMEDIATE"):
                sa.event.listen(db.engine, "begin", _sqlite_begin)
    migrate.init_app(
        app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    i18n.init_app(app)
    formatting.init_app(app)
    security.init_app(app)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # SQLite enforces foreign keys only when asked, per connection.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL never corrupts the database; it syncs at checkpoints, not every commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin(connection) -> None:
    # In the workers, whose jobs always write: take the write lock at the start. A deferred
    # transaction that reads and then writes fails at once ("database is locked") when
    # another worker committed in between, which the busy timeout cannot wait out; with
    # IMMEDIATE the jobs queue up instead. Pages keep deferred transactions, so a reader
    # never holds the lock.
    connection.connection.driver_connection.isolation_level = None
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _register_blueprints(app: Flask) -> None:
    from .admin.views import bp as admin_bp
    from .api import bp as api_bp
    from .auth.views import bp as auth_bp
    from .benchmark.views import bp as benchmark_bp
    from .extensions import csrf
    from .finance.views import bp as finance_bp
    from .home.views import bp as home_bp
    from .job_pages.views import bp as job_pages_bp
    from .procurement.views import bp as procurement_bp
    from .provider.views import bp as provider_bp
    from .saml.views import bp as saml_bp
    from .scores.views import bp as scores_bp

    for bp in (
        auth_bp,
        home_bp,
        procurement_bp,
        provider_bp,
        finance_bp,
        admin_bp,
        job_pages_bp,
        scores_bp,
        benchmark_bp,
        saml_bp,
    ):
        app.register_blueprint(bp)
    # The API authenticates by bearer token only, never by cookie, so CSRF cannot reach it.
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)
    from . import mail

    mail.init_app(app)
