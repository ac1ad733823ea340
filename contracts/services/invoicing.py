"""Invoices from accepted monthly reports, in set-based SQL, safe to run any number of times.

One invoice per contract, month and report version: the unique constraint makes a second run
find the first one's invoice and leave it be. A report corrected after invoicing (a newer
version) gets a credit note for the old invoice and a new invoice; nothing approved is edited.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, joinedload

from ..models import Contract, Enrolment, Invoice, InvoiceLine, MonthlyReport, ReportLine, utcnow
from ..rules.exits import POSITIVE_EXITS
from ..rules.money import round_money
from ..rules.periods import parse_month
from ..rules.report_calendar import COUNTED_STATUSES
from .audit import SYSTEM, Actor, record
from .milestone_lines import LINE_COLUMNS, insert_milestone_lines
from .report_versions import newest_counted_version
from .sql import (
    analyze,
    day_number,
    decimal_from_hundredths,
    from_hundredths,
    greatest,
    half_up_div,
    hundredths,
    least,
    sum_hundredths,
)

# One alias for the module: SQLAlchemy adapts an alias's columns once and remembers them.
_note = aliased(Invoice, name="credit_note")


def not_credited(invoice) -> sa.ColumnElement[bool]:
    """No credit note credits this invoice (the invoice itself is never edited to say so)."""
    return ~sa.select(_note.id).where(_note.credited_invoice_id == invoice.id).exists()


def invoiceable_report(session: Session, contract_id: int, month: str) -> MonthlyReport | None:
    """The newest accepted (or already invoiced) version of the contract's report for the month."""
    return session.scalar(_newest_report_statement(), {"contract_id": contract_id, "month": month})


@cache
def _newest_report_statement() -> sa.Select:
    # Built once: a month's aggregation asks this for every contract. The contract comes along.
    # Its milestone terms in the same statement: they decide whether milestone lines are made.
    return newest_counted_version(sa.bindparam("contract_id"), sa.bindparam("month")).options(
        joinedload(MonthlyReport.contract).selectinload(Contract.milestones)
    )


@cache
def _month_invoices_statement() -> sa.Select:
    # The contract's invoices for the month, each with whether a credit note still leaves it open.
    return sa.select(Invoice, not_credited(Invoice).label("open")).where(
        Invoice.contract_id == sa.bindparam("contract_id"),
        Invoice.month == sa.bindparam("month"),
        Invoice.kind == "invoice",
    )


def invoice_contract_month(
    session: Session,
    contract_id: int,
    month: str,
    actor: Actor = SYSTEM,
    now: datetime | None = None,
) -> Invoice | None:
    """Make (or find) the invoice for a contract's month from its newest accepted report,
    made at `now` (the portal's clock: the demo's invoices are made on its calendar)."""
    now = now or utcnow()
    report = invoiceable_report(session, contract_id, month)
    if report is None:
        return None
    earlier = session.execute(
        _month_invoices_statement(), {"contract_id": contract_id, "month": month}
    ).all()
    for invoice, _open in earlier:
        if invoice.version == report.version:
            return invoice
    for invoice, still_open in earlier:
        if still_open:
            credit(session, invoice, actor, now)
    contract = report.contract
    invoice = Invoice(
        kind="invoice",
        contract_id=contract_id,
        month=month,
        version=report.version,
        report_id=report.id,
        vat_rate=contract.vat_rate,
        net=Decimal(0),
        vat=Decimal(0),
        total=Decimal(0),
        created_at=now,
    )
    session.add(invoice)
    session.flush()
    _insert_lines(session, invoice, report)
    if paid_by_milestones(contract):
        insert_milestone_lines(session, invoice, parse_month(month)[1])
    invoiced_before = _set_totals(session, invoice)
    invoice.exceeds_ceiling = invoiced_before + invoice.net > contract.ceiling
    report.status = "invoiced"
    record(
        session,
        actor,
        "invoice.created",
        "invoice",
        invoice.id,
        occurred_at=now,
        contract_id=contract_id,
        month=month,
        version=report.version,
        total=str(invoice.total),
    )
    return invoice


def paid_by_milestones(contract: Contract) -> bool:
    """Whether the contract's terms pay later milestones or take paid ones back (DESIGN.md §15);
    one without either is invoiced exactly as before, with no statement more."""
    return contract.clawback_days is not None or bool(contract.milestones)


@cache
def priced_lines() -> sa.Select:
    """A report's lines priced (DESIGN.md §6), in whole øre, built once: only its parameters change.

    Columns: participant_id, report_line_id, days, base, hours, bonus (øre). Parameters (see
    `pricing_parameters`): report_id, contract_id, month, first, last, days_in_month. The
    invoice's lines are inserted from it, and the reviewer's preview reads it before acceptance.
    """
    first = sa.bindparam("first", type_=sa.Date)
    last = sa.bindparam("last", type_=sa.Date)
    days_in_month = sa.bindparam("days_in_month", type_=sa.BigInteger)
    earlier_line, earlier_invoice = aliased(InvoiceLine), aliased(Invoice)
    # The outcome bonus is paid once per participant and contract, whatever the month.
    bonus_paid_before = (
        sa.select(earlier_line.id)
        .join(earlier_invoice, earlier_invoice.id == earlier_line.invoice_id)
        .where(
            earlier_invoice.contract_id == sa.bindparam("contract_id"),
            earlier_invoice.kind == "invoice",
            not_credited(earlier_invoice),
            earlier_invoice.month != sa.bindparam("month"),
            earlier_line.participant_id == ReportLine.participant_id,
            earlier_line.item == "month",  # a later milestone's line is not the start's
            earlier_line.bonus > 0,
        )
        .exists()
    )
    period_end = least(sa.func.coalesce(ReportLine.exit_on, Enrolment.end_on, last), last)
    days = day_number(period_end) - day_number(greatest(Enrolment.start_on, first)) + 1
    base = half_up_div(hundredths(Contract.monthly_fee) * days, days_in_month)
    hours = half_up_div(
        hundredths(Contract.hourly_rate) * hundredths(ReportLine.hours_delivered), 100
    )
    # Nested, so the look-up of earlier bonuses runs only for the few lines that exit to a
    # job or education (one CASE with AND lets PostgreSQL hash every earlier line first).
    bonus = sa.case(
        (
            ReportLine.exit_reason.in_(POSITIVE_EXITS),
            sa.case((~bonus_paid_before, hundredths(Contract.outcome_bonus)), else_=0),
        ),
        else_=0,
    )
    return (
        sa.select(
            ReportLine.participant_id,
            ReportLine.id.label("report_line_id"),
            days.label("days"),
            base.label("base"),
            hours.label("hours"),
            bonus.label("bonus"),
        )
        .join(Enrolment, Enrolment.id == ReportLine.enrolment_id)
        .join(Contract, Contract.id == Enrolment.contract_id)
        # The contract's own enrolments: without it PostgreSQL hashes every enrolment there is.
        .where(
            ReportLine.report_id == sa.bindparam("report_id"),
            Enrolment.contract_id == sa.bindparam("contract_id"),
        )
    )


def pricing_parameters(report: MonthlyReport) -> dict:
    """The parameters `priced_lines` takes for a report of its contract's month."""
    first, last = parse_month(report.month)
    return {
        "report_id": report.id,
        "contract_id": report.contract_id,
        "month": report.month,
        "first": first,
        "last": last,
        "days_in_month": (last - first).days + 1,
    }


@cache
def _pricing_statement() -> sa.Insert:
    """INSERT … SELECT of a report's priced lines into an invoice (`target_invoice`)."""
    priced = priced_lines().subquery()
    return sa.insert(InvoiceLine.__table__).from_select(
        [
            "invoice_id",
            "participant_id",
            "report_line_id",
            "days",
            "base_fee",
            "hours_amount",
            "bonus",
            "amount",
        ],
        sa.select(
            sa.bindparam("target_invoice", type_=sa.Integer),
            priced.c.participant_id,
            priced.c.report_line_id,
            priced.c.days,
            from_hundredths(priced.c.base),
            from_hundredths(priced.c.hours),
            from_hundredths(priced.c.bonus),
            from_hundredths(priced.c.base + priced.c.hours + priced.c.bonus),
        ),
    )


def _insert_lines(session: Session, invoice: Invoice, report: MonthlyReport) -> None:
    session.execute(
        _pricing_statement(), {"target_invoice": invoice.id, **pricing_parameters(report)}
    )


def _set_totals(session: Session, invoice: Invoice) -> Decimal:
    """Net is the sum of the rounded lines (summed in whole øre), VAT the rounded rate × net.

    Returns what the contract was invoiced before this invoice (net, credit notes deducted),
    read in the same query, for the ceiling check.
    """
    net_ore, before_ore = session.execute(
        _totals_statement(), {"invoice_id": invoice.id, "contract_id": invoice.contract_id}
    ).one()
    invoice.net = decimal_from_hundredths(net_ore)
    invoice.vat = round_money(invoice.net * invoice.vat_rate)
    invoice.total = invoice.net + invoice.vat
    return decimal_from_hundredths(before_ore)


@cache
def _totals_statement() -> sa.Select:
    # The invoice's net in whole øre, and the contract's other invoices' net (credit notes deducted).
    return sa.select(
        sa.select(sum_hundredths(InvoiceLine.amount))
        .where(InvoiceLine.invoice_id == sa.bindparam("invoice_id"))
        .scalar_subquery(),
        sa.select(sum_hundredths(Invoice.signed_net))
        .where(
            Invoice.contract_id == sa.bindparam("contract_id"),
            Invoice.id != sa.bindparam("invoice_id"),
        )
        .scalar_subquery(),
    )


def credit(
    session: Session, invoice: Invoice, actor: Actor = SYSTEM, now: datetime | None = None
) -> Invoice:
    """A credit note for the whole invoice, with its lines (positive amounts: it credits them)."""
    note = Invoice(
        kind="credit_note",
        contract_id=invoice.contract_id,
        month=invoice.month,
        version=invoice.version,
        report_id=invoice.report_id,
        credited_invoice_id=invoice.id,
        vat_rate=invoice.vat_rate,
        net=invoice.net,
        vat=invoice.vat,
        total=invoice.total,
        created_at=now or utcnow(),
    )
    session.add(note)
    session.flush()
    session.execute(
        sa.insert(InvoiceLine).from_select(
            LINE_COLUMNS,
            sa.select(
                sa.literal(note.id),
                InvoiceLine.participant_id,
                InvoiceLine.report_line_id,
                InvoiceLine.days,
                InvoiceLine.base_fee,
                InvoiceLine.hours_amount,
                InvoiceLine.bonus,
                InvoiceLine.amount,
                InvoiceLine.item,
            ).where(InvoiceLine.invoice_id == invoice.id),
        )
    )
    record(
        session,
        actor,
        "invoice.credited",
        "invoice",
        invoice.id,
        occurred_at=note.created_at,
        credit_note_id=note.id,
    )
    return note


def prepare(session: Session) -> None:
    """Build and compile the invoicing statements without writing anything (the caller rolls back).

    A worker calls this once before it forks a process per job, so that each job starts with
    them compiled instead of compiling them again.
    """
    first, last = parse_month("2000-01")
    nothing = {"contract_id": -1, "month": "2000-01"}
    session.execute(_newest_report_statement(), nothing)
    session.execute(_month_invoices_statement(), nothing)
    session.execute(
        _pricing_statement(),
        {
            **nothing,
            "target_invoice": -1,
            "report_id": -1,
            "first": first,
            "last": last,
            "days_in_month": 31,
        },
    )
    session.execute(_totals_statement(), {"invoice_id": -1, "contract_id": -1})
    insert_milestone_lines(session, Invoice(id=-1, contract_id=-1), last)


def month_done(session: Session) -> None:
    """After a month's invoices: the tables they grew get fresh planner statistics."""
    analyze(session, Invoice, InvoiceLine)


def accepted_contract_ids(session: Session, month: str) -> list[int]:
    """Contracts with an accepted or invoiced report for the month: the month's invoicing work."""
    return list(
        session.scalars(
            sa.select(MonthlyReport.contract_id)
            .distinct()
            .where(MonthlyReport.month == month, MonthlyReport.status.in_(COUNTED_STATUSES))
            .order_by(MonthlyReport.contract_id)
        )
    )
