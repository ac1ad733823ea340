"""auth pages."""

from . import (
    invitations,  # noqa: F401,E402  (the one-time links' pages register on the blueprint)
    second_factor_pages,  # noqa: F401,E402  (the code after the password, and enrolment)
    tokens,  # noqa: F401,E402  (every user's own API tokens register on the blueprint)
)
