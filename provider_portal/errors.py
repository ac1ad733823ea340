"""Error answers: JSON on the API (never an HTML page), a calm Danish page elsewhere."""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template
from flask_babel import gettext as _
from markupsafe import escape
from psycopg.errors import QueryCanceled
from redis.exceptions import RedisError
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from contracts.services import DomainError

from .converters import NotAMonth
from .file_uploads import FILE_TOO_LARGE, takes_files
from .i18n import say
from .security import is_api_request

log = logging.getLogger(__name__)

API_MESSAGES = {
    400: "The request could not be read.",
    401: "A valid API token is needed: send it as 'Authorization: Bearer <token>'.",
    403: "You may not do this.",
    404: "Not found.",
    405: "This method is not allowed here.",
    409: "The record's state does not allow this.",
    413: "The request body is too large.",
    415: "Unsupported content type.",
    422: "The request has errors.",
    429: "Too many requests; wait a moment and try again.",
    500: "Something went wrong on our side; nothing was changed.",
    503: (
        "The database or the job queue cannot be reached just now, or the request took too "
        "long; nothing was changed. Try again."
    ),
}
QUEUE_DOWN = "The job queue cannot be reached just now; nothing was changed. Try again in a minute."
DATABASE_DOWN = "The database could not be reached just now. Try again in a moment."
TOO_LONG = (
    "The request took too long and was stopped. Nothing was changed. "
    "Try again, or ask for less at a time."
)
# How long a client is asked to wait when a backing service is out of reach, in seconds.
RETRY_AFTER = 60
MONTH_PROBLEM = "The month must be written YYYY-MM, such as 2019-01."


def api_error(status: int, message: str | None = None, field: str | None = None, errors=None):
    """The API's error body: {"errors": [{"field", "message", "line"?}]}."""
    body = (
        errors
        if errors is not None
        else [{"field": field, "message": message or API_MESSAGES.get(status, "Error.")}]
    )
    return jsonify({"errors": body}), status


def _page_message(status: int) -> str:
    return {
        400: _("The request could not be read. Please try again."),
        403: _("You do not have access to this page."),
        404: _("The page does not exist."),
        405: _("That cannot be done here."),
        413: _("The file is too large. It may be at most 10 MB."),
        429: _("Too many attempts. Wait a few minutes, then try again."),
    }.get(status, _("Something went wrong on our side. Nothing was changed."))


def _page_without_database(too_long: bool) -> str:
    """The error page drawn as for a visitor: the person (and their language) cannot be read from
    the database, and a page that tried would fail again. The language cookie still counts."""
    from flask_login import AnonymousUserMixin

    g._login_user = AnonymousUserMixin()  # Flask-Login's slot: no user loader runs
    g.user = None
    if too_long:  # the statement ran out of its budget (STATEMENT_TIMEOUT)
        message = _(
            "The request took too long and was stopped. Nothing was changed. "
            "Try again, or ask for less at a time."
        )
    else:
        message = _("The database could not be reached just now. Try again in a moment.")
    try:
        return render_template("errors/error.html", status=503, message=message)
    except Exception:
        log.warning("the error page could not be drawn", exc_info=True)
        return f"<!doctype html><title>503</title><p>{escape(message)}</p>"


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        if is_api_request():
            if status == 413 and takes_files():
                return api_error(413, FILE_TOO_LARGE, "file")
            response = api_error(status)
            if status == 405 and error.get_response().headers.get("Allow"):
                response[0].headers["Allow"] = error.get_response().headers["Allow"]
            return response
        if status == 401:
            status = 403
        message = _page_message(status)
        if status == 413 and takes_files():
            message = _("The file is too large. It may be at most 25 MB.")
        return render_template("errors/error.html", status=status, message=message), status

    @app.errorhandler(NotAMonth)
    def not_a_month(error: NotAMonth):
        # A page for a month that is no month does not exist; the API says what is wrong.
        if is_api_request():
            return api_error(422, MONTH_PROBLEM, "month")
        return http_error(error)

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        if is_api_request():
            return api_error(error.status, error.message, error.field)
        return render_template(
            "errors/error.html", status=error.status, message=say(error)
        ), error.status

    @app.errorhandler(RedisError)
    def queue_unreachable(error: RedisError):
        # Redis (the job queue) is down or out of reach: nothing was enqueued, and the rows the
        # request wrote are rolled back, so the person is told to ask again (DESIGN.md §11).
        log.warning("the job queue could not be reached: %s", error)
        from .extensions import db

        db.session.rollback()
        if is_api_request():
            body, status = api_error(503, QUEUE_DOWN)
        else:
            message = _("The job queue cannot be reached just now. Try again in a minute.")
            body, status = render_template("errors/error.html", status=503, message=message), 503
        response = app.make_response((body, status))
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(DisconnectionError)
    @app.errorhandler(PoolTimeout)
    def database_unreachable(error: Exception):
        # The database went away (restarted, failed over, out of connections), is busy, or a
        # statement ran out of its time budget: the transaction is rolled back whole, and the
        # person asks again.
        log.warning("the database could not be reached: %s", error)
        from .extensions import db

        try:
            db.session.rollback()
        except Exception:  # the connection is gone; the pool replaces it on its next lending
            db.session.close()
        too_long = isinstance(getattr(error, "orig", None), QueryCanceled)
        if is_api_request():
            body, status = api_error(503, TOO_LONG if too_long else DATABASE_DOWN)
        else:
            body, status = _page_without_database(too_long), 503
        response = app.make_response((body, status))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("unhandled error")
        from .extensions import db

        db.session.rollback()
        if is_api_request():
            return api_error(500)
        return render_template(
            "errors/error.html", status=500, message=_page_message(500)
        ), InternalServerError.code
