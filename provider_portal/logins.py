"""What the ways in share, the password form and single sign-on alike: the address's limit on
failed logins, and the only places a login may return to."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def address_limit() -> str:
    """Failed logins an address may make (Flask-Limiter's notation, from LOGIN_LIMITS)."""
    return current_app.config["LOGIN_LIMITS"][1]


def login_failed(response) -> bool:
    """A login answered with anything but the redirect into the portal counts against the
    address's limit; a good login costs nothing."""
    return response.status_code != 302


def safe_next(target: str | None) -> str | None:
    """Only a path on this site, never another host, may be the target after login."""
    if not target:
        return None
    if any(ord(character) < 32 or ord(character) == 127 for character in target):
        return None  # a line break would split the redirect's Location header
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
