"""Files kept in the database (tender material, bid attachments, contract documents).

In the database, not on a disk, so several machines share them with no extra service; at most
25 MB each (contracts.rules.file_checks), checked before they get here.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Timestamp, utcnow


class StoredFile(Base):
    """One uploaded file: its cleaned name, its type as read from the content, its bytes."""

    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    filename: Mapped[str] = mapped_column(sa.String(200))
    media_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    # Loaded only when read: listing a tender's material does not fetch 25 MB per file.
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    created_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
