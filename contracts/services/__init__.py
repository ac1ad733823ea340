"""Use cases: take a session and ids, apply the rules, flush, never commit.

The edges (a request handler, a job, a command) commit once when the use case is done.
"""


class DomainError(Exception):
    """A use case refused: the message says why in plain words, and nothing was changed.

    ``status`` tells an edge how to answer: 422 when the rules forbid it, 409 when the
    record's state does, 404 when the record is not there (or not visible).
    """

    status = 422

    def __init__(self, message: str, field: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status


class NotFound(DomainError):
    """The record does not exist or the viewer may not know that it exists."""

    status = 404
