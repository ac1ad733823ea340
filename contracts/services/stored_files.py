"""Keeping an uploaded file: checked whole first, so a refused file leaves nothing behind."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..models import StoredFile
from ..rules.file_checks import DOCUMENT_TYPES, check_file


def store_file(
    session: Session,
    data: bytes,
    filename: str,
    *,
    allowed: frozenset[str] | set[str] = DOCUMENT_TYPES,
    user_id: int | None = None,
) -> StoredFile:
    """The file added and flushed (never committed); FileRefused says why it is not kept."""
    checked = check_file(data, filename, allowed)
    stored = StoredFile(
        sha256=checked.sha256,
        filename=checked.filename,
        media_type=checked.media_type,
        size=checked.size,
        content=data,
        created_by_id=user_id,
    )
    session.add(stored)
    session.flush()
    return stored
