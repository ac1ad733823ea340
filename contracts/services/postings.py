"""Posting lines for the municipality's ERP (DESIGN.md §6, Bookkeeping).

One line per approved invoice and credit note issued in a date range (both ends included):
the issue date, number, provider and contract as issued (the record frozen at approval),
programme (its Danish name for people, its code for programs), the programme's account string and the cost centre (configuration,
`PostingAccounts`), net, VAT and total. A credit note's amounts are negative, so the lines of a
range add up to what was spent. Every list and sum is one query;
the database does the adding, in whole øre.

Finance alone reads them. A programme without a configured account refuses the export with
its name (409) rather than give the ERP a line it cannot book.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..documents.exports import csv_bytes
from ..models import Contract, Invoice, InvoiceApproval, Programme, Provider
from ..rules.problems import N_
from . import DomainError, scope
from .audit import Actor, record
from .paging import Page
from .scope import Viewer
from .sql import decimal_from_hundredths, sum_hundredths

READERS = ("finance",)
MAX_DAYS = 400  # a year and a bit: a year's closing with its supplementary period
KIND_NAMES = {"invoice": "Faktura", "credit_note": "Kreditnota"}
CSV_HEADER = (
    "Dato",
    "Fakturanummer",
    "Type",
    "CVR",
    "Leverandør",
    "Aftale",
    "Indsats",
    "Indsatskode",
    "Konto",
    "Omkostningssted",
    "Netto",
    "Moms",
    "I alt",
    "Tekst",
)


@dataclass(frozen=True)
class PostingAccounts:
    """The account string per programme code, and the cost centre every line carries."""

    accounts: Mapping[str, str]
    cost_centre: str

    def account(self, programme: str) -> str:
        found = self.accounts.get(programme)
        if found is None:
            raise DomainError(
                N_(
                    "No account string is configured for the programme %(programme)s: "
                    "add it to POSTING_ACCOUNTS."
                ),
                status=409,
                programme=programme,
            )
        return found


@dataclass(frozen=True)
class PostingLine:
    """One invoice or credit note as the ERP books it; a credit note's amounts are negative."""

    issued_on: date
    number: str
    kind: str
    provider_cvr: str
    provider_name: str
    contract_reference: str
    month: str
    programme: str
    programme_name: str
    account: str
    cost_centre: str
    net: Decimal
    vat: Decimal
    total: Decimal

    @property
    def text(self) -> str:
        """The ERP's posting text: "Særindsats SÆR-2018-01 2018-11" (a credit note says so)."""
        text = f"Særindsats {self.contract_reference} {self.month}"
        return f"{text} kreditnota" if self.kind == "credit_note" else text

    def csv_row(self) -> tuple:
        return (
            self.issued_on,
            self.number,
            KIND_NAMES[self.kind],
            self.provider_cvr,
            self.provider_name,
            self.contract_reference,
            self.programme_name,
            self.programme,
            self.account,
            self.cost_centre,
            self.net,
            self.vat,
            self.total,
            self.text,
        )


@dataclass(frozen=True)
class ProgrammeSum:
    """A programme's lines in the range, added up (credit notes taken off)."""

    position: int
    code: str
    name_da: str
    name_en: str
    account: str
    lines: int
    net: Decimal
    vat: Decimal
    total: Decimal


def check_range(viewer: Viewer, start: date, end: date) -> None:
    """Refuse anyone but finance (403) and a range backwards or longer than MAX_DAYS (422)."""
    if not viewer.may(*READERS):
        raise DomainError(N_("Only finance reads the posting lines."), status=403)
    if end < start:
        raise DomainError(
            N_("The range ends on %(end)s, before it starts on %(start)s."),
            field="to",
            start=start,
            end=end,
        )
    if (end - start).days + 1 > MAX_DAYS:
        raise DomainError(
            N_("A range covers at most %(days)s days: ask for a year or less at a time."),
            field="to",
            days=MAX_DAYS,
        )


def _issued(viewer: Viewer, stmt: sa.Select, start: date, end: date) -> sa.Select:
    """`stmt` over the approved invoices and credit notes issued from `start` to `end`."""
    return (
        scope.invoices(viewer, stmt)
        .join(InvoiceApproval, InvoiceApproval.invoice_id == Invoice.id)
        .join(Contract, Contract.id == Invoice.contract_id)
        .join(Programme, Programme.id == Contract.programme_id)
        .where(
            Invoice.status == "approved",
            InvoiceApproval.issued_on >= start,
            InvoiceApproval.issued_on <= end,
        )
    )


def _lines_statement(viewer: Viewer, start: date, end: date) -> sa.Select:
    return (
        _issued(
            viewer,
            sa.select(
                Invoice,
                InvoiceApproval.issued_on,
                InvoiceApproval.issued,
                Provider.cvr,
                Provider.name,
                Contract.reference,
                Programme.code,
                Programme.name_da,
            ),
            start,
            end,
        )
        .join(Provider, Provider.id == Contract.provider_id)
        .order_by(InvoiceApproval.issued_on, Invoice.id)
    )


def _line(row, accounts: PostingAccounts) -> PostingLine:
    invoice, issued_on, issued, cvr, provider_name, reference, programme, programme_name = row
    if issued:  # the parties as issued: a provider renamed since does not change its invoices
        cvr, provider_name = issued["seller"]["cvr"], issued["seller"]["name"]
        reference = issued["contract"]["reference"]
        programme_name = issued["programme"]["name_da"]
    sign = -1 if invoice.kind == "credit_note" else 1
    return PostingLine(
        issued_on=issued_on,
        number=invoice.number,
        kind=invoice.kind,
        provider_cvr=cvr,
        provider_name=provider_name,
        contract_reference=reference,
        month=invoice.month,
        programme=programme,
        programme_name=programme_name,
        account=accounts.account(programme),
        cost_centre=accounts.cost_centre,
        net=sign * invoice.net,
        vat=sign * invoice.vat,
        total=sign * invoice.total,
    )


def posting_lines(
    session: Session, viewer: Viewer, accounts: PostingAccounts, start: date, end: date
) -> list[PostingLine]:
    """Every posting line of the range, by issue date."""
    check_range(viewer, start, end)
    return [_line(row, accounts) for row in session.execute(_lines_statement(viewer, start, end))]


def postings_page(
    session: Session,
    viewer: Viewer,
    accounts: PostingAccounts,
    start: date,
    end: date,
    page: int,
    per_page: int,
) -> Page[PostingLine]:
    """One page of the range's posting lines, and how many there are in all."""
    check_range(viewer, start, end)
    stmt = _lines_statement(viewer, start, end)
    total = session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery()))
    rows = session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    return Page([_line(row, accounts) for row in rows], page, per_page, int(total))


def programme_sums(
    session: Session, viewer: Viewer, accounts: PostingAccounts, start: date, end: date
) -> list[ProgrammeSum]:
    """The range's lines added up per programme with lines, in the programmes' order."""
    check_range(viewer, start, end)
    rows = session.execute(
        _issued(
            viewer,
            sa.select(
                Programme.position,
                Programme.code,
                Programme.name_da,
                Programme.name_en,
                sa.func.count(Invoice.id),
                sum_hundredths(Invoice.signed(Invoice.net)),
                sum_hundredths(Invoice.signed(Invoice.vat)),
                sum_hundredths(Invoice.signed(Invoice.total)),
            ),
            start,
            end,
        )
        .group_by(Programme.position, Programme.code, Programme.name_da, Programme.name_en)
        .order_by(Programme.position)
    ).all()
    return [
        ProgrammeSum(
            position,
            code,
            name_da,
            name_en,
            accounts.account(code),
            int(count),
            decimal_from_hundredths(net),
            decimal_from_hundredths(vat),
            decimal_from_hundredths(total),
        )
        for position, code, name_da, name_en, count, net, vat, total in rows
    ]


def postings_csv(
    session: Session,
    actor: Actor,
    viewer: Viewer,
    accounts: PostingAccounts,
    start: date,
    end: date,
) -> bytes:
    """The range's posting lines as CSV for Danish Excel; an export of money is an audit event."""
    lines = posting_lines(session, viewer, accounts, start, end)
    data = csv_bytes(CSV_HEADER, [line.csv_row() for line in lines])
    record(
        session,
        actor,
        "postings.exported",
        "invoice",
        None,
        lines=len(lines),
        **{"from": start.isoformat(), "to": end.isoformat()},
    )
    return data
