"""One page of a query's rows, and how many there are in all: the list calls' paging (DESIGN.md §8).

A list call pages on the server, `per_page` at most MAX_PER_PAGE, so a year of records with
their details never comes back in one answer. Pages count from 1; there is always a first page,
empty when nothing is found, and a page past the last is empty too (`page_at`: on pages as
in the API).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

PER_PAGE = 50  # a list call's page when the caller does not say
MAX_PER_PAGE = 200

T = TypeVar("T")
U = TypeVar("U")


def page_count(total: int, per_page: int) -> int:
    """How many pages `total` rows fill, at least one."""
    return max(1, -(-total // per_page))


@dataclass(frozen=True)
class Page(Generic[T]):
    """The rows of one page, which page it is, and how many rows the whole query finds."""

    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return page_count(self.total, self.per_page)

    def mapped(self, convert: Callable[[T], U]) -> Page[U]:
        """The same page with each item converted (a record into its API answer)."""
        return replace(self, items=[convert(item) for item in self.items])


def page_at(total: int, page: int, per_page: int, read: Callable[[int, int], Sequence]) -> Page:
    """Page `page` of `total` rows, read by `read(limit, offset)`: below 1 is the first, and a
    page past the last is empty and reads nothing (nor asks for an offset the database cannot
    hold), so a stale link shows the pager rather than other rows."""
    page = max(1, page)
    if page > page_count(total, per_page):
        return Page([], page, per_page, total)
    return Page(list(read(per_page, (page - 1) * per_page)), page, per_page, total)


def page_of(
    session: Session, stmt: sa.Select, page: int, per_page: int, *, rows: bool = False
) -> Page:
    """Page `page` (from 1) of the ordered query's entities (`rows`: its rows), `per_page` (1 to
    MAX_PER_PAGE) of them.

    Two statements whatever the page: the count of the whole query, and the page's rows.
    """
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
    run = session.execute if rows else session.scalars
    return page_at(
        int(total),
        page,
        per_page,
        lambda limit, offset: run(stmt.limit(limit).offset(offset)).all(),
    )
