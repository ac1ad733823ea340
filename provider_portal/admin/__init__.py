"""admin pages."""

from . import audit  # noqa: F401,E402  (the audit log registers on the blueprint)
