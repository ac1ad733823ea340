"""Helpers for document tests: an approved sample invoice as plain data, and the Peppol rules folder."""

from __future__ import annotations

import sys
from datetime import date, datetime, time

from contracts.documents import pdf
from contracts.documents.data import Municipality
from contracts.documents.validation import Validator
from contracts.models import Invoice, Provider
from contracts.rules.periods import COPENHAGEN
from contracts.services import approval, invoice_steps
from contracts.services.audit import Actor
from contracts.services.invoice_documents import invoice_document
from contracts.services.scope import Viewer
from provider_portal import PEPPOL_RULES_DIR as PEPPOL_DIR
from provider_portal import ROOT
from tests.finance.helpers import sample_invoice

BUYER = Municipality(
    name="Københavns Kommune",
    cvr="64942212",
    ean="5798009800275",
    department="Beskæftigelses- og Integrationsforvaltningen",
    street="Gyldenløvesgade 15",
    postcode="1600",
    city="København V",
)
# The sample provider's postal address (the sample itself names none).
SELLER_ADDRESS = {"street": "Tagensvej 85", "postcode": "2200", "city": "København N"}
DAY = date(2019, 2, 5)
# The app's static folder and templates, which the web side hands the renderer.
STATIC = ROOT / "provider_portal" / "static"
RENDERER = pdf.renderer_for(ROOT / "templates", STATIC)

_validator = Validator(PEPPOL_DIR)
PEPPOL_NOT_RUN = (
    f"the Peppol BIS 3.0 layer was NOT run ({PEPPOL_DIR} is missing); "
    "only the UBL 2.1 XSD and EN 16931 layers were checked"
)
NOT_RUN: set[str] = set()


def three_layers() -> Validator:
    """The validator of all three layers; says so plainly when the Peppol rules are not here."""
    if not _validator.peppol_available:
        # Not a Python warning: the suite turns those into errors. Printed, and repeated in the
        # terminal summary by tests/finance/conftest.py, so nobody takes two layers for three.
        NOT_RUN.add(PEPPOL_NOT_RUN)
        print(f"WARNING: {PEPPOL_NOT_RUN}", file=sys.stderr)
    return _validator


def approved_sample(session, invoicing: str = "self_billing", **scenario):
    """The sample invoice approved as 2019-000001, as (invoice, plain document); its provider
    has an address and its contract the invoicing term given."""
    invoice = sample_invoice(session, **scenario)
    invoice.contract.invoicing = invoicing
    provider = session.get(Provider, invoice.contract.provider_id)
    for name, value in SELLER_ADDRESS.items():
        setattr(provider, name, value)
    approve(session, invoice.id)
    return invoice, invoice_document(session, invoice.id, BUYER)


def approve(session, invoice_id: int, day: date = DAY) -> None:
    """Take the invoice through the steps to approval on `day` with the services themselves:
    issued by its provider (a provider-issued contract's), attested by procurement, approved by
    finance, which numbers it and freezes the issued record."""
    moment = datetime.combine(day, time(12), tzinfo=COPENHAGEN)
    invoice = session.get(Invoice, invoice_id)
    if invoice_steps.provider_issues(invoice) and invoice.status == "draft":
        provider = Viewer(None, "provider", invoice.contract.provider_id)
        invoice_steps.issue(session, Actor("leverandor@example.dk"), provider, invoice_id, moment)
    procurement = Viewer(None, "procurement")
    invoice_steps.attest(session, Actor("indkob@example.dk"), procurement, invoice_id, moment)
    finance = Viewer(None, "finance")
    approval.approve(session, Actor("okonomi@example.dk"), finance, invoice_id, moment, BUYER)
    session.flush()
