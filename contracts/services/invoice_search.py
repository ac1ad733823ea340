"""Finding invoices and credit notes: the finance desk's filters, one page of them, and their sums.

Everything is filtered in SQL on top of `scope.invoices`, so a viewer finds only what it may
see. The sums are one aggregate query in whole øre (see `sql.hundredths`) with credit notes
deducted, the way "invoiced so far" is counted against a contract's ceiling. The API's list
(`invoice_list`) is paged the same way and brings each invoice's lines in one query for the page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, selectinload

from ..documents.data import DocumentLine
from ..models import Contract, Invoice, Programme
from . import scope
from .invoice_documents import invoice_lines
from .invoicing import not_credited
from .paging import Page, page_count, page_of
from .scope import Viewer
from .sql import decimal_from_hundredths, sum_hundredths

PER_PAGE = 50  # about a month of a municipality's invoices
# Where an invoice stands, as the desk filters it: a provider-issued draft waits for its provider
# to issue it; a self-billed draft or an issued invoice waits for procurement's attestation; a
# returned one waits for it again; an attested one waits for finance's approval.
STAGES = ("awaiting_provider", "awaiting_attestation", "returned", "attested", "approved")


@dataclass(frozen=True)
class InvoiceFilter:
    """What to find; None (or False) leaves a criterion out. Months are YYYY-MM, both ends included;
    `status` is one of `STAGES` or an invoice status."""

    provider_id: int | None = None
    contract_id: int | None = None
    programme: str | None = None
    month_from: str | None = None
    month_to: str | None = None
    status: str | None = None
    kind: str | None = None
    exceeds_ceiling: bool = False


@dataclass(frozen=True)
class FoundInvoice:
    """An invoice or credit note as the desk lists it."""

    invoice: Invoice
    credited: bool  # a credit note credits this invoice
    credits: Invoice | None  # for a credit note, the invoice it credits


@dataclass(frozen=True)
class InvoiceSums:
    """How many were found, and their amounts with credit notes deducted."""

    count: int
    net: Decimal
    vat: Decimal
    total: Decimal


@dataclass(frozen=True)
class InvoicePage:
    """One page of what was found, and the count and sums of all of it."""

    rows: list[FoundInvoice]
    sums: InvoiceSums
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return page_count(self.sums.count, self.per_page)

    @property
    def first(self) -> int:
        """The position of the page's first row, counted from 1 (0 when nothing was found)."""
        return (self.page - 1) * self.per_page + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * self.per_page + len(self.rows)


def _provider_issued() -> sa.ColumnElement[bool]:
    return Invoice.contract_id.in_(
        sa.select(Contract.id).where(Contract.invoicing == "provider_issued")
    )


def stage_condition(stage: str) -> sa.ColumnElement[bool]:
    """Where an invoice stands (`STAGES`), or one of its statuses, as a condition in SQL."""
    if stage == "awaiting_provider":
        return sa.and_(Invoice.status == "draft", _provider_issued())
    if stage == "awaiting_attestation":
        return sa.or_(
            sa.and_(Invoice.status == "draft", ~_provider_issued()), Invoice.status == "issued"
        )
    if stage == "with_procurement":  # procurement's queue: to attest, or to attest again
        return sa.or_(stage_condition("awaiting_attestation"), Invoice.status == "returned")
    return Invoice.status == stage


def _where(stmt: sa.Select, found: InvoiceFilter) -> sa.Select:
    # Contract criteria as subqueries: the provider's scope joins Contract itself, staff's does not.
    if found.provider_id is not None:
        stmt = stmt.where(
            Invoice.contract_id.in_(
                sa.select(Contract.id).where(Contract.provider_id == found.provider_id)
            )
        )
    if found.contract_id is not None:
        stmt = stmt.where(Invoice.contract_id == found.contract_id)
    if found.programme is not None:
        stmt = stmt.where(
            Invoice.contract_id.in_(
                sa.select(Contract.id)
                .join(Programme, Programme.id == Contract.programme_id)
                .where(Programme.code == found.programme)
            )
        )
    if found.month_from is not None:
        stmt = stmt.where(Invoice.month >= found.month_from)
    if found.month_to is not None:
        stmt = stmt.where(Invoice.month <= found.month_to)
    if found.status is not None:
        stmt = stmt.where(stage_condition(found.status))
    if found.kind is not None:
        stmt = stmt.where(Invoice.kind == found.kind)
    if found.exceeds_ceiling:
        stmt = stmt.where(Invoice.exceeds_ceiling.is_(True))
    return stmt


def sums(session: Session, viewer: Viewer, found: InvoiceFilter) -> InvoiceSums:
    """Count, net, VAT and total of everything the filter finds, in one aggregate query."""
    count, *ore = session.execute(_sums(viewer, found)).one()
    return InvoiceSums(int(count), *(decimal_from_hundredths(x) for x in ore))


# The lists' statements are built once for a viewer and filter (the invoice pages ask the same
# few again and again): building them costs more than running them.
@lru_cache(maxsize=128)
def _sums(viewer: Viewer, found: InvoiceFilter) -> sa.Select:
    return _where(
        scope.invoices(
            viewer,
            sa.select(
                sa.func.count(Invoice.id),
                *(
                    sum_hundredths(Invoice.signed(amount))
                    for amount in (Invoice.net, Invoice.vat, Invoice.total)
                ),
            ),
        ),
        found,
    )


# The credit note joined to an invoice. One alias for the module: SQLAlchemy adapts an alias's
# columns once and remembers them, which a fresh alias each call would redo (ms a request).
credited = aliased(Invoice, name="credited")


@lru_cache(maxsize=128)
def _rows(viewer: Viewer, found: InvoiceFilter) -> sa.Select:
    return (
        _where(scope.invoices(viewer, sa.select(Invoice, ~not_credited(Invoice), credited)), found)
        .outerjoin(credited, credited.id == Invoice.credited_invoice_id)
        .options(
            selectinload(Invoice.contract).selectinload(Contract.provider),
            selectinload(Invoice.contract).selectinload(Contract.programme),
        )
        # Newest month first; a credit note right after the invoice it credits (same contract,
        # month and version), so a page boundary is all that can part them.
        .order_by(
            Invoice.month.desc(),
            Invoice.contract_id,
            Invoice.version,
            sa.case((Invoice.kind == "invoice", 0), else_=1),
            Invoice.id,
        )
    )


def _found(result) -> list[FoundInvoice]:
    return [
        FoundInvoice(invoice, bool(is_credited), credits)
        for invoice, is_credited, credits in result
    ]


def find_page(
    session: Session, viewer: Viewer, found: InvoiceFilter, page: int = 1, per_page: int = PER_PAGE
) -> InvoicePage:
    """The page (counted from 1; one past the last gives the last) and the sums of all pages."""
    totals = sums(session, viewer, found)
    page = min(max(page, 1), page_count(totals.count, per_page))
    result = session.execute(_rows(viewer, found).limit(per_page).offset((page - 1) * per_page))
    return InvoicePage(_found(result), totals, page, per_page)


def find_all(session: Session, viewer: Viewer, found: InvoiceFilter) -> list[FoundInvoice]:
    """Everything the filter finds, in the desk's order (for the exports)."""
    return _found(session.execute(_rows(viewer, found)))


@dataclass(frozen=True)
class ListedInvoice:
    """An invoice or credit note as the API lists it, with its lines, as plain data."""

    id: int
    kind: str
    number: str | None
    status: str
    contract_id: int
    month: str
    version: int
    vat_rate: Decimal
    net: Decimal
    vat: Decimal
    total: Decimal
    exceeds_ceiling: bool
    credited_id: int | None
    lines: tuple[DocumentLine, ...]
    invoice: Invoice  # the row, for its steps' who and when and its contract's invoicing term


def invoice_list(
    session: Session, viewer: Viewer, found: InvoiceFilter, page: int, per_page: int
) -> Page[ListedInvoice]:
    """One page (from 1) of what the filter finds, oldest first (month, then id), with their lines.

    Four statements whatever the page's size: the count, the page's invoices, their contracts and
    all their lines (each invoice's in participant order, as on its PDF). A page past the last is
    empty.
    """
    invoices = page_of(
        session,
        _where(scope.invoices(viewer), found)
        .options(selectinload(Invoice.contract))
        .order_by(Invoice.month, Invoice.id),
        page,
        per_page,
    )
    lines = invoice_lines(session, [invoice.id for invoice in invoices.items])
    return replace(
        invoices,
        items=[
            ListedInvoice(
                id=i.id,
                kind=i.kind,
                number=i.number,
                status=i.status,
                contract_id=i.contract_id,
                month=i.month,
                version=i.version,
                vat_rate=i.vat_rate,
                net=i.net,
                vat=i.vat,
                total=i.total,
                exceeds_ceiling=i.exceeds_ceiling,
                credited_id=i.credited_invoice_id,
                lines=tuple(lines[i.id]),
                invoice=i,
            )
            for i in invoices.items
        ],
    )
