"""The cities side by side (DESIGN.md §12): the own municipality's stored scores and each peer's
newest imported package, per programme and month range. Rates only where their counts are
published; a suppressed count stays unknown ("<5" on the page)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import Programme, Score
from ...rules.scoring import wilson_interval
from .imports import newest_imports
from .suppression import ALL


@dataclass(frozen=True)
class Counts:
    """One city's counts for a month or the range; None where suppressed."""

    participants: int | None
    exits: int | None
    positive: int | None

    @property
    def outcome(self) -> tuple[float, tuple[float, float]] | None:
        return _rate(self.positive, self.exits)

    @property
    def placement(self) -> tuple[float, tuple[float, float]] | None:
        return _rate(self.positive, self.participants)


def _rate(successes: int | None, trials: int | None):
    if successes is None or not trials:
        return None
    return successes / trials, wilson_interval(successes, trials)


@dataclass(frozen=True)
class City:
    name: str
    own: bool
    months: dict[str, Counts]

    def over(self, months: Sequence[str]) -> Counts:
        """Exits and positive exits summed over the months (None if one is unknown or absent)."""

        def total(name: str) -> int | None:
            found = [getattr(self.months.get(m), name, None) for m in months]
            return None if any(v is None for v in found) else sum(found)

        return Counts(None, total("exits"), total("positive"))


def _own(session: Session, name: str, programme: str, months: Sequence[str]) -> City:
    stmt = sa.select(Score.month, Score.participants, Score.exits, Score.positive).where(
        Score.cumulative.is_(False), Score.month.in_(list(months))
    )
    if programme == ALL:
        stmt = stmt.where(Score.scope == "all")
    else:
        stmt = stmt.join(Programme, Programme.id == Score.scope_id).where(
            Score.scope == "programme", Programme.code == programme
        )
    found = {month: Counts(p, e, pos) for month, p, e, pos in session.execute(stmt)}
    return City(name, True, found)


def compare(session: Session, own_name: str, programme: str, months: Sequence[str]) -> list[City]:
    """The own city first, then each peer's newest package, by name: two statements."""
    cities = [_own(session, own_name, programme, months)]
    for stored in newest_imports(session):
        found = {
            cell["month"]: Counts(cell["participants"], cell["exits"], cell["positive"])
            for cell in stored.package["cells"]
            if cell["programme"] == programme and cell["month"] in months
        }
        cities.append(City(stored.municipality, False, found))
    return cities


def imported_months(session: Session) -> list[str]:
    """Every month some imported package covers, oldest first."""
    months = set()
    for stored in newest_imports(session):
        months.update(c["month"] for c in stored.package["cells"] if c["month"] != "cumulative")
    return sorted(months)
