"""Problems found in input: where (line, field) and why, in words a person understands.

The message is an English template with named parameters; pages translate the template
(its msgid) to Danish, the API shows the English text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


def N_(template: str) -> str:
    """Mark a message template for translation without translating it here (no Flask here)."""
    return template


@dataclass(frozen=True)
class Choices:
    """The words a person may write in a field, by code with each code's label: the API's
    English message lists the codes, a page lists the labels in its own language."""

    labels: Mapping[str, str]

    def __str__(self) -> str:
        return ", ".join(self.labels)


def _english(value: Any) -> Any:
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, Decimal):
        return f"{value:f}"  # 400, not 4E+2
    return value


def english(template: str, params: Mapping[str, Any]) -> str:
    """The English sentence: the template with its values, a timestamp to the minute."""
    if not params:
        return template
    return template % {name: _english(value) for name, value in params.items()}


@dataclass(frozen=True)
class Problem:
    """One problem: the file's line number (None for the report as a whole), the column, why."""

    template: str
    params: dict[str, Any] = field(default_factory=dict)
    line: int | None = None
    field: str | None = None

    @property
    def message(self) -> str:
        """The English message."""
        return english(self.template, self.params)

    def as_json(self) -> dict[str, Any]:
        """The API's error item: {"line"?, "field", "message"}."""
        item: dict[str, Any] = {"field": self.field, "message": self.message}
        if self.line is not None:
            item = {"line": self.line, **item}
        return item


# Problems shown of one refusal: enough to fix a file by, while a file of a million bad cells
# is not answered with a million sentences. The rest are counted in one last problem.
MAX_PROBLEMS = 100
MORE_PROBLEMS = N_("and %(count)s more")


def capped(problems: list[Problem], limit: int = MAX_PROBLEMS) -> list[Problem]:
    """The first `limit` problems, and one saying how many more there are (if any)."""
    if len(problems) <= limit:
        return problems
    return [*problems[:limit], Problem(MORE_PROBLEMS, {"count": len(problems) - limit})]


class InputRejected(ValueError):
    """Input refused whole; `problems` lists the reasons (the first MAX_PROBLEMS of them, then
    how many more), `total` counts them all, and `status` is the HTTP answer."""

    def __init__(self, problems: list[Problem], status: int = 422):
        self.total = len(problems)
        self.problems = capped(problems)
        super().__init__("; ".join(p.message for p in self.problems))
        self.status = status
