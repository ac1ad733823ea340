"""The services' problems next to the form fields they concern, in the user's language."""

from __future__ import annotations

from ..i18n import Message, say


def show_problems(problems: list[Message], fields: dict[str, object]) -> list[str]:
    """Put each problem (a Problem or a DomainError) next to its form field; return those with no field."""
    general = []
    for problem in problems:
        field = fields.get(problem.field or "")
        if field is None:
            general.append(say(problem))
        else:
            field.errors = list(field.errors or []) + [say(problem)]
    return general
