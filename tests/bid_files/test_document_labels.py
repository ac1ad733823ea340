"""Every kind of contract document has a name people read, and the form offers every kind."""

from __future__ import annotations

from contracts.models.attachments import CONTRACT_DOCUMENT_TYPES
from provider_portal.procurement.contract_documents import TYPE_LABELS


def test_every_contract_document_type_has_a_label_and_nothing_else_does():
    assert set(TYPE_LABELS) == set(CONTRACT_DOCUMENT_TYPES)
