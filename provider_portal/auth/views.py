"""Log in, log out, the password asked again, and the language switch."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import logout_user

from contracts.models import utcnow
from contracts.services import sessions as session_rows
from contracts.services.accounts import check_password, find_user
from contracts.services.audit import Actor, record

from .. import sessions
from ..extensions import db, limiter
from ..i18n import LANGUAGE_COOKIE, LANGUAGES
from ..logins import address_limit, safe_next
from ..security import ALL_ROLES, actor, allow, current
from . import throttle
from .forms import LoginForm, ReauthForm

bp = Blueprint("auth", __name__)


def _wrong_password(_response) -> bool:
    # Only a password tried and found wrong counts; an answer of "wait" was never tried.
    return bool(g.get("wrong_password"))


def _address_key() -> str:
    return "login-address:" + (request.remote_addr or "")


def _wait_answer(template: str, seconds: int, **context):
    error = _("Too many attempts. Please wait. Try again in %(seconds)s seconds.", seconds=seconds)
    # No Retry-After of our own: Flask-Limiter sets that header from the address's window.
    return render_template(template, error=error, **context), 429


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(address_limit, key_func=_address_key, methods=["POST"], deduct_when=_wrong_password)
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        email = form.email.data
        wait = throttle.seconds_to_wait(email)
        if wait:
            return _wait_answer("auth/login.html", wait, form=form)
        user = find_user(db.session, email)
        if check_password(user, form.password.data):
            throttle.succeeded(email)
            sessions.begin(user)
            user.last_login_at = utcnow()
            record(
                db.session,
                Actor(user.email, user.id, request.remote_addr),
                "login.succeeded",
                "user",
                user.id,
            )
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
        g.wrong_password = True
        throttle.failed(email)
        record(
            db.session,
            Actor("anonymous", None, request.remote_addr),
            "login.failed",
            "user",
            user.id if user else None,
            email=email.strip().lower()[:254],
        )
        error = _("Wrong e-mail or password.")
    elif request.method == "POST":
        error = _("Fill in both e-mail and password.")
    return render_template("auth/login.html", form=form, error=error), 200


@bp.route("/reauth", methods=["GET", "POST"])
@allow(*ALL_ROLES)
@limiter.limit(address_limit, key_func=_address_key, methods=["POST"], deduct_when=_wrong_password)
def reauth():
    """The password again before a sensitive action; then back where the person was."""
    target = safe_next(request.args.get("next")) or url_for("home.index")
    if session.get("saml"):
        return redirect(url_for("saml.login", next=target))
    user = current()
    form = ReauthForm()
    error = None
    if form.validate_on_submit():
        wait = throttle.seconds_to_wait(user.email)
        if wait:
            return _wait_answer("auth/reauth.html", wait, form=form)
        if check_password(user, form.password.data):
            throttle.succeeded(user.email)
            session_rows.confirmed(db.session, sessions.current_row(), request.remote_addr)
            return redirect(target)
        g.wrong_password = True
        throttle.failed(user.email)
        record(db.session, actor(), "reauth.failed", "user", user.id)
        error = _("Wrong password.")
    return render_template("auth/reauth.html", form=form, error=error), 200


@bp.route("/logout", methods=["POST"])
@allow(*ALL_ROLES)
def logout():
    user = current()
    record(db.session, Actor(user.email, user.id, request.remote_addr), "logout", "user", user.id)
    logout_user()  # ends the session's row (provider_portal.sessions)
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
    target = safe_next(request.form.get("next")) or url_for("home.index")
    response = redirect(target)
    response.set_cookie(
        LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, httponly=True, samesite="Lax"
    )
    return response
