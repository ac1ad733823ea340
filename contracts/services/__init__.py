"""Use cases: take a session and ids, apply the rules, flush, never commit.

The edges (a request handler, a job, a command) commit once when the use case is done.
"""

from __future__ import annotations

from typing import Any

from ..rules.problems import Problem, english


class DomainError(Exception):
    """A use case refused: a message template and its values say why, and nothing was changed.

    The template is marked with `N_()` where it is raised: `.message` is the English sentence
    (the API and the CLI show it), pages translate the template and fill in the values.
    ``status`` tells an edge how to answer: 422 when the rules forbid it, 409 when the
    record's state does, 404 when the record is not there (or not visible).
    """

    status = 422

    def __init__(
        self, template: str, field: str | None = None, status: int | None = None, **params: Any
    ):
        self.template = template
        self.params = params
        self.message = english(template, params)
        super().__init__(self.message)
        self.field = field
        if status is not None:
            self.status = status


class Refused(DomainError):
    """A use case refused for several reasons at once: every problem, each with its field.

    The first one is the error's own message, for an edge that shows only one.
    """

    def __init__(self, problems: list[Problem], status: int = 422):
        first = problems[0]
        super().__init__(first.template, first.field, status, **first.params)
        self.problems = problems


class NotFound(DomainError):
    """The record does not exist or the viewer may not know that it exists."""

    status = 404
