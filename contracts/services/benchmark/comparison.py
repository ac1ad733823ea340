"""The cities side by side (DESIGN.md §12): the own municipality's stored scores and each peer's
newest imported package, per programme and month range. Rates only where their counts are
published; a suppressed count stays unknown ("<5" on the page).

A range's total is the months' sum when every month is published. A month's small counts are
suppressed, so for a range from a city's first month it is read from the cumulated figures up
to the range's last month instead (a package's "cumulative" cells, the own cumulated scores),
which count the same citizens and are large enough to be published."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ...models import Programme, Score
from ...rules.scoring import wilson_interval
from .imports import newest_imports
from .package import CUMULATIVE
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
    # The cumulated figures (from the city's first month) up to each month that has them.
    cumulated: dict[str, Counts] = field(default_factory=dict)
    first: str | None = None  # the city's first month with figures

    def over(self, months: Sequence[str]) -> Counts:
        """The range's participants, exits and positive exits (None where unknown): the months'
        sum, or the cumulated figures when the range runs from the city's first month."""

        def total(name: str) -> int | None:
            found = [getattr(self.months.get(m), name, None) for m in months]
            return None if any(v is None for v in found) else sum(found)

        cumulated = self.cumulated.get(months[-1]) if months else None
        if cumulated is not None and self.first is not None and months[0] <= self.first:
            return cumulated  # the same citizens, each counted once, in published counts
        return Counts(None, total("exits"), total("positive"))


def _own(session: Session, name: str, programme: str, months: Sequence[str]) -> City:
    stmt = sa.select(
        Score.month, Score.cumulative, Score.participants, Score.exits, Score.positive
    ).where(Score.month.in_(list(months)))
    if programme == ALL:
        stmt = stmt.where(Score.scope == "all")
    else:
        stmt = stmt.join(Programme, Programme.id == Score.scope_id).where(
            Score.scope == "programme", Programme.code == programme
        )
    found, cumulated = {}, {}
    for month, cumulative, *counts in session.execute(stmt):
        (cumulated if cumulative else found)[month] = Counts(*counts)
    first = session.scalar(sa.select(sa.func.min(Score.month)).where(Score.scope == "all"))
    return City(name, True, found, cumulated, first)


def compare(session: Session, own_name: str, programme: str, months: Sequence[str]) -> list[City]:
    """The own city first, then each peer's newest package, by name: three statements."""
    cities = [_own(session, own_name, programme, months)]
    for stored in newest_imports(session):
        found, cumulated = {}, {}
        for cell in stored.package["cells"]:
            if cell["programme"] != programme:
                continue
            counts = Counts(cell["participants"], cell["exits"], cell["positive"])
            if cell["month"] == CUMULATIVE:
                cumulated[stored.package["period"]["to"]] = counts
            elif cell["month"] in months:
                found[cell["month"]] = counts
        period = stored.package["period"]
        cities.append(City(stored.municipality, False, found, cumulated, period["from"]))
    return cities


def imported_months(session: Session) -> list[str]:
    """Every month some imported package covers, oldest first."""
    months = set()
    for stored in newest_imports(session):
        months.update(c["month"] for c in stored.package["cells"] if c["month"] != "cumulative")
    return sorted(months)
