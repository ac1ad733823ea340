"""A tender's material in the OCDS export: `tender.documents` (OCDS 1.1.5 document building
block): each document's current version with its documentType code, media type, when it
became public (its upload, or the publication when it was uploaded before) and, for a version
after publication, `dateModified`; the published questions and answers are one
`clarifications` document. Their `url` is the portal's download (or the tender page's
answers), for a provider who has logged in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .ocds_formats import rfc3339


@dataclass(frozen=True)
class TenderDocumentData:
    """A document of a tender's material (its current version), or the generated list of
    questions and answers (`clarifications`), with where it is read."""

    id: str
    document_type: str
    title: str
    media_type: str
    published_at: datetime
    modified_at: datetime | None = None
    url: str | None = None


def tender_document(document: TenderDocumentData) -> dict:
    out = {
        "id": document.id,
        "documentType": document.document_type,
        "title": document.title,
        "format": document.media_type,
        "datePublished": rfc3339(document.published_at),
    }
    if document.modified_at is not None:
        out["dateModified"] = rfc3339(document.modified_at)
    if document.url is not None:
        out["url"] = document.url
    return out
