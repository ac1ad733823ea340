"""auth pages."""

from . import tokens  # noqa: F401,E402  (every user's own API tokens register on the blueprint)
