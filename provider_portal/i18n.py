"""Languages: Danish by default, English by a switch that sticks (cookie, and the user's profile).

English is written as the msgids themselves, so only a Danish catalogue exists. The domain's
refusals and problems carry an English template and its values; `say` puts them in the
page's language.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from flask import Flask, g, request
from flask_babel import get_locale, gettext, pgettext
from flask_login import current_user

from contracts.rules.periods import is_month
from contracts.rules.problems import Choices

from . import formatting
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


class Message(Protocol):
    """A domain message: a DomainError or a Problem."""

    template: str
    params: dict[str, Any]
    field: str | None


def _state(value: str) -> str:
    # A record's state as a refusal names it ("the tender is closed; …"); unknown ones as they are.
    return {
        "draft": pgettext("state", "draft"),
        "published": pgettext("state", "published"),
        "closed": pgettext("state", "closed"),
        "evaluated": pgettext("state", "evaluated"),
        "awarded": pgettext("state", "awarded"),
        "concluded": pgettext("state", "concluded"),
        "cancelled": pgettext("state", "cancelled"),
        "submitted": pgettext("state", "submitted"),
        "accepted": pgettext("state", "accepted"),
        "rejected": pgettext("state", "rejected"),
        "invoiced": pgettext("state", "invoiced"),
        "active": pgettext("state", "active"),
        "ended": pgettext("state", "ended"),
        "terminated": pgettext("state", "terminated"),
    }.get(value, value)


def _lowered(label: str) -> str:
    return label[:1].lower() + label[1:]


def _shown(name: str, value: Any) -> Any:
    """A value as the page's locale writes it: dates, times, decimals, months and states."""
    if isinstance(value, datetime):
        return f"{formatting.day(value)} {value:%H:%M}"
    if isinstance(value, date):
        return formatting.day(value)
    if isinstance(value, Decimal):
        return formatting.number(value, max(0, -value.as_tuple().exponent))
    if isinstance(value, Choices):  # the words as this page names them: job, uddannelse, ...
        return ", ".join(_lowered(gettext(label)) for label in value.labels.values())
    if name == "month" and is_month(value):
        return formatting.month(value)
    if name == "state" and isinstance(value, str):
        return _state(value)
    return value


def say(message: Message) -> str:
    """A refusal or problem of the domain in the page's language: the template through the
    catalogue, then its values (a param named `month` is a YYYY-MM month, `state` a record's state)."""
    params = {name: _shown(name, value) for name, value in message.params.items()}
    return gettext(message.template, **params) if params else gettext(message.template)


def init_app(app: Flask) -> None:
    """Install Babel with the locale selector and give templates the language list."""
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def _language():
        return {"get_locale": get_locale, "LANGUAGES": LANGUAGES, "LANGUAGE_NAMES": LANGUAGE_NAMES}
