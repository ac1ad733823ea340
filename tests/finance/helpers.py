"""The sample invoice of tests/data/samples/README.md, made the way the aggregation makes it."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from contracts.models import Contract, Invoice
from contracts.rules.periods import COPENHAGEN
from contracts.services import invoicing
from contracts.services.audit import Actor
from contracts.services.scope import Viewer
from tests.factories import make_report, sample_report
from tests.scenarios import sample_scenario

FINANCE = Viewer(user_id=None, role="finance")
# The tests' day (PORTAL_TODAY): the sample month has ended and its invoice waits.
DAY = date(2019, 1, 24)


def sample_invoice(session, **scenario) -> Invoice:
    """The sample contract's January 2019 invoice (123.898,04 kr.), a flushed draft."""
    found = sample_scenario(session, **scenario)
    contract = session.get(Contract, found.contract_id)
    make_report(session, contract, sample_report("report-2019-01-excel-da.csv"))
    return invoicing.invoice_contract_month(session, contract.id, "2019-01")


def corrected_invoice(session, invoice: Invoice) -> tuple[Invoice, Invoice]:
    """Version 2 of the sample report (DL-9XW3M delivered 140 hours, not 148): (credit note, new invoice)."""
    contract = session.get(Contract, invoice.contract_id)
    make_report(session, contract, sample_report(corrected=True))
    new = invoicing.invoice_contract_month(session, contract.id, "2019-01")
    note = session.query(Invoice).filter_by(credited_invoice_id=invoice.id).one()
    return note, new


def finance_actor(user) -> Actor:
    return Actor(user.email, user.id)


def finance_viewer(user) -> Viewer:
    return Viewer(user_id=user.id, role=user.role, provider_id=user.provider_id)


TOTAL = Decimal("123898.04")


def at(day: date) -> datetime:
    """Noon of `day` in Copenhagen: the moment a step is taken in a test."""
    return datetime.combine(day, time(12), tzinfo=COPENHAGEN)
