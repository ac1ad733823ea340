"""API calls on a bid's files, sealed exactly as the bid's prices are.

The bidder lists, adds, downloads and removes the files of its own bid on a lot until the
deadline (downloads also after it); procurement lists and downloads every bid's files on the
lot once the deadline has passed, and before it sees none and learns nothing (an empty list, a
file 404). Every download is an audit event.
"""

from __future__ import annotations

from typing import Literal

from flask import Response

from contracts.models import BidAttachment
from contracts.models.attachments import BID_ATTACHMENT_KINDS
from contracts.services.tenders import bid_files

from ..clock import now
from ..extensions import db
from ..file_responses import file_response
from ..file_uploads import accepts_files
from ..security import actor, viewer
from .declare import operation
from .tender_schemas import BidderRef
from .uploads import StoredFileOut, file_fields, multipart_schema, uploaded

ROUTE = "/tenders/<int:tender_id>/lots/<int:lot_id>/bid/attachments"
READERS = ("provider", "procurement")
# What a successful download answers: the stored type, one of the allowed documents.
DOCUMENT_MEDIA = "application/*"


class BidAttachmentOut(StoredFileOut):
    """One file of a bid: whose bid, what it is, and the file."""

    id: int
    bid_id: int
    provider: BidderRef
    kind: Literal[BID_ATTACHMENT_KINDS]

    @classmethod
    def of(cls, attachment: BidAttachment) -> BidAttachmentOut:
        bid = attachment.bid
        return cls(
            id=attachment.id,
            bid_id=attachment.bid_id,
            provider=BidderRef(id=bid.provider.id, name=bid.provider.name),
            kind=attachment.kind,
            **file_fields(attachment.file, attachment.created_at),
        )


@operation(
    "GET",
    ROUTE,
    summary="List the files of the bids on a lot",
    roles=READERS,
    tag="tenders",
    response=BidAttachmentOut,
    paged=True,
    response_description="A page of the bid files you may see",
)
def list_bid_attachments(tender_id: int, lot_id: int, page: int, per_page: int):
    """A provider user sees its own bid's files; procurement every bid's once the deadline has
    passed, none before it (nor how many there are)."""
    listed = bid_files.attachment_page(
        db.session, viewer(), tender_id, lot_id, now(), page, per_page
    )
    return listed.mapped(BidAttachmentOut.of)


@accepts_files
@operation(
    "POST",
    ROUTE,
    summary="Attach a file to your bid",
    roles=("provider",),
    tag="tenders",
    response=BidAttachmentOut,
    status=201,
    response_description="The file as stored",
    conflicts="No bid of yours on the lot yet, or the tender is not open for bids.",
    extra_errors=(413, 415, 422),
    raw_body=multipart_schema(
        {"kind": {"type": "string", "enum": list(BID_ATTACHMENT_KINDS)}}, ("kind",)
    ),
)
def add_bid_attachment(tender_id: int, lot_id: int):
    """Until the deadline, on a bid you have made (send the prices first). A file whose type is
    not allowed, whose name's extension disagrees with its content, an encrypted PDF or one with
    JavaScript is refused with 422 and nothing is stored; beyond 25 MB with 413."""
    data, filename, fields = uploaded(("kind",))
    attachment = bid_files.add_attachment(
        db.session, actor(), viewer(), tender_id, lot_id, fields["kind"], data, filename, now()
    )
    return BidAttachmentOut.of(attachment)


@operation(
    "GET",
    ROUTE + "/<int:attachment_id>",
    summary="Download a bid's file",
    roles=READERS,
    tag="tenders",
    response=None,
    media_type=DOCUMENT_MEDIA,
    response_description="The file as it was sent (PDF, DOCX, XLSX, ODT or ODS)",
)
def get_bid_attachment(tender_id: int, lot_id: int, attachment_id: int):
    """Your own bid's file at any time; for procurement a file of any bid once the deadline has
    passed (404 before it, as for a file that does not exist). Every download is recorded."""
    stored = bid_files.download(
        db.session, actor(), viewer(), tender_id, attachment_id, now(), lot_id=lot_id
    )
    return file_response(stored)


@operation(
    "DELETE",
    ROUTE + "/<int:attachment_id>",
    summary="Remove a file from your bid",
    roles=("provider",),
    tag="tenders",
    response=None,
    status=204,
    response_description="Removed",
    conflicts="The tender is no longer open for bids.",
)
def delete_bid_attachment(tender_id: int, lot_id: int, attachment_id: int):
    """Until the deadline; the file is deleted."""
    bid_files.remove_attachment(
        db.session, actor(), viewer(), tender_id, lot_id, attachment_id, now()
    )
    return Response(status=204)
