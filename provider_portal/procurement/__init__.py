"""procurement pages."""

from . import (
    entry,  # noqa: F401,E402  (a new tender and a contract entered directly register on the blueprint)
    providers,  # noqa: F401,E402  (the provider pages register on the blueprint)
    reports,  # noqa: F401,E402  (the report review pages register on the blueprint)
    tenders,  # noqa: F401,E402  (tenders, extensions and referrals register on the blueprint)
)
