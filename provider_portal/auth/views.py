"""Log in, log out, the password (and second factor) asked again, and the language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import logout_user

from contracts.models import utcnow
from contracts.services import accounts, second_factor
from contracts.services import sessions as session_rows
from contracts.services.accounts import check_password, find_user
from contracts.services.audit import Actor, record

from .. import sessions
from ..extensions import db, limiter
from ..i18n import LANGUAGE_COOKIE, LANGUAGES
from ..logins import address_limit, safe_next
from ..second_factor import await_code, box
from ..security import ALL_ROLES, actor, allow, current
from . import throttle
from .forms import LoginForm, ReauthForm

bp = Blueprint("auth", __name__)


def counts_as_failure(_response) -> bool:
    # Only a password tried and found wrong counts; an answer of "wait" was never tried.
    return bool(g.get("wrong_password"))


def address_key() -> str:
    return "login-address:" + (request.remote_addr or "")


def actor_of(user) -> Actor:
    return Actor(user.email, user.id, request.remote_addr)


def wait_answer(template: str, seconds: int, **context):
    error = _("Too many attempts. Please wait. Try again in %(seconds)s seconds.", seconds=seconds)
    # No Retry-After of our own: Flask-Limiter sets that header from the address's window.
    return render_template(template, error=error, **context), 429


def logged_in(user, target: str | None):
    """The login is complete (password, and code where there is one): a fresh session."""
    sessions.begin(user)
    user.last_login_at = utcnow()
    record(db.session, actor_of(user), "login.succeeded", "user", user.id)
    return redirect(target or url_for("home.index"))


def count_failure(user, email: str, kind: str = "login") -> None:
    g.wrong_password = True
    throttle.failed(email, kind)
    record(
        db.session,
        Actor("anonymous", None, request.remote_addr),
        "login.failed" if kind == "login" else "login.code_failed",
        "user",
        user.id if user else None,
        email=email.strip().lower()[:254],
    )


def _past_the_wait(form: LoginForm, target: str | None):
    """While the account waits, only the password and the second factor together get in; any
    other try counts and is answered as the wait, so it tells nothing about the password."""
    user = find_user(db.session, form.email.data)
    password_right = check_password(user, form.password.data)
    if (
        password_right
        and second_factor.enrolled(user)
        and second_factor.verify(db.session, actor_of(user), user, form.code.data, box())
    ):
        throttle.succeeded(form.email.data)
        return logged_in(user, target)
    count_failure(user, form.email.data)
    return None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(address_limit, key_func=address_key, methods=["POST"], deduct_when=counts_as_failure)
def login():
    form = LoginForm()
    error = None
    target = safe_next(request.args.get("next"))
    if form.validate_on_submit():
        email = form.email.data
        wait = throttle.seconds_to_wait(email)
        if wait:
            if form.code.data and (answer := _past_the_wait(form, target)) is not None:
                return answer
            return wait_answer("auth/login.html", wait, form=form, ask_code=True)
        user = find_user(db.session, email)
        if check_password(user, form.password.data):
            throttle.succeeded(email)
            if second_factor.enrolled(user):
                await_code(user, target)
                return redirect(url_for("auth.login_code"))
            return logged_in(user, target)
        count_failure(user, email)
        error = _("Wrong e-mail or password.")
    elif request.method == "POST":
        error = _("Fill in both e-mail and password.")
    return render_template(
        "auth/login.html", form=form, error=error, demo_exempt=accounts.any_exempt(db.session)
    ), 200


@bp.route("/reauth", methods=["GET", "POST"])
@allow(*ALL_ROLES)
@limiter.limit(address_limit, key_func=address_key, methods=["POST"], deduct_when=counts_as_failure)
def reauth():
    """The password again, and the code for a person with a second factor, before a sensitive
    action; then back where the person was."""
    target = safe_next(request.args.get("next")) or url_for("home.index")
    if session.get("saml"):
        return redirect(url_for("saml.login", next=target))
    user = current()
    asks_code = second_factor.enrolled(user)
    form = ReauthForm()
    error = None
    if form.validate_on_submit():
        wait = throttle.seconds_to_wait(user.email)
        if wait:
            return wait_answer("auth/reauth.html", wait, form=form, asks_code=asks_code)
        if check_password(user, form.password.data) and (
            not asks_code or second_factor.verify(db.session, actor(), user, form.code.data, box())
        ):
            throttle.succeeded(user.email)
            session_rows.confirmed(db.session, sessions.current_row(), request.remote_addr)
            return redirect(target)
        g.wrong_password = True
        throttle.failed(user.email)
        record(db.session, actor(), "reauth.failed", "user", user.id)
        error = _("Wrong password or code.") if asks_code else _("Wrong password.")
    return render_template("auth/reauth.html", form=form, error=error, asks_code=asks_code), 200


@bp.route("/logout", methods=["POST"])
@allow(*ALL_ROLES)
def logout():
    user = current()
    record(db.session, actor_of(user), "logout", "user", user.id)
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
        LANGUAGE_COOKIE,
        language,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config.get("HTTPS_ONLY")),
    )
    return response
