"""Log in, log out and the language switch."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from contracts.models import utcnow
from contracts.services.accounts import check_password, find_user
from contracts.services.audit import Actor, record

from ..extensions import db, limiter
from ..i18n import LANGUAGE_COOKIE, LANGUAGES
from ..security import ALL_ROLES, allow, current, password_stamp
from .forms import LoginForm

bp = Blueprint("auth", __name__)


def _login_failed(response) -> bool:
    # Only failed attempts count against the limits; a good login costs nothing.
    return response.status_code != 302


def _account_key() -> str:
    return "login-account:" + (request.form.get("email") or "").strip().lower()


def _address_key() -> str:
    return "login-address:" + (request.remote_addr or "")


def _account_limit() -> str:
    return current_app.config["LOGIN_LIMITS"][0]


def _address_limit() -> str:
    return current_app.config["LOGIN_LIMITS"][1]


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site, never another host, may be the target after login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def start_session(user) -> None:
    """Log the user in on a fresh session, so a planted session id is worth nothing."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    login_user(user)
    session["_stamp"] = password_stamp(user)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_login_failed)
@limiter.limit(_address_limit, key_func=_address_key, methods=["POST"], deduct_when=_login_failed)
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = find_user(db.session, form.email.data)
        if check_password(user, form.password.data):
            start_session(user)
            user.last_login_at = utcnow()
            record(
                db.session,
                Actor(user.email, user.id, request.remote_addr),
                "login.succeeded",
                "user",
                user.id,
            )
            return redirect(_safe_next(request.args.get("next")) or url_for("home.index"))
        record(
            db.session,
            Actor("anonymous", None, request.remote_addr),
            "login.failed",
            "user",
            user.id if user else None,
            email=form.email.data.strip().lower()[:254],
        )
        error = _("Wrong e-mail or password.")
    elif request.method == "POST":
        error = _("Fill in both e-mail and password.")
    return render_template("auth/login.html", form=form, error=error), 200


@bp.route("/logout", methods=["POST"])
@allow(*ALL_ROLES)
def logout():
    user = current()
    record(db.session, Actor(user.email, user.id, request.remote_addr), "logout", "user", user.id)
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch language; the choice sticks in a cookie and, when logged in, on the user."""
    language = request.form.get("language")
    if language not in LANGUAGES:
        language = "da"
    user = current()
    if user is not None:
        user.locale = language
    target = _safe_next(request.form.get("next")) or url_for("home.index")
    response = redirect(target)
    response.set_cookie(
        LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, httponly=True, samesite="Lax"
    )
    return response
