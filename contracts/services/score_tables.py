"""The stored scores as the score pages show them: a month's tables, and one scope month by month.

Each table is read in one statement however many rows it has: the figures of every scope of
a kind come in one query with their programme's score weights, as do one scope's (`figures`,
which the API serves). A viewer sees only the scopes `scope` lets it see; a provider neither
the whole effort nor the programmes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Contract, Programme, Provider, Score
from ..rules.periods import Month
from ..rules.scoring import Figures
from . import NotFound, contract_lists, contract_register, providers
from .programmes import all_programmes
from .scope import Viewer
from .sustained import sustained_counts


def scored_months(
    session: Session, kind: str | None = None, scope_id: int | None = None
) -> list[str]:
    """Months with written scores, newest first (for one scope, if given)."""
    stmt = sa.select(Score.month).distinct().order_by(Score.month.desc())
    if kind is not None:
        stmt = stmt.where(Score.scope == kind, Score.scope_id == scope_id)
    return list(session.scalars(stmt))


def _with_weights(kind: str, stmt: sa.Select) -> sa.Select:
    """The statement with the scope's programme weights as two more columns (None: the defaults)."""
    if kind == "programme":
        programme_id = Score.scope_id
    elif kind == "contract":
        stmt = stmt.outerjoin(Contract, Contract.id == Score.scope_id)
        programme_id = Contract.programme_id
    else:
        return stmt.add_columns(sa.null(), sa.null())
    return stmt.outerjoin(Programme, Programme.id == programme_id).add_columns(
        Programme.w_outcome, Programme.w_delivery
    )


# What a stored score row and the figures share: everything but the programme's weights.
STORED = tuple(
    f.name for f in fields(Figures) if f.name not in ("w_outcome", "w_delivery", "sustained")
)


def _figures_by(session: Session, kind: str, key: str, *where: sa.ColumnElement[bool]) -> dict:
    """The kind's stored figures that `where` admits, with their weights, by `key`: one statement."""
    stmt = _with_weights(kind, sa.select(Score).where(Score.scope == kind, *where))
    found = {}
    for score, w_outcome, w_delivery in session.execute(stmt):
        stored = {name: getattr(score, name) for name in STORED}
        if w_outcome is not None:  # else the figures' own defaults: no programme, no weights
            stored.update(w_outcome=w_outcome, w_delivery=w_delivery)
        found[getattr(score, key)] = Figures(**stored)
    return found


def _with_sustained(found: dict, counts: dict, key) -> dict:
    """The figures with their sustained shares (`sustained.py`, counted on read) where they apply."""
    return {
        at: replace(f, sustained=counts[key(at)]) if key(at) in counts else f
        for at, f in found.items()
    }


def figures(
    session: Session, kind: str, scope_id: int, month: str, cumulative: bool
) -> Figures | None:
    """One scope's stored figures for a month, with its programme's weights; None before any."""
    found = _figures_by(
        session,
        kind,
        "scope_id",
        Score.scope_id == scope_id,
        Score.month == month,
        Score.cumulative == cumulative,
    )
    if found and cumulative:
        counts = sustained_counts(session, kind, {month: Month.parse(month).last_day}, scope_id)
        found = _with_sustained(found, counts, lambda at: (at, month))
    return found.get(scope_id)


def figures_by_scope(
    session: Session, kind: str, month: str, cumulative: bool
) -> dict[int, Figures]:
    """Every stored scope of a kind's figures for a month, by scope id: one statement (two
    when cumulated, with the sustained shares)."""
    found = _figures_by(
        session, kind, "scope_id", Score.month == month, Score.cumulative == cumulative
    )
    if not found or not cumulative:
        return found
    counts = sustained_counts(session, kind, {month: Month.parse(month).last_day})
    return _with_sustained(found, counts, lambda at: (at, month))


def figures_by_month(
    session: Session, kind: str, scope_id: int, cumulative: bool
) -> dict[str, Figures]:
    """One scope's stored figures for every scored month, by month: one statement (two when
    cumulated, with the sustained shares of every month at once)."""
    found = _figures_by(
        session, kind, "month", Score.scope_id == scope_id, Score.cumulative == cumulative
    )
    if not found or not cumulative:
        return found
    periods = {month: Month.parse(month).last_day for month in found}
    counts = sustained_counts(session, kind, periods, scope_id)
    return _with_sustained(found, counts, lambda at: (scope_id, at))


@dataclass(frozen=True)
class ScoreTables:
    """A month's tables as the viewer may see them; figures None where the scope has no data.

    `whole` and `programmes` are for staff only (None and empty for a provider). A contract
    without figures for the month (no accepted report yet) is left out.
    """

    whole: Figures | None
    programmes: list[tuple[Programme, Figures | None]]
    providers: list[tuple[Provider, Figures | None]]
    contracts: list[tuple[Contract, Figures]]


def score_tables(session: Session, viewer: Viewer, month: str, cumulative: bool) -> ScoreTables:
    """The month's tables: a fixed number of statements however many scopes there are."""
    whole, programmes = None, []
    if not viewer.is_provider:
        whole = figures_by_scope(session, "all", month, cumulative).get(0)
        by_programme = figures_by_scope(session, "programme", month, cumulative)
        programmes = [(p, by_programme.get(p.id)) for p in all_programmes(session)]
    by_provider = figures_by_scope(session, "provider", month, cumulative)
    by_contract = figures_by_scope(session, "contract", month, cumulative)
    return ScoreTables(
        whole=whole,
        programmes=programmes,
        providers=[
            (p, by_provider.get(p.id)) for p in providers.visible_providers(session, viewer)
        ],
        contracts=[
            (c, by_contract[c.id])
            for c in contract_lists.contracts_by_reference(session, viewer)
            if c.id in by_contract
        ],
    )


def visible_scope(session: Session, viewer: Viewer, kind: str, scope_id: int):
    """The provider or contract whose scores these are, if the viewer may see it; None otherwise."""
    try:
        if kind == "provider":
            return providers.get_provider(session, viewer, scope_id)
        return contract_register.get_contract(session, viewer, scope_id)
    except NotFound:
        return None
