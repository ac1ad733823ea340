"""Deny by default: the login gate, roles per view, the viewer every query is scoped to, headers.

Every endpoint needs a logged-in user (a session on pages, a bearer token on the API) except
the short list in PUBLIC_ENDPOINTS, and every view must name the roles that may use it with
@allow; a view that names none is refused to everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from contracts.models import User
from contracts.services.accounts import user_for_token
from contracts.services.audit import Actor
from contracts.services.scope import Viewer

from . import clock, sessions
from .extensions import db, login_manager
from .second_factor import must_enrol_now

PUBLIC_ENDPOINTS = frozenset(
    {
        "static",
        "auth.login",
        "auth.set_language",
        "api.openapi",
        # Single sign-on: the way in, and out (they check the SAML messages themselves).
        "saml.metadata",
        "saml.login",
        "saml.acs",
        "saml.logout",
        # One-time links (invitation, password reset) and asking for one: the link is the proof.
        "auth.set_password",
        "auth.forgot_password",
        # The code after the password: no session yet, the pending login is the proof.
        "auth.login_code",
        # The accessibility statement, which the law asks to be open to everyone.
        "home.accessibility",
    }
)
# What a password session that must enrol its second factor may reach until it has.
WHILE_ENROLLING = frozenset(
    {"auth.two_factor", "auth.two_factor_enrol", "auth.logout", "auth.set_language"}
)
ALL_ROLES = ("procurement", "provider", "finance", "admin")
# Each role's name as a person reads it, in the page's language.
ROLE_LABELS = {
    "procurement": _l("Procurement"),
    "provider": _l("Provider"),
    "finance": _l("Finance"),
    "admin": _l("Administrator"),
}

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def allow(*roles: str) -> Callable:
    """Name the roles that may use a view; everyone else gets 403."""
    unknown = set(roles) - set(ALL_ROLES)
    if unknown or not roles:
        raise ValueError(f"allow() needs known roles, not {sorted(unknown) or 'none'}")

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)
        return wrapper

    return decorate


def is_api_request() -> bool:
    """True for calls under /api/, which answer in JSON and authenticate by bearer token."""
    return request.path.startswith("/api/")


def current() -> User | None:
    """The user of this request: from the bearer token on the API, the session on pages."""
    return g.get("user")


def viewer() -> Viewer:
    """The viewer that scopes this request's queries."""
    user = current()
    if user is None:
        abort(401)
    return Viewer(user_id=user.id, role=user.role, provider_id=user.provider_id)


def actor() -> Actor:
    """The audit log's actor for this request."""
    user = current()
    return Actor(
        label=user.email if user else "anonymous",
        user_id=user.id if user else None,
        remote_addr=request.remote_addr,
    )


def _bearer_user() -> User | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    # The token's last use is recorded in the call's own transaction (transaction.py), which
    # commits when the call succeeds.
    return user_for_token(db.session, token.strip(), clock.today())


def _gate():
    """Run before every request: authenticate, then check the view's roles."""
    g.user = None
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no such route: the 404/405 handlers answer
    if is_api_request():
        g.user = _bearer_user()
    elif current_user.is_authenticated:
        g.user = current_user._get_current_object()
    if endpoint in PUBLIC_ENDPOINTS:
        sessions.say_logged_out()  # on the login page, when the session just ended
        return None
    if g.user is None:
        if is_api_request():
            abort(401)
        sessions.say_logged_out()
        return login_manager.unauthorized()
    if not is_api_request() and endpoint not in WHILE_ENROLLING and must_enrol_now(g.user):
        return redirect(url_for("auth.two_factor"))
    view = current_app.view_functions.get(endpoint)
    roles = getattr(view, "allowed_roles", frozenset())
    if g.user.role not in roles:
        abort(403)
    return None


def _headers(response):
    # A stored file answers with its own, stricter policy (file_responses: sandbox).
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if current_app.config.get("HTTPS_ONLY"):
        # A year, subdomains too: the browser never tries plain HTTP again.
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if g.get("user") is not None and "Cache-Control" not in response.headers:
        # Pages with personal data must not linger in shared caches or the back button.
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Install the gate and the headers."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    sessions.init_app(app)
    app.before_request(_gate)
    app.after_request(_headers)
