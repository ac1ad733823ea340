"""auth pages."""

from . import (
    invitations,  # noqa: F401,E402  (the one-time links' pages register on the blueprint)
    tokens,  # noqa: F401,E402  (every user's own API tokens register on the blueprint)
)
