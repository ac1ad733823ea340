"""The typed parts of URLs, read once as the request is routed.

`<month:month>`: the view gets a `Month`. A segment that is not a month is answered as
`NotAMonth`: a page that does not exist (404) on pages, the API's JSON problem for the field
`month` (errors.py).

`<int:...>` is bounded by what an id column holds, and `<job:...>` takes only what RQ takes
for a job's id: anything else names no record, so it is not found (404) rather than a server
error from the database or the queue.
"""

from __future__ import annotations

from werkzeug.exceptions import NotFound
from werkzeug.routing import BaseConverter, IntegerConverter

from contracts.rules.periods import MONTH_RE, Month

# The largest id an integer column holds on PostgreSQL; a larger one would fail in the database.
MAX_ID = 2**31 - 1
# The JSON schema's pattern of a month: periods' YYYY-MM in its years 1000 to 2999, ASCII digits.
MONTH_PATTERN = MONTH_RE.pattern.replace(r"(\d{4})", r"([12][0-9]{3})", 1)
# RQ's own rule for a job's id (rq.job.JOB_ID_PATTERN), with a length no id of ours reaches.
JOB_ID_PATTERN = r"^[A-Za-z0-9_-]{1,100}$"


def id_of(text: str | None) -> int | None:
    """The id a form or query value writes, or None: not plain digits, or past what a column
    holds (such an id names nothing, and the database would refuse to look for it)."""
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


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


class IdConverter(IntegerConverter):
    """`<int:...>` up to the largest id a column holds; a larger number is not found (404), as
    any id that names nothing (not a 405 from another route of the same path)."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        if number > MAX_ID:
            raise NotFound()
        return number


class JobIdConverter(BaseConverter):
    """A job's id as RQ allows it; any other segment matches no route (404)."""

    regex = JOB_ID_PATTERN[1:-1]


CONVERTERS = {"month": MonthConverter, "int": IdConverter, "job": JobIdConverter}
