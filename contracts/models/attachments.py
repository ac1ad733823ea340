"""Files attached to a bid (sealed as its prices are) and to a contract or its amendments.

The file itself is a `StoredFile` (checked, typed by its content, kept in the database); these
rows say what the file is to the bid or the contract. Each stored file belongs to one row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Timestamp, enum_check, utcnow

if TYPE_CHECKING:
    from .contract import Amendment, Contract
    from .files import StoredFile
    from .procurement import Bid

# What a bid's file is: the method description (metodebeskrivelse), a CV, a reference, other.
BID_ATTACHMENT_KINDS = ("method_description", "cv", "reference", "other")

# A contract's documents by the OCDS 1.1.5 documentType codelist's codes for contracts
# (codelists/documentType.csv, section "contract"); an amendment's document takes one of them.
CONTRACT_DOCUMENT_TYPES = (
    "contractSigned",
    "contractAnnexe",
    "contractSchedule",
    "contractSummary",
    "contractGuarantees",
    "subContract",
)


class BidAttachment(Base):
    """A file of a provider's bid on a lot; nobody but the bidder sees it before the deadline."""

    __tablename__ = "bid_attachment"
    __table_args__ = (enum_check("kind", BID_ATTACHMENT_KINDS, "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(sa.ForeignKey("bid.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    stored_file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_file.id"), unique=True)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    bid: Mapped[Bid] = relationship(back_populates="attachments")
    file: Mapped[StoredFile] = relationship()


class ContractDocument(Base):
    """A document of a contract (the signed contract, an annex), or of one of its amendments."""

    __tablename__ = "contract_document"
    __table_args__ = (enum_check("document_type", CONTRACT_DOCUMENT_TYPES, "document_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(sa.ForeignKey("contract.id"), index=True)
    # Set when the document is an amendment's (it belongs to the amendment's contract too).
    amendment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("amendment.id"), index=True)
    document_type: Mapped[str] = mapped_column(sa.String(30))
    title: Mapped[str] = mapped_column(sa.String(200))
    stored_file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_file.id"), unique=True)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)

    contract: Mapped[Contract] = relationship(back_populates="documents")
    amendment: Mapped[Amendment | None] = relationship(back_populates="documents")
    file: Mapped[StoredFile] = relationship()
