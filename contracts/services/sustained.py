"""How many positive exits lasted 13 and 26 weeks (DESIGN.md §7, §15), counted on read.

The shares' rules are in `contracts.rules.scoring` (what "verifiably" means). They are counted
when read, not stored with the month's scores: a claim can only be made once its milestone day
has passed, and procurement verifies it later still, so figures written by the month's
aggregation would miss the claims that come after it and never catch up. Read now, a past
month's share says what is known today about the exits that month's end could judge.

For each period (a label and its last day) and scope key, one statement counts the positive
exits (enrolments ended in a job or education, not withdrawn) of the contracts that pay the
milestone, up to and old enough at the period's end (exit date + 91 or + 182 days on or
before it), and those of them with a payable, unrejected claim of the milestone whose day is
not after a relapse. A scope without a contract paying a milestone gets None for it.
Cumulated figures only: a month's own exits are never 13 weeks old by its end.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from ..models import Contract, ContractMilestone, Enrolment, MilestoneClaim, Relapse
from ..rules.exits import POSITIVE_EXITS
from ..rules.milestones import MILESTONE_DAYS
from ..rules.scoring import Sustained
from .sql import count_where

SCOPE_COLUMNS = {
    "all": sa.literal(0),
    "programme": Contract.programme_id,
    "provider": Contract.provider_id,
    "contract": Contract.id,
}


def _periods(count: int) -> sa.Subquery:
    """`count` periods as rows: label, and the latest exit day old enough for each milestone,
    each a bound parameter (`_period_values` gives them)."""
    rows = [
        sa.select(
            sa.bindparam(f"label_{n}", type_=sa.String).label("label"),
            sa.bindparam(f"cut_13_{n}", type_=sa.Date).label("cut_13"),
            sa.bindparam(f"cut_26_{n}", type_=sa.Date).label("cut_26"),
        )
        for n in range(count)
    ]
    return (rows[0] if count == 1 else sa.union_all(*rows)).subquery("period")


def _period_values(periods: Mapping[str, date]) -> dict[str, object]:
    values: dict[str, object] = {}
    for n, (label, last) in enumerate(periods.items()):
        values[f"label_{n}"] = label
        values[f"cut_13_{n}"] = last - timedelta(days=MILESTONE_DAYS["week13"])
        values[f"cut_26_{n}"] = last - timedelta(days=MILESTONE_DAYS["week26"])
    return values


def sustained_counts(
    session: Session,
    kind: str,
    periods: Mapping[str, date],
    scope_id: int | None = None,
) -> dict[tuple[int, str], Sustained]:
    """The counts by (scope id, period label) for every scope of `kind` (or one: `scope_id`)
    holding a contract that pays a later milestone: one statement for all periods."""
    if not periods:
        return {}
    scoped = scope_id is not None and kind != "all"
    values = _period_values(periods) | ({"scope_id": scope_id} if scoped else {})
    return {
        (scope, label): Sustained(
            old_13=old_13 if p13 else None,
            lasted_13=lasted_13 if p13 else None,
            old_26=old_26 if p26 else None,
            lasted_26=lasted_26 if p26 else None,
        )
        for scope, label, p13, old_13, lasted_13, p26, old_26, lasted_26 in session.execute(
            _statement(kind, len(periods), scoped), values
        )
    }


@lru_cache(maxsize=64)
def _statement(kind: str, periods: int, scoped: bool) -> sa.Select:
    """The counting statement for a scope kind and number of periods, built once: building it
    costs several times what PostgreSQL takes to run it (the home page shows it every time)."""
    key = SCOPE_COLUMNS[kind]
    period = _periods(periods)
    pays = (
        sa.select(
            ContractMilestone.contract_id,
            sa.func.max(sa.case((ContractMilestone.code == "week13", 1), else_=0)).label("p13"),
            sa.func.max(sa.case((ContractMilestone.code == "week26", 1), else_=0)).label("p26"),
        )
        .group_by(ContractMilestone.contract_id)
        .subquery("pays")
    )
    claim_13, claim_26 = aliased(MilestoneClaim), aliased(MilestoneClaim)

    def claimed(claim, code: str):
        return sa.and_(
            claim.enrolment_id == Enrolment.id,
            claim.code == code,
            claim.status != "rejected",
            claim.payable_on.is_not(None),
        )

    def counted(pays_it, cut, claim=None):
        condition = sa.and_(pays_it == 1, Enrolment.end_on <= cut)
        if claim is not None:
            # Reached unless the citizen was back on benefit before the milestone's day.
            condition = sa.and_(
                condition,
                claim.id.is_not(None),
                sa.or_(Relapse.relapsed_on.is_(None), claim.milestone_on <= Relapse.relapsed_on),
            )
        return count_where(condition)

    stmt = (
        sa.select(
            key.label("scope_id"),
            period.c.label,
            sa.func.max(pays.c.p13),
            counted(pays.c.p13, period.c.cut_13),
            counted(pays.c.p13, period.c.cut_13, claim_13),
            sa.func.max(pays.c.p26),
            counted(pays.c.p26, period.c.cut_26),
            counted(pays.c.p26, period.c.cut_26, claim_26),
        )
        .select_from(Contract)
        .join(pays, pays.c.contract_id == Contract.id)
        .join(period, sa.true())
        .outerjoin(
            Enrolment,
            sa.and_(
                Enrolment.contract_id == Contract.id,
                Enrolment.end_reason.in_(POSITIVE_EXITS),
                Enrolment.end_on <= period.c.cut_13,  # the later cut: old enough for week13
            ),
        )
        .outerjoin(claim_13, claimed(claim_13, "week13"))
        .outerjoin(claim_26, claimed(claim_26, "week26"))
        .outerjoin(Relapse, Relapse.enrolment_id == Enrolment.id)
        .group_by(key, period.c.label)
    )
    return stmt.where(key == sa.bindparam("scope_id")) if scoped else stmt


def pays_later_milestones(session: Session, kind: str, scope_id: int) -> bool:
    """Whether a contract in the scope pays a later milestone (so the sustained shares apply)."""
    stmt = sa.select(ContractMilestone.id).join(
        Contract, Contract.id == ContractMilestone.contract_id
    )
    if kind != "all":
        stmt = stmt.where(SCOPE_COLUMNS[kind] == scope_id)
    return session.scalar(stmt.limit(1)) is not None
