"""Languages: Danish by default, English by a switch that sticks (cookie, and the user's profile)."""

from __future__ import annotations

from flask import Flask, g, request

from flask_babel import get_locale

from .extensions import babel

LANGUAGES = ("da", "en")
LANGUAGE_COOKIE = "lang"


def select_locale() -> str:
    """The user's saved choice, else the language cookie, else Danish."""
    user = g.get("user")
    if user is not None and user.locale in LANGUAGES:
        return user.locale
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in LANGUAGES else "da"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def _language():
        return {"get_locale": get_locale, "LANGUAGES": LANGUAGES}
