"""Sessions at the edge: the browser's cookie carries only a session id, checked on every request
against its row (contracts.services.sessions), and the password asked again before sensitive
actions.

The client's address is `request.remote_addr` only; behind a proxy, PROXY_FIX_HOPS lets
werkzeug's ProxyFix set it from that many X-Forwarded-For entries. A header a client sends is
never trusted otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import user_logged_out

from contracts.models import User
from contracts.services import sessions

from . import transaction
from .extensions import db, login_manager

SESSION_KEY = "_sid"


def _binding() -> str:
    """A digest of where the session is used: the address and the browser."""
    agent = request.headers.get("User-Agent", "")
    return sessions.digest(f"{request.remote_addr or ''}\n{agent}")


def _limits() -> sessions.Limits:
    config = current_app.config
    return sessions.Limits(
        idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        most=timedelta(hours=config["SESSION_MAX_HOURS"]),
    )


def begin(user: User) -> None:
    """Log `user` in on a fresh Flask session holding only the new session's id (and the page
    language), so a planted cookie is worth nothing; a session the browser had ends."""
    _end_current("replaced")
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    session[SESSION_KEY] = sessions.begin(db.session, user, _binding(), request.remote_addr)
    g.login_session = None


def current_row():
    """This request's live session row, or None (no session, or the API's token)."""
    return g.get("login_session")


def _end_current(reason: str) -> None:
    session_id = session.get(SESSION_KEY)
    row = sessions.find(db.session, session_id) if session_id else None
    if row is not None:
        sessions.end(db.session, row, reason, request.remote_addr)


@user_logged_out.connect
def _logged_out(_app, user=None, **_extra) -> None:
    # Every way out (the logout button, single logout) ends the row: a copied cookie stops
    # working at once.
    _end_current("logout")
    session.pop(SESSION_KEY, None)


def _load_from_session(_request) -> User | None:
    """The user of the session the cookie names, when that session is live."""
    g.login_session = None
    session_id = session.get(SESSION_KEY)
    if not session_id:
        return None
    resumed = sessions.resume(db.session, session_id, _binding(), request.remote_addr, _limits())
    if resumed.row is None:
        session.pop(SESSION_KEY, None)
        if resumed.ended_reason is not None:
            # Stored at once: the request goes on without a login and may never commit.
            transaction.commit()
            g.session_ended = resumed.ended_reason
        return None
    g.login_session = resumed.row
    return resumed.row.user


def say_logged_out() -> None:
    """When this request's session just ended, tell the person why on the next page."""
    reason = g.pop("session_ended", None)
    if reason is None:
        return
    config = current_app.config
    if reason == "idle":
        minutes = config["SESSION_IDLE_MINUTES"]
        flash(
            _(
                "You have been logged out after %(minutes)s minutes without activity.",
                minutes=minutes,
            ),
            "info",
        )
    elif reason == "expired":
        hours = config["SESSION_MAX_HOURS"]
        flash(
            _("You have been logged out: a login lasts at most %(hours)s hours.", hours=hours),
            "info",
        )
    else:
        flash(_("You have been logged out. Log in again to continue."), "info")


def _return_to() -> str:
    """Where to come back after the password: this page, or for a form's POST the page that
    showed the form (the form is filled in again; its post is not kept)."""
    if request.method == "GET":
        return request.full_path if request.query_string else request.path
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path.startswith("/"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return url_for("home.index")


def fresh_login_required(view: Callable) -> Callable:
    """A sensitive page or action: the person proved who they are within 5 minutes, or is sent
    to give the password again (a single sign-on session: to the identity provider again)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        row = current_row()
        if row is None or sessions.is_fresh(row):
            return view(*args, **kwargs)  # the API: a token, not a session
        target = _return_to()
        if session.get("saml"):
            return redirect(url_for("saml.login", next=target), 303)
        return redirect(url_for("auth.reauth", next=target), 303)

    wrapper.needs_fresh_login = True
    return wrapper


def init_app(_app: Flask) -> None:
    login_manager.request_loader(_load_from_session)
    # Sessions are bound to their address and browser here (sessions.resume); Flask-Login's
    # own binding read the client-sent X-Forwarded-For, so it is off.
    login_manager.session_protection = None
