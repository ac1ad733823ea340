"""API calls on a contract's documents: the signed contract, its annexes, each amendment's.

Procurement attaches and removes them; procurement, finance and the contract's own provider
list and download them. Another provider's contract and its documents are 404, never 403.
"""

from __future__ import annotations

from typing import Literal

from flask import Response

from contracts.models.attachments import CONTRACT_DOCUMENT_TYPES, ContractDocument
from contracts.services import contract_documents

from ..clock import now
from ..extensions import db
from ..file_responses import file_response
from ..file_uploads import accepts_files
from ..security import actor, viewer
from .bid_attachments import DOCUMENT_MEDIA
from .declare import operation
from .uploads import StoredFileOut, file_fields, multipart_schema, uploaded

ROUTE = "/contracts/<int:contract_id>/documents"
READERS = ("procurement", "finance", "provider")


class ContractDocumentOut(StoredFileOut):
    """One document of a contract: its OCDS documentType, title, the amendment it belongs to."""

    id: int
    contract_id: int
    amendment_id: int | None
    document_type: Literal[CONTRACT_DOCUMENT_TYPES]
    title: str

    @classmethod
    def of(cls, document: ContractDocument) -> ContractDocumentOut:
        return cls(
            id=document.id,
            contract_id=document.contract_id,
            amendment_id=document.amendment_id,
            document_type=document.document_type,
            title=document.title,
            **file_fields(document.file, document.created_at),
        )


@operation(
    "GET",
    ROUTE,
    summary="List a contract's documents",
    roles=READERS,
    tag="contracts",
    response=ContractDocumentOut,
    paged=True,
    response_description="A page of the contract's documents, its own first, then its amendments'",
)
def list_contract_documents(contract_id: int, page: int, per_page: int):
    """Another provider's contract is 404, as one that does not exist."""
    listed = contract_documents.document_page(db.session, viewer(), contract_id, page, per_page)
    return listed.mapped(ContractDocumentOut.of)


@accepts_files
@operation(
    "POST",
    ROUTE,
    summary="Attach a document to a contract or one of its amendments",
    roles=("procurement",),
    tag="contracts",
    response=ContractDocumentOut,
    status=201,
    response_description="The document as stored",
    extra_errors=(413, 415, 422),
    raw_body=multipart_schema(
        {
            "document_type": {
                "type": "string",
                "enum": list(CONTRACT_DOCUMENT_TYPES),
                "description": "The OCDS documentType code",
            },
            "title": {"type": "string", "maxLength": 200},
            "amendment_id": {
                "type": "string",
                "pattern": "^[0-9]{0,9}$",
                "description": "The amendment the document belongs to; empty for the contract",
            },
        },
        ("document_type",),
    ),
)
def add_contract_document(contract_id: int):
    """A file whose type is not allowed, an encrypted PDF or one with JavaScript is refused
    with 422 and nothing is stored; beyond 25 MB with 413."""
    data, filename, fields = uploaded(("document_type", "title", "amendment_id"))
    amendment = fields["amendment_id"]
    document = contract_documents.add_document(
        db.session,
        actor(),
        viewer(),
        contract_id,
        fields["document_type"],
        data,
        filename,
        now(),
        title=fields["title"],
        amendment_id=int(amendment) if amendment.isdigit() and len(amendment) < 10 else None,
    )
    return ContractDocumentOut.of(document)


@operation(
    "GET",
    ROUTE + "/<int:document_id>",
    summary="Download a contract's document",
    roles=READERS,
    tag="contracts",
    response=None,
    media_type=DOCUMENT_MEDIA,
    response_description="The file as it was sent (PDF, DOCX, XLSX, ODT or ODS)",
)
def get_contract_document(contract_id: int, document_id: int):
    """Another provider's contract's document is 404."""
    document = contract_documents.get_document(db.session, viewer(), contract_id, document_id)
    return file_response(document.file)


@operation(
    "DELETE",
    ROUTE + "/<int:document_id>",
    summary="Remove a contract's document",
    roles=("procurement",),
    tag="contracts",
    response=None,
    status=204,
    response_description="Removed",
)
def delete_contract_document(contract_id: int, document_id: int):
    """For a document attached by mistake; its file is deleted."""
    contract_documents.remove_document(
        db.session, actor(), viewer(), contract_id, document_id, now()
    )
    return Response(status=204)
