"""The `<month:month>` part of a URL: the month is read once, as the request is routed.

The view gets a `Month`. A segment that is not a month is answered as `NotAMonth`: a page
that does not exist (404) on pages, the API's JSON problem for the field `month` (errors.py).
"""

from __future__ import annotations

from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter

from contracts.rules.periods import Month


class NotAMonth(NotFound):
    """The URL's month is not written YYYY-MM."""


class MonthConverter(BaseConverter):
    # Any segment: one that is not a month is answered (NotAMonth), not taken for another route.
    regex = r"[^/]+"

    def to_python(self, value: str) -> Month:
        try:
            return Month.parse(value)
        except ValueError:
            raise NotAMonth() from None
