"""procurement pages."""

from . import tenders  # noqa: F401,E402  (tenders, extensions and referrals register on the blueprint)
