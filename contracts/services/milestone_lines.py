"""An invoice's milestone and clawback lines (DESIGN.md §15), in set-based SQL.

After a month's participant lines are in (`invoicing`), two INSERT … SELECT statements add:

- **milestone lines** (`week13`, `week26`): each claim of the contract payable by the month's
  last day (made without a check, or verified), not rejected, not lapsed by a relapse recorded by
  then (its day after the relapse), and not paid on another open invoice of the contract;
- **clawback lines** (`clawback_<milestone>`, negative, one per milestone taken back): each paid
  milestone (the month line's bonus is `start`, its day the exit; the claims' on their day) on an
  open invoice of the contract, this one included, that a relapse recorded by the month's last
  day takes back (`rules.milestones.taken_back`: relapse day − milestone day ≤ clawback days, or
  the milestone after the relapse), or whose claim was rejected by then; once.

"Open" is an invoice no credit note credits, so a month invoiced again after a correction pays
and takes back afresh, and running either statement twice adds nothing. Amounts are computed
in whole øre as the other lines are.
"""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from ..models import Contract, Invoice, InvoiceLine, MilestoneClaim, Relapse, ReportLine
from ..models.milestones import ContractMilestone
from ..rules.milestones import CLAIMED_MILESTONES
from .sql import day_number, from_hundredths, hundredths

ZERO = sa.literal(0)
LINE_COLUMNS = [
    "invoice_id",
    "participant_id",
    "report_line_id",
    "days",
    "base_fee",
    "hours_amount",
    "bonus",
    "amount",
    "item",
]


def open_lines(other_months: bool = False):
    """The contract's lines on open invoices (no credit note credits them), and the alias.

    With `other_months`, only other months' invoices (parameter `month`): the reviewer's preview
    sees the month as its aggregation will, once the month's open invoice is credited."""
    line, invoice, note = aliased(InvoiceLine), aliased(Invoice), aliased(Invoice)
    stmt = (
        sa.select(line)
        .join(invoice, invoice.id == line.invoice_id)
        .where(
            invoice.contract_id == sa.bindparam("contract_id"),
            invoice.kind == "invoice",
            ~sa.select(note.id).where(note.credited_invoice_id == invoice.id).exists(),
        )
    )
    if other_months:
        stmt = stmt.where(invoice.month != sa.bindparam("month"))
    return line, stmt


def _line_values(participant, amount, item) -> tuple:
    """A milestone or clawback line's values in LINE_COLUMNS' order: on the target invoice, no
    report line, no days, base or hours; the amount as its bonus and its amount."""
    target = sa.bindparam("target_invoice", type_=sa.Integer)
    no_line = sa.cast(sa.null(), sa.Integer)  # typed, or PostgreSQL makes it text in a union
    values = (target, participant, no_line, ZERO, ZERO, ZERO, amount, amount, item)
    return tuple(value.label(name) for value, name in zip(values, LINE_COLUMNS, strict=True))


@cache
def milestone_statement() -> sa.Insert:
    """INSERT … SELECT of the month's payable milestone claims (parameters: target_invoice,
    contract_id, last)."""
    return sa.insert(InvoiceLine.__table__).from_select(LINE_COLUMNS, milestone_select())


def milestone_select(other_months: bool = False) -> sa.Select:
    """The month's payable milestone claims as lines of the target invoice (see `open_lines`
    for `other_months`)."""
    claim, terms = MilestoneClaim, ContractMilestone
    paid_line, paid = open_lines(other_months)
    paid = paid.with_only_columns(paid_line.id).where(
        paid_line.participant_id == claim.participant_id,
        paid_line.item == claim.code,
        # Said again as a constant, so PostgreSQL keeps only the milestone lines of the
        # contract's invoices when it hashes them, not every participant's month (issue 20's bench).
        paid_line.item.in_(CLAIMED_MILESTONES),
        paid_line.invoice_id != sa.bindparam("target_invoice"),
    )
    lapsed = sa.select(Relapse.id).where(
        Relapse.enrolment_id == claim.enrolment_id,
        Relapse.recorded_on <= sa.bindparam("last", type_=sa.Date),
        claim.milestone_on > Relapse.relapsed_on,
    )
    amount = from_hundredths(hundredths(terms.amount))
    return (
        sa.select(*_line_values(claim.participant_id, amount, claim.code))
        .join(terms, sa.and_(terms.contract_id == claim.contract_id, terms.code == claim.code))
        .where(
            claim.contract_id == sa.bindparam("contract_id"),
            claim.status != "rejected",
            claim.payable_on <= sa.bindparam("last", type_=sa.Date),
            terms.amount > 0,
            ~lapsed.exists(),
            ~paid.exists(),
        )
    )


@cache
def clawback_statement() -> sa.Insert:
    """INSERT … SELECT of the milestones taken back on the target invoice (parameters:
    target_invoice, contract_id, last)."""
    line, paid = open_lines()
    return sa.insert(InvoiceLine.__table__).from_select(
        LINE_COLUMNS, clawback_select(line, paid, hundredths(line.bonus))
    )


def clawback_select(line, paid: sa.Select, bonus, other_months: bool = False) -> sa.Select:
    """The paid milestones taken back, as lines of the target invoice.

    `paid` selects the paid lines from `line`, whose columns are participant_id, report_line_id,
    item and bonus (`bonus` in whole øre); the aggregation's are the open invoices' lines, the
    target invoice's included, and the preview adds the lines the invoice is about to get.
    `other_months` as in `open_lines`, for the check that a milestone is not taken back twice.
    """
    last = sa.bindparam("last", type_=sa.Date)
    claim = aliased(MilestoneClaim)
    clawback_days = (
        sa.select(Contract.clawback_days)
        .where(Contract.id == sa.bindparam("contract_id"))
        .scalar_subquery()
    )
    code = sa.case((line.item == "month", sa.literal("start")), else_=line.item)
    item = sa.literal("clawback_") + code
    day = sa.case((line.item == "month", ReportLine.exit_on), else_=claim.milestone_on)
    relapsed = sa.select(Relapse.id).where(
        Relapse.contract_id == sa.bindparam("contract_id"),
        Relapse.participant_id == line.participant_id,
        Relapse.recorded_on <= last,
        day_number(Relapse.relapsed_on) - day_number(day) <= sa.func.coalesce(clawback_days, -1),
    )
    rejected = sa.and_(claim.status == "rejected", claim.decided_on <= last)
    taken_line, taken = open_lines(other_months)
    taken = taken.with_only_columns(taken_line.id).where(
        taken_line.participant_id == line.participant_id,
        taken_line.item == item,
    )
    amount = from_hundredths(-bonus)
    return (
        paid.with_only_columns(*_line_values(line.participant_id, amount, item))
        .outerjoin(ReportLine, sa.and_(line.item == "month", ReportLine.id == line.report_line_id))
        .outerjoin(
            claim,
            sa.and_(
                claim.contract_id == sa.bindparam("contract_id"),
                claim.participant_id == line.participant_id,
                claim.code == line.item,
            ),
        )
        .where(
            line.item.in_(("month", "week13", "week26")),
            bonus > 0,
            # Only participants with a reason, so a contract without any costs two index probes.
            line.participant_id.in_(_participants_with_reasons(last)),
            sa.or_(rejected, relapsed.exists()),
            ~taken.exists(),
        )
    )


def _participants_with_reasons(last) -> sa.Select:
    """The contract's participants with a relapse or a rejected claim recorded by `last`."""
    return sa.union(
        sa.select(Relapse.participant_id).where(
            Relapse.contract_id == sa.bindparam("contract_id"), Relapse.recorded_on <= last
        ),
        sa.select(MilestoneClaim.participant_id).where(
            MilestoneClaim.contract_id == sa.bindparam("contract_id"),
            MilestoneClaim.status == "rejected",
            MilestoneClaim.decided_on <= last,
        ),
    )


def insert_milestone_lines(session: Session, invoice: Invoice, last) -> None:
    """Add the invoice's milestone lines, then its clawback lines (which may take back a
    milestone it has just paid, when the relapse is recorded in the same month)."""
    params = {"target_invoice": invoice.id, "contract_id": invoice.contract_id, "last": last}
    session.execute(milestone_statement(), params)
    session.execute(clawback_statement(), params)
