"""The effort's headline figures as of a day, counted from enrolments (DESIGN.md §3, §7, §8).

An enrolment ends for one of two reasons the figures see at once: procurement accepts the
monthly report that carries its exit, or confirms an exit notice (both set `Enrolment.end_on`
and `end_reason`). The monthly figures and rates stay the aggregation's (`scoring.py`); these
are the "as of today" figures of the home pages and `GET /api/v1/figures`.

What counts, as of a day D, in a scope (all, a programme, a provider, a contract):
- `participants`: distinct citizens with an enrolment in the scope started on or before D.
  A citizen counts once per scope: a transfer to the successor contract counts once in the
  whole effort and in the programme (a successor is of the same programme), once in each
  contract's own figures, and once per provider (twice only when the successor is another
  provider's: each provider had the citizen).
- `exits`: enrolments in the scope ended on or before D with an exit reason of
  `rules.exits` (a transfer is never an exit), split into positive (job, education), benefit
  stopped and other. An exit on D is an exit on D.
- `active`: distinct citizens with an enrolment in the scope started on or before D and not
  ended on or before D; a referral starting after D is not active yet, and one who exits on D
  is an exit, not active. A transfer on D keeps the citizen active on D: the old enrolment's
  end is the predecessor's last day, the successor's enrolment starts the day after.
- An enrolment ended as `withdrawn` (registered by mistake) counts for nothing, on any day
  (`Enrolment.counts`).

With a contract paying later milestones in the scope, the figures carry the sustained shares
(`sustained.py`): the positive exits up to the day that are old enough on it (exit + 91 or
+ 182 days on or before it), and those with a payable, unrejected claim, as the claims stand now.

Each figure set is one aggregate statement over the enrolments, however many contracts and
citizens the scope holds, the same on SQLite and PostgreSQL; `figures_as_of` scopes it to the
viewer through `scope.enrolments` as the score pages are scoped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..models import Contract, Enrolment, Programme, Provider
from ..rules.exits import (
    BENEFIT_STOPPED_EXITS,
    OTHER_EXITS,
    POSITIVE_EXITS,
    TRANSFERRED,
)
from ..rules.problems import N_
from ..rules.scoring import NOT_APPLICABLE, Sustained
from . import DomainError, NotFound, scope
from .scope import Viewer
from .sql import count_where
from .sustained import SCOPE_COLUMNS, sustained_counts

SCOPE_KINDS: tuple[str, ...] = ("all", "programme", "provider", "contract")


@dataclass(frozen=True)
class EffortTotals:
    """Counts of citizens and exits for a scope as of a day."""

    participants: int
    active: int
    exits: int
    positive: int
    benefit_stopped: int
    other: int
    sustained: Sustained = NOT_APPLICABLE


def _totals_statement() -> sa.Select:
    """The figures of the enrolments a caller's conditions admit, as of the parameter `on`: one
    row."""
    on = sa.bindparam("on", type_=sa.Date)
    started = Enrolment.start_on <= on
    running = sa.and_(
        started,
        sa.or_(
            Enrolment.end_on.is_(None),
            Enrolment.end_on > on,
            sa.and_(Enrolment.end_on == on, Enrolment.end_reason == TRANSFERRED),
        ),
    )

    def exits_in(reasons: tuple[str, ...]) -> sa.ColumnElement[int]:
        ended = sa.and_(Enrolment.end_on <= on, Enrolment.end_reason.in_(reasons))
        return count_where(ended)

    return (
        sa.select(
            sa.func.count(sa.distinct(Enrolment.participant_id)),
            sa.func.count(sa.distinct(sa.case((running, Enrolment.participant_id)))),
            exits_in(POSITIVE_EXITS),
            exits_in(BENEFIT_STOPPED_EXITS),
            exits_in(OTHER_EXITS),
        )
        .select_from(Enrolment)
        .where(started, Enrolment.counts)
    )


def _read(session: Session, stmt: sa.Select, values: dict[str, object]) -> EffortTotals:
    participants, active, positive, benefit_stopped, other = session.execute(stmt, values).one()
    return EffortTotals(
        participants=participants,
        active=active,
        exits=positive + benefit_stopped + other,
        positive=positive,
        benefit_stopped=benefit_stopped,
        other=other,
    )


def effort_totals(
    session: Session, up_to: date, contract_ids: Iterable[int] | None = None
) -> EffortTotals:
    """Participants, active and exits (by category) as of the end of `up_to`.

    `contract_ids` narrows the figures to those contracts, unscoped (the caller has scoped
    them, or is a command or a test); None means every contract. One statement.
    """
    stmt = _totals_statement()
    if contract_ids is not None:
        stmt = stmt.where(Enrolment.contract_id.in_(list(contract_ids)))
    return _read(session, stmt, {"on": up_to})


def check_scope(session: Session, viewer: Viewer, kind: str, scope_id: int | None) -> None:
    """Refuse a scope the viewer may not ask for, as the scores do.

    A provider sees its own provider and contracts only, never the whole effort or a
    programme (403); a programme, provider or contract that is not there, or that the viewer
    may not see, is not found (404).
    """
    if kind not in SCOPE_KINDS:
        raise DomainError(N_("Choose the scope all, programme, provider or contract."), "scope")
    if viewer.is_provider and kind in ("all", "programme"):
        raise DomainError(
            N_("Providers see the figures of their own provider and contracts."),
            "scope",
            status=403,
        )
    if kind == "all":
        return
    if scope_id is None:
        raise DomainError(N_("The scope %(scope)s needs an id."), "id", scope=kind)
    if kind == "programme":
        if session.get(Programme, scope_id) is None:
            raise NotFound(N_("no such programme"), "id")
    elif kind == "provider":
        visible = scope.providers(viewer, sa.select(Provider.id)).where(Provider.id == scope_id)
        if session.scalar(visible) is None:
            raise NotFound(N_("no such provider"), "id")
    else:
        visible = scope.contracts(viewer, sa.select(Contract.id)).where(Contract.id == scope_id)
        if session.scalar(visible) is None:
            raise NotFound(N_("no such contract"), "id")


# Built once for a viewer and scope kind, as the provider's home page shows them every time:
# building the statement costs more than running it. The day and the scope's id are parameters.
@lru_cache(maxsize=256)
def _scoped_totals(viewer: Viewer, kind: str) -> sa.Select:
    stmt = _totals_statement()
    scope_id = sa.bindparam("scope_id", type_=sa.Integer)
    if kind in ("programme", "provider"):
        within = sa.select(Contract.id).where(SCOPE_COLUMNS[kind] == scope_id)
        stmt = stmt.where(Enrolment.contract_id.in_(within))
    elif kind == "contract":
        stmt = stmt.where(Enrolment.contract_id == scope_id)
    return scope.enrolments(viewer, stmt)


def figures_as_of(
    session: Session,
    viewer: Viewer,
    on: date,
    kind: str = "all",
    scope_id: int | None = None,
) -> EffortTotals:
    """A scope's figures as of the end of `on`, as the viewer may see them.

    Raises DomainError (403 for a provider asking for the whole effort or a programme) or
    NotFound for a scope it may not see. The check is one statement (none for the whole
    effort); the figures are one more, and the sustained shares a third.
    """
    check_scope(session, viewer, kind, scope_id)
    values = {"on": on, "scope_id": scope_id}
    totals = _read(session, _scoped_totals(viewer, kind), values)
    key = 0 if kind == "all" else scope_id
    found = sustained_counts(session, kind, {"on": on}, key).get((key, "on"))
    return totals if found is None else replace(totals, sustained=found)
