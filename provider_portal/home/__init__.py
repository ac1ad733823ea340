"""home pages."""

from . import accessibility  # noqa: F401  (the accessibility statement registers on the blueprint)
