"""Languages: Danish by default, English by a switch that sticks (cookie, and the user's profile).

English is written as the msgids themselves, so only a Danish catalogue exists.
"""

from __future__ import annotations

from flask import Flask, g, request
from flask_babel import get_locale
from flask_login import current_user

from .extensions import babel

LANGUAGES = ("da", "en")
LANGUAGE_NAMES = {"da": "Dansk", "en": "English"}
LANGUAGE_COOKIE = "lang"


def _user():
    user = g.get("user")
    # Error pages for unknown routes run before the login gate has set g.user; a page
    # session still knows its user. The API never reads the session cookie.
    if user is None and not request.path.startswith("/api/") and current_user.is_authenticated:
        user = current_user
    return user


def select_locale() -> str:
    """The user's saved choice, else the language cookie, else Danish."""
    user = _user()
    if user is not None and user.locale in LANGUAGES:
        return user.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in LANGUAGES else "da"


def init_app(app: Flask) -> None:
    """Install Babel with the locale selector and give templates the language list."""
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def _language():
        return {"get_locale": get_locale, "LANGUAGES": LANGUAGES, "LANGUAGE_NAMES": LANGUAGE_NAMES}
