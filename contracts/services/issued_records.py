"""The issued record of an approved invoice: its parties and terms frozen at approval.

An approved invoice is a fixed record (DESIGN.md §6): renaming a provider, moving it or editing
its CVR, or changing the municipality's settings, must not change a document already issued.
So approval writes down here, once, everything about the parties and the contract that its PDF
and e-invoice print; documents of an approved invoice are made from this record, never from
the current rows. Amounts and lines need no copy: an approved invoice's own rows never change.

The record is plain JSON (strings for amounts, so nothing is lost to floats). Its shape is
`RECORD_VERSION` 2: version 1 (migration 0007 wrote it for invoices approved before it) plus the
contract's milestone terms (DESIGN.md §15), `milestones` and `clawback_days`; a version 1
record reads as a contract without them, which it was.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ..documents.data import Municipality, Seller
from ..models import Contract, Invoice, Programme, Provider

RECORD_VERSION = 2


def issued_record(session: Session, invoice: Invoice, buyer: Municipality) -> dict[str, Any]:
    """The parties and terms of `invoice` as they are now, to be kept with its approval."""
    contract, provider, programme = session.execute(
        sa.select(Contract, Provider, Programme)
        .join(Provider, Provider.id == Contract.provider_id)
        .join(Programme, Programme.id == Contract.programme_id)
        .where(Contract.id == invoice.contract_id)
    ).one()
    return record_of(contract, provider, programme, invoice, buyer)


def record_of(
    contract: Contract,
    provider: Provider,
    programme: Programme,
    invoice: Invoice,
    buyer: Municipality,
) -> dict[str, Any]:
    """The issued record of rows already read (a draft's documents are made from it too, so a
    draft and its approved self read the same fields the same way)."""
    return {
        "version": RECORD_VERSION,
        "seller": {
            "name": provider.name,
            "cvr": provider.cvr,
            "gln": provider.gln,
            "street": provider.street,
            "postcode": provider.postcode,
            "city": provider.city,
        },
        "buyer": {
            "name": buyer.name,
            "department": buyer.department,
            "cvr": buyer.cvr,
            "ean": buyer.ean,
            "street": buyer.street,
            "postcode": buyer.postcode,
            "city": buyer.city,
        },
        "contract": {
            "reference": contract.reference,
            "title": contract.title,
            "kind": contract.kind,
            "invoicing": contract.invoicing,
            "monthly_fee": str(contract.monthly_fee),
            "hourly_rate": str(contract.hourly_rate),
            "outcome_bonus": str(contract.outcome_bonus),
            "vat_rate": str(invoice.vat_rate),
            "milestones": {m.code: str(m.amount) for m in contract.milestones},
            "clawback_days": contract.clawback_days,
        },
        "programme": {
            "code": programme.code,
            "name_da": programme.name_da,
            "name_en": programme.name_en,
        },
    }


def parties(record: dict[str, Any], provider_id: int) -> dict[str, Any]:
    """The fields of an `InvoiceDocument` that the record holds: parties, terms, programme."""
    seller, buyer = record["seller"], record["buyer"]
    contract, programme = record["contract"], record["programme"]
    return {
        "contract_reference": contract["reference"],
        "invoicing": contract["invoicing"],
        "programme_code": programme["code"],
        "programme_name": programme["name_da"],
        "monthly_fee": Decimal(contract["monthly_fee"]),
        "hourly_rate": Decimal(contract["hourly_rate"]),
        "outcome_bonus": Decimal(contract["outcome_bonus"]),
        "milestones": tuple(
            (code, Decimal(amount)) for code, amount in contract.get("milestones", {}).items()
        ),
        "clawback_days": contract.get("clawback_days"),
        # Version 1 names the parties' fields as the documents' dataclasses do.
        "seller": Seller(id=provider_id, **seller),
        "buyer": Municipality(**buyer),
    }
