"""Helpers for document tests: an approved sample invoice as plain data, and the Peppol rules folder."""

from __future__ import annotations

import sys
from datetime import date

from contracts.documents import pdf
from contracts.documents.data import Municipality
from contracts.documents.validation import Validator
from contracts.services import approval
from contracts.services.audit import Actor
from contracts.services.invoice_documents import invoice_document
from provider_portal import PEPPOL_RULES_DIR as PEPPOL_DIR
from provider_portal import ROOT
from tests.finance.helpers import FINANCE, sample_invoice

BUYER = Municipality(
    name="Københavns Kommune",
    cvr="64942212",
    ean="5798009800275",
    department="Beskæftigelses- og Integrationsforvaltningen",
)
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


def approved_sample(session, **scenario):
    """The sample invoice approved as 2019-000001, as (invoice, plain document)."""
    invoice = sample_invoice(session, **scenario)
    approval.approve(session, Actor("test"), FINANCE, invoice.id, DAY)
    session.flush()
    return invoice, invoice_document(session, invoice.id, BUYER)
